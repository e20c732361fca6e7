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


def _budget(report: ReportData) -> list[Finding]:
    """A settlement without income or expenditure lines prints empty tables and 0円."""
    s = report.settlement
    subject = _("収支決算書")
    if not s.income and not s.expenditure:
        return [
            Finding(
                "budget_missing",
                subject,
                _("予算・決算が入力されていません（「予算・決算」で行を追加してください）。"),
            )
        ]
    found = []
    if not s.income:
        found.append(Finding("income_missing", subject, _("収入の行がありません。")))
    if not s.expenditure:
        found.append(Finding("expenditure_missing", subject, _("支出の行がありません。")))
    return found


def _narratives(report: ReportData) -> list[Finding]:
    """The secretariat's prose the report opens and closes with (事業概要, まとめ)."""
    found = []
    for code, narrative, name in (
        ("overview_missing", report.overview, _("事業概要")),
        ("summary_missing", report.summary, _("まとめ")),
    ):
        if narrative is None or not any(p.strip() for p in narrative.paragraphs):
            found.append(
                Finding(
                    code,
                    name,
                    _("%(name)sの文章が書かれていません（「年度と事業」の年度の画面で書けます）。")
                    % {"name": name},
                )
            )
    return found


def _structure(report: ReportData) -> list[Finding]:
    """Items without activities and seminar series without sessions: empty headings and
    empty tables in the report."""
    found = [
        Finding(
            "item_empty",
            label,
            _("活動が1件もありません（活動を追加するか、項目を削除してください）。"),
        )
        for label in report.empty_items
    ]
    for page in report.pages:
        for table in page.seminars.tables if page.seminars else []:
            if not table.rows:
                found.append(
                    Finding(
                        "seminar_series_empty",
                        table.label,
                        _("研修の回が1件もありません（表が空になります）。"),
                    )
                )
    return found


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
    """Everything wrong or missing: the settlement and budget first, then the prose, the
    items and seminar series, the activities in report order, then the year's 照会."""
    found = _settlement(report) + _budget(report) + _narratives(report) + _structure(report)
    for facts in report.facts:
        found.extend(_activity(report, facts))
    found.extend(_inquiries(report))
    return found
