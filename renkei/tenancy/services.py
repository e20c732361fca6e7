"""Unions, users and roles: adding a union, creating, inviting and deactivating staff.

Every function runs in one transaction and writes the change log (the audit app's
models name the union by string, so writing entries from here makes no import cycle).
"""

import logging
import re
import secrets
import smtplib
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from renkei.changes import ChangeAction, announce_change
from renkei.errors import RenkeiError

from .codes import validate_local_government_code
from .models import Membership, Organisation, OrganisationKind, Role, StaffProfile, Union
from .permissions import Action, can

logger = logging.getLogger(__name__)

# User names: ASCII letters, digits and . _ @ + - (after NFKC, so ｊｉｍｕ typed full-width
# is jimu). Nothing invisible or look-alike (zero-width spaces, other scripts' letters).
USERNAME = re.compile(r"[A-Za-z0-9._@+-]{1,150}")


def normalise_username(text: str) -> str:
    """The user name as stored: NFKC-folded and checked against the safe set, and not
    taken by another user in any letter case. Raises RenkeiError with the reason."""
    name = unicodedata.normalize("NFKC", text or "").strip()
    if not USERNAME.fullmatch(name):
        raise RenkeiError(
            _("ユーザー名は半角の英字・数字と . _ @ + - だけで、150文字以内で入力してください。")
        )
    if get_user_model().objects.filter(username__iexact=name).exists():
        raise RenkeiError(
            _("ユーザー名「%(name)s」はすでに使われています（大文字と小文字は区別しません）。")
            % {"name": name}
        )
    return name


@transaction.atomic
def create_staff_user(
    *,
    username: str,
    password: str,
    union: Union,
    organisation: Organisation,
    role: str,
    actor=None,
    display_name: str = "",
):
    """Create a user working for ``organisation`` in ``union`` with ``role``. Staff work in
    the staff screens; the admin is for the installation's operators only."""
    username = normalise_username(username)
    try:
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=username, password=password, first_name=display_name
            )
    except IntegrityError as error:  # the same name created a moment ago by someone else
        raise RenkeiError(
            _("ユーザー名「%(name)s」はすでに使われています。") % {"name": username}
        ) from error
    profile = StaffProfile.objects.create(
        user=user, union=union, organisation=organisation, role=role
    )
    announce_change(
        user=actor,
        action=ChangeAction.CREATE,
        instance=profile,
        union=union,
        changes={"username": username, "role": role},
    )
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
        announce_change(
            user=actor,
            action=ChangeAction.STATE,
            instance=profile or user,
            union=profile.union if profile else None,
            changes={_("APIトークン"): [_("有効"), _("取り消し")]},
        )
    return bool(deleted)


@dataclass
class Invitation:
    """A new user with no password yet, and the two parts of their set-password link
    (``staff:password_set``): mailed to them (``send_invitation``) when they have an
    address, and shown to whoever invited them to hand over otherwise."""

    user: User
    uid: str
    token: str


def send_invitation(invitation: Invitation, link: str) -> bool:
    """Mail the set-password ``link`` to the invited user (EMAIL_URL). Returns whether it
    was sent: False without an address or when the mail server refused it, so the caller
    shows the link to be handed over instead (the user exists either way)."""
    user: Any = invitation.user
    if not user.email:
        return False
    body = _(
        "%(name)s 様\n\n広域連携事業の記録（Renkei）の利用者として登録されました。\n"
        "次のリンクを開いて、パスワードを決めてください。\n\n%(link)s\n\n"
        "このリンクは一度だけ使えます。心当たりがない場合は、このメールを破棄してください。\n"
    ) % {"name": user.get_full_name() or user.username, "link": link}
    try:
        send_mail(_("【Renkei】パスワードの設定"), body, None, [user.email])
    except (OSError, smtplib.SMTPException):
        logger.warning("invitation mail to user %s failed", user.pk, exc_info=True)
        return False
    return True


def _invite(actor, *, union, username, display_name, email, organisation, role) -> Invitation:
    user = create_staff_user(
        username=username,
        password=secrets.token_urlsafe(32),
        union=union,
        organisation=organisation,
        role=role,
        actor=actor,
        display_name=display_name,
    )
    user.set_unusable_password()
    user.email = email
    user.save(update_fields=["password", "email"])
    return Invitation(
        user, urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    )


@transaction.atomic
def invite_user(actor, *, union, username, display_name, email, organisation, role) -> Invitation:
    """Create a user of ``union`` with an unusable password (the secretariat's action)."""
    if not can(actor, Action.MANAGE_USERS, union):
        raise PermissionDenied
    return _invite(
        actor,
        union=union,
        username=username,
        display_name=display_name,
        email=email,
        organisation=organisation,
        role=role,
    )


@transaction.atomic
def deactivate_user(actor, staff_profile):
    """Stop a user signing in and using their API token; their records and history stay."""
    if not can(actor, Action.MANAGE_USERS, staff_profile):
        raise PermissionDenied
    if staff_profile.user_id == actor.pk:
        raise RenkeiError(_("自分自身を無効にすることはできません。"))
    user = staff_profile.user
    user.is_active = False
    user.save(update_fields=["is_active"])
    announce_change(
        user=actor,
        action=ChangeAction.STATE,
        instance=staff_profile,
        union=staff_profile.union,
        changes={"is_active": [True, False]},
    )
    revoke_api_token(actor, user)


# A new member's kind follows from the end of its name (川西町 → town).
KIND_BY_SUFFIX = (
    ("市", OrganisationKind.CITY),
    ("町", OrganisationKind.TOWN),
    ("村", OrganisationKind.VILLAGE),
    ("区", OrganisationKind.SPECIAL_WARD),
    ("都", OrganisationKind.PREFECTURE),
    ("道", OrganisationKind.PREFECTURE),
    ("府", OrganisationKind.PREFECTURE),
    ("県", OrganisationKind.PREFECTURE),
)


def _validated(instance, exclude=()):
    """``instance`` once its fields pass the model's validation (lengths, formats)."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        raise RenkeiError(" ".join(error.messages)) from error
    return instance


def _checked_code(code: str) -> str:
    try:
        validate_local_government_code(code)
    except ValidationError as error:
        raise RenkeiError(" ".join(error.messages)) from error
    return code


def member_organisation(code: str, name: str = "") -> Organisation:
    """The local government with ``code`` from the shared catalogue; one not yet in it is
    added when its name is given. A name that differs from the catalogue's is refused
    (a mistyped code would otherwise make another town a member)."""
    _checked_code(code)
    known = Organisation.objects.filter(code=code).first()
    if known is not None:
        if name and name not in (known.name, known.short_name):
            raise RenkeiError(
                _("全国地方公共団体コード %(code)s は「%(known)s」です（入力: %(name)s）。")
                % {"code": code, "known": known.name, "name": name}
            )
        return known
    if not name:
        raise RenkeiError(
            _(
                "全国地方公共団体コード %(code)s の団体は登録されていません。"
                "名称を添えて %(code)s=川西町 のように指定してください。"
            )
            % {"code": code}
        )
    kind = next((kind for suffix, kind in KIND_BY_SUFFIX if name.endswith(suffix)), None)
    if kind is None:
        raise RenkeiError(
            _(
                "「%(name)s」が市・町・村・特別区・都道府県のどれか分かりません"
                "（名称は「市」「町」「村」「区」などで終わります）。"
            )
            % {"name": name}
        )
    organisation = _validated(Organisation(code=code, name=name, kind=kind))
    organisation.save()
    return organisation


@transaction.atomic
def add_union(
    actor,
    *,
    name: str,
    slug: str,
    region_name: str,
    members: list[tuple[str, str]],
    secretariat_username: str,
    email: str = "",
    display_name: str = "",
    code: str = "",
    address: str = "",
) -> Invitation:
    """Put a union on the installation: its organisation (the secretariat's), its member
    local governments in the order given (``(code, name)``, the name needed only for a
    code not yet in the catalogue) and a first secretariat user with an invitation.
    Anything refused leaves nothing behind."""
    if Union.objects.filter(slug=slug).exists():
        raise RenkeiError(_("識別名「%(slug)s」の組合はすでにあります。") % {"slug": slug})
    if not members:
        raise RenkeiError(_("構成団体を1つ以上指定してください。"))
    codes = [member_code for member_code, _name in members]
    if len(set(codes)) != len(codes):
        raise RenkeiError(_("同じ全国地方公共団体コードが2回指定されています。"))
    if code and Organisation.objects.filter(code=_checked_code(code)).exists():
        raise RenkeiError(
            _("全国地方公共団体コード %(code)s の団体はすでにあります。") % {"code": code}
        )
    organisation = _validated(
        Organisation(name=name, kind=OrganisationKind.UNION, code=code or None)
    )
    union = _validated(
        Union(slug=slug, region_name=region_name, address=address), exclude=["organisation"]
    )
    organisation.save()
    union.organisation = organisation
    union.save()
    member_organisations = [member_organisation(code, name) for code, name in members]
    for order, member in enumerate(member_organisations, start=1):
        Membership.objects.create(union=union, order=order, organisation=member)
    # Recorded under the union's own fields, so that its history names them (団体, 構成団体);
    # the members as one text in 規約 order (a list of two would read as old → new).
    announce_change(
        user=actor,
        action=ChangeAction.CREATE,
        instance=union,
        union=union,
        changes={
            "organisation": organisation.pk,
            "slug": slug,
            "region_name": region_name,
            "members": "、".join(member.name for member in member_organisations),
        },
    )
    return _invite(
        actor,
        union=union,
        username=secretariat_username,
        display_name=display_name,
        email=email,
        organisation=organisation,
        role=Role.SECRETARIAT,
    )
