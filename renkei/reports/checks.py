"""Checks before issuing: what is wrong or missing in the records behind a report.

They read the plain values (``ReportData``), so what is checked is what is printed.
Member-led initiatives (activities with lead municipalities, like FY2024's ①–⑦) are
listed by name only, so they are not asked for dates or places; every other activity
must have a date inside the fiscal year and, unless online only, a place. Lecturers
are required of workshops and exchange trainings.

Attendance: counts for organisations that add up to more than the recorded total, or
more members of a kind named than the recorded composition (「3市」) says, mean a figure
is wrong; a total the report will print as unknown is worth filling in. A breakdown that
accounts for only part of the total is normal (the report prints the recorded total).
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .content import ReportData


@dataclass(frozen=True)
class Finding:
    """One problem found before issuing, with a message a person can act on."""

    code: str
    subject: str
    message: str

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}" if self.subject else self.message


def _settlement(report: ReportData) -> list[Finding]:
    s = report.settlement
    if s.difference == 0:
        return []
    return [
        Finding(
            "settlement_unbalanced",
            _("収支決算書"),
            _("収入合計 %(income)s円と支出合計 %(spent)s円が一致しません（差引 %(diff)s円）。")
            % {
                "income": f"{s.income_total:,}",
                "spent": f"{s.expenditure_total:,}",
                "diff": f"{s.difference:,}",
            },
        )
    ]


def _activity(report: ReportData, facts) -> list[Finding]:
    found = []

    def add(code, message):
        found.append(Finding(code, facts.label, message))

    if facts.attendance_counted_over_total is not None:
        add(
            "attendance_exceeds_total",
            _(
                "出席者数の合計 %(total)s名より団体別の人数の計 %(sum)s名が多くなっています。"
                "どちらかを直してください。"
            )
            % {"total": facts.attendance_total, "sum": facts.attendance_counted_over_total},
        )
    for suffix, stated, named in facts.composition_exceeded:
        add(
            "attendance_composition_exceeded",
            _(
                "出席した構成市町は%(stated)s%(suffix)sと記録されていますが、"
                "%(named)s%(suffix)sが団体別に記録されています。"
            )
            % {"stated": stated, "named": named, "suffix": suffix},
        )
    if facts.attendance_total_unknown:
        add(
            "attendance_total_missing",
            _("出席者数の合計が記録されていません（報告書には人数不明と記載されます）。"),
        )
    if facts.needs_date and not facts.first_date:
        add("date_missing", _("日付が入力されていません。"))
    elif facts.first_date and (
        facts.first_date < report.first_day or facts.last_date > report.last_day
    ):
        add(
            "date_outside_year",
            _("日付（%(first)s～%(last)s）が%(year)sの期間外です。")
            % {"first": facts.first_date, "last": facts.last_date, "year": report.year_label},
        )
    if facts.needs_place and not facts.has_place:
        add("place_missing", _("場所（会場）が入力されていません。"))
    if facts.needs_lecturer and not facts.has_lecturer:
        add("lecturer_missing", _("講師が入力されていません。"))
    if facts.photos_without_caption:
        add(
            "photo_caption_missing",
            _("キャプションのない写真が%(n)s枚あります。") % {"n": facts.photos_without_caption},
        )
    return found


# Findings about the year's 照会: issuing a report with any of them needs a stated reason.
INQUIRY_CODES = ("inquiry_not_submitted", "inquiry_not_approved")


def _inquiries(report: ReportData) -> list[Finding]:
    """Recipients of the year's 照会 that have not submitted, or whose part is not approved."""
    found = []
    for part in report.inquiry_parts:
        if part.status == "approved":
            continue
        code = "inquiry_not_approved" if part.status == "submitted" else "inquiry_not_submitted"
        message = (
            _("%(org)sの回答が承認されていません（%(status)s）。")
            if part.status == "submitted"
            else _("%(org)sが回答を提出していません（%(status)s）。")
        )
        found.append(
            Finding(
                code,
                _("照会「%(title)s」") % {"title": part.inquiry},
                message % {"org": part.organisation, "status": part.status_label},
            )
        )
    return found


def find_problems(report: ReportData) -> list[Finding]:
    """Everything wrong or missing, settlement first, then activities in report order,
    then the year's 照会."""
    found = _settlement(report)
    for facts in report.facts:
        found.extend(_activity(report, facts))
    found.extend(_inquiries(report))
    return found
