"""The sign-in throttle's table (Django's database cache, settings ``CACHES["throttle"]``).

Made here so that ``renkei migrate`` alone prepares a database; ``createcachetable`` is
Django's own command for it and leaves an existing table alone. The name is written out,
not read from the settings, so the same migration gives every installation the same table.
"""

from django.core.management import call_command
from django.db import migrations

TABLE = "renkei_throttle"


def create_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias,
                 verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_table, drop_table)]
