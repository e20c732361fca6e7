"""Reading attendance and budget lines from .xlsx or .csv, row by row, with a message
per refused row. Nothing is saved here: the preview shows the rows, then the service
saves them all or none.

Uploads are hostile until read: the size is checked before a byte is read, an .xlsx is
checked as a zip (no bomb: members' unpacked sizes are bounded) and read streaming
(``read_only``) without trusting the dimension it declares, a CSV is decoded and split
streaming, and both stop at ``MAX_ROWS``. XML is parsed through defusedxml (openpyxl
uses it when installed), so entities (XXE, billion laughs) are refused."""

import codecs
import csv
import unicodedata
import zipfile
from dataclasses import dataclass, field
from itertools import islice

from django.db import models
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from renkei.exporters import FORMULA_TRIGGERS
from renkei.finance.models import BudgetLine, Direction, ExpenditureSection
from renkei.finance.services import LineImport
from renkei.forms import ascii_int
from renkei.programmes.attendance import attendance_value_text, parse_attendance_value

MAX_ROWS = 2000
# A file of MAX_ROWS rows is far below this (an .xlsx of 2,000 budget lines is ~100 KB).
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
# Unpacked size of all members of an .xlsx: bounds a zip bomb before openpyxl opens it.
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
# Columns read per row: the widest import has 7; a sheet declaring XFD (16,384) is cut here.
MAX_COLUMNS = 30
# Rows read in all, empty ones included, before the file is refused as too long.
MAX_SCANNED_ROWS = MAX_ROWS * 5


@dataclass
class ParsedRow:
    number: int
    values: dict
    errors: list[str] = field(default_factory=list)


def _clean(value) -> str:
    text = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()
    # The exporters write text that looks like a formula with an apostrophe in front
    # (renkei.exporters.neutralise): read back, it is the text itself.
    if text.startswith("'") and text[1:2] and text[1] in FORMULA_TRIGGERS:
        return text[1:]
    return text


def _too_many_rows() -> ValueError:
    return ValueError(
        _("行が多すぎます（%(n)s行まで）。ファイルを分けて読み込んでください。") % {"n": MAX_ROWS}
    )


def _unreadable() -> ValueError:
    return ValueError(
        _(
            "ファイルを読み取れません。Excel（.xlsx）か CSV で保存し直してから、"
            "もう一度選んでください。"
        )
    )


def _xlsx_rows(upload):
    """Rows of the first sheet as tuples of at most MAX_COLUMNS values, streamed."""
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:  # an HTML page named .xlsx
        raise _unreadable() from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise ValueError(_("ファイルの中身が大きすぎます。"))
    upload.seek(0)
    try:
        book = load_workbook(upload, read_only=True, data_only=True)
    except Exception as error:
        # A damaged or hostile workbook fails deep inside openpyxl or the XML parser
        # (KeyError, zipfile errors, defusedxml's EntitiesForbidden …): one message.
        raise _unreadable() from error
    try:
        sheet = book.active
        sheet.reset_dimensions()  # never pad rows out to the declared A1:XFD1048576
        yield from sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
    except Exception as error:  # the sheet's XML is parsed only now, row by row
        raise _unreadable() from error
    finally:
        book.close()


def _encoding(upload) -> str:
    """UTF-8 (with or without BOM) if the whole file decodes as such, else cp932
    (Shift_JIS as Excel writes it); checked chunk by chunk, nothing kept."""
    for encoding in ("utf-8-sig", "cp932"):
        upload.seek(0)
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            for chunk in iter(lambda: upload.read(64 * 1024), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return encoding
        except UnicodeDecodeError:
            continue
    raise ValueError(_("文字コードを読み取れません（UTF-8 で保存してください）。"))


def _csv_rows(upload):
    """Rows of a CSV, decoded and split streaming; NUL characters are dropped."""
    encoding = _encoding(upload)
    upload.seek(0)
    lines = (line.replace("\0", "") for line in codecs.getreader(encoding)(upload))
    try:
        yield from (tuple(islice(row, MAX_COLUMNS)) for row in csv.reader(lines))
    except csv.Error as error:  # a field over csv's size limit, a broken quote
        raise _unreadable() from error


def read_table(upload) -> list[dict]:
    """Rows of the first sheet (or the CSV) as dicts keyed by the header row; at most
    MAX_ROWS of them, refused before reading when the file is too large."""
    name = (upload.name or "").lower()
    if not name.endswith((".xlsx", ".csv")):
        raise ValueError(_(".xlsx か .csv のファイルを選んでください。"))
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise ValueError(
            _("ファイルが大きすぎます（%(mb)sMBまで）。")
            % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    source = _xlsx_rows(upload) if name.endswith(".xlsx") else _csv_rows(upload)
    headers, rows = None, []
    for scanned, row in enumerate(source, start=1):
        if scanned > MAX_SCANNED_ROWS:
            raise _too_many_rows()
        cells = [_clean(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()  # trailing empty cells say nothing
        if headers is None:
            headers = cells
            continue
        if any(cells):
            rows.append(dict(zip(headers, cells, strict=False)))
            if len(rows) > MAX_ROWS:
                raise _too_many_rows()
    if headers is None:
        raise ValueError(_("ファイルが空です。"))
    return rows


def _amount(text: str, label: str, errors: list, required: bool):
    text = text.replace(",", "").replace("円", "")
    if not text:
        if required:
            errors.append(_("%(label)sが空です。") % {"label": label})
        return None
    value = ascii_int(text) if len(text) <= 15 else None  # up to 999兆円
    if value is None:
        errors.append(
            _("%(label)s「%(v)s」は0以上の整数ではありません。") % {"label": label, "v": text[:30]}
        )
    return value


def parse_attendance(rows: list[dict], organisations, current: dict) -> list[ParsedRow]:
    """Columns 団体 (name, short name or code) and 人数: a count, 「参加」 (took part, the
    number unknown) or empty (no record: the row is removed). ``current`` maps
    organisation id to the value saved now; each row keeps it as ``previous`` for the
    save."""
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
            errors.append(
                _("団体「%(v)s」はこの活動の出席者の欄にありません。") % {"v": row.get("団体", "")}
            )
        elif org.pk in seen:
            errors.append(_("団体「%(v)s」が2回あります。") % {"v": org.label})
        else:
            seen.add(org.pk)
        text = row.get("人数", "")
        try:
            value = parse_attendance_value(text)
        except ValueError as error:
            errors.append(_("人数「%(v)s」: %(message)s") % {"v": text[:30], "message": error})
            value = None
        parsed.append(
            ParsedRow(
                number,
                {
                    "organisation": org.pk if org else None,
                    "label": org.label if org else row.get("団体", ""),
                    "count": value,
                    "text": attendance_value_text(value),
                    "previous": current.get(org.pk) if org else None,
                },
                errors,
            )
        )
    return parsed


def parse_budget(rows: list[dict], fiscal_year) -> list[ParsedRow]:
    """Columns 収支 (収入/支出), 節 (or 予備費), 区分の表記, 項目, 予算額, 決算額 (empty: 0,
    to be made up by records), 備考."""
    directions = {str(label): value for value, label in Direction.choices}
    parsed = []
    for number, row in enumerate(rows, start=2):
        errors = []
        direction = directions.get(row.get("収支", ""))
        if direction is None:
            errors.append(_("収支は「収入」か「支出」で書いてください。"))
        section = None
        # 予備費 (the reserve) is an expenditure line without a section.
        is_reserve = direction == Direction.EXPENDITURE and row.get("節") == _("予備費")
        if row.get("節") and not is_reserve:
            section = ExpenditureSection.find(fiscal_year.year, row["節"])
            if section is None:
                errors.append(
                    _("節「%(v)s」は%(y)s年度の節にありません。")
                    % {"v": row["節"], "y": fiscal_year.year}
                )
        if direction == Direction.EXPENDITURE and section is None and not row.get("節"):
            errors.append(_("支出の行には節が必要です。"))
        if not row.get("項目"):
            errors.append(_("項目が空です。"))
        for column, name in (("区分の表記", "section_label"), ("項目", "item"), ("備考", "note")):
            field = BudgetLine._meta.get_field(name)
            limit = field.max_length if isinstance(field, models.Field) else None
            if limit and len(row.get(column, "")) > limit:
                errors.append(
                    _("%(label)sが長すぎます（%(n)s文字まで）。") % {"label": column, "n": limit}
                )
        budgeted = _amount(row.get("予算額", ""), _("予算額"), errors, required=False)
        # Empty: a line kept by record (its expenses or revenue records make it up).
        settled = _amount(row.get("決算額", ""), _("決算額"), errors, required=False) or 0
        parsed.append(
            ParsedRow(
                number,
                {
                    "direction": direction,
                    "section": section.pk if section else None,
                    "section_name": section.name if section else "",
                    "section_label": row.get("区分の表記", ""),
                    "item": row.get("項目", ""),
                    "budgeted": budgeted,
                    "settled": settled,
                    "note": row.get("備考", ""),
                    "is_reserve": is_reserve,
                },
                errors,
            )
        )
    return parsed


def budget_lines_to_import(rows: list[dict], fiscal_year) -> list[LineImport]:
    """Parsed budget rows (as the session and a job's params keep them) as the service's
    ``LineImport``s, placed after the lines the year has when they are recorded."""
    sections = ExpenditureSection.objects.in_bulk([r["values"]["section"] for r in rows])
    after = BudgetLine.objects.filter(fiscal_year=fiscal_year).count()
    copied = ("direction", "section_label", "item", "budgeted", "settled", "note")
    return [
        LineImport(
            r["number"],
            {
                **{name: r["values"][name] for name in copied},
                "section": sections.get(r["values"]["section"]),
                "is_reserve": r["values"].get("is_reserve", False),
                "order": after + i + 1,
            },
        )
        for i, r in enumerate(rows)
    ]
