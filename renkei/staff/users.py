"""Inviting and deactivating staff users (secretariat only), with the change log."""

import secrets

from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from renkei.audit.models import AuditEntry
from renkei.audit.services import record_change
from renkei.errors import RenkeiError
from renkei.tenancy.permissions import Action, can, profile_of
from renkei.tenancy.services import create_staff_user


@transaction.atomic
def invite_user(actor, *, username, display_name, email, organisation, role):
    """Create a user with an unusable random password; returns (user, uid, token) for the
    set-password link the secretariat hands over (no mail server is assumed)."""
    profile = profile_of(actor)
    if profile is None or not can(actor, Action.MANAGE_USERS, profile.union):
        raise PermissionDenied
    user = create_staff_user(username=username, password=secrets.token_urlsafe(32),
                             union=profile.union, organisation=organisation, role=role,
                             actor=actor, display_name=display_name)
    user.set_unusable_password()
    user.email = email
    user.save(update_fields=["password", "email"])
    return user, urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)


@transaction.atomic
def deactivate_user(actor, staff_profile):
    """Stop a user signing in; their records and history stay."""
    if not can(actor, Action.MANAGE_USERS, staff_profile):
        raise PermissionDenied
    if staff_profile.user_id == actor.pk:
        raise RenkeiError(_("自分自身を無効にすることはできません。"))
    user = staff_profile.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    record_change(user=actor, action=AuditEntry.Action.STATE, instance=staff_profile,
                  union=staff_profile.union, changes={"is_active": [True, False]})
