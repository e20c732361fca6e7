"""The sign-in throttle now counts in ``tenancy.SignInCounter`` (atomic increments);
Django's database cache table ``renkei_throttle`` that 0001 made is no longer used."""

from django.db import migrations

TABLE = "renkei_throttle"


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


def create_table(apps, schema_editor):
    from django.core.management import call_command

    call_command("createcachetable", TABLE, database=schema_editor.connection.alias,
                 verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_throttle_cache_table")]

    operations = [migrations.RunPython(drop_table, create_table)]
