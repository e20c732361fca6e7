"""The secretariat's yearly 照会 (inquiry) and each recipient's part of it.

An inquiry asks the recipients of one fiscal year for the initiatives they led within
chosen programmes, their attendance at chosen activities (seminar sessions among them),
their impressions and answers to free questions. Sending it gives every recipient
organisation one ``InquiryPart``, which its staff fill in and submit and the secretariat
approves or returns. The records the parts produce (activities, attendance) are the
year's own records in ``programmes``; a part holds only the impressions and answers.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renkei.programmes.models import Activity, FiscalYear, Programme
from renkei.tenancy.models import Organisation
from renkei.tenancy.querysets import RestrictedQuerySet


class InquiryState(models.TextChoices):
    DRAFT = "draft", _("下書き")
    SENT = "sent", _("送付済み")
    CLOSED = "closed", _("締切済み")


class Inquiry(models.Model):
    """A 照会 of the secretariat for one fiscal year: what is asked, of whom, by when."""

    union_path = "fiscal_year__union"  # how a record reaches its union (tenancy.permissions)

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="inquiries", verbose_name=_("年度")
    )
    title = models.CharField(_("件名"), max_length=200)
    instructions = models.TextField(_("依頼内容・記入の注意"), blank=True)
    deadline = models.DateField(_("締切日"))
    state = models.CharField(
        _("状態"), max_length=20, choices=InquiryState.choices, default=InquiryState.DRAFT
    )
    recipients = models.ManyToManyField(Organisation, related_name="+", verbose_name=_("照会先"))
    programmes = models.ManyToManyField(
        Programme,
        blank=True,
        related_name="+",
        verbose_name=_("取組を照会する事業"),
        help_text=_("照会先が実施した取組（活動）をこの事業の中に記入してもらいます。"),
    )
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="+", verbose_name=_("出席者数を照会する活動")
    )
    asks_impressions = models.BooleanField(_("感想を照会する"), default=True)
    sent_at = models.DateTimeField(_("送付日時"), null=True, blank=True)
    closed_at = models.DateTimeField(_("締切日時"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("照会")
        verbose_name_plural = _("照会")
        ordering = ["-fiscal_year__year", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=[c.value for c in InquiryState]), name="inquiry_state_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def union(self):
        return self.fiscal_year.union


class AnswerType(models.TextChoices):
    TEXT = "text", _("文章")
    NUMBER = "number", _("数値")


class Question(models.Model):
    """A free question of an inquiry, answered with a text or a number."""

    union_path = (
        "inquiry__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    )

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("順序"), default=0)
    text = models.CharField(_("質問"), max_length=500)
    answer_type = models.CharField(
        _("回答の形式"), max_length=10, choices=AnswerType.choices, default=AnswerType.TEXT
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("質問")
        verbose_name_plural = _("質問")
        ordering = ["inquiry", "order", "pk"]

    def __str__(self) -> str:
        return self.text


class PartStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未着手")
    IN_PROGRESS = "in_progress", _("作成中")
    SUBMITTED = "submitted", _("提出済")
    RETURNED = "returned", _("差戻し")
    APPROVED = "approved", _("承認済")


# The statuses in which the recipient may still change its part.
OPEN_STATUSES = (PartStatus.NOT_STARTED, PartStatus.IN_PROGRESS, PartStatus.RETURNED)


class InquiryPart(models.Model):
    """One recipient organisation's part of a sent inquiry."""

    union_path = (
        "inquiry__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    )
    own_organisation_path = "organisation"  # members and the partner see only their own

    inquiry = models.ForeignKey(Inquiry, on_delete=models.CASCADE, related_name="parts")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("照会先")
    )
    status = models.CharField(
        _("状況"), max_length=20, choices=PartStatus.choices, default=PartStatus.NOT_STARTED
    )
    deadline = models.DateField(_("締切日"))
    impressions = models.TextField(_("感想"), blank=True)
    return_comment = models.TextField(_("差戻しのコメント"), blank=True)
    submitted_at = models.DateTimeField(_("提出日時"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("提出者"),
    )
    decided_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("確認者"),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("照会への回答")
        verbose_name_plural = _("照会への回答")
        ordering = ["inquiry", "organisation__code", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["inquiry", "organisation"], name="inquirypart_unique"),
            models.CheckConstraint(
                condition=Q(status__in=[c.value for c in PartStatus]),
                name="inquirypart_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inquiry} / {self.organisation}"

    @property
    def accepts_answers(self) -> bool:
        """The recipient may still change it: the inquiry is out and the part is neither
        submitted nor approved (``tenancy.permissions.can`` reads this)."""
        return self.inquiry.state == InquiryState.SENT and self.status in OPEN_STATUSES


class Answer(models.Model):
    """A recipient's answer to one question."""

    union_path = (
        "part__inquiry__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    )

    part = models.ForeignKey(InquiryPart, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(_("回答"), blank=True)
    number = models.DecimalField(
        _("回答（数値）"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        constraints = [
            models.UniqueConstraint(fields=["part", "question"], name="answer_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.question}: {self.value}"

    @property
    def value(self):
        return self.number if self.question.answer_type == AnswerType.NUMBER else self.text

    @property
    def is_filled(self) -> bool:
        return self.number is not None or bool(self.text.strip())


class NotificationKind(models.TextChoices):
    SENT = "sent", _("照会が届きました")
    RETURNED = "returned", _("回答が差し戻されました")
    APPROVED = "approved", _("回答が承認されました")
    DEADLINE = "deadline", _("締切が近づいています")


# Mails a user may turn off: every kind except the deadline reminders.
OPTIONAL_KINDS = (NotificationKind.SENT, NotificationKind.RETURNED, NotificationKind.APPROVED)


class Notification(models.Model):
    """One event to mail to one person; ``send_reminders`` mails a person's pending
    events as one digest and marks them sent. ``key`` names the event, so the same event
    (a deadline reminder for one day) is never queued twice."""

    union_path = (
        "part__inquiry__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    )

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    part = models.ForeignKey(InquiryPart, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("種類"), max_length=20, choices=NotificationKind.choices)
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("送信日時"), null=True, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_once")]
        indexes = [models.Index(fields=["sent_at", "user"], name="notification_pending")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()}"


class MailOptOut(models.Model):
    """A kind of mail a person turned off (never the deadline reminders)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("種類"), max_length=20, choices=NotificationKind.choices)

    class Meta:
        verbose_name = _("受け取らないメール")
        verbose_name_plural = _("受け取らないメール")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="mailoptout_unique"),
            models.CheckConstraint(
                condition=~Q(kind=NotificationKind.DEADLINE), name="mailoptout_not_deadline"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()}"
