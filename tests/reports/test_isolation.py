"""Two unions' reports rendered at the same moment never mix (issue 9, item 1).

A threaded server renders the PDFs of several unions at once; the multi-part path forks
worker processes. Each PDF made concurrently must read exactly as the same report made
alone, so no part, front matter or page-number stamp of one report reaches another.
"""

import dataclasses
from concurrent.futures import ThreadPoolExecutor

import pytest

from renkei.reports.renderers import render

from .extract import pdf_text


@pytest.mark.slow
def test_concurrent_pdfs_of_two_unions_each_carry_only_their_own_report(report, settings):
    settings.RENKEI_REPORT_PDF_PART_PAGES = 3  # force the multi-part path
    other = dataclasses.replace(
        report, union_name="テスト広域連合", title="令和6年度 テスト広域連合 事業報告書"
    )
    assert len(report.pages) > 3
    alone = {"okitama": pdf_text(render(report, "pdf")), "other": pdf_text(render(other, "pdf"))}
    assert "テスト広域連合" in alone["other"] and "テスト広域連合" not in alone["okitama"]

    jobs = [("okitama", report), ("other", other)] * 3
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        made = list(pool.map(lambda job: (job[0], pdf_text(render(job[1], "pdf"))), jobs))

    mixed = [name for name, text in made if text != alone[name]]
    assert mixed == [], f"reports that carried another union's pages: {mixed}"
