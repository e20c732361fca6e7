"""Checks before issuing: each kind of problem is found and named; --strict refuses."""

from datetime import date

import pytest

from renkei.finance.models import BudgetLine
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


def test_attendance_total_not_matching_its_parts(fy2024):
    Activity.objects.filter(title="交流研修").update(attendee_total=25)
    [message] = codes(fy2024)["attendance_mismatch"]
    assert "交流研修" in message and "25名" in message and "22名" in message


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


def test_strict_refuses_with_every_finding_listed(fy2024):
    Activity.objects.filter(title="交流研修").update(attendee_total=25)
    with pytest.raises(ReportError) as refused:
        render_report(fy2024, "html", strict=True)
    assert "1件" in str(refused.value) and "交流研修" in str(refused.value)
    assert render_report(fy2024, "html").findings  # without --strict it is issued, with findings
