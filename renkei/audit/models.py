"""The change log every service writes to: who changed what, when, and why."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.changes import ChangeAction
from renkei.tenancy.querysets import RestrictedQuerySet


class AuditEntry(models.Model):
    """One change to one record. Written by services, never edited afterwards."""

    union_path = "union"  # how a record reaches its union (tenancy.permissions)

    Action = ChangeAction

    union = models.ForeignKey(
        "tenancy.Union", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("利用者"),
    )
    at = models.DateTimeField(_("日時"), auto_now_add=True, db_index=True)
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    model = models.CharField(_("記録の種類"), max_length=100)
    object_id = models.CharField(_("記録ID"), max_length=64)
    object_repr = models.CharField(_("記録"), max_length=200)
    changes = models.JSONField(_("変更内容"), default=dict, blank=True)
    reason = models.CharField(_("理由"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("変更履歴")
        verbose_name_plural = _("変更履歴")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.object_repr}"
