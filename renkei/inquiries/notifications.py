"""Mail about 照会: events are queued as ``Notification`` rows in the service's
transaction (sent, returned, approved) or by ``send_reminders`` (deadlines), then mailed
as one digest per person by ``send_due_mail``.

Idempotent: an event has a key unique per person, so queueing it twice adds nothing, and
a mailed notification is marked sent in the transaction that mailed it; a run that fails
before its commit leaves them pending for the next run (at least once, never lost).
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from renkei import wareki
from renkei.tenancy.models import Role

from .models import (
    OPEN_STATUSES,
    OPTIONAL_KINDS,
    InquiryPart,
    InquiryState,
    MailOptOut,
    Notification,
    NotificationKind,
)

RECIPIENT_ROLES = (Role.MEMBER, Role.PARTNER)


def responsible_staff(part: InquiryPart):
    """The active staff of the part's organisation in the inquiry's union, with an address."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            staff_profile__organisation=part.organisation_id,
            staff_profile__union=part.inquiry.fiscal_year.union_id,
            staff_profile__role__in=RECIPIENT_ROLES,
        )
        .exclude(email="")
    )


def queue(part: InquiryPart, kind: str, key: str) -> int:
    """Queue one event of ``part`` for its responsible staff (those who turned this kind
    off are skipped, except for deadlines). Returns how many were queued."""
    users = responsible_staff(part)
    if kind in OPTIONAL_KINDS:
        muted = MailOptOut.objects.filter(kind=kind).values("user")
        users = users.exclude(pk__in=muted)
    made = Notification.objects.bulk_create(
        [Notification(user=user, part=part, kind=kind, key=key) for user in users],
        ignore_conflicts=True,
    )
    return len(made)


def queue_deadlines(today: date) -> None:
    """Deadline reminders for the open parts whose deadline is RENKEI_REMINDER_DAYS away
    (or less, once: a reminder missed by a day is still sent, keyed by the day it was due)."""
    days = sorted(settings.RENKEI_REMINDER_DAYS)
    if not days:
        return
    parts = InquiryPart.objects.filter(
        inquiry__state=InquiryState.SENT,
        status__in=OPEN_STATUSES,
        deadline__gte=today,
        deadline__lte=today + timedelta(days=max(days)),
    ).select_related("inquiry__fiscal_year", "organisation")
    for part in parts:
        left = (part.deadline - today).days
        due = min(d for d in days if d >= left)
        queue(part, NotificationKind.DEADLINE, f"deadline:{part.pk}:{part.deadline}:{due}")


def _line(notification: Notification) -> str:
    part = notification.part
    link = settings.RENKEI_BASE_URL + reverse("staff:part_detail", args=[part.pk])
    text = _("■ %(kind)s\n  照会: %(title)s（%(org)s）\n  締切: %(deadline)s\n  %(link)s") % {
        "kind": notification.get_kind_display(),
        "title": part.inquiry.title,
        "org": part.organisation.label,
        "deadline": wareki.format_date(part.deadline),
        "link": link,
    }
    if notification.kind == NotificationKind.RETURNED and part.return_comment:
        text += "\n" + _("  事務局のコメント: %(comment)s") % {"comment": part.return_comment}
    return text


def digest(user, notifications: list[Notification]) -> EmailMessage:
    """One mail with every pending event of one person."""
    subject = _("【Renkei】照会のお知らせ（%(n)s件）") % {"n": len(notifications)}
    name = user.get_full_name() or user.username
    body = "\n\n".join(
        [
            _("%(name)s 様") % {"name": name},
            _("広域連携事業の照会について、お知らせが%(n)s件あります。")
            % {"n": len(notifications)},
            *(_line(n) for n in notifications),
            _(
                "このメールは Renkei から自動で送信しています。締切のお知らせ以外は、"
                "照会の画面から受け取らない設定にできます。"
            ),
        ]
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def send_due_mail(today: date | None = None) -> int:
    """Queue today's deadline reminders, then mail every pending notification, one digest
    per person. Returns the number of mails sent."""
    today = today or timezone.localdate()
    with transaction.atomic():
        queue_deadlines(today)
    sent = 0
    with get_connection() as connection:
        pending_users = (
            Notification.objects.filter(sent_at__isnull=True)
            .values_list("user", flat=True)
            .distinct()
        )
        for user_id in list(pending_users):
            with transaction.atomic():
                rows = list(
                    Notification.objects.select_for_update()
                    .filter(user=user_id, sent_at__isnull=True)
                    .select_related("user", "part__inquiry", "part__organisation")
                )
                if not rows:
                    continue  # another run took them
                connection.send_messages([digest(rows[0].user, rows)])
                Notification.objects.filter(pk__in=[n.pk for n in rows]).update(
                    sent_at=timezone.now()
                )
                sent += 1
    return sent
