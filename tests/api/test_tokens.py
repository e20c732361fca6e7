"""API tokens: issued behind the sign-in throttle, expiring, revocable by their user and
by the union's secretariat."""

from datetime import timedelta

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from renkei.audit.models import AuditEntry
from renkei.tenancy.signin import LIMITS
from tests.conftest import PASSWORD, at_once

TOKEN = "/api/token/"


@pytest.fixture
def member(create_two_town_union, create_user):
    """米沢市 staff of a factory-made union."""
    from renkei.tenancy.models import Organisation

    union = create_two_town_union()
    return create_user("member", Organisation.objects.get(code="062022"), union=union)


def with_token(key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_token_for_name_and_password(member):
    response = APIClient().post(TOKEN, {"username": member.username, "password": PASSWORD})
    assert response.status_code == 200
    assert with_token(response.json()["token"]).get("/api/activities/").status_code == 200


def test_token_refused_after_five_wrong_passwords(member):
    """/api/token/ took 50 wrong passwords and then the right one."""
    client = APIClient()
    for _ in range(5):
        assert client.post(TOKEN, {"username": member.username, "password": "x"}).status_code == 400
    response = client.post(TOKEN, {"username": member.username, "password": PASSWORD})
    assert response.status_code == 429
    error = response.json()["error"]
    assert error["code"] == "throttled" and "ログインの失敗が続いたため" in error["message"]
    assert 14 * 60 < int(response["Retry-After"]) <= 15 * 60
    assert not Token.objects.filter(user=member).exists()


def test_one_count_for_the_api_and_the_sign_in_pages(member):
    for _ in range(3):
        Client().post("/staff/login/", {"username": member.username, "password": "x"})
    for _ in range(2):
        APIClient().post(TOKEN, {"username": member.username, "password": "x"})
    response = APIClient().post(TOKEN, {"username": member.username, "password": PASSWORD})
    assert response.status_code == 429


def test_parallel_wrong_attempts_are_checked_at_most_the_limit(
    transactional_db, member, password_checks
):
    responses = at_once(
        40, lambda i: APIClient().post(TOKEN, {"username": member.username, "password": f"x{i}"})
    )
    assert len(password_checks) == LIMITS["address"]
    assert sorted(r.status_code for r in responses) == [400] * 5 + [429] * 35


def test_expired_token_is_refused_and_a_new_one_issued(member, settings):
    token = Token.objects.create(user=member)
    hours = settings.RENKEI_API_TOKEN_TTL_HOURS
    Token.objects.filter(pk=token.pk).update(created=token.created - timedelta(hours=hours - 1))
    assert with_token(token.key).get("/api/activities/").status_code == 200
    Token.objects.filter(pk=token.pk).update(created=token.created - timedelta(hours=hours + 1))
    response = with_token(token.key).get("/api/activities/")
    assert response.status_code == 401
    assert "有効期限が切れています" in response.json()["error"]["message"]
    assert response["WWW-Authenticate"] == "Token"
    fresh = APIClient().post(TOKEN, {"username": member.username, "password": PASSWORD}).json()
    assert fresh["token"] != token.key
    assert with_token(fresh["token"]).get("/api/activities/").status_code == 200


def test_token_lifetime_is_configured(member, settings):
    settings.RENKEI_API_TOKEN_TTL_HOURS = 1
    token = Token.objects.create(user=member)
    Token.objects.filter(pk=token.pk).update(created=token.created - timedelta(hours=2))
    assert with_token(token.key).get("/api/activities/").status_code == 401


def test_user_revokes_own_token(member):
    key = Token.objects.create(user=member).key
    assert with_token(key).delete(TOKEN).status_code == 204
    response = with_token(key).get("/api/activities/")
    assert response.status_code == 401
    assert AuditEntry.objects.filter(
        model="tenancy.staffprofile", user=member, object_id=str(member.staff_profile.pk)
    ).exists()


def test_revoking_needs_a_signed_in_caller(member):
    response = APIClient().delete(TOKEN)
    assert response.status_code == 401
    assert response.json()["error"]["message"]
