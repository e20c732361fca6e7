"""``renkei send_reminders``: queue the deadline reminders due today and mail every
pending 照会 notification, one digest per person. Safe to run as often as wanted (cron,
a systemd timer): nobody gets the same event twice."""

from django.core.management.base import BaseCommand

from renkei.inquiries.notifications import send_due_mail
from renkei.wareki import parse_date


class Command(BaseCommand):
    help = (
        "照会の通知メール（締切のお知らせを含む）を送ります。何度実行しても同じ通知は1度だけです。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", help="この日付として実行します（確認用。例: 2025-03-01）")

    def handle(self, *args, today=None, **options):
        sent = send_due_mail(parse_date(today) if today else None)
        self.stdout.write(f"{sent} mail(s) sent")
