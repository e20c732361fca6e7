from django.db import migrations


def add_sections(apps, schema_editor):
    from renkei.finance.sections import section_rows

    ExpenditureSection = apps.get_model("finance", "ExpenditureSection")
    for number, name, first, last in section_rows():
        ExpenditureSection.objects.update_or_create(
            number=number, first_fiscal_year=first,
            defaults={"name": name, "last_fiscal_year": last},
        )


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]
    operations = [migrations.RunPython(add_sections, migrations.RunPython.noop)]
