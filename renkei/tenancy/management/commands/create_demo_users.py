"""``renkei create_demo_users``: a demo secretariat login for a laptop (idempotent)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from renkei.tenancy.models import Role, Union
from renkei.tenancy.services import create_staff_user

DEMO_USERNAME = "jimukyoku"
DEMO_PASSWORD = "okitama-renkei-2024"


class Command(BaseCommand):
    help = "デモ用の事務局ユーザーを作成し、ログイン方法を表示します。"

    def handle(self, *args, **options):
        union = Union.objects.select_related("organisation").order_by("id").first()
        if union is None:
            raise CommandError("組合がありません。先に renkei load_fy2024 を実行してください。")
        if not get_user_model().objects.filter(username=DEMO_USERNAME).exists():
            create_staff_user(username=DEMO_USERNAME, password=DEMO_PASSWORD, union=union,
                              organisation=union.organisation, role=Role.SECRETARIAT,
                              display_name="事務局（デモ）")
        self.stdout.write(f"ログイン: ユーザー名 {DEMO_USERNAME} / パスワード {DEMO_PASSWORD}")
