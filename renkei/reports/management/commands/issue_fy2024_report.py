"""``renkei issue_fy2024_report``: issue the shipped FY2024 year's report (idempotent).

``renkei load_fy2024`` loads the year as closed (決算確定); this step, run after it by
``make run``, issues the public edition as a PDF, version 1, made from the records, which
reports the year (``issue_report``). It does nothing once the year has any issued report,
and issues it for an installation whose FY2024 was loaded as reported without one. It is
the reports app's step, not the loader's: the programmes app does not depend on reports.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from renkei.programmes.loading import FY2024_PATH, loaded_year
from renkei.programmes.models import FiscalYearState
from renkei.reports.models import ReportEdition, ReportFormat
from renkei.reports.services import ReportError, issue_report

ISSUABLE = (FiscalYearState.CLOSED, FiscalYearState.REPORTED)


class Command(BaseCommand):
    help = (
        "読み込んだ令和6年度の事業報告書（公開版 PDF 第1版）を、まだ発行していなければ発行します"
        "（2回目以降は何もしません）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(FY2024_PATH), help="読み込んだデータファイル")

    def handle(self, *args, **options):
        fiscal_year = loaded_year(options["file"])
        if fiscal_year is None:
            raise CommandError(
                _("年度が読み込まれていません。先に renkei load_fy2024 を実行してください。")
            )
        if fiscal_year.issued_reports.exists():
            self.stdout.write(
                _("%(year)s の報告書は発行済みです。変更はありません。") % {"year": fiscal_year}
            )
            return
        if fiscal_year.state not in ISSUABLE:
            self.stdout.write(
                _("%(year)s は決算確定前のため、報告書は発行しません。") % {"year": fiscal_year}
            )
            return
        try:
            issued = issue_report(
                fiscal_year,
                ReportFormat.PDF,
                edition=ReportEdition.PUBLIC,
                reason=_("同梱の記録から発行（renkei issue_fy2024_report）"),
            )
        except ReportError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                _("%(year)s の報告書（公開版 PDF 第%(v)s版）を発行しました。")
                % {"year": fiscal_year, "v": issued.version}
            )
        )
