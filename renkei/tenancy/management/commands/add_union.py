"""``renkei add_union``: put a union on the installation (an operator's command).

    renkei add_union --name 山辺広域連合 --slug yamabe --region 山辺 \\
        --member 293610=川西町 --member 293628=三宅町 --secretariat-user yamabe-jimukyoku \\
        --base-url https://renkei.example.jp

Members are given by 全国地方公共団体コード (check digit verified); a code already in the
catalogue needs no name. Prints the first secretariat user's set-password link.
"""

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from renkei.errors import RenkeiError
from renkei.tenancy.services import add_union


def member(value: str) -> tuple[str, str]:
    code, _sep, name = value.partition("=")
    return code.strip(), name.strip()


class Command(BaseCommand):
    help = "組合を追加します（構成団体、事務局の団体、最初の事務局ユーザーと招待リンク）。"

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="組合の名称（例: 置賜広域行政事務組合）")
        parser.add_argument("--slug", required=True, help="識別名（半角英数字とハイフン）")
        parser.add_argument(
            "--region", required=True, help="圏域名（出席者の表記「置賜3市5町」の「置賜」）"
        )
        parser.add_argument(
            "--member",
            action="append",
            type=member,
            default=[],
            required=True,
            help="構成団体の全国地方公共団体コード。未登録なら 293610=川西町 のように名称も。"
            "規約の順に繰り返します。",
        )
        parser.add_argument(
            "--secretariat-user", required=True, help="最初の事務局ユーザーのユーザー名"
        )
        parser.add_argument("--email", default="", help="そのメールアドレス")
        parser.add_argument("--display-name", default="", help="その氏名")
        parser.add_argument("--code", default="", help="組合の全国地方公共団体コード（あれば）")
        parser.add_argument("--address", default="", help="所在地")
        parser.add_argument(
            "--base-url",
            default="",
            help="招待リンクの前に付けるサーバーのアドレス（例: https://renkei.example.jp）",
        )

    def handle(self, *args, **options):
        try:
            invitation = add_union(
                None,
                name=options["name"],
                slug=options["slug"],
                region_name=options["region"],
                members=options["member"],
                secretariat_username=options["secretariat_user"],
                email=options["email"],
                display_name=options["display_name"],
                code=options["code"],
                address=options["address"],
            )
        except RenkeiError as error:
            raise CommandError(error.message) from error
        union = invitation.user.staff_profile.union
        path = reverse("staff:password_set", args=[invitation.uid, invitation.token])
        self.stdout.write(
            f"組合「{union}」（{union.slug}）を追加しました。"
            f"構成団体: {'、'.join(o.name for o in union.members_in_order())}"
        )
        self.stdout.write(
            f"事務局ユーザー {invitation.user.username} の招待リンク"
            f"（本人に渡し、パスワードを設定してもらいます）:"
        )
        self.stdout.write(f"{options['base_url'].rstrip('/')}{path}")
