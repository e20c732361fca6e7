"""Activity.search_text: the searched columns folded for the portal's search, filled
for the activities already stored."""

from django.db import migrations, models

SEARCHED = ("title", "heading", "theme", "place_summary", "purpose", "description")
BATCH = 2000


def fill_search_text(apps, schema_editor):
    # The normaliser is a pure function of text; the historical model has the columns.
    from renkei.programmes.search import search_text

    Activity = apps.get_model("programmes", "Activity")
    batch = []
    for activity in Activity.objects.only("pk", *SEARCHED).iterator(chunk_size=BATCH):
        activity.search_text = search_text(activity)
        batch.append(activity)
        if len(batch) >= BATCH:
            Activity.objects.bulk_update(batch, ["search_text"])
            batch = []
    Activity.objects.bulk_update(batch, ["search_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("programmes", "0009_scheduleday_date_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="activity",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]
