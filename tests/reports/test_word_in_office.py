"""The FY2024 Word file as a real office suite shows it: LibreOffice converts it to PDF
(once for the module), and the converted text carries every reference fact, contents
listing every chapter, and item labels in a narrow column (reference tests: the seed's
report against the reference). How the Word file is built (fixed columns, its contents
field) is checked without an office suite on a factory-made year.

Where LibreOffice is missing these tests skip with a reason, except under CI=true,
where that is a failure (the ``libreoffice`` fixture; .ci/run installs it).
"""

import io

import pytest

from renkei.reports.office import docx_to_pdf
from renkei.reports.renderers import render

from . import reference
from .appendix import LAID_OUT_HEADER, LAST_ROW, assert_fy2024_appendix
from .extract import (
    chapter_start_pages,
    check_sections,
    fold,
    item_rows,
    missing_facts,
    office_pdf_sections,
    pdf_words,
    table_rows,
)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def office(libreoffice, django_db_setup, django_db_blocker):
    """(chapter titles, the LibreOffice PDF) of the FY2024 Word file: one conversion."""
    from django.db import transaction

    from renkei.operations.seed import load_year_file
    from renkei.reports.data import build_report

    with django_db_blocker.unblock(), transaction.atomic():
        report = build_report(load_year_file().fiscal_year)
        docx = render(report, "docx")
        transaction.set_rollback(True)
    return [entry.title for entry in report.toc], docx_to_pdf(docx)


@pytest.mark.reference
@pytest.mark.libreoffice
def test_libreoffice_shows_every_reference_fact_in_its_section(office):
    chapters, pdf = office
    sections = office_pdf_sections(pdf, reference.TITLE, chapters)
    assert fold(reference.TITLE) in fold(sections["cover"])
    assert check_sections(sections, reference.SECTIONS) == []


@pytest.mark.reference
@pytest.mark.libreoffice
def test_libreoffice_contents_list_every_chapter_in_order_linked_to_it(office):
    """The contents page lists every chapter (without anyone updating fields), each
    entry a link to the page the chapter begins on."""
    from pypdf import PdfReader

    chapters, pdf = office
    sections = office_pdf_sections(pdf, reference.TITLE, chapters)
    assert list(sections)[:2] == ["cover", "目次"]
    assert {heading for heading, _facts in reference.SECTIONS} <= set(chapters)
    assert missing_facts(sections["目次"], chapters) == []  # in order: each after the last

    starts = chapter_start_pages(pdf, reference.TITLE, chapters)
    reader = PdfReader(io.BytesIO(pdf))
    contents = reader.pages[starts["目次"] - 1]
    links = [link.get_object() for link in contents.get("/Annots", [])]
    links = sorted(
        (link for link in links if link.get("/Subtype") == "/Link"),
        key=lambda link: -float(link["/Rect"][1]),
    )  # top to bottom
    targets = [reader.get_page_number(link["/Dest"][0].get_object()) + 1 for link in links]
    assert targets == [starts[chapter] for chapter in chapters]


@pytest.mark.reference
@pytest.mark.libreoffice
def test_libreoffice_item_labels_take_a_narrow_column(office):
    """Each activity's labels (テーマ, 日時 …) in a column as narrow as the PDF's: the
    contents begin within the left 30% of the page (a half-page label column put them
    past 50%)."""
    _chapters, pdf = office
    width, words = pdf_words(pdf)
    rows = [
        fact
        for _heading, facts in reference.SECTIONS
        for fact in facts
        if isinstance(fact, tuple) and len(fact) == 3 and fact[0].isdigit()
    ]
    assert len(rows) >= 15
    for number, label, _content in rows:
        found = item_rows(words, number, label)
        assert found, f"no item row {number} {label}"
        for label_word, content in found:
            assert content.x_min < 0.30 * width, (number, label, content)
            assert label_word.x_min < 0.15 * width, (number, label, label_word)


@pytest.mark.django_db
def test_word_file_fixes_every_column_and_writes_its_contents(union, create_long_report_year):
    """Without an office suite: every table's layout is fixed, its grid and every cell
    carry widths; the contents are a TOC field whose result already lists every chapter,
    each linked to a bookmark on that chapter's heading; Word updates fields on opening.
    The year's 交流研修 has a theme, so its page has the full form of items (テーマ …)."""
    import zipfile

    from lxml import etree

    from renkei.programmes.models import Activity
    from renkei.reports.data import build_report

    year = create_long_report_year(union, 2024)
    Activity.objects.filter(pk=year.activity.pk).update(theme="自治体DXの推進")
    report = build_report(year)

    data = render(report, "docx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
        settings = etree.fromstring(archive.read("word/settings.xml"))
    tables = body.iter(f"{W}tbl")
    for table in tables:
        assert table.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
        grid = [int(col.get(f"{W}w")) for col in table.iter(f"{W}gridCol")]
        assert all(width > 0 for width in grid)
        assert int(table.find(f"{W}tblPr/{W}tblW").get(f"{W}w")) == sum(grid)
        for row in table.iter(f"{W}tr"):
            cells = [int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for tc in row.iter(f"{W}tc")]
            assert cells == grid
    text_width = (210 - 2 * 18) / 25.4 * 1440  # A4 less the template's margins, in twips
    items = [t for t in body.iter(f"{W}tbl") if "テーマ" in "".join(t.itertext())]
    label, _content = (int(c.get(f"{W}w")) for c in items[0].iter(f"{W}gridCol"))
    assert label == round(7.5 * 10.5 * 20)  # the PDF's 7.5em at 10.5pt
    assert label < 0.2 * text_width

    instructions = ["".join(t.itertext()) for t in body.iter(f"{W}instrText")]
    assert instructions[0].split()[0] == "TOC"
    links = [
        (link.get(f"{W}anchor"), "".join(link.find(f"{W}r").itertext()))
        for link in body.iter(f"{W}hyperlink")
    ]
    assert [title for _anchor, title in links] == [entry.title for entry in report.toc]
    headings = {}
    for paragraph in body.iter(f"{W}p"):
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        for mark in paragraph.iter(f"{W}bookmarkStart"):
            headings[mark.get(f"{W}name")] = (
                style.get(f"{W}val"),
                "".join(t.text for t in paragraph.iter(f"{W}t")),
            )
    for anchor, title in links:
        assert headings[anchor] == ("Heading1", title)
        assert f"PAGEREF {anchor} \\h" in " ".join(instructions)
    assert settings.find(f"{W}updateFields").get(f"{W}val") == "true"


@pytest.mark.reference
@pytest.mark.libreoffice
def test_libreoffice_participation_table_fits_the_page_and_credits_no_municipality(office):
    """The appendix's twelve columns as LibreOffice lays the Word file out: every heading's
    first line whole (a member's name on one line), nothing past the right margin, and,
    for FY2024, no member credited with a count (all 内訳不明)."""
    _chapters, pdf = office
    width, words = pdf_words(pdf)
    rows = table_rows(words, LAID_OUT_HEADER, LAST_ROW)
    assert_fy2024_appendix(rows)
    pages = {w.page for w in words if w.text == LAID_OUT_HEADER[1]}
    right_margin = width - 18 / 25.4 * 72
    assert max(w.x_max for w in words if w.page in pages) <= right_margin + 1
