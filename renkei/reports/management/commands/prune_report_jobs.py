"""renkei prune_report_jobs [--days N]: remove old draft and failed report jobs and their files."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from renkei.reports.jobs import prune_report_jobs


class Command(BaseCommand):
    help = (
        "終了から指定日数を過ぎた報告書の作成依頼（下書きと失敗）を、下書きのファイルとともに削除します。"
        "発行の依頼は残します。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=7, help="残す日数（既定 7）")

    def handle(self, *args, **options):
        removed = prune_report_jobs(options["days"])
        self.stdout.write(_("作成依頼を %(n)s 件削除しました。") % {"n": removed})
