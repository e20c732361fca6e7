"""renkei restore PATH: fill an empty, migrated installation from a backup."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from renkei.errors import RenkeiError
from renkei.operations.backup import restore


class Command(BaseCommand):
    help = (
        "バックアップから空のインストールを復元します。先に目録（SHA-256）で全体を確かめ、"
        "記録はひとつのトランザクションで読み込みます。"
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="renkei backup で作ったファイル")

    def handle(self, *args, **options):
        try:
            manifest = restore(options["path"])
        except RenkeiError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _(
                "記録 %(records)s 件とファイル %(files)s 件を復元し、目録と照合しました"
                "（%(created)s に %(database)s で作成）。"
            )
            % {
                "records": manifest["records"],
                "files": len(manifest["files"]) - 1,
                "created": manifest["created_at"],
                "database": manifest["database"],
            }
        )
