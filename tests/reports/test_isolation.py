"""Two unions' reports rendered at the same moment never mix (issue 9, item 1).

A threaded server renders the PDFs of several unions at once; the multi-part path forks
worker processes. Each PDF made concurrently must read exactly as the same report made
alone, so no part, front matter or page-number stamp of one report reaches another.
"""

from concurrent.futures import ThreadPoolExecutor

import pytest

from renkei.reports.data import build_report
from renkei.reports.renderers import render

from .extract import pdf_text


@pytest.mark.slow
def test_concurrent_pdfs_of_two_unions_each_carry_only_their_own_report(
    union, create_union, create_long_report_year, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    settings.RENKEI_REPORT_PDF_PART_PAGES = 3  # force the multi-part path
    other = create_union("テスト広域連合")
    reports = {
        "own": build_report(create_long_report_year(union, 2024)),
        "other": build_report(create_long_report_year(other, 2024)),
    }
    assert all(len(report.pages) > 3 for report in reports.values())
    alone = {name: pdf_text(render(report, "pdf")) for name, report in reports.items()}
    assert "テスト広域連合" in alone["other"] and "テスト広域連合" not in alone["own"]

    jobs = list(reports.items()) * 3
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        made = list(pool.map(lambda job: (job[0], pdf_text(render(job[1], "pdf"))), jobs))

    mixed = [name for name, text in made if text != alone[name]]
    assert mixed == [], f"reports that carried another union's pages: {mixed}"
