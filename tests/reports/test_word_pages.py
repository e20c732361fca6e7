"""renkei report --format png-pages --from docx: the Word file's pages as LibreOffice lays
them out, for people to look at (one LibreOffice conversion)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from PIL import Image

pytestmark = pytest.mark.django_db


@pytest.mark.libreoffice
def test_png_pages_from_docx_writes_every_page_as_libreoffice_lays_it_out(
    libreoffice, union, create_long_report_year, tmp_path
):
    create_long_report_year(union, 2024)  # a page per activity: more than ten
    out = io.StringIO()
    (tmp_path / "page-99.png").write_bytes(b"left over")
    call_command(
        "report",
        "2024",
        "--format",
        "png-pages",
        "--from",
        "docx",
        "--output",
        str(tmp_path),
        stdout=out,
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 10  # cover, contents, a page per chapter at least
    assert f"{len(pages)}ページ" in out.getvalue()
    for page in pages:
        with Image.open(page) as image:
            width, height = image.size
            assert abs(width / height - 210 / 297) < 0.01, page  # A4 portrait
            assert image.convert("L").getextrema()[0] < 100, page  # something printed


def test_from_is_only_for_page_images(year, tmp_path):
    with pytest.raises(CommandError, match="png-pages"):
        call_command(
            "report",
            "2024",
            "--format",
            "docx",
            "--from",
            "docx",
            "--output",
            str(tmp_path / "r.docx"),
        )
