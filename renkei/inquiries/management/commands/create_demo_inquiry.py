"""``renkei create_demo_inquiry``: one open 照会 for a laptop demo (idempotent): the demo
secretariat asks every member municipality and 港区 for their initiatives in the first
programme, their attendance at two seminar sessions, impressions and one question."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renkei.inquiries.models import Inquiry
from renkei.inquiries.services import InquiryData, QuestionData, create_inquiry, send_inquiry
from renkei.programmes.models import Activity, FiscalYear, GroupKind
from renkei.tenancy.models import Organisation

TITLE = "【デモ】広域連携事業の実績照会"


class Command(BaseCommand):
    help = "デモ用の照会を1件作成して送付します（作成済みなら何もしません）。"

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("デモ用の照会は DEBUG=true のときだけ作成できます。")
        secretariat = get_user_model().objects.filter(username="jimukyoku").first()
        if secretariat is None:
            raise CommandError("先に renkei create_demo_users を実行してください。")
        year = (
            FiscalYear.objects.filter(union=secretariat.staff_profile.union)
            .order_by("-year")
            .first()
        )
        if year is None or Inquiry.objects.filter(fiscal_year=year, title=TITLE).exists():
            return
        union = year.union
        recipients = [
            *union.members.order_by("membership__order"),
            *Organisation.objects.filter(code="131032"),
        ]
        sessions = list(
            Activity.objects.filter(
                group__programme__fiscal_year=year, group__kind=GroupKind.SEMINAR_SERIES
            )[:2]
        )
        data = InquiryData(
            title=TITLE,
            deadline=timezone.localdate() + timedelta(days=14),
            instructions="各団体が実施した取組（日付・場所・内容・写真）と、研修への出席者数、感想を記入してください。",
            recipients=recipients,
            programmes=list(year.programmes.order_by("number")[:1]),
            activities=sessions,
            questions=[QuestionData("来年度の研修への参加予定人数", "number")],
        )
        inquiry = send_inquiry(create_inquiry(year, secretariat, data), secretariat)
        self.stdout.write(f"デモの照会「{inquiry.title}」を送付しました（職員画面の「照会」）。")
