"""Mail about 照会 through a real SMTP server (aiosmtpd, started by the test): who gets
what, one digest per person, nothing twice across runs of ``send_reminders``, Japanese
headers and body a mail client shows, and a link that opens the part."""

import io
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from renkei.inquiries.models import MailOptOut, NotificationKind
from renkei.inquiries.services import approve_part, return_part, submit_part
from tests.helpers.mail import Inbox, free_port

from .conftest import NANYO


@pytest.fixture
def inbox(settings):
    handler, port = Inbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.RENKEI_BASE_URL = "http://testserver"
    settings.RENKEI_REMINDER_DAYS = [7, 2]
    yield handler
    controller.stop()


@pytest.fixture
def staff(users, make_user):
    """Recipients' staff with addresses: two at 南陽市, one at 米沢市; the secretariat's
    own address never gets a recipient's mail."""
    for key, address in (
        ("member", "nanyo@example.jp"),
        ("other_member", "yonezawa@example.jp"),
        ("secretariat", "jimukyoku@example.jp"),
    ):
        users[key].email = address
        users[key].save()
    second = make_user("member", NANYO, username="nanyo-2")
    second.email = "nanyo-2@example.jp"
    second.save()
    return users | {"second": second}


def run(day) -> None:
    call_command("send_reminders", "--today", day.isoformat(), stdout=io.StringIO())


def to(messages) -> list[str]:
    return sorted(m["To"] for m in messages)


def test_send_reminders_across_a_deadline_mails_each_event_once(inbox, staff, sent, nanyo_part):
    today = timezone.localdate()
    deadline = nanyo_part.deadline  # 14 days away
    run(today)
    assert to(inbox.take()) == ["nanyo-2@example.jp", "nanyo@example.jp", "yonezawa@example.jp"]
    run(today)
    assert inbox.take() == []  # run twice: nobody gets a mail twice
    run(deadline - timedelta(days=8))
    assert inbox.take() == []  # not yet due
    run(deadline - timedelta(days=7))
    assert len(inbox.take()) == 3  # 7 days before: everyone still open
    run(deadline - timedelta(days=6))
    assert inbox.take() == []
    submit_part(nanyo_part, staff["member"])
    run(deadline - timedelta(days=2))
    assert to(inbox.take()) == ["yonezawa@example.jp"]  # 南陽市 has submitted
    run(deadline - timedelta(days=2))
    run(deadline - timedelta(days=1))
    run(deadline + timedelta(days=1))
    assert inbox.take() == []


def test_a_day_of_events_is_one_digest_in_japanese_with_a_working_link(
    inbox, staff, sent, nanyo_part, client
):
    run(timezone.localdate())
    inbox.take()
    submit_part(nanyo_part, staff["member"])
    return_part(nanyo_part, staff["secretariat"], comment="写真を追加してください")
    submit_part(nanyo_part, staff["member"])
    approve_part(nanyo_part, staff["secretariat"])
    run(timezone.localdate())
    messages = inbox.take()
    assert to(messages) == ["nanyo-2@example.jp", "nanyo@example.jp"]
    message = messages[0]
    # Folded after "Subject:" (an encoded word does not fit the first line); the
    # unfolded value keeps that one space, which mail clients drop.
    assert message["Subject"].strip() == "【Renkei】照会のお知らせ（2件）"
    assert message.get_content_charset() in ("utf-8", "iso-2022-jp")
    body = message.get_content()
    assert "回答が差し戻されました" in body and "回答が承認されました" in body
    assert "写真を追加してください" in body and sent.title in body
    link = f"http://testserver{reverse('staff:part_detail', args=[nanyo_part.pk])}"
    assert link in body
    client.force_login(staff["member"])
    assert client.get(link.removeprefix("http://testserver")).status_code == 200


def test_staff_may_turn_off_mails_but_not_deadlines(inbox, staff, users, year):
    from renkei.inquiries.services import create_inquiry, send_inquiry

    from .conftest import inquiry_data

    MailOptOut.objects.create(user=staff["second"], kind=NotificationKind.SENT)
    with transaction.atomic(), pytest.raises(IntegrityError):
        MailOptOut.objects.create(user=staff["second"], kind=NotificationKind.DEADLINE)
    inquiry = send_inquiry(
        create_inquiry(year, users["secretariat"], inquiry_data(year)), users["secretariat"]
    )
    run(timezone.localdate())
    assert "nanyo-2@example.jp" not in to(inbox.take())
    run(inquiry.deadline - timedelta(days=2))
    assert "nanyo-2@example.jp" in to(inbox.take())


def test_no_mail_without_a_sent_inquiry(inbox, staff, draft):
    run(timezone.localdate())
    assert inbox.take() == []


def test_the_secretariat_gets_no_recipients_mail(inbox, staff, sent):
    run(timezone.localdate())
    addresses = to(inbox.take())
    assert "jimukyoku@example.jp" not in addresses
    assert "yonezawa@example.jp" in addresses
