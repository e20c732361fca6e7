"""API tokens: DRF's ``Token``, accepted for ``RENKEI_API_TOKEN_TTL_HOURS`` after it was
issued. A user revokes their own token (DELETE /api/token/), the secretariat any of its
union's users' (staff screen 利用者); both through ``tenancy.services.revoke_api_token``."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token


def token_cutoff():
    """Tokens created at or before this moment have expired."""
    return timezone.now() - timedelta(hours=settings.RENKEI_API_TOKEN_TTL_HOURS)


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused with a 401 once the token has expired."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token.created <= token_cutoff():
            raise exceptions.AuthenticationFailed(
                _(
                    "APIトークンの有効期限が切れています。/api/token/ で新しいトークンを取得してください。"
                )
            )
        return user, token


@transaction.atomic
def issue_token(user) -> Token:
    """The user's API token: the one they hold, or a new one when it has expired."""
    Token.objects.filter(user=user, created__lte=token_cutoff()).delete()
    token, _created = Token.objects.get_or_create(user=user)
    return token
