"""Hostile text in records (HTML, script, Word fields, formulas) stays inert in every format."""

import io
import zipfile

import pytest

from renkei.finance.models import BudgetLine
from renkei.programmes.models import Lecturer, NarrativeSection
from renkei.reports.data import build_report
from renkei.reports.renderers import render

from .extract import fold, pdf_text

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("x")</script>'
IMAGE = '<img src="file:///etc/passwd" onerror="alert(1)">'
FORMULA = "=cmd|' /C calc'!A0"
FIELD = '{ DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc" }'


@pytest.fixture
def hostile(year):
    activity = year.activity
    activity.heading = SCRIPT
    activity.description = f"{IMAGE}\n\n{FIELD}"
    activity.save()
    Lecturer.objects.filter(activity=activity).update(name=FIELD)
    narrative = NarrativeSection.objects.get(fiscal_year=year, key="summary")
    narrative.body = f"{SCRIPT}\n\n{IMAGE}\x07"
    narrative.save()
    BudgetLine.objects.filter(fiscal_year=year, item="講師謝礼").update(note=FORMULA)
    BudgetLine.objects.filter(fiscal_year=year, item="分担金").update(note="@SUM(A1:A9)")
    return build_report(year)


def test_html_escapes_markup(hostile):
    html = render(hostile, "html").decode("utf-8")
    assert "<script>alert" not in html and '<img src="file:' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "&lt;img src=&quot;file:///etc/passwd&quot;" in html


def test_pdf_shows_markup_as_text(hostile):
    text = fold(pdf_text(render(hostile, "pdf")))
    assert fold(SCRIPT) in text and fold(IMAGE) in text and fold(FIELD) in text


def test_word_has_plain_runs_and_only_its_own_fields(hostile):
    import docx

    data = render(hostile, "docx")
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any(SCRIPT in t for t in texts) and any(FIELD in t for t in texts)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(
            archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xml")
        )
    instructions = [part.split("</w:instrText>")[0] for part in xml.split("<w:instrText")[1:]]
    assert all("DDE" not in i for i in instructions)
    assert "<w:fldSimple" not in xml
    assert "\x07" not in xml


def test_excel_cells_are_strings_never_formulas(hostile):
    import openpyxl

    data = render(hostile, "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data))["収支決算書"]
    cells = {c.value: c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)}
    assert cells[FORMULA].data_type == "s" and cells[FORMULA].quotePrefix
    assert cells["@SUM(A1:A9)"].data_type == "s"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/")]
    assert all(b"<f>" not in s and b"<f " not in s for s in sheets)
