"""A year's money to and from a municipal finance system (財務会計): budget lines, budget
changes (補正・流用・予備費充用) and expenses, each exported in the layout its import reads,
as Excel or as CSV in Shift_JIS (cp932, as such systems write it), so that exporting and
importing again gives the same records. Imports read .xlsx and CSV in UTF-8 or Shift_JIS
(``spreadsheet_imports.read_table``); a row names a budget line by its 区分 (the section's
name, the label typed, or 予備費) and 項目, an activity by its numbers (事業-項目-番号)."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from renkei.exporters import Column, Exporter
from renkei.finance.models import (
    AmendmentLine,
    BudgetLine,
    BudgetTransfer,
    Expense,
    TransferKind,
)
from renkei.forms import WarekiDateField
from renkei.programmes.models import Activity

from .spreadsheet_imports import MAX_ROWS, ParsedRow, _amount, _clean

SJIS = "cp932"
AMENDMENT = "補正"  # the 種類 of an amendment's rows (a transfer's is its kind's name)


def line_key(label: str, item: str) -> tuple[str, str]:
    return (_clean(label), _clean(item))


def activity_code(activity: Activity) -> str:
    return f"{activity.group.programme.number}-{activity.group.number}-{activity.sub_number}"


def sjis_csv_bytes(exporter: Exporter) -> bytes:
    """The export as CSV in Shift_JIS (cp932), CRLF, no BOM; ValueError naming the first
    cell Shift_JIS cannot hold (the secretariat then uses Excel or fixes the text)."""
    import csv
    import io

    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(exporter.header)
    for number, cells in enumerate(exporter.cells(), start=2):
        for name, cell in zip(exporter.header, cells, strict=True):
            try:
                str(cell).encode(SJIS)
            except UnicodeEncodeError as error:
                raise ValueError(
                    _(
                        "%(row)s行目の「%(column)s」にShift_JISで表せない文字（%(char)s）が"
                        "あります。Excel 形式で出力するか、文字を直してください。"
                    )
                    % {"row": number, "column": name, "char": error.object[error.start]}
                ) from error
        writer.writerow(cells)
    return buffer.getvalue().encode(SJIS)


class LineExporter(Exporter):
    """Budget lines in the layout of the budget import. 決算額 is empty for a line kept by
    record (its expenses or revenue records make it up); 予算額 empty is unknown."""

    sheet_title = "予算"
    columns = (
        Column("収支"),
        Column("節"),
        Column("区分の表記"),
        Column("項目"),
        Column("予算額", type="integer"),
        Column("決算額", type="integer"),
        Column("備考"),
    )

    def __init__(self, lines):
        self.lines = lines

    def rows(self):
        recorded = set(
            Expense.objects.filter(line__in=self.lines).values_list("line", flat=True)
        ) | set(
            BudgetLine.objects.filter(pk__in=self.lines, revenue_records__isnull=False).values_list(
                "pk", flat=True
            )
        )
        for line in self.lines:
            yield {
                "収支": line.get_direction_display(),
                "節": _("予備費")
                if line.is_reserve
                else (line.section.name if line.section else ""),
                "区分の表記": line.section_label,
                "項目": line.item,
                "予算額": line.budgeted,
                "決算額": None if line.pk in recorded else line.settled,
                "備考": line.note,
            }


class ChangeExporter(Exporter):
    """Amendments (one row per amended line) and transfers, in date order."""

    sheet_title = "補正・流用"
    columns = (
        Column("種類", description="補正、流用、予備費充用"),
        Column("号数", type="integer", description="補正の号数（補正のみ）"),
        Column("決定日", description="YYYY-MM-DD（和暦も可）"),
        Column("決定者"),
        Column("理由"),
        Column("区分", description="補正する行・流用先の区分（節）"),
        Column("項目"),
        Column("金額", type="integer", description="補正は減額ならマイナス"),
        Column("流用元区分"),
        Column("流用元項目"),
    )

    def __init__(self, fiscal_year):
        self.fiscal_year = fiscal_year

    def rows(self):
        events = []
        parts = (
            AmendmentLine.objects.filter(amendment__fiscal_year=self.fiscal_year)
            .select_related("amendment", "line__section")
            .order_by("amendment__number", "line__direction", "line__order", "line__pk")
        )
        for part in parts:
            a = part.amendment
            events.append(
                (
                    a.decided_on,
                    0,
                    a.number,
                    {
                        "種類": AMENDMENT,
                        "号数": a.number,
                        "決定日": a.decided_on.isoformat(),
                        "決定者": a.decided_by,
                        "理由": a.reason,
                        "区分": part.line.label,
                        "項目": part.line.item,
                        "金額": part.amount,
                    },
                )
            )
        transfers = BudgetTransfer.objects.filter(fiscal_year=self.fiscal_year).select_related(
            "source__section", "target__section"
        )
        for t in transfers:
            events.append(
                (
                    t.decided_on,
                    1,
                    t.pk,
                    {
                        "種類": t.get_kind_display(),
                        "決定日": t.decided_on.isoformat(),
                        "決定者": t.decided_by,
                        "理由": t.reason,
                        "区分": t.target.label,
                        "項目": t.target.item,
                        "金額": t.amount,
                        "流用元区分": t.source.label,
                        "流用元項目": t.source.item,
                    },
                )
            )
        # Stable: an amendment's rows keep their order (the sort compares the first three).
        events.sort(key=lambda e: e[:3])
        for *_key, row in events:
            yield row


class ExpenseExporter(Exporter):
    """Expenses (without their vouchers, which stay in Renkei), in date order."""

    sheet_title = "支出"
    columns = (
        Column("支出日", description="YYYY-MM-DD（和暦も可）"),
        Column("区分"),
        Column("項目"),
        Column("支払先"),
        Column("金額", type="integer"),
        Column("目的・内容"),
        Column(
            "活動内訳",
            description="事業-項目-番号:金額 を ; で区切る（例 1-1-1:30000;1-1-2:20000）",
        ),
    )

    def __init__(self, fiscal_year):
        self.fiscal_year = fiscal_year

    def rows(self):
        expenses = (
            Expense.objects.filter(line__fiscal_year=self.fiscal_year)
            .select_related("line__section")
            .prefetch_related("allocations__activity__group__programme")
            .order_by("spent_on", "pk")
        )
        for e in expenses:
            parts = sorted((activity_code(a.activity), a.amount) for a in e.allocations.all())
            yield {
                "支出日": e.spent_on.isoformat(),
                "区分": e.line.label,
                "項目": e.line.item,
                "支払先": e.payee,
                "金額": e.amount,
                "目的・内容": e.purpose,
                "活動内訳": ";".join(f"{code}:{amount}" for code, amount in parts),
            }


@dataclass
class _Lines:
    """The year's lines by (区分, 項目), for naming a line in a row."""

    by_key: dict

    @classmethod
    def of(cls, fiscal_year):
        by_key: dict[tuple[str, str], list[BudgetLine]] = {}
        for line in BudgetLine.objects.filter(fiscal_year=fiscal_year).select_related("section"):
            by_key.setdefault(line_key(line.label, line.item), []).append(line)
        return cls(by_key)

    def find(self, label: str, item: str, errors: list, what: str) -> BudgetLine | None:
        found = self.by_key.get(line_key(label, item), [])
        if len(found) == 1:
            return found[0]
        message = (
            _("%(what)s「%(label)s %(item)s」に当たる行がこの年度にありません。")
            if not found
            else _(
                "%(what)s「%(label)s %(item)s」に当たる行が2つ以上あります。項目名を分けてください。"
            )
        )
        errors.append(message % {"what": what, "label": label, "item": item})
        return None


def _date(text: str, errors: list, label: str):
    try:
        value = WarekiDateField().clean(text)
    except ValidationError as error:
        errors.append(
            _("%(label)s「%(v)s」: %(m)s")
            % {"label": label, "v": text[:30], "m": " ".join(error.messages)}
        )
        return None
    return value.isoformat()


def _signed(text: str, errors: list, label: str):
    text = text.replace(",", "").replace("円", "").replace("△", "-").replace("▲", "-")
    negative = text.startswith("-")
    value = _amount(text[1:] if negative else text, label, errors, required=True)
    return None if value is None else (-value if negative else value)


def _long(row: dict, limits: dict, errors: list) -> None:
    for column, limit in limits.items():
        if len(row.get(column, "")) > limit:
            errors.append(
                _("%(label)sが長すぎます（%(n)s文字まで）。") % {"label": column, "n": limit}
            )


def parse_changes(rows: list[dict], fiscal_year) -> list[ParsedRow]:
    """Rows of the changes' layout (``ChangeExporter``); values are JSON (session-safe)."""
    lines = _Lines.of(fiscal_year)
    kinds = {AMENDMENT: "amendment", **{str(label): value for value, label in TransferKind.choices}}
    parsed = []
    for number, row in enumerate(rows[:MAX_ROWS], start=2):
        errors = []
        kind = kinds.get(row.get("種類", ""))
        if kind is None:
            errors.append(_("種類は「補正」「流用」「予備費充用」のいずれかで書いてください。"))
        _long(row, {"決定者": 100, "理由": 300}, errors)
        decided_on = _date(row.get("決定日", ""), errors, _("決定日"))
        for column in ("決定者", "理由"):
            if not row.get(column):
                errors.append(_("%(label)sが空です。") % {"label": column})
        values = {
            "kind": kind,
            "decided_on": decided_on,
            "decided_by": row.get("決定者", ""),
            "reason": row.get("理由", ""),
            "number": None,
            "line": None,
            "source": None,
            "amount": None,
        }
        target = lines.find(row.get("区分", ""), row.get("項目", ""), errors, _("区分・項目"))
        values["line"] = target.pk if target else None
        if kind == "amendment":
            values["number"] = _amount(row.get("号数", ""), _("号数"), errors, required=True)
            values["amount"] = _signed(row.get("金額", ""), errors, _("金額"))
        elif kind is not None:
            source = lines.find(
                row.get("流用元区分", ""), row.get("流用元項目", ""), errors, _("流用元")
            )
            values["source"] = source.pk if source else None
            values["amount"] = _amount(row.get("金額", ""), _("金額"), errors, required=True)
        values["cells"] = [row.get(c.name, "") for c in ChangeExporter.columns]
        parsed.append(ParsedRow(number, values, errors))
    _check_amendment_groups(parsed)
    return parsed


def _check_amendment_groups(parsed: list[ParsedRow]) -> None:
    """An amendment's rows agree on its date, who decided and why."""
    first: dict = {}
    for row in parsed:
        v = row.values
        if v["kind"] != "amendment" or v["number"] is None:
            continue
        decision = (v["decided_on"], v["decided_by"], v["reason"])
        seen = first.setdefault(v["number"], (row.number, decision))
        if seen[1] != decision:
            row.errors.append(
                _("第%(n)s号補正の決定日・決定者・理由が%(row)s行目と違います。")
                % {"n": v["number"], "row": seen[0]}
            )


def changes_to_import(rows: list[dict]):
    """Parsed rows (as the session keeps them) grouped into ``ChangeImport``s, in order."""
    from datetime import date

    from renkei.finance.imports import ChangeImport

    changes: list = []
    amendments: dict = {}
    for row in rows:
        v = row["values"]
        decision = {
            "decided_on": date.fromisoformat(v["decided_on"]),
            "decided_by": v["decided_by"],
            "reason": v["reason"],
        }
        if v["kind"] == "amendment":
            change = amendments.get(v["number"])
            if change is None:
                change = amendments[v["number"]] = ChangeImport(
                    [], "amendment", number=v["number"], **decision
                )
                changes.append(change)
            change.rows.append(row["number"])
            change.amounts[v["line"]] = change.amounts.get(v["line"], 0) + v["amount"]
        else:
            changes.append(
                ChangeImport(
                    [row["number"]],
                    v["kind"],
                    source=v["source"],
                    target=v["line"],
                    amount=v["amount"],
                    **decision,
                )
            )
    return changes


def parse_expenses(rows: list[dict], fiscal_year) -> list[ParsedRow]:
    """Rows of the expenses' layout (``ExpenseExporter``)."""
    lines = _Lines.of(fiscal_year)
    activities = {
        activity_code(a): a.pk
        for a in Activity.objects.filter(group__programme__fiscal_year=fiscal_year).select_related(
            "group__programme"
        )
    }
    parsed = []
    for number, row in enumerate(rows[:MAX_ROWS], start=2):
        errors: list[str] = []
        spent_on = _date(row.get("支出日", ""), errors, _("支出日"))
        line = lines.find(row.get("区分", ""), row.get("項目", ""), errors, _("区分・項目"))
        for column in ("支払先", "目的・内容"):
            if not row.get(column):
                errors.append(_("%(label)sが空です。") % {"label": column})
        _long(row, {"支払先": 200, "目的・内容": 300}, errors)
        amount = _amount(row.get("金額", ""), _("金額"), errors, required=True)
        allocations = {}
        for part in filter(None, (p.strip() for p in row.get("活動内訳", "").split(";"))):
            code, _sep, share = part.partition(":")
            activity = activities.get(code.strip())
            if activity is None:
                errors.append(
                    _("活動内訳「%(v)s」: 番号「%(code)s」の活動がこの年度にありません。")
                    % {"v": part[:40], "code": code.strip()[:20]}
                )
                continue
            value = _amount(share.strip(), _("活動内訳の金額"), errors, required=True)
            if value is not None:
                allocations[str(activity)] = value
        parsed.append(
            ParsedRow(
                number,
                {
                    "spent_on": spent_on,
                    "line": line.pk if line else None,
                    "payee": row.get("支払先", ""),
                    "amount": amount,
                    "purpose": row.get("目的・内容", ""),
                    "allocations": allocations,
                    "cells": [row.get(c.name, "") for c in ExpenseExporter.columns],
                },
                errors,
            )
        )
    return parsed


def expenses_to_import(rows: list[dict]):
    from datetime import date

    from renkei.finance.imports import ExpenseImport

    return [
        ExpenseImport(
            row["number"],
            row["values"]["line"],
            date.fromisoformat(row["values"]["spent_on"]),
            row["values"]["payee"],
            row["values"]["amount"],
            row["values"]["purpose"],
            {int(pk): amount for pk, amount in row["values"]["allocations"].items()},
        )
        for row in rows
    ]
