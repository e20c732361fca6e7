"""Which organisations an attendance grid shows, and which rows the user may change."""

from django.utils.translation import gettext as _

from renkei.programmes.models import Attendance
from renkei.tenancy.permissions import Action, can


def grid_organisations(activity) -> list:
    """The union's members in 規約 order, then the union itself, its partners and any
    other organisation already counted."""
    union = activity.union
    members = list(union.members.order_by("membership__order"))
    others = [union.organisation]
    others += [p.organisation for p in union.partnerships.select_related("organisation")]
    others += [a.organisation for a in activity.attendances.all()]
    seen, result = set(), []
    for org in members + others:
        if org.pk not in seen:
            seen.add(org.pk)
            result.append(org)
    return result


def attendance_rows(activity, user) -> list[tuple]:
    """(organisation id, label, current count, editable) for a CountsForm."""
    current = {a.organisation_id: a.count for a in activity.attendances.all()}
    member_ids = set(activity.union.members.values_list("pk", flat=True))
    rows = []
    for org in grid_organisations(activity):
        editable = can(user, Action.CONTRIBUTE, Attendance(activity=activity, organisation=org))
        label = org.label
        if org.pk == activity.union.organisation_id and org.pk not in member_ids:
            label = _("%(org)s（本組合）") % {"org": org.label}
        rows.append((org.pk, label, current.get(org.pk), editable))
    return rows


def member_flags(activity) -> dict:
    """Per organisation id: kind and membership, for the live phrase script."""
    union = activity.union
    member_ids = set(union.members.values_list("pk", flat=True))
    return {org.pk: {"kind": org.kind, "label": org.label, "member": org.pk in member_ids,
                     "union": org.pk == union.organisation_id}
            for org in grid_organisations(activity)}
