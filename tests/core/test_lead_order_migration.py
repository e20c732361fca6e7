"""The migration that corrects FY2024's ⑥ on an installation loaded by an earlier version
(whose leads were copied in 規約 order: 小国町, 飯豊町) to the reference's order."""

import importlib

import pytest
from django.apps import apps

from renkei.audit.models import AuditEntry
from renkei.programmes.models import Activity

migration = importlib.import_module("renkei.programmes.migrations.0006_fy2024_signage_lead_order")

# Reference tests: about the real FY2024 year (its facts, the data migrations over it).
pytestmark = [pytest.mark.django_db, pytest.mark.reference]

SIGNAGE = "港区デジタルサイネージでのPR動画の放映"


def signage(year) -> Activity:
    return Activity.objects.get(group__programme__fiscal_year=year, title=SIGNAGE)


def put_in_charter_order(activity) -> None:
    """⑥ as an earlier version left it: 小国町 (7th in the 規約) before 飯豊町 (8th)."""
    for order, name in enumerate(["小国町", "飯豊町"], start=1):
        activity.lead_links.filter(organisation__name=name).update(order=order)


def test_correction_puts_iide_first_and_logs_it(fy2024):
    activity = signage(fy2024)
    put_in_charter_order(activity)
    version = activity.version
    assert [o.name for o in activity.leads()] == ["小国町", "飯豊町"]

    migration.correct_signage_leads(apps, None)

    activity.refresh_from_db()
    assert [o.name for o in activity.leads()] == ["飯豊町", "小国町"]
    assert activity.version == version + 1  # a form opened before is refused, not applied
    entry = AuditEntry.objects.get(
        model="programmes.activity", object_id=str(activity.pk), action="update"
    )
    assert entry.union == fy2024.union and entry.user is None
    assert entry.changes == {"lead_organisations": [["小国町", "飯豊町"], ["飯豊町", "小国町"]]}
    assert "参照資料" in entry.reason and "令和6年度の初期データの訂正" in entry.reason

    migration.correct_signage_leads(apps, None)  # run again: nothing more to do
    assert (
        AuditEntry.objects.filter(model="programmes.activity", object_id=str(activity.pk)).count()
        == 1
    )


def test_correction_leaves_the_right_order_and_edited_leads_alone(fy2024):
    activity = signage(fy2024)
    entries = AuditEntry.objects.count()
    migration.correct_signage_leads(apps, None)  # loaded by this version: already right
    assert [o.name for o in activity.leads()] == ["飯豊町", "小国町"]

    put_in_charter_order(activity)
    yonezawa = fy2024.union.members.get(name="米沢市")
    activity.lead_links.create(organisation=yonezawa, order=3)  # edited since the load
    migration.correct_signage_leads(apps, None)
    assert [o.name for o in activity.leads()] == ["小国町", "飯豊町", "米沢市"]
    assert AuditEntry.objects.count() == entries
