"""Index the schedule by date for the public timeline's keyset (newest first).

The timeline pages through each activity's first schedule day ordered by
(date, activity_id); without this index PostgreSQL sorts every day of every activity
for each page. The index lives on programmes' table but serves only the portal's read
path, so it is created here as SQL and does not change the programmes model.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("programmes", "0002_activity_version")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX portal_scheduleday_date_activity "
            "ON programmes_scheduleday (date, activity_id)",
            "DROP INDEX portal_scheduleday_date_activity",
        ),
    ]
