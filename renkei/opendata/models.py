"""Stable open-data IDs: once an activity is published under an ID, the ID is never reused."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from renkei.errors import RenkeiError


class PublishedId(models.Model):
    """The open-data ID (the ``ID`` column) of an activity; the row's own key is the ID.

    Rows are never deleted: when an activity is deleted the row stays with ``activity``
    empty, so the number is never handed to another activity. ``title_kana`` lets the
    secretariat override the automatic reading of the title (イベント名_カナ).
    """

    activity = models.OneToOneField(
        "programmes.Activity",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_id",
        verbose_name=_("活動"),
    )
    title_kana = models.CharField(
        _("イベント名（カナ）"),
        max_length=300,
        blank=True,
        help_text=_("空欄なら名称から自動で読みを付けます。"),
    )
    first_published_at = models.DateTimeField(_("初回公開日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("オープンデータID")
        verbose_name_plural = _("オープンデータID")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.pk)

    def delete(self, *args, **kwargs):
        raise RenkeiError(_("公開済みのIDは削除できません（再利用を防ぐため）。"))


@transaction.atomic
def allocate_ids(activities) -> dict[int, PublishedId]:
    """The published IDs of ``activities`` (by activity pk), allocating new ones in order."""
    activity_ids = [a.pk for a in activities]
    existing: dict[int, PublishedId] = {
        p.activity_id: p
        for p in PublishedId.objects.filter(activity_id__in=activity_ids)
        if p.activity_id is not None
    }
    missing = [pk for pk in activity_ids if pk not in existing]
    for pk in missing:
        existing[pk] = PublishedId.objects.create(activity_id=pk)
    return existing
