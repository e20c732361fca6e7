# Reports issued before editions existed held every record: they are internal editions.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0001_issued_report'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='issuedreport',
            options={'ordering': ['fiscal_year', 'format', 'edition', '-version'], 'verbose_name': '発行済み報告書', 'verbose_name_plural': '発行済み報告書'},
        ),
        migrations.RemoveConstraint(
            model_name='issuedreport',
            name='issuedreport_unique_version',
        ),
        migrations.AddField(
            model_name='issuedreport',
            name='edition',
            field=models.CharField(choices=[('public', '公開版'), ('internal', '内部版')], default='internal', max_length=10, verbose_name='版の種類'),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name='issuedreport',
            constraint=models.UniqueConstraint(fields=('fiscal_year', 'format', 'edition', 'version'), name='issuedreport_unique_version'),
        ),
    ]
