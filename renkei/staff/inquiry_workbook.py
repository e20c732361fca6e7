"""A recipient's part as a workbook to fill in offline: one row per asked item (each
initiative it led, with a blank row per asked item for new ones; the attendance at each
asked activity, the impressions of each, each question) with its key, what is
asked and the current answer; read back row by row with a message per refused row, and
saved (``save_part_rows``) all or none."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from renkei import wareki
from renkei.exporters import Column, Exporter
from renkei.inquiries.models import AnswerType
from renkei.inquiries.services import InitiativeRow, impressions_of, initiatives_of, save_part
from renkei.programmes.attendance import attendance_value_text, parse_attendance_value
from renkei.programmes.models import ActivityGroup
from renkei.programmes.services import impressions_fingerprint

from .spreadsheet_imports import ParsedRow, _clean

KEY, KIND, ITEM, ANSWER = "記号", "区分", "照会事項", "回答"
WHEN, VENUE, CONTENT = "日付", "会場", "内容"
NEW = "新規"  # the key of a blank row for a new initiative: 新規-<item id>
INITIATIVE = _("取組")


def _first_day(activity):
    days = list(activity.days.all())
    if not days:
        return None, ""
    venues = list(days[0].venues.all())
    return days[0].date, venues[0].name if venues else ""


def initiative_items(part) -> list[dict]:
    """The initiatives the recipient led in the asked programmes (title in 回答, the
    first day's date and venue, the content), then one blank row per asked item."""
    groups = list(
        ActivityGroup.objects.filter(programme__in=part.inquiry.programmes.all())
        .select_related("programme")
        .order_by("programme__number", "number")
    )
    label = {g.pk: f"{g.programme.name} {g.heading}" for g in groups}
    items = []
    for activity in (
        initiatives_of(part)
        .prefetch_related("days__venues")
        .order_by("group__programme__number", "group__number", "sub_number")
    ):
        when, venue = _first_day(activity)
        items.append(
            {
                "key": f"R{activity.pk}",
                "kind": INITIATIVE,
                "item": label.get(activity.group_id, ""),
                "answer": activity.title,
                "when": wareki.format_date(when) if when else "",
                "venue": venue,
                "content": activity.description,
                "initiative": activity.pk,
                "group": activity.group_id,
                "version": activity.version,
                "shown": [when.isoformat() if when else "", venue],
            }
        )
    items += [
        {
            "key": f"{NEW}-{g.pk}",
            "kind": INITIATIVE,
            "item": label[g.pk],
            "answer": "",
            "group": g.pk,
            "new": True,
        }
        for g in groups
    ]
    return items


def part_items(part, attendance_rows) -> list[dict]:
    """What the part asks, in order: (key, kind, item, current answer, question)."""
    items = initiative_items(part) + [
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
        Column(ANSWER, description="取組は名称。出席者数は人数か「参加」、空欄は記録なし"),
        Column(WHEN, description="取組の日付（令和6年10月5日、R6.10.5 など）"),
        Column(VENUE, description="取組の会場"),
        Column(CONTENT, description="取組の内容"),
    )

    def __init__(self, items):
        self.items = items

    def rows(self):
        for item in self.items:
            yield {
                KEY: item["key"],
                KIND: item["kind"],
                ITEM: item["item"],
                ANSWER: item["answer"],
                WHEN: item.get("when", ""),
                VENUE: item.get("venue", ""),
                CONTENT: item.get("content", ""),
            }


def _number_error(text: str) -> str | None:
    cleaned = text.replace(",", "")
    if not cleaned:
        return None
    try:
        Decimal(cleaned)
    except InvalidOperation:
        return _("数値を入力してください。")
    return None


def _initiative(row: dict, item: dict, values: dict, errors: list) -> None:
    """An initiative row: a title and a date are needed; a blank 新規 row is skipped."""
    title, when = row.get(ANSWER, ""), row.get(WHEN, "")
    venue, content = row.get(VENUE, ""), row.get(CONTENT, "")
    if item.get("new") and not (title or when or venue or content):
        values["skip"] = True
        return
    # read_table gives cells NFKC-normalised (（） read as ()): compare alike
    as_downloaded = [_clean(item.get(k, "")) for k in ("answer", "when", "venue", "content")]
    if not item.get("new") and [title, when, venue, content] == as_downloaded:
        values["skip"] = True  # nothing to save, nothing to conflict with
        values["text"] = title
        return
    if not title:
        errors.append(_("取組の名称（回答の欄）を入力してください。"))
    if len(title) > 200:
        errors.append(_("取組の名称は200文字までです。"))
    try:
        day = wareki.parse_date(when) if when else None
    except ValueError as error:
        day = None
        errors.append(_("日付「%(v)s」: %(e)s") % {"v": when[:30], "e": error})
    if not when:
        errors.append(_("取組の日付を入力してください。"))
    values |= {
        "initiative": item.get("initiative"),
        "group": item["group"],
        "version": item.get("version"),
        "title": title,
        "when": day.isoformat() if day else "",
        "venue": venue[:200],
        "content": content,
        "schedule_changed": [day.isoformat() if day else "", venue] != item.get("shown"),
        "text": " / ".join(v for v in (title, when, venue) if v),
    }


def parse_part_workbook(rows: list[dict], items: list[dict]) -> list[ParsedRow]:
    """Rows of an uploaded part: each names an asked item by its key; unknown or
    repeated keys and values of the wrong kind are refused per row. A 新規 row may be
    copied for more new initiatives in its item."""
    by_key = {item["key"]: item for item in items}
    parsed, seen = [], set()
    for number, row in enumerate(rows, start=2):
        errors, key, text = [], row.get(KEY, ""), row.get(ANSWER, "")
        item = by_key.get(key)
        values = {"key": key, "label": item["item"] if item else row.get(ITEM, ""), "text": text}
        if item is None:
            errors.append(_("記号「%(v)s」はこの照会にありません。") % {"v": key[:30]})
        elif "group" in item:
            _initiative(row, item, values, errors)
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


def _initiatives(values) -> list[InitiativeRow]:
    return [
        InitiativeRow(
            group=v["group"],
            title=v["title"],
            when=date.fromisoformat(v["when"]),
            venue=v["venue"],
            description=v["content"],
            activity=v["initiative"],
            version=v["version"],
            schedule_changed=v["schedule_changed"],
        )
        for v in values
        if "group" in v and not v.get("skip")
    ]


def save_part_rows(part, user, rows: list[dict]) -> None:
    """Checked rows of a part's workbook (as the session and a job keep them) saved
    through ``save_part``: initiatives, attendance, impressions and answers, all or none."""
    values = [row["values"] for row in rows]
    initiatives = _initiatives(values)
    values = [v for v in values if "group" not in v]
    attendance = {v["activity"]: v["value"] for v in values if "activity" in v}
    seen = {v["activity"]: v["previous"] for v in values if "activity" in v}
    impressions = {v["impressions"]: v["text"] for v in values if "impressions" in v}
    expected = {v["impressions"]: v["expected"] for v in values if "impressions" in v}
    answers = {int(v["key"][1:]): v["text"] for v in values if v["key"].startswith("Q")}
    save_part(
        part,
        user,
        attendance=attendance,
        seen=seen,
        answers=answers,
        impressions=impressions,
        expected=expected,
        initiatives=initiatives,
    )
