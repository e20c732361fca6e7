from django.db import migrations


def add_sections(apps, schema_editor):
    from renkei.finance.sections import ensure_sections

    ensure_sections(apps.get_model("finance", "ExpenditureSection"))


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]
    operations = [migrations.RunPython(add_sections, migrations.RunPython.noop)]
