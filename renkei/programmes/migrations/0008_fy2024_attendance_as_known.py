"""FY2024's attendance as the reference gives it. An installation loaded by an earlier
version split three totals across named municipalities, a split the reference never
gives (交流研修 22名, 自治体DX研修会 23名, 自治体GX研修会 16名). This puts in its place what
the reference says — who took part, how many member cities and towns (named or not), the total
— and writes each correction to the change history. An activity whose attendance was
edited since it was loaded is left as it is (its figures are no longer the seed's)."""

from django.db import migrations
from django.db.models import F

UNION_SLUG = "okitama"
YEAR = 2024
REASON = ("令和6年度の初期データの訂正: 報告書（参照資料）にない市町別の人数を削除し、"
          "資料のとおり「%s」（参加した団体と合計）として記録しました。")
UNION = "union"  # the union's own organisation
# title: (the seed's old split by organisation, what the reference says, the phrase)
CORRECTIONS = {
    "交流研修": (
        {"062022": 3, "062090": 2, "062138": 2, "063819": 1, "063827": 1, "064017": 2,
         "064025": 1, "131032": 6, "一般財団法人地域活性化センター": 2, UNION: 2},
        # 南陽市 and 小国町 presented their initiatives in it (「取組紹介 港区、南陽市、小国町」).
        {"062138": None, "064017": None, "131032": None, "一般財団法人地域活性化センター": None,
         UNION: None},
        {"city": 3, "town": 4},
        "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名",
    ),
    "自治体DX研修会": (
        {"062022": 4, "062090": 3, "062138": 3, "063819": 2, "063827": 2, "064017": 2,
         "064025": 2, "064033": 2, "置賜総合支庁": 3},
        {"062022": None, "062090": None, "062138": None, "063819": None, "063827": None,
         "064025": None, "064017": None, "064033": None, "置賜総合支庁": None},
        {},
        "置賜3市5町、置賜総合支庁 23名",
    ),
    "自治体GX研修会": (
        {"062022": 3, "063819": 3, "063827": 3, "064017": 2, "064025": 3, "064033": 2},
        {"063819": None, "063827": None, "064025": None, "064017": None, "064033": None},
        {"city": 1, "town": 5},
        "置賜1市5町 16名",
    ),
}
KIND_LABELS = {"city": "市", "town": "町"}


def correct_attendance(apps, schema_editor):
    Activity = apps.get_model("programmes", "Activity")
    Attendance = apps.get_model("programmes", "Attendance")
    AttendanceComposition = apps.get_model("programmes", "AttendanceComposition")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    for title, (old, new, unnamed, phrase) in CORRECTIONS.items():
        activities = Activity.objects.filter(
            group__programme__fiscal_year__union__slug=UNION_SLUG,
            group__programme__fiscal_year__year=YEAR, title=title,
        ).select_related("group__programme__fiscal_year__union")
        for activity in activities:
            union = activity.group.programme.fiscal_year.union

            def key(org, union=union):
                return UNION if org.pk == union.organisation_id else (org.code or org.name)

            rows = list(Attendance.objects.filter(activity=activity).select_related("organisation"))
            current = {key(row.organisation): row.count for row in rows}
            if current != old or AttendanceComposition.objects.filter(activity=activity).exists():
                continue
            by_key = {key(row.organisation): row.organisation for row in rows}
            labels = {k: org.short_name or org.name for k, org in by_key.items()}
            changes = {}
            for row in rows:
                k = key(row.organisation)
                after = "参加（人数不明）" if k in new else None
                changes[f"出席者数（{labels[k]}）"] = [row.count, after]
            Attendance.objects.filter(activity=activity).exclude(
                pk__in=[row.pk for row in rows if key(row.organisation) in new]).delete()
            Attendance.objects.filter(activity=activity).update(count=None)
            for kind, number in unnamed.items():
                AttendanceComposition.objects.create(activity=activity, kind=kind, number=number)
                changes[f"出席した構成市町の数（{KIND_LABELS[kind]}）"] = [None, number]
            Activity.objects.filter(pk=activity.pk).update(version=F("version") + 1)
            AuditEntry.objects.create(
                union_id=union.pk, user=None, action="update", model="programmes.activity",
                object_id=str(activity.pk), object_repr=activity.title[:200],
                changes=changes, reason=REASON % phrase,
            )


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        ("programmes", "0007_attendance_as_known"),
    ]

    operations = [
        migrations.RunPython(correct_attendance, migrations.RunPython.noop),
    ]
