"""``renkei load_fy2024``: load the 置賜広域行政事務組合's FY2024 year (idempotent)."""

from django.core.management.base import BaseCommand

from renkei.operations.seed import load_year_file
from renkei.programmes.loading import FY2024_PATH


class Command(BaseCommand):
    help = "置賜広域行政事務組合の令和6年度の記録を読み込みます（2回目以降は何もしません）。"

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(FY2024_PATH), help="読み込むデータファイル")

    def handle(self, *args, **options):
        result = load_year_file(options["file"])
        if result.created:
            self.stdout.write(
                self.style.SUCCESS(f"{result.fiscal_year} を読み込みました（{result.union}）。")
            )
        else:
            self.stdout.write(f"{result.fiscal_year} は読み込み済みです。変更はありません。")
