"""The migration that takes out of an installation loaded by an earlier version the
attendance split the reference never gives, and records what it does give."""

import importlib

import pytest
from django.apps import apps

from renkei.audit.models import AuditEntry
from renkei.programmes.attendance import activity_attendance_phrase, known_attendance
from renkei.programmes.models import Activity, Attendance
from renkei.tenancy.models import Organisation

migration = importlib.import_module("renkei.programmes.migrations.0008_fy2024_attendance_as_known")

# Reference tests: about the real FY2024 year (its facts, the data migrations over it).
pytestmark = [pytest.mark.django_db, pytest.mark.reference]

PHRASES = {
    "交流研修": "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名",
    "自治体DX研修会": "置賜3市5町、置賜総合支庁 23名",
    "自治体GX研修会": "置賜1市5町 16名",
}


def organisation(key, union):
    if key == migration.UNION:
        return union.organisation
    return Organisation.objects.filter(code=key).first() or Organisation.objects.get(name=key)


def as_an_earlier_version_loaded_it(year) -> dict:
    """The three workshops with the seed's old per-municipality split."""
    activities = {}
    for title, (old, _new, _composition, _phrase) in migration.CORRECTIONS.items():
        activity = Activity.objects.get(group__programme__fiscal_year=year, title=title)
        activity.attendances.all().delete()
        activity.compositions.all().delete()
        for key, count in old.items():
            Attendance.objects.create(
                activity=activity, organisation=organisation(key, year.union), count=count
            )
        activities[title] = activity
    return activities


def test_correction_of_an_earlier_installation(fy2024):
    loaded_now = {
        title: sorted(
            (a.organisation_id, a.count)
            for a in Activity.objects.get(title=title).attendances.all()
        )
        for title in PHRASES
    }
    activities = as_an_earlier_version_loaded_it(fy2024)
    assert (
        activity_attendance_phrase(activities["自治体GX研修会"]) == "置賜1市5町 16名"
    )  # looked right
    assert known_attendance(activities["自治体GX研修会"]).counted == 16  # but credited 米沢市 3

    migration.correct_attendance(apps, None)

    for title, activity in activities.items():
        activity.refresh_from_db()
        known = known_attendance(activity)
        assert known.phrase("置賜") == PHRASES[title]
        assert known.counted == 0 and known.total == activity.attendee_total
        assert (
            sorted((a.organisation_id, a.count) for a in activity.attendances.all())
            == loaded_now[title]
        )  # the same records a fresh load has
        entry = AuditEntry.objects.get(model="programmes.activity", object_id=str(activity.pk))
        assert entry.user is None and entry.union == fy2024.union
        assert PHRASES[title] in entry.reason and "初期データの訂正" in entry.reason
    gx = AuditEntry.objects.get(object_id=str(activities["自治体GX研修会"].pk)).changes
    assert gx["出席者数（米沢市）"] == [3, None]
    assert gx["出席者数（飯豊町）"] == [2, "参加（人数不明）"]
    assert gx["出席した構成市町の数（市）"] == [None, 1]

    migration.correct_attendance(apps, None)  # run again: nothing more to do
    assert AuditEntry.objects.filter(model="programmes.activity").count() == 3


def test_correction_leaves_fresh_and_edited_records_alone(fy2024):
    migration.correct_attendance(apps, None)  # loaded by this version: nothing to correct
    assert not AuditEntry.objects.filter(model="programmes.activity").exists()
    activities = as_an_earlier_version_loaded_it(fy2024)
    dx = activities["自治体DX研修会"]
    dx.attendances.filter(organisation__code="062022").update(count=5)  # edited since
    migration.correct_attendance(apps, None)
    assert dx.attendances.get(organisation__code="062022").count == 5
    assert AuditEntry.objects.filter(model="programmes.activity").count() == 2
