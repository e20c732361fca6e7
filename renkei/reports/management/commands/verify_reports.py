"""renkei verify_reports [--supersede]: check every issued report and the stored files."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from renkei.reports.models import IssuedReport
from renkei.reports.services import ReportError, issue_report
from renkei.reports.verification import verify_archive


class Command(BaseCommand):
    help = (
        "発行済み報告書をすべて点検します（ファイルの有無、SHA-256、組合名）。"
        "記録のないファイルと、ファイルのない記録も挙げます。問題があれば終了コード 1。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--supersede",
            action="store_true",
            help="傷んだ版ごとに、現在の記録から新しい版を発行する（傷んだ版は削除しない）",
        )

    def handle(self, *args, **options):
        result = verify_archive()
        for problem in result.problems:
            self.stdout.write(f"NG {problem}")
        self.stdout.write(
            _("発行済み報告書 %(n)s 件を点検し、問題 %(p)s 件。")
            % {"n": result.checked, "p": len(result.problems)}
        )
        if options["supersede"]:
            self._supersede(result.damaged)
        if result.problems:
            raise CommandError(_("点検で問題が見つかりました。"), returncode=1)

    def _supersede(self, damaged) -> None:
        """A new version for each year and format whose latest version is damaged."""
        for issued in damaged:
            latest = (
                IssuedReport.objects.filter(fiscal_year=issued.fiscal_year, format=issued.format)
                .order_by("-version")
                .first()
            )
            if latest is None or latest.pk != issued.pk:
                continue
            reason = _("第%(v)s版のファイルが傷んでいたため（verify_reports）") % {
                "v": issued.version
            }
            try:
                new = issue_report(issued.fiscal_year, issued.format, reason=reason)
            except ReportError as error:
                self.stderr.write(str(error))
                continue
            self.stdout.write(
                _("%(old)s に代わり第%(v)s版を発行しました。") % {"old": issued, "v": new.version}
            )
