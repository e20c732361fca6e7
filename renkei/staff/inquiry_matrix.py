"""The secretariat's view of a 照会: recipients × asked items, with status, counts and
days left, read in a fixed number of queries whatever the size; and its export."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.utils.translation import gettext as _

from renkei.exporters import Column, Exporter
from renkei.inquiries.models import Answer, AnswerType, InquiryPart
from renkei.programmes.attendance import attendance_value_text, value_of_count
from renkei.programmes.models import ActivityLead, ActivitySection, Attendance, SectionKind


@dataclass(frozen=True)
class MatrixColumn:
    """One asked item: an initiatives programme, an activity's attendance, the impressions
    or a question."""

    key: str
    label: str
    kind: str


@dataclass
class MatrixRow:
    part: InquiryPart
    cells: list  # one display text per column, "" when nothing is there
    filled: int
    days_left: int


def matrix_columns(inquiry, programmes, activities, questions) -> list[MatrixColumn]:
    columns = [
        MatrixColumn(f"programme-{p.pk}", _("取組: %(name)s") % {"name": p.name}, "programme")
        for p in programmes
    ]
    columns += [
        MatrixColumn(
            f"activity-{a.pk}", _("出席%(n)s: %(title)s") % {"n": n, "title": a.title}, "activity"
        )
        for n, a in enumerate(activities, start=1)
    ]
    if inquiry.asks_impressions:
        columns.append(MatrixColumn("impressions", _("感想"), "impressions"))
    columns += [
        MatrixColumn(
            f"question-{q.pk}", _("質問%(n)s: %(text)s") % {"n": n, "text": q.text}, "question"
        )
        for n, q in enumerate(questions, start=1)
    ]
    return columns


def _answer_text(question, text, number) -> str:
    if question.answer_type == AnswerType.NUMBER:
        return "" if number is None else f"{number.normalize():f}"
    return text.strip()


def inquiry_matrix(
    inquiry, *, status: str = "", today: date
) -> tuple[list[MatrixColumn], list[MatrixRow]]:
    """The matrix of ``inquiry``'s parts (those in ``status`` when given)."""
    parts = list(
        inquiry.parts.select_related("organisation").filter(
            **({"status": status} if status else {})
        )
    )
    programmes = list(inquiry.programmes.order_by("number"))
    activities = list(
        inquiry.activities.order_by("group__programme__number", "group__number", "sub_number")
    )
    questions = list(inquiry.questions.all())
    org_ids = [p.organisation_id for p in parts]
    led = {
        (row["organisation_id"], row["activity__group__programme_id"]): row["n"]
        for row in ActivityLead.objects.filter(
            activity__group__programme__in=programmes, organisation__in=org_ids
        )
        .values("organisation_id", "activity__group__programme_id")
        .annotate(n=Count("id"))
    }
    attended = {
        (a, o): value_of_count(count)
        for a, o, count in Attendance.objects.filter(
            activity__in=activities, organisation__in=org_ids
        ).values_list("activity_id", "organisation_id", "count")
    }
    impressions = dict(
        ActivitySection.objects.filter(
            activity__in=activities, organisation__in=org_ids, kind=SectionKind.IMPRESSIONS
        )
        .values("organisation_id")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "n")
    )
    by_question = {q.pk: q for q in questions}
    answers = {
        (part_id, q_id): _answer_text(by_question[q_id], text, number)
        for part_id, q_id, text, number in Answer.objects.filter(part__in=parts).values_list(
            "part_id", "question_id", "text", "number"
        )
    }
    rows = []
    for part in parts:
        cells = [
            _("%(n)s件") % {"n": n} if (n := led.get((part.organisation_id, p.pk))) else ""
            for p in programmes
        ]
        cells += [
            attendance_value_text(attended.get((a.pk, part.organisation_id))) for a in activities
        ]
        if inquiry.asks_impressions:
            n = impressions.get(part.organisation_id)
            cells.append(_("%(n)s件") % {"n": n} if n else "")
        cells += [answers.get((part.pk, q.pk), "") for q in questions]
        rows.append(
            MatrixRow(part, cells, sum(1 for c in cells if c), (part.deadline - today).days)
        )
    return matrix_columns(inquiry, programmes, activities, questions), rows


class InquiryMatrixExporter(Exporter):
    """The matrix as a spreadsheet: one row per recipient."""

    sheet_title = "照会の状況"

    def __init__(self, columns: list[MatrixColumn], rows: list[MatrixRow]):
        self.matrix_columns, self.matrix_rows = columns, rows
        self.columns = (
            Column("照会先"),
            Column("状況"),
            Column("締切日", type="date"),
            Column("残り日数", type="integer"),
            Column("記入済みの項目数", type="integer"),
            *(Column(c.label) for c in columns),
            Column("差戻しのコメント"),
        )

    def rows(self):
        for row in self.matrix_rows:
            yield {
                "照会先": row.part.organisation.label,
                "状況": row.part.get_status_display(),
                "締切日": row.part.deadline.isoformat(),
                "残り日数": row.days_left,
                "記入済みの項目数": row.filled,
                **{c.label: cell for c, cell in zip(self.matrix_columns, row.cells, strict=True)},
                "差戻しのコメント": row.part.return_comment,
            }
