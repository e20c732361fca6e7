"""Drafts look like drafts: every page of a draft carries 「【案】」 (PDF, Word, HTML, the
Excel sheets' headers), the issued 確定版 none; and the checks find what an empty year
lacks and a settlement that does not balance. Documents are read back as a reader does."""

import io
from datetime import date

import docx
import openpyxl
import pytest

from renkei.finance.models import BudgetLine, Direction
from renkei.programmes.models import ActivityGroup, GroupKind
from renkei.reports.checks import find_problems
from renkei.reports.data import build_report
from renkei.reports.services import render_report
from renkei.reports.year_cycle import open_fiscal_year

from .extract import pdf_text

MARK = "【案】"


def pages_of(pdf: bytes) -> list[str]:
    return [page for page in pdf_text(pdf).split("\f") if page.strip()]


def word_headers(data: bytes) -> list[str]:
    """The header text each section of the document shows (a linked header is its
    predecessor's), and the first page's where the document gives it one of its own."""
    document = docx.Document(io.BytesIO(data))
    texts, previous = [], ""
    for section in document.sections:
        header = section.header
        text = previous if header.is_linked_to_previous else header.paragraphs[0].text
        texts.append(text)
        if section.different_first_page_header_footer:
            texts.append(section.first_page_header.paragraphs[0].text)
        previous = text
    return texts


def excel_headers(data: bytes) -> list[str]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    return [sheet.oddHeader.center.text or "" for sheet in workbook.worksheets]


@pytest.fixture
def settled(year, settings, tmp_path):
    """A year the checks find nothing wrong with (the reports conftest's ``year``)."""
    settings.MEDIA_ROOT = tmp_path
    return year


@pytest.fixture
def long_year(union, create_long_report_year, settings, tmp_path):
    """A report of more than ten pages, for marks on every page."""
    settings.MEDIA_ROOT = tmp_path
    return create_long_report_year(union, 2024)


def test_every_page_of_a_draft_pdf_carries_the_mark(long_year):
    pages = pages_of(render_report(long_year, "pdf").content)
    assert len(pages) > 10
    assert all(MARK in page for page in pages), [n for n, p in enumerate(pages) if MARK not in p]


def test_a_draft_laid_out_in_parts_carries_the_mark_on_every_page(long_year, settings):
    settings.RENKEI_REPORT_PDF_PART_PAGES = 3  # the long-year path: parts joined by pypdf
    settings.RENKEI_REPORT_PDF_WORKERS = 2
    pages = pages_of(render_report(long_year, "pdf").content)
    assert all(MARK in page for page in pages), [n for n, p in enumerate(pages) if MARK not in p]


def test_the_issued_pdf_carries_no_mark(settled, issue):
    issued = issue(settled, "pdf")
    pages = pages_of(issued.file.open("rb").read())
    assert pages and not any(MARK in page for page in pages)


def test_word_draft_has_the_mark_in_every_header_and_the_final_none(settled, issue):
    draft = render_report(settled, "docx").content
    assert all(MARK in text for text in word_headers(draft))
    cover = [p.text for p in docx.Document(io.BytesIO(draft)).paragraphs[:14]]
    assert any(MARK in text for text in cover)
    final = issue(settled, "docx").file.open("rb").read()
    assert not any(MARK in text for text in word_headers(final))
    assert MARK not in "".join(p.text for p in docx.Document(io.BytesIO(final)).paragraphs)


def test_html_draft_has_the_banner_and_the_final_none(settled, issue):
    draft = render_report(settled, "html").content.decode("utf-8")
    assert 'class="draft-banner"' in draft and MARK in draft
    final = issue(settled, "html").file.open("rb").read().decode("utf-8")
    assert MARK not in final and 'draft-banner"' not in final


def test_excel_draft_has_the_mark_in_every_sheet_header_and_the_final_none(settled, issue):
    draft = render_report(settled, "xlsx").content
    headers = excel_headers(draft)
    assert len(headers) == len(openpyxl.load_workbook(io.BytesIO(draft)).worksheets) >= 2
    assert all(MARK in h for h in headers)
    final = issue(settled, "xlsx").file.open("rb").read()
    assert not any(MARK in h for h in excel_headers(final))


def test_a_settlement_off_by_100_is_found_and_its_draft_is_marked(settled):
    line = BudgetLine.objects.filter(fiscal_year=settled, direction=Direction.INCOME).first()
    line.settled += 100
    line.save()
    rendered = render_report(settled, "pdf")
    assert [f.code for f in rendered.findings] == ["settlement_unbalanced"]
    assert "差引 100円" in str(rendered.findings[0])
    assert all(MARK in page for page in pages_of(rendered.content))


@pytest.fixture
def empty_year(year, users, create_activity):
    """FY2025 as the secretariat opens it from FY2024 (its 交流研修's item and a seminar
    series of one session): its programmes and items, and no activity, money or prose yet."""
    series = ActivityGroup.objects.create(
        programme=year.activity.group.programme,
        number=2,
        title="外部研修",
        kind=GroupKind.SEMINAR_SERIES,
    )
    create_activity(group=series, title="自治体DX研修会", kind="workshop", on=date(2024, 12, 1))
    return open_fiscal_year(year.union, users["secretariat"], year=2025, copy_from=year)


def test_an_empty_year_is_found_lacking(empty_year):
    codes = [f.code for f in find_problems(build_report(empty_year))]
    assert codes[:3] == ["budget_missing", "overview_missing", "summary_missing"]
    groups = ActivityGroup.objects.filter(programme__fiscal_year=empty_year)
    series = groups.filter(kind=GroupKind.SEMINAR_SERIES).count()
    assert series == 1  # FY2024's seminar series
    assert codes.count("seminar_series_empty") == series
    assert codes.count("item_empty") == groups.count() - series
    assert set(codes) == {
        "budget_missing",
        "overview_missing",
        "summary_missing",
        "item_empty",
        "seminar_series_empty",
    }


def test_a_year_with_its_records_has_none_of_these_findings(long_year):
    assert find_problems(build_report(long_year)) == []


def test_the_command_line_refuses_a_final_with_findings_and_no_reason(settled, tmp_path):
    """``renkei report --final`` goes through the same rule (``--reason`` gives one)."""
    from django.core.management import CommandError, call_command

    from renkei.reports.models import IssuedReport

    line = BudgetLine.objects.filter(fiscal_year=settled, direction=Direction.INCOME).first()
    line.settled += 100
    line.save()
    out = str(tmp_path / "report.html")
    with pytest.raises(CommandError, match="理由を入力してください"):
        call_command("report", "2024", "--format", "html", "--final", "--output", out)
    assert not IssuedReport.objects.exists()
