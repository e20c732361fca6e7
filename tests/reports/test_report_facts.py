"""Every fact of the FY2024 reference report is in the PDF and the Word file, in its section."""

import subprocess
import tempfile
from pathlib import Path

import pytest

from renkei.reports.renderers import render

from . import reference
from .extract import check_sections, fold, missing_facts, pdf_sections, pdf_text

# Reference tests: the real year against the reference report.
pytestmark = [pytest.mark.django_db, pytest.mark.reference]


def test_pdf_carries_every_fact_in_its_section(report):
    pdf = render(report, "pdf")
    sections = pdf_sections(pdf, reference.TITLE)
    assert fold(reference.TITLE) in fold(sections["cover"])
    assert check_sections(sections, reference.SECTIONS) == []


def test_facts_are_compared_in_order():
    """A list read in another order than the reference's is a missing fact: the items
    of a list follow one another, and a lead list is one string (order included)."""
    text = "①ZEB導入セミナー ②急速に広がった自治体の生成AI活用 ⑥放映（小国町、飯豊町）"
    assert missing_facts(text, ["①ZEB導入セミナー", "②急速に広がった自治体の生成AI活用"]) == []
    assert missing_facts(text, ["②急速に広がった自治体の生成AI活用", "①ZEB導入セミナー"]) == [
        "①ZEB導入セミナー"
    ]
    assert missing_facts(text, ["⑥放映（飯豊町、小国町）"]) == ["⑥放映（飯豊町、小国町）"]


def test_pdf_embeds_only_ipaex_gothic_and_text_round_trips(report):
    pdf = render(report, "pdf")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "r.pdf"
        path.write_bytes(pdf)
        listing = subprocess.run(
            ["pdffonts", str(path)], check=True, capture_output=True, text=True
        ).stdout.splitlines()[2:]
    assert listing, "no fonts in the PDF"
    for line in listing:
        name, *_rest = line.split()
        assert name.split("+", 1)[-1].startswith("IPAexGothic"), line
        assert " yes yes yes " in line, f"not embedded, subset and mapped: {line}"
    text = pdf_text(pdf)
    assert "\ufffd" not in text  # no character lost on the way
    for sample in ("①港区連携自治体ワーケーション", "おきたま×みなと", "令和7年3月11日(火)", "～"):
        assert sample in text


def test_word_file_carries_every_fact_in_its_section(report):
    from .extract import docx_sections

    sections = docx_sections(render(report, "docx"))
    assert fold(reference.TITLE) in fold(sections["cover"])
    assert check_sections(sections, reference.SECTIONS) == []


def test_pdf_laid_out_in_parts_carries_the_same_facts_and_numbers(report, settings):
    """A long year is laid out in parts and joined: the same facts, running headers,
    page numbers on every page but the cover, numbered contents and bookmarks."""
    import io

    from pypdf import PdfReader

    settings.RENKEI_REPORT_PDF_PART_PAGES = 2
    pdf = render(report, "pdf")
    sections = pdf_sections(pdf, reference.TITLE)
    assert check_sections(sections, reference.SECTIONS) == []
    pages = pdf_text(pdf).split("\f")[:-1]
    assert all(f"-{n}-" in fold(page) for n, page in enumerate(pages, start=1) if n > 1)
    assert "-1-" not in fold(pages[0])
    outline = [item["/Title"] for item in PdfReader(io.BytesIO(pdf)).outline]
    assert outline == [entry.title for entry in report.toc]
    contents = fold(pages[1])
    first_detail = next(n for n, page in enumerate(pages, start=1) if "観光とは異なる" in page)
    assert fold(f"交流研修{first_detail}") in contents
