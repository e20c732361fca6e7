"""Records an organisation handed in (``RecordLock``): the layer above holds them when an
answer is submitted and lifts the hold when it is returned; every service of this app
that changes an organisation's records on an activity asks ``check_unlocked`` first, so
the staff screens, the API, the imports and the admin all meet the same rule."""

from django.db import transaction
from django.utils.translation import gettext as _

from renkei.errors import RenkeiError
from renkei.tenancy.permissions import Action, can

from .models import RecordLock


@transaction.atomic
def hold_records(
    holder: str, label: str, organisation, *, activities=(), initiatives=()
) -> list[RecordLock]:
    """Hold ``organisation``'s records on ``activities`` (its attendance, impressions and
    photos) and on ``initiatives`` (those and the activity itself) for ``holder``,
    replacing the holder's earlier hold. ``label`` says what holds them, for the message."""
    RecordLock.objects.filter(holder=holder).delete()
    covered = {a.pk: True for a in initiatives}
    for activity in activities:
        covered.setdefault(activity.pk, False)
    return RecordLock.objects.bulk_create(
        RecordLock(
            activity_id=pk,
            organisation=organisation,
            covers_activity=whole,
            holder=holder,
            label=label,
        )
        for pk, whole in covered.items()
    )


def release_records(holder: str) -> int:
    """Lift ``holder``'s hold (an answer returned to its organisation)."""
    deleted, _by_model = RecordLock.objects.filter(holder=holder).delete()
    return deleted


def check_unlocked(user, activity, organisation_ids=(), *, whole=False, reason="") -> None:
    """Refuse a change of records someone handed in: ``organisation_ids``' records on
    ``activity``, and with ``whole`` the activity itself (its fields, schedule, leads).
    Their organisation's staff are refused with the reason; the secretariat changes them
    only with a reason, which the change log keeps."""
    ids = set(organisation_ids)
    held = [
        lock
        for lock in RecordLock.objects.filter(activity=activity).select_related("organisation")
        if lock.organisation_id in ids or (whole and lock.covers_activity)
    ]
    if not held:
        return
    lock = held[0]
    if can(user, Action.EDIT_YEAR, activity):
        if (reason or "").strip():
            return
        raise RenkeiError(
            _(
                "この記録は%(org)sが提出した%(label)sに含まれています。"
                "変更するには変更の理由を入力してください（変更の履歴に残ります）。"
                "理由を残さずに直してもらうときは、回答を差し戻してください。"
            )
            % {"org": lock.organisation.label, "label": lock.label},
            details={"field": "reason"},
        )
    raise RenkeiError(
        _(
            "この記録は%(org)sが提出した%(label)sに含まれているため、変更できません。"
            "変更が必要なときは事務局に差戻しを依頼してください。"
        )
        % {"org": lock.organisation.label, "label": lock.label}
    )
