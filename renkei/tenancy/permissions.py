"""Who may see and do what: the one place every page, download and API path asks.

A user works for one union and one organisation in one role (``StaffProfile``).
``scope(queryset, user)`` limits any union-owned queryset to what the user may see;
``can(user, action, obj)`` answers whether the user may do ``action`` on ``obj``.

The installation's operators (active superusers, ``is_operator``) work in the admin, on
records of any union and on the shared catalogues; they have no union, so ``scope()``
shows them nothing and the staff screens and the API are not theirs.
"""

from enum import StrEnum

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

from .models import Role, StaffProfile


class Action(StrEnum):
    VIEW = "view"  # read the union's records
    VIEW_BUDGET = "view_budget"  # the budget and settlement lines (not the partner's)
    EDIT_YEAR = "edit_year"  # years, programmes, activities, narrative
    EDIT_BUDGET = "edit_budget"  # budget and settlement lines
    CLOSE_YEAR = "close_year"
    CONTRIBUTE = "contribute"  # own organisation's attendance, photos, impressions,
    # and proposing their publication
    PUBLISH = "publish"  # make an activity or photo public (portal, 公開版)
    ISSUE_REPORT = "issue_report"
    DOWNLOAD_REPORT = "download_report"  # the report's public edition (公開版)
    DOWNLOAD_INTERNAL_REPORT = "download_internal_report"  # 内部版: every record
    MANAGE_USERS = "manage_users"
    VIEW_HISTORY = "view_history"
    MANAGE_INQUIRIES = "manage_inquiries"  # open, send, extend, close 照会; approve or return parts
    ANSWER_INQUIRY = "answer_inquiry"  # fill in and submit the own organisation's open part
    LEAD_ACTIVITY = "lead_activity"  # add an activity led by the own organisation, in a
    # programme its open part of a 照会 asks about
    VIEW_SHARES = "view_shares"  # every member's share (分担金) and notice
    VIEW_OWN_SHARE = "view_own_share"  # the own organisation's share and notice


ALLOWED: dict[str, frozenset[Action]] = {
    Role.SECRETARIAT: frozenset(Action),
    Role.MEMBER: frozenset(
        {
            Action.VIEW,
            Action.VIEW_BUDGET,
            Action.CONTRIBUTE,
            Action.DOWNLOAD_REPORT,
            Action.DOWNLOAD_INTERNAL_REPORT,
            Action.ANSWER_INQUIRY,
            Action.LEAD_ACTIVITY,
            Action.VIEW_OWN_SHARE,
        }
    ),
    # The report is joint work: the partner has its public edition; the internal one holds
    # records (seminars, every attendance) that its screens do not show it. The union's
    # budget is the union's: the partner reads the settlement only where it is published
    # (the report's public edition), never the budget lines or their execution.
    Role.PARTNER: frozenset(
        {
            Action.VIEW,
            Action.CONTRIBUTE,
            Action.DOWNLOAD_REPORT,
            Action.ANSWER_INQUIRY,
            Action.LEAD_ACTIVITY,
        }
    ),
    Role.AUDITOR: frozenset(
        {
            Action.VIEW,
            Action.VIEW_BUDGET,
            Action.DOWNLOAD_REPORT,
            Action.DOWNLOAD_INTERNAL_REPORT,
            Action.VIEW_HISTORY,
            Action.VIEW_SHARES,
        }
    ),
}

# Actions on a record of one recipient (an inquiry's part): only its own organisation's
# staff, and only while the record accepts answers (``accepts_answers``: sent, not yet
# submitted or approved). The secretariat does not answer for a recipient.
RECIPIENT_ACTIONS = {Action.ANSWER_INQUIRY, Action.LEAD_ACTIVITY}
# Who reads a year's execution (the secretariat and the auditors): any one of these lets a
# person read its money records, their sheets and the 決算書.
EXECUTION_READERS = (Action.EDIT_BUDGET, Action.VIEW_HISTORY)


def profile_of(user) -> StaffProfile | None:
    """The user's role in a union, or None for anonymous and unattached users."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.staff_profile
    except StaffProfile.DoesNotExist:
        return None


def is_union_owned(model) -> bool:
    """Whether records of ``model`` belong to a union (it declares ``union_path``)."""
    return isinstance(getattr(model, "union_path", None), str)


def union_path(model) -> str:
    """How a record of ``model`` reaches its union: each union-owned model says so itself
    (``union_path = "fiscal_year__union"``, pretix's scoping idea); a model that does not is
    not union-owned, and asking is a programming error."""
    if not is_union_owned(model):
        raise ImproperlyConfigured(f"{model._meta.label} does not declare union_path")
    return model.union_path


def union_of(obj):
    """The union an object belongs to."""
    path = union_path(type(obj))
    for step in path.split("__") if path else []:
        obj = getattr(obj, step)
    return obj


def organisation_of(obj):
    """The organisation a contribution belongs to (attendance, photo), or None."""
    return getattr(obj, "organisation", None)


def owner_ids(obj) -> set[int]:
    """Organisations whose staff may contribute to ``obj``: an activity's organiser and
    lead municipalities (and the bodies above them, so 港区 staff own what its branch
    芝地区総合支所 organised); otherwise the contribution's own organisation."""
    if getattr(type(obj), "activity_path", None) == "":  # an activity itself
        if obj.pk is None:
            return set()
        owners = obj.leads()
        if obj.organiser is not None:
            owners.append(obj.organiser)
        return {o.pk for o in owners} | {o.parent_id for o in owners if o.parent_id}
    owner = organisation_of(obj)
    return {owner.pk} if owner is not None else set()


def scope(queryset: QuerySet, user) -> QuerySet:
    """The part of ``queryset`` the user may see: their union's records, and for partner
    staff only the activities of the partnership (those with a ひと・もの・こと pillar)."""
    profile = profile_of(user)
    if profile is None:
        return queryset.none()
    path = union_path(queryset.model)
    queryset = queryset.filter(**{path or "pk": profile.union_id})
    activity = getattr(queryset.model, "activity_path", None)  # "" for the activity itself
    if profile.role == Role.PARTNER and activity is not None:
        prefix = f"{activity}__" if activity else ""
        queryset = queryset.filter(
            Q(**{f"{prefix}pillars__isnull": False})
            | Q(**{f"{prefix}attendances__organisation": profile.organisation_id})
        ).distinct()
    # Records of one recipient organisation (a 照会's part, ``own_organisation_path``):
    # member and partner staff see only their own organisation's.
    own = getattr(queryset.model, "own_organisation_path", None)
    if own and profile.role in (Role.MEMBER, Role.PARTNER):
        queryset = queryset.filter(**{own: profile.organisation_id})
    return queryset


def is_operator(user) -> bool:
    """An operator of the installation: an active superuser (the admin's only users)."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


def can(user, action: Action, obj=None) -> bool:
    """Whether the user may do ``action`` (on ``obj``, when given). Operators may act on
    any given record (through the admin); acting for a union without a record is its
    staff's."""
    if obj is not None and is_operator(user):
        return True
    profile = profile_of(user)
    if profile is None or action not in ALLOWED[profile.role]:
        return False
    if obj is None:
        return True
    if union_of(obj).pk != profile.union_id:
        return False
    if action in RECIPIENT_ACTIONS:
        return profile.organisation_id == getattr(obj, "organisation_id", None) and bool(
            getattr(obj, "accepts_answers", False)
        )
    if action == Action.CONTRIBUTE and profile.role != Role.SECRETARIAT:
        return profile.organisation_id in owner_ids(obj)
    return True
