"""FY2024's ⑥ as the reference lists it: 「港区デジタルサイネージでのPR動画の放映
（飯豊町、小国町）」. An installation loaded by an earlier version could not record the
order, and 0005 copied its leads in 規約 order (小国町, 飯豊町); this puts 飯豊町 first and
writes the correction to the change history. Nothing else is touched: a union without
the seed, or a ⑥ whose leads were edited since, is left as it is."""

from django.db import migrations
from django.db.models import F

UNION_SLUG = "okitama"
YEAR = 2024
TITLE = "港区デジタルサイネージでのPR動画の放映"
IIDE, OGUNI = "064033", "064017"  # 飯豊町, 小国町 (全国地方公共団体コード)
REASON = "令和6年度の初期データの訂正: 実施市町を報告書（参照資料）の順（飯豊町、小国町）にしました。"


def correct_signage_leads(apps, schema_editor):
    Activity = apps.get_model("programmes", "Activity")
    ActivityLead = apps.get_model("programmes", "ActivityLead")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    activities = Activity.objects.filter(
        group__programme__fiscal_year__union__slug=UNION_SLUG,
        group__programme__fiscal_year__year=YEAR, title=TITLE)
    for activity in activities:
        links = list(ActivityLead.objects.filter(activity=activity)
                     .select_related("organisation").order_by("order", "pk"))
        codes = [link.organisation.code for link in links]
        if sorted(codes) != sorted([IIDE, OGUNI]) or codes == [IIDE, OGUNI]:
            continue
        before = [link.organisation.short_name or link.organisation.name for link in links]
        by_code = {link.organisation.code: link for link in links}
        for order, code in enumerate([IIDE, OGUNI], start=1):
            ActivityLead.objects.filter(pk=by_code[code].pk).update(order=order)
        Activity.objects.filter(pk=activity.pk).update(version=F("version") + 1)
        AuditEntry.objects.create(
            union_id=activity.group.programme.fiscal_year.union_id, user=None,
            action="update", model="programmes.activity", object_id=str(activity.pk),
            object_repr=activity.title[:200],
            changes={"lead_organisations": [before, list(reversed(before))]},
            reason=REASON,
        )


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        ("programmes", "0005_activity_lead_order"),
    ]

    operations = [
        migrations.RunPython(correct_signage_leads, migrations.RunPython.noop),
    ]
