"""Checks before issuing: each kind of problem is found and named; --strict refuses.

The year is ``create_report_year``'s (nothing to find) with the activities a test adds;
only the first test is about FY2024 itself (the seed as loaded has no findings)."""

from datetime import date

import pytest

from renkei.finance.models import BudgetLine, Direction
from renkei.programmes.models import Attendance, Lecturer, Photo, ScheduleDay, Venue
from renkei.programmes.services import set_leads
from renkei.reports.checks import find_problems
from renkei.reports.data import build_report
from renkei.reports.services import ReportError, render_report
from renkei.tenancy.models import Organisation

pytestmark = pytest.mark.django_db

YONEZAWA, NANYO = "062022", "062138"


def codes(fiscal_year) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in find_problems(build_report(fiscal_year)):
        found.setdefault(finding.code, []).append(str(finding))
    return found


def org(code):
    return Organisation.objects.get(code=code)


@pytest.fixture
def workshop(year, create_activity, create_attendance):
    """``workshop("自治体GX研修会", total=16)``: a workshop of ``year`` with everything the
    checks ask of one (a date in the year, a place, a lecturer, a total), attended by
    ``cities`` of the members' cities (「2市」), none of them named yet."""

    def create(title, *, total=16, cities=2, on=date(2024, 8, 20)):
        activity = create_activity(year, title=title, kind="workshop", on=on)
        Venue.objects.create(day=activity.days.get(), name="置賜総合文化センター")
        Lecturer.objects.create(activity=activity, name="置賜 太郎")
        return create_attendance(activity, total=total, by_kind={"city": cities})

    return create


@pytest.mark.reference
def test_fy2024_as_seeded_has_no_findings(fy2024):
    assert find_problems(build_report(fy2024)) == []


def test_a_year_made_by_the_factory_has_no_findings(year, workshop):
    workshop("自治体GX研修会")
    assert find_problems(build_report(year)) == []


def test_unbalanced_settlement_says_by_how_much(year):
    line = BudgetLine.objects.get(fiscal_year=year, direction=Direction.INCOME)
    line.settled += 1_000
    line.save()
    [message] = codes(year)["settlement_unbalanced"]
    assert "収入合計 101,000円" in message and "支出合計 100,000円" in message
    assert "差引 1,000円" in message


def test_counts_over_the_recorded_total(year, workshop, create_count):
    """Counts for organisations adding up to more than the recorded total: one is wrong."""
    gx = workshop("自治体GX研修会", total=16)
    create_count(gx, org(YONEZAWA), 10)
    create_count(gx, org(NANYO), 9)
    [message] = codes(year)["attendance_exceeds_total"]
    assert "自治体GX研修会" in message and "16名" in message and "19名" in message


def test_a_partial_breakdown_is_not_a_finding(year, workshop, create_count):
    gx = workshop("自治体GX研修会", total=16)
    create_count(gx, org(YONEZAWA), 10)
    create_count(gx, org(NANYO), 6)  # 16: the parts now account for the total
    zeb = workshop("ZEB導入セミナー", total=2)
    create_count(zeb, org(NANYO), 1)  # of 2
    assert find_problems(build_report(year)) == []


def test_more_members_named_than_the_composition_says(year, workshop, create_count):
    """自治体GX研修会 had 1市 of the members: naming two cities as taking part contradicts it."""
    gx = workshop("自治体GX研修会", cities=1)
    create_count(gx, org(YONEZAWA), None)  # took part (「参加」)
    assert "attendance_composition_exceeded" not in codes(year)
    create_count(gx, org(NANYO), 2)
    [message] = codes(year)["attendance_composition_exceeded"]
    assert "自治体GX研修会" in message and "1市" in message and "2市" in message


def test_a_total_the_report_prints_as_unknown(year, workshop):
    workshop("自治体GX研修会", total=None)  # 2市 took part, no one counted
    [message] = codes(year)["attendance_total_missing"]
    assert "自治体GX研修会" in message and "人数不明" in message


def test_activity_outside_the_fiscal_year(year, workshop):
    dx = workshop("自治体DX研修会")
    ScheduleDay.objects.filter(activity=dx).update(date=date(2025, 4, 2))
    [message] = codes(year)["date_outside_year"]
    assert "自治体DX研修会" in message and "令和6年度" in message


def test_missing_lecturer_place_and_date(year, workshop):
    gx = workshop("自治体GX研修会")
    gx.lecturers.all().delete()
    dx = workshop("自治体DX研修会")
    Venue.objects.filter(day__activity=dx).delete()
    tax = workshop("旅先納税セミナー")
    ScheduleDay.objects.filter(activity=tax).delete()
    found = codes(year)
    assert any("自治体GX研修会" in m for m in found["lecturer_missing"])
    assert any("自治体DX研修会" in m for m in found["place_missing"])
    assert any("旅先納税" in m for m in found["date_missing"])


def test_member_led_initiatives_need_no_date(year, create_activity):
    """An initiative with a lead municipality (FY2024's ①–⑦) has no date and no place."""
    initiative = create_activity(year, title="ふるさと納税の共同PR")
    set_leads(initiative, [org(NANYO)])
    assert "date_missing" not in codes(year)
    initiative.lead_links.all().delete()  # without its lead it is an activity like any other
    assert "date_missing" in codes(year)


def test_photo_without_caption(year, settings, tmp_path, jpeg):
    settings.MEDIA_ROOT = tmp_path
    Photo.objects.create(activity=year.activity, image=jpeg("dx.jpg"), caption="")
    [message] = codes(year)["photo_caption_missing"]
    assert "1枚" in message


def test_strict_refuses_with_every_finding_listed(year):
    Attendance.objects.filter(activity=year.activity).update(count=25)  # more than the 22
    with pytest.raises(ReportError) as refused:
        render_report(year, "html", strict=True)
    assert "1件" in str(refused.value) and "交流研修" in str(refused.value)
    assert render_report(year, "html").findings  # without --strict it is issued, with findings
