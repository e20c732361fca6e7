"""Checks before issuing: each kind of problem is found and named; --strict refuses."""

from datetime import date

import pytest

from renkei.finance.models import BudgetLine
from renkei.programmes.attendance import TOOK_PART
from renkei.programmes.models import Activity, Photo, ScheduleDay
from renkei.reports.checks import find_problems
from renkei.reports.data import build_report
from renkei.reports.services import ReportError, render_report

pytestmark = pytest.mark.django_db


def codes(fiscal_year) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in find_problems(build_report(fiscal_year)):
        found.setdefault(finding.code, []).append(str(finding))
    return found


def test_fy2024_as_seeded_has_no_findings(fy2024):
    assert find_problems(build_report(fy2024)) == []


def test_unbalanced_settlement_says_by_how_much(fy2024):
    line = BudgetLine.objects.get(fiscal_year=fy2024, item="広域連携事業費分担金")
    line.settled += 1_000
    line.save()
    [message] = codes(fy2024)["settlement_unbalanced"]
    assert "3,019,451" in message and "差引 1,000円" in message


def test_counts_over_the_recorded_total(fy2024, record_count):
    """Counts for organisations adding up to more than the recorded total: one is wrong."""
    record_count("自治体GX研修会", "高畠町", 10)
    record_count("自治体GX研修会", "川西町", 9)
    [message] = codes(fy2024)["attendance_exceeds_total"]
    assert "自治体GX研修会" in message and "16名" in message and "19名" in message


def test_a_partial_breakdown_is_not_a_finding(fy2024, record_count):
    record_count("自治体GX研修会", "高畠町", 10)
    record_count("自治体GX研修会", "川西町", 6)  # 16: the parts now account for the total
    record_count("ZEB導入セミナー", "南陽市", 1)  # of 2
    assert find_problems(build_report(fy2024)) == []


def test_more_members_named_than_the_composition_says(fy2024, record_count):
    """自治体GX研修会 had 置賜1市5町: naming two cities as taking part contradicts it."""
    record_count("自治体GX研修会", "米沢市", TOOK_PART)
    assert "attendance_composition_exceeded" not in codes(fy2024)
    record_count("自治体GX研修会", "長井市", 2)
    [message] = codes(fy2024)["attendance_composition_exceeded"]
    assert "自治体GX研修会" in message and "1市" in message and "2市" in message


def test_a_total_the_report_prints_as_unknown(fy2024):
    Activity.objects.filter(title="交流研修").update(attendee_total=None)
    [message] = codes(fy2024)["attendance_total_missing"]
    assert "交流研修" in message and "人数不明" in message


def test_activity_outside_the_fiscal_year(fy2024):
    ScheduleDay.objects.filter(activity__title="自治体DX研修会").update(date=date(2025, 4, 2))
    [message] = codes(fy2024)["date_outside_year"]
    assert "自治体DX研修会" in message and "令和6年度" in message


def test_missing_lecturer_place_and_date(fy2024):
    gx = Activity.objects.get(title="自治体GX研修会")
    gx.lecturers.all().delete()
    dx_day = ScheduleDay.objects.get(activity__title="自治体DX研修会")
    dx_day.venues.all().delete()
    ScheduleDay.objects.filter(activity__title="旅先納税").delete()
    found = codes(fy2024)
    assert any("自治体GX研修会" in m for m in found["lecturer_missing"])
    assert any("自治体DX研修会" in m for m in found["place_missing"])
    assert any("旅先納税" in m for m in found["date_missing"])


def test_member_led_initiatives_need_no_date(fy2024):
    found = codes(fy2024)
    assert "date_missing" not in found  # ①–⑦ have lead municipalities and no dates


def test_photo_without_caption(fy2024, settings, tmp_path, jpeg):
    settings.MEDIA_ROOT = tmp_path
    activity = Activity.objects.get(title="自治体DX研修会")
    Photo.objects.create(activity=activity, image=jpeg("dx.jpg"), caption="")
    [message] = codes(fy2024)["photo_caption_missing"]
    assert "1枚" in message


def test_strict_refuses_with_every_finding_listed(fy2024, record_count):
    record_count("交流研修", "米沢市", 25)  # more than the 22 recorded
    with pytest.raises(ReportError) as refused:
        render_report(fy2024, "html", strict=True)
    assert "1件" in str(refused.value) and "交流研修" in str(refused.value)
    assert render_report(fy2024, "html").findings  # without --strict it is issued, with findings
