"""Drop the schedule index 0001 created as raw SQL: the programmes model now declares it
(``ScheduleDay.Meta.indexes``, programmes 0009), so the model and the database agree.

0001 still runs on a new database (it creates the raw index; this drops it right after);
``IF EXISTS`` makes the drop safe on a database where it was already removed by hand.
The same SQL works on SQLite and PostgreSQL.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_scheduleday_date_index"),
        ("programmes", "0009_scheduleday_date_index"),
    ]

    operations = [
        migrations.RunSQL(
            "DROP INDEX IF EXISTS portal_scheduleday_date_activity",
            "CREATE INDEX IF NOT EXISTS portal_scheduleday_date_activity "
            "ON programmes_scheduleday (date, activity_id)",
        ),
    ]
