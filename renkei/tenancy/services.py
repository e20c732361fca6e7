"""Users and roles within a union."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext
from rest_framework.authtoken.models import Token

from renkei.audit.models import AuditEntry
from renkei.audit.services import record_change

from .models import Organisation, Role, StaffProfile, Union
from .permissions import Action, can

SECRETARIAT_GROUP = "事務局"
RENKEI_APPS = ("tenancy", "programmes", "finance", "audit")


def secretariat_group() -> Group:
    """The admin group holding every permission on Renkei's own records."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=RENKEI_APPS))
    return group


@transaction.atomic
def create_staff_user(*, username: str, password: str, union: Union, organisation: Organisation,
                      role: str, actor=None, display_name: str = ""):
    """Create a user working for ``organisation`` in ``union`` with ``role``."""
    user = get_user_model().objects.create_user(
        username=username, password=password, first_name=display_name,
        is_staff=role == Role.SECRETARIAT,
    )
    if role == Role.SECRETARIAT:
        user.groups.add(secretariat_group())
    profile = StaffProfile.objects.create(user=user, union=union, organisation=organisation, role=role)
    record_change(user=actor, action=AuditEntry.Action.CREATE, instance=profile, union=union,
                  changes={"username": username, "role": role})
    return user


@transaction.atomic
def revoke_api_token(actor, user) -> bool:
    """Delete ``user``'s API token: their own, or as the secretariat (MANAGE_USERS) that of
    a user of its union. Logged in the change log; returns whether there was a token."""
    profile = StaffProfile.objects.filter(user=user).select_related("union").first()
    if actor.pk != user.pk and (profile is None or not can(actor, Action.MANAGE_USERS, profile)):
        raise PermissionDenied
    deleted, _rows = Token.objects.filter(user=user).delete()
    if deleted:
        record_change(user=actor, action=AuditEntry.Action.STATE, instance=profile or user,
                      union=profile.union if profile else None,
                      changes={gettext("APIトークン"): [gettext("有効"), gettext("取り消し")]})
    return bool(deleted)
