"""Users and roles within a union."""

import re
import unicodedata

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from renkei.audit.models import AuditEntry
from renkei.audit.services import record_change
from renkei.errors import RenkeiError

from .models import Organisation, Role, StaffProfile, Union

SECRETARIAT_GROUP = "事務局"
RENKEI_APPS = ("tenancy", "programmes", "finance", "audit")


def secretariat_group() -> Group:
    """The admin group holding every permission on Renkei's own records."""
    group, _ = Group.objects.get_or_create(name=SECRETARIAT_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=RENKEI_APPS))
    return group


# User names: ASCII letters, digits and . _ @ + - (after NFKC, so ｊｉｍｕ typed full-width
# is jimu). Nothing invisible or look-alike (zero-width spaces, other scripts' letters).
USERNAME = re.compile(r"[A-Za-z0-9._@+-]{1,150}")


def normalise_username(text: str) -> str:
    """The user name as stored: NFKC-folded and checked against the safe set, and not
    taken by another user in any letter case. Raises RenkeiError with the reason."""
    name = unicodedata.normalize("NFKC", text or "").strip()
    if not USERNAME.fullmatch(name):
        raise RenkeiError(_("ユーザー名は半角の英字・数字と . _ @ + - だけで、150文字以内で"
                            "入力してください。"))
    if get_user_model().objects.filter(username__iexact=name).exists():
        raise RenkeiError(_("ユーザー名「%(name)s」はすでに使われています（大文字と小文字は"
                            "区別しません）。") % {"name": name})
    return name


@transaction.atomic
def create_staff_user(*, username: str, password: str, union: Union, organisation: Organisation,
                      role: str, actor=None, display_name: str = ""):
    """Create a user working for ``organisation`` in ``union`` with ``role``."""
    username = normalise_username(username)
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=username, password=password, first_name=display_name,
                is_staff=role == Role.SECRETARIAT,
            )
    except IntegrityError as error:  # the same name created a moment ago by someone else
        raise RenkeiError(_("ユーザー名「%(name)s」はすでに使われています。")
                          % {"name": username}) from error
    if role == Role.SECRETARIAT:
        user.groups.add(secretariat_group())
    profile = StaffProfile.objects.create(user=user, union=union, organisation=organisation, role=role)
    record_change(user=actor, action=AuditEntry.Action.CREATE, instance=profile, union=union,
                  changes={"username": username, "role": role})
    return user
