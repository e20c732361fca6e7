"""Records held by an answer of a higher layer: an organisation's part of an activity
(its attendance, impressions and photos, and for an initiative it led the activity
itself) that it handed in — a submitted 照会 part — and may no longer change."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from renkei.tenancy.models import Organisation
from renkei.tenancy.querysets import RestrictedQuerySet

from .activities import Activity


class RecordLock(models.Model):
    """One organisation's records on one activity, held by ``holder`` (a key the layer
    above chooses, such as ``inquiries.inquirypart:12``, so two answers covering the same
    records lift only their own hold). While it exists the organisation's staff cannot
    change those records through any entry point; the secretariat only with a reason
    (``programmes.locks.check_unlocked``)."""

    union_path = "activity__group__programme__fiscal_year__union"  # (tenancy.permissions)
    activity_path = "activity"  # partner staff see it only with its activity

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="locks")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("団体")
    )
    covers_activity = models.BooleanField(
        _("活動そのものを含む"),
        default=False,
        help_text=_("この団体が実施した取組として提出され、活動の内容も変更できません。"),
    )
    holder = models.CharField(max_length=100)
    label = models.CharField(_("提出された回答"), max_length=300)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("提出済みの記録")
        verbose_name_plural = _("提出済みの記録")
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "organisation", "holder"], name="recordlock_unique"
            ),
        ]
        indexes = [models.Index(fields=["holder"], name="recordlock_holder")]

    def __str__(self) -> str:
        return f"{self.organisation} / {self.activity}: {self.label}"
