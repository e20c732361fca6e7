"""Lead municipalities keep the order they were entered in: the many-to-many gets a
through model with an ``order`` column. Django cannot add ``through=`` to an existing
field, so the rows are copied into the new table (in the union's 規約 order, the order
they were printed in until now), the old field removed and the new one added."""

import django.db.models.deletion
from django.db import migrations, models


def copy_to_links(apps, schema_editor):
    Activity = apps.get_model("programmes", "Activity")
    ActivityLead = apps.get_model("programmes", "ActivityLead")
    Membership = apps.get_model("tenancy", "Membership")
    through = Activity._meta.get_field("lead_organisations").remote_field.through
    member_order = {(m.union_id, m.organisation_id): m.order for m in Membership.objects.all()}
    rows = through.objects.values_list(
        "activity_id", "organisation_id", "activity__group__programme__fiscal_year__union_id",
        "organisation__code", "organisation__name")
    by_activity = {}
    for activity_id, organisation_id, union_id, code, name in rows:
        key = (member_order.get((union_id, organisation_id), float("inf")), code or "", name)
        by_activity.setdefault(activity_id, []).append((key, organisation_id))
    ActivityLead.objects.bulk_create(
        ActivityLead(activity_id=activity_id, organisation_id=organisation_id, order=n)
        for activity_id, leads in by_activity.items()
        for n, (_key, organisation_id) in enumerate(sorted(leads), start=1)
    )


def copy_back(apps, schema_editor):
    Activity = apps.get_model("programmes", "Activity")
    ActivityLead = apps.get_model("programmes", "ActivityLead")
    through = Activity._meta.get_field("lead_organisations").remote_field.through
    through.objects.bulk_create(
        through(activity_id=activity_id, organisation_id=organisation_id)
        for activity_id, organisation_id in ActivityLead.objects.values_list(
            "activity_id", "organisation_id")
    )


class Migration(migrations.Migration):

    dependencies = [
        ("programmes", "0004_publication_proposed"),
        ("tenancy", "0003_organisation_order_nulls_last"),
    ]

    operations = [
        migrations.CreateModel(
            name="ActivityLead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="順序")),
                ("activity", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="lead_links", to="programmes.activity", verbose_name="活動")),
                ("organisation", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to="tenancy.organisation", verbose_name="実施市町")),
            ],
            options={
                "verbose_name": "実施市町",
                "verbose_name_plural": "実施市町",
                "ordering": ["order", "pk"],
                "constraints": [
                    models.UniqueConstraint(fields=("activity", "organisation"), name="activitylead_unique_organisation"),
                ],
            },
        ),
        migrations.RunPython(copy_to_links, copy_back),
        migrations.RemoveField(model_name="activity", name="lead_organisations"),
        migrations.AddField(
            model_name="activity",
            name="lead_organisations",
            field=models.ManyToManyField(blank=True, related_name="led_activities", through="programmes.ActivityLead", to="tenancy.organisation", verbose_name="実施市町"),
        ),
    ]
