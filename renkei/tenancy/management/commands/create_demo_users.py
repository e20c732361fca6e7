"""``renkei create_demo_users``: demo logins for a laptop (idempotent): a secretariat user
for the staff screens and an operator for the admin. Refused with DEBUG off, since their
passwords are printed here and in the Makefile's output."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from renkei.tenancy.models import Organisation, Role, Union
from renkei.tenancy.services import create_staff_user

DEMO_USERNAME = "jimukyoku"
DEMO_PASSWORD = "okitama-renkei-2024"  # noqa: S105 — the demo login make run prints
# Staff of a member municipality (南陽市) and of the partner (港区), to answer the demo 照会.
DEMO_RECIPIENTS = (
    ("nanyo", "062138", Role.MEMBER, "南陽市（デモ）"),
    ("minato", "131032", Role.PARTNER, "港区（デモ）"),
)
DEMO_OPERATOR = "operator"
DEMO_OPERATOR_PASSWORD = "renkei-operator-2024"  # noqa: S105 — the demo operator


class Command(BaseCommand):
    help = "デモ用の事務局ユーザーと運用者（管理画面用）を作成し、ログイン方法を表示します。"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "デモ用ユーザーは DEBUG=true のときだけ作成できます"
                "（パスワードが公開されているため）。"
            )
        union = Union.objects.select_related("organisation").order_by("id").first()
        if union is None:
            raise CommandError("組合がありません。先に renkei load_fy2024 を実行してください。")
        users = get_user_model().objects
        if not users.filter(username=DEMO_USERNAME).exists():
            create_staff_user(
                username=DEMO_USERNAME,
                password=DEMO_PASSWORD,
                union=union,
                organisation=union.organisation,
                role=Role.SECRETARIAT,
                display_name="事務局（デモ）",
            )
        for username, code, role, name in DEMO_RECIPIENTS:
            organisation = Organisation.objects.filter(code=code).first()
            if organisation is not None and not users.filter(username=username).exists():
                create_staff_user(
                    username=username,
                    password=DEMO_PASSWORD,
                    union=union,
                    organisation=organisation,
                    role=role,
                    display_name=name,
                )
        if not users.filter(username=DEMO_OPERATOR).exists():
            users.create_superuser(username=DEMO_OPERATOR, password=DEMO_OPERATOR_PASSWORD)
        self.stdout.write(
            f"職員画面 /staff/: ユーザー名 {DEMO_USERNAME} / パスワード {DEMO_PASSWORD}"
        )
        for username, _code, _role, name in DEMO_RECIPIENTS:
            self.stdout.write(f"  {name}: ユーザー名 {username} / パスワード {DEMO_PASSWORD}")
        self.stdout.write(
            f"管理画面 /admin/（運用者のみ）: ユーザー名 {DEMO_OPERATOR} / "
            f"パスワード {DEMO_OPERATOR_PASSWORD}"
        )
