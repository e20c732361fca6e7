"""Table cells of the Word report: shared by the writer (docx.py) and the chapters
(docx_sections.py)."""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.table import _Cell


def row_cells(table, row) -> list:
    """The cells of a row, without python-docx's whole-table scan (slow on long tables)."""
    return [_Cell(tc, table) for tc in row._tr.tc_lst]


def shade(cell, colour: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    fill = OxmlElement("w:shd")
    fill.set(qn("w:val"), "clear")
    fill.set(qn("w:color"), "auto")
    fill.set(qn("w:fill"), colour)
    properties.append(fill)
