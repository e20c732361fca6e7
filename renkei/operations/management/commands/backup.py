"""renkei backup PATH: the whole installation (records and files) in one archive."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from renkei.operations.backup import backup


class Command(BaseCommand):
    help = "記録とファイル（写真・発行済み報告書）をひとつのバックアップ（.tar.gz）に書き出します。"

    def add_arguments(self, parser):
        parser.add_argument("path", help="書き出すファイル（例: renkei-2026-12-01.tar.gz）")

    def handle(self, *args, **options):
        summary = backup(options["path"])
        self.stdout.write(
            _("%(path)s に記録 %(records)s 件とファイル %(files)s 件を書き出しました。")
            % {"path": summary.path, "records": summary.records, "files": summary.files}
        )
