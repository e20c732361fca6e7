"""Reading attendance and budget lines from .xlsx or .csv, row by row, with a message
per refused row. Nothing is saved here: the preview shows the rows, then the service
saves them all or none."""

import csv
import io
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import load_workbook

from renkei.finance.models import Direction, ExpenditureSection

MAX_ROWS = 2000


@dataclass
class ParsedRow:
    number: int
    values: dict
    errors: list[str] = field(default_factory=list)


def _clean(value) -> str:
    return unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()


def read_table(upload) -> list[dict]:
    """Rows of the first sheet (or the CSV) as dicts keyed by the header row."""
    name = (upload.name or "").lower()
    raw = upload.read()
    if name.endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(raw), read_only=True, data_only=True).active
        table = [list(row) for row in sheet.iter_rows(values_only=True)]
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "cp932"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise ValueError(_("文字コードを読み取れません（UTF-8 で保存してください）。"))
        table = list(csv.reader(io.StringIO(text)))
    else:
        raise ValueError(_(".xlsx か .csv のファイルを選んでください。"))
    if not table:
        raise ValueError(_("ファイルが空です。"))
    headers = [_clean(h) for h in table[0]]
    rows = [dict(zip(headers, (_clean(v) for v in row), strict=False)) for row in table[1:]
            if any(_clean(v) for v in row)]
    if len(rows) > MAX_ROWS:
        raise ValueError(_("行が多すぎます（%(n)s行まで）。") % {"n": MAX_ROWS})
    return rows


def _amount(text: str, label: str, errors: list, required: bool):
    text = text.replace(",", "").replace("円", "")
    if not text:
        if required:
            errors.append(_("%(label)sが空です。") % {"label": label})
        return None
    if not text.isdigit():
        errors.append(_("%(label)s「%(v)s」は0以上の整数ではありません。") % {"label": label, "v": text})
        return None
    return int(text)


def parse_attendance(rows: list[dict], organisations, current: dict) -> list[ParsedRow]:
    """Columns 団体 (name, short name or code) and 人数. ``current`` maps organisation id
    to the count saved now; each row keeps it as ``previous`` for the save."""
    by_key = {}
    for org in organisations:
        for key in (org.name, org.short_name, org.code):
            if key:
                by_key[_clean(key)] = org
    parsed, seen = [], set()
    for number, row in enumerate(rows, start=2):
        errors = []
        org = by_key.get(row.get("団体", ""))
        if org is None:
            errors.append(_("団体「%(v)s」はこの活動の出席者の欄にありません。") % {"v": row.get("団体", "")})
        elif org.pk in seen:
            errors.append(_("団体「%(v)s」が2回あります。") % {"v": org.label})
        else:
            seen.add(org.pk)
        count = _amount(row.get("人数", ""), _("人数"), errors, required=False)
        parsed.append(ParsedRow(number, {"organisation": org.pk if org else None,
                                         "label": org.label if org else row.get("団体", ""),
                                         "count": count,
                                         "previous": current.get(org.pk) if org else None},
                                  errors))
    return parsed


def parse_budget(rows: list[dict], fiscal_year) -> list[ParsedRow]:
    """Columns 収支 (収入/支出), 節, 区分の表記, 項目, 予算額, 決算額, 備考."""
    directions = {str(label): value for value, label in Direction.choices}
    parsed = []
    for number, row in enumerate(rows, start=2):
        errors = []
        direction = directions.get(row.get("収支", ""))
        if direction is None:
            errors.append(_("収支は「収入」か「支出」で書いてください。"))
        section = None
        if row.get("節"):
            section = ExpenditureSection.find(fiscal_year.year, row["節"])
            if section is None:
                errors.append(_("節「%(v)s」は%(y)s年度の節にありません。")
                              % {"v": row["節"], "y": fiscal_year.year})
        if direction == Direction.EXPENDITURE and section is None and not row.get("節"):
            errors.append(_("支出の行には節が必要です。"))
        if not row.get("項目"):
            errors.append(_("項目が空です。"))
        budgeted = _amount(row.get("予算額", ""), _("予算額"), errors, required=False)
        settled = _amount(row.get("決算額", ""), _("決算額"), errors, required=True)
        parsed.append(ParsedRow(number, {
            "direction": direction, "section": section.pk if section else None,
            "section_name": section.name if section else "",
            "section_label": row.get("区分の表記", ""), "item": row.get("項目", ""),
            "budgeted": budgeted, "settled": settled, "note": row.get("備考", ""),
        }, errors))
    return parsed
