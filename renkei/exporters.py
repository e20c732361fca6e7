"""Tabular exports: a class that yields rows, written as CSV (UTF-8 with BOM, CRLF) or XLSX.

Subclasses declare ``columns`` (a tuple of ``Column``) and implement ``rows()``, yielding
one dict per row keyed by column name. The base neutralises formula injection: a text
cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab / carriage return, which some
spreadsheet programs strip before evaluating) is prefixed with an apostrophe, so a
spreadsheet shows it as text instead of running it. Numbers are written as numbers. Characters XML cannot hold (control characters other
than tab, line feed and carriage return; U+FFFE, U+FFFF) are replaced with U+FFFD in
XLSX cells, so a stray control character in a title (or in the change log, which never
changes) cannot make the file unwritable.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
BOM = "\ufeff"


@dataclass(frozen=True)
class Column:
    """One column of an export: its header, whether it must be filled, its data type
    (Frictionless field types: string, integer, number, date, time) and a description."""

    name: str
    required: bool = False
    type: str = "string"
    description: str = ""
    format: str = ""


def neutralise(value):
    """A cell value safe to open in a spreadsheet (text only; numbers pass through)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def xml_safe(value):
    """A cell value an XLSX (XML) file can hold: illegal characters become U+FFFD."""
    return XML_ILLEGAL.sub("\N{REPLACEMENT CHARACTER}", value) if isinstance(value, str) else value


class Exporter:
    """Base of every export: ``columns`` and ``rows()``; CSV and XLSX writing are shared."""

    columns: tuple[Column, ...] = ()
    sheet_title = "data"

    def rows(self) -> Iterable[dict]:
        raise NotImplementedError

    @property
    def header(self) -> list[str]:
        return [column.name for column in self.columns]

    def cells(self) -> Iterator[list]:
        """Rows as lists of neutralised cell values, in column order."""
        names = self.header
        for row in self.rows():
            yield [neutralise(row.get(name)) for name in names]

    def write_csv(self, stream) -> None:
        """Write to a text stream opened with ``newline=""``: BOM, header, CRLF line ends."""
        stream.write(BOM)
        writer = csv.writer(stream, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(self.header)
        writer.writerows(self.cells())

    def to_csv_bytes(self) -> bytes:
        buffer = io.StringIO(newline="")
        self.write_csv(buffer)
        return buffer.getvalue().encode("utf-8")

    def to_xlsx_bytes(self) -> bytes:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(self.sheet_title[:31])
        sheet.append([xml_safe(name) for name in self.header])
        for cells in self.cells():
            sheet.append([xml_safe(cell) for cell in cells])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()

    def to_records(self) -> list[dict]:
        """Rows as plain dicts (for JSON); values are not neutralised: JSON is not a sheet."""
        names = self.header
        return [{name: row.get(name) for name in names} for row in self.rows()]
