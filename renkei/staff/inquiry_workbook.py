"""A recipient's part as a workbook to fill in offline: one row per asked item (the
attendance at each asked activity, the impressions of each, each question) with its key, what is
asked and the current answer; read back row by row with a message per refused row."""

from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from renkei.exporters import Column, Exporter
from renkei.inquiries.models import AnswerType
from renkei.inquiries.services import impressions_of
from renkei.programmes.attendance import attendance_value_text, parse_attendance_value
from renkei.programmes.services import impressions_fingerprint

from .spreadsheet_imports import ParsedRow

KEY, KIND, ITEM, ANSWER = "記号", "区分", "照会事項", "回答"


def part_items(part, attendance_rows) -> list[dict]:
    """What the part asks, in order: (key, kind, item, current answer, question)."""
    items = [
        {
            "key": f"A{activity.pk}",
            "kind": _("出席者数"),
            "item": f"{activity.group.programme.name} {activity.title}",
            "answer": attendance_value_text(current),
            "activity": activity.pk,
            "current": current,
        }
        for activity, current in attendance_rows
    ]
    if part.inquiry.asks_impressions:
        sections = impressions_of(part)
        items += [
            {
                "key": f"I{activity.pk}",
                "kind": _("感想"),
                "item": f"{activity.group.programme.name} {activity.title}",
                "answer": sections[activity.pk].lead if sections[activity.pk] else "",
                "impressions": activity.pk,
                "expected": impressions_fingerprint(sections[activity.pk]),
            }
            for activity, _current in attendance_rows
        ]
    answers = {a.question_id: a for a in part.answers.all()}
    for question in part.inquiry.questions.all():
        answer = answers.get(question.pk)
        items.append(
            {
                "key": f"Q{question.pk}",
                "kind": question.get_answer_type_display(),
                "item": question.text,
                "question": question,
                "answer": "" if answer is None or answer.value is None else str(answer.value),
            }
        )
    return items


class PartWorkbookExporter(Exporter):
    sheet_title = "回答"
    columns = (
        Column(KEY, description="変更しないでください"),
        Column(KIND),
        Column(ITEM),
        Column(ANSWER, description="出席者数は人数か「参加」、空欄は記録なし"),
    )

    def __init__(self, items):
        self.items = items

    def rows(self):
        for item in self.items:
            yield {KEY: item["key"], KIND: item["kind"], ITEM: item["item"], ANSWER: item["answer"]}


def _number_error(text: str) -> str | None:
    cleaned = text.replace(",", "")
    if not cleaned:
        return None
    try:
        Decimal(cleaned)
    except InvalidOperation:
        return _("数値を入力してください。")
    return None


def parse_part_workbook(rows: list[dict], items: list[dict]) -> list[ParsedRow]:
    """Rows of an uploaded part: each names an asked item by its key; unknown or
    repeated keys and values of the wrong kind are refused per row."""
    by_key = {item["key"]: item for item in items}
    parsed, seen = [], set()
    for number, row in enumerate(rows, start=2):
        errors, key, text = [], row.get(KEY, ""), row.get(ANSWER, "")
        item = by_key.get(key)
        values = {"key": key, "label": item["item"] if item else row.get(ITEM, ""), "text": text}
        if item is None:
            errors.append(_("記号「%(v)s」はこの照会にありません。") % {"v": key[:30]})
        elif key in seen:
            errors.append(_("記号「%(v)s」が2回あります。") % {"v": key})
        else:
            seen.add(key)
            if "activity" in item:
                try:
                    values["value"] = parse_attendance_value(text)
                    values["activity"], values["previous"] = item["activity"], item["current"]
                except ValueError as error:
                    errors.append(str(error))
            elif "impressions" in item:
                values["impressions"], values["expected"] = item["impressions"], item["expected"]
            elif (
                "question" in item
                and item["question"].answer_type == AnswerType.NUMBER
                and (message := _number_error(text))
            ):
                errors.append(message)
            values["text"] = (
                attendance_value_text(values["value"]) if "activity" in values else text
            )
        parsed.append(ParsedRow(number, values, errors))
    return parsed
