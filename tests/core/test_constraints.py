"""Rules the database itself enforces, so no path around the forms can break them."""

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from renkei.finance.models import BudgetLine, ExpenditureSection
from renkei.finance.sections import ensure_sections
from renkei.programmes.models import Activity, Attendance, ScheduleDay
from renkei.tenancy.models import Organisation


@pytest.fixture
def year(create_two_town_union, create_year):
    ensure_sections(ExpenditureSection)
    return create_year(create_two_town_union(), 2024)


@pytest.fixture
def gx(year, create_activity, create_count):
    """A workshop 米沢市 took part in (no count)."""
    activity = create_activity(year, title="自治体GX研修会", kind="workshop")
    create_count(activity, Organisation.objects.get(code="062022"))
    return activity


def refused(make):
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_negative_attendance_refused(gx):
    org = Organisation.objects.get(code="062138")
    refused(lambda: Attendance.objects.create(activity=gx, organisation=org, count=-1))


def test_attendance_unique_per_organisation(gx):
    org = Organisation.objects.get(code="062022")  # 米沢市 took part in GX (no count)
    refused(lambda: Attendance.objects.create(activity=gx, organisation=org, count=1))


def test_end_before_start_refused(gx):
    refused(
        lambda: ScheduleDay.objects.create(
            activity=gx, date=date(2025, 3, 2), end_date=date(2025, 3, 1)
        )
    )
    refused(
        lambda: ScheduleDay.objects.create(
            activity=gx, date=date(2025, 3, 3), start_time=time(15), end_time=time(14)
        )
    )


def test_end_before_start_message_in_japanese(gx):
    day = ScheduleDay(activity=gx, date=date(2025, 3, 2), end_date=date(2025, 3, 1))
    with pytest.raises(ValidationError) as error:
        day.full_clean()
    assert "終了日が開始日より前です。" in str(error.value)


def test_activity_number_unique_within_group(gx):
    refused(
        lambda: Activity.objects.create(group=gx.group, sub_number=1, title="重複", kind="workshop")
    )


def test_negative_amount_refused(year):
    section = ExpenditureSection.for_year(2024).get(number=7)
    refused(
        lambda: BudgetLine.objects.create(
            fiscal_year=year,
            direction="expenditure",
            section=section,
            item="講師謝礼",
            settled=-1,
        )
    )
    line = BudgetLine(
        fiscal_year=year, direction="expenditure", section=section, item="講師謝礼", settled=-5
    )
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "決算額は0円以上で入力してください。" in str(error.value)


def test_income_line_takes_no_section(year):
    section = ExpenditureSection.for_year(2024).get(number=7)
    refused(
        lambda: BudgetLine.objects.create(
            fiscal_year=year, direction="income", section=section, item="分担金", settled=1
        )
    )


def test_section_classification_per_year(db):
    assert ExpenditureSection.for_year(2024).count() == 27
    assert ExpenditureSection.for_year(2019).count() == 28
    assert ExpenditureSection.for_year(2019).get(number=7).name == "賃金"
    assert ExpenditureSection.find(2024, "負担金").name == "負担金、補助及び交付金"
    assert ExpenditureSection.find(2024, "負担金補助及び交付金").number == 18
    assert ExpenditureSection.find(2024, "使用料").number == 13
    assert ExpenditureSection.find(2024, "補償、補填及び賠償金").number == 21
    assert ExpenditureSection.find(2019, "負担金").number == 19


def test_expenditure_line_needs_a_section_of_its_year(year):
    old = ExpenditureSection.for_year(2019).get(number=7)
    line = BudgetLine(
        fiscal_year=year, direction="expenditure", section=old, item="賃金", settled=1
    )
    with pytest.raises(ValidationError) as error:
        line.full_clean()
    assert "2024年度には使えません" in str(error.value)
    with pytest.raises(ValidationError) as error:
        BudgetLine(fiscal_year=year, direction="expenditure", item="x", settled=1).full_clean()
    assert "支出の行には節を選んでください。" in str(error.value)
