"""Sign-in with Django auth on the staff screens and the admin, behind the one throttle;
inviting, deactivating, revoking API tokens."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db.models import F
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from renkei.audit.models import AuditEntry
from renkei.tenancy.models import Organisation, SignInCounter, StaffProfile
from renkei.tenancy.signin import LIMITS
from tests.conftest import PASSWORD, at_once

LOGIN = "/staff/login/"
ADMIN_LOGIN = "/admin/login/"


def test_sign_in_lands_on_year_overview(client, staff, year):
    response = client.post(
        LOGIN, {"username": staff["member"].username, "password": PASSWORD}, follow=True
    )
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("staff:home")
    assert "令和6年度" in text and "構成市町別の参加（延べ）" in text
    assert "米沢市" in text


def test_wrong_password_is_refused_in_japanese(client, staff):
    response = client.post(LOGIN, {"username": staff["member"].username, "password": "nope"})
    assert response.status_code == 200
    assert "ユーザー名またはパスワードが違います" in response.content.decode()


def test_sign_in_throttled_after_five_failures(client, staff):
    name = staff["member"].username
    for _ in range(5):
        client.post(LOGIN, {"username": name, "password": "wrong"})
    response = client.post(LOGIN, {"username": name, "password": PASSWORD})
    assert "ログインの失敗が続いたため" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # another user from the same address is not locked out
    response = client.post(LOGIN, {"username": staff["auditor"].username, "password": PASSWORD})
    assert response.status_code == 302


def fail_five_times(client, name, url=LOGIN):
    for _ in range(5):
        client.post(url, {"username": name, "password": "wrong"})


def test_failures_are_counted_in_the_database_every_worker_shares(client, staff):
    name = staff["member"].username
    fail_five_times(client, name)
    assert SignInCounter.objects.count() == 2  # per name and address, per name
    caches["default"].clear()  # a worker process's own memory holds none of it
    response = Client().post(LOGIN, {"username": name, "password": PASSWORD})
    assert "ログインの失敗が続いたため" in response.content.decode()


@pytest.mark.parametrize(("minutes", "locked"), [(10, True), (16, False)])
def test_lock_lasts_the_whole_window(client, staff, minutes, locked):
    name = staff["member"].username
    fail_five_times(client, name)
    SignInCounter.objects.update(window_ends=F("window_ends") - timedelta(minutes=minutes))
    response = Client().post(LOGIN, {"username": name, "password": PASSWORD})
    assert ("ログインの失敗が続いたため" in response.content.decode()) is locked


def test_admin_sign_in_is_throttled_like_the_staff_screens(client, staff):
    """The admin took 30 wrong passwords and then the right one."""
    name = staff["secretariat"].username
    fail_five_times(client, name, ADMIN_LOGIN)
    response = client.post(ADMIN_LOGIN, {"username": name, "password": PASSWORD})
    assert response.status_code == 200
    assert "ログインの失敗が続いたため" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_count_for_the_staff_screens_and_the_admin(client, staff):
    name = staff["secretariat"].username
    for url in (LOGIN, ADMIN_LOGIN, LOGIN, ADMIN_LOGIN, LOGIN):
        client.post(url, {"username": name, "password": "wrong"})
    response = client.post(LOGIN, {"username": name, "password": PASSWORD})
    assert "ログインの失敗が続いたため" in response.content.decode()


@pytest.mark.parametrize("url", [LOGIN, ADMIN_LOGIN])
def test_parallel_wrong_attempts_are_checked_at_most_the_limit(
    transactional_db, staff, password_checks, url
):
    """40 wrong attempts at the same instant: each reserves its attempt before its
    password is looked at, so only the first five are checked (it was 24)."""
    name = staff["secretariat"].username
    responses = at_once(40, lambda i: Client().post(url, {"username": name, "password": f"x{i}"}))
    assert all(r.status_code == 200 for r in responses)
    assert len(password_checks) == LIMITS["address"]
    locked = sum("ログインの失敗が続いたため" in r.content.decode() for r in responses)
    assert locked == 40 - LIMITS["address"]


def test_forwarded_for_is_ignored_without_trusted_proxies(client, staff):
    """A client cannot pose as a new address by writing X-Forwarded-For itself."""
    name = staff["member"].username
    for i in range(5):
        client.post(
            LOGIN, {"username": name, "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}"
        )
    response = client.post(
        LOGIN, {"username": name, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="198.51.100.99"
    )
    assert "ログインの失敗が続いたため" in response.content.decode()


def test_behind_one_trusted_proxy_the_client_address_counts(client, staff, settings):
    """Behind one proxy (REMOTE_ADDR is the proxy) the address it appended is the client's;
    what the client wrote before it is not."""
    settings.RENKEI_TRUSTED_PROXY_COUNT = 1
    name = staff["member"].username
    for i in range(5):
        client.post(
            LOGIN,
            {"username": name, "password": "wrong"},
            HTTP_X_FORWARDED_FOR=f"10.9.9.{i}, 203.0.113.7",
        )
    response = client.post(
        LOGIN, {"username": name, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    assert "ログインの失敗が続いたため" in response.content.decode()
    response = Client().post(
        LOGIN, {"username": name, "password": PASSWORD}, HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert response.status_code == 302  # another client behind the same proxy


def test_success_resets_the_failure_count(client, staff):
    name = staff["member"].username
    for _ in range(4):
        client.post(LOGIN, {"username": name, "password": "wrong"})
    assert client.post(LOGIN, {"username": name, "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(LOGIN, {"username": name, "password": "wrong"})
    assert client.post(LOGIN, {"username": name, "password": PASSWORD}).status_code == 302


def test_passwords_are_hashed(staff):
    assert not staff["member"].password.startswith(PASSWORD)
    assert staff["member"].check_password(PASSWORD)


def test_secretariat_invites_and_deactivates(client_as, staff):
    client = client_as("secretariat")
    town = Organisation.objects.get(code="064033")
    response = client.post(
        "/staff/users/",
        {
            "username": "iide-tanaka",
            "display_name": "田中",
            "email": "",
            "organisation": town.pk,
            "role": "member",
        },
    )
    text = response.content.decode()
    assert "/staff/password/set/" in text
    profile = StaffProfile.objects.get(user__username="iide-tanaka")
    assert profile.organisation == town and not profile.user.has_usable_password()
    link = text.split('id="invite-link">')[1].split("<")[0]
    client.logout()
    form = client.get(link, follow=True)
    set_url = form.redirect_chain[-1][0]
    response = client.post(
        set_url, {"new_password1": "kome-sawa-2025!", "new_password2": "kome-sawa-2025!"}
    )
    assert response.status_code == 302
    assert client.login(username="iide-tanaka", password="kome-sawa-2025!")
    client = client_as("secretariat")
    assert client.post(f"/staff/users/{profile.pk}/deactivate/").status_code == 302
    profile.user.refresh_from_db()
    assert not profile.user.is_active
    assert AuditEntry.objects.filter(
        model="tenancy.staffprofile", object_id=str(profile.pk), action="state"
    ).exists()


def api_get(key):
    return Client().get("/api/activities/", HTTP_AUTHORIZATION=f"Token {key}")


def test_secretariat_revokes_a_users_api_token(client_as, staff):
    member = staff["member"]
    key = Token.objects.create(user=member).key
    client = client_as("secretariat")
    page = client.get("/staff/users/").content.decode()
    assert f"{member.username}の API トークンを取り消す" in page
    response = client.post(f"/staff/users/{member.staff_profile.pk}/revoke-token/", follow=True)
    assert "API トークンを取り消しました" in response.content.decode()
    assert api_get(key).status_code == 401
    entry = AuditEntry.objects.get(
        model="tenancy.staffprofile", action="state", object_id=str(member.staff_profile.pk)
    )
    assert entry.user == staff["secretariat"] and entry.changes == {
        "APIトークン": ["有効", "取り消し"]
    }


def test_secretariat_cannot_revoke_another_unions_token(client_as, make_user, other_union):
    outsider = make_user("member", "293610", union=other_union)
    key = Token.objects.create(user=outsider).key
    response = client_as("secretariat").post(
        f"/staff/users/{outsider.staff_profile.pk}/revoke-token/"
    )
    assert response.status_code == 404
    assert api_get(key).status_code == 200


def test_deactivating_a_user_revokes_their_token(client_as, staff):
    member = staff["member"]
    Token.objects.create(user=member)
    client_as("secretariat").post(f"/staff/users/{member.staff_profile.pk}/deactivate/")
    assert not Token.objects.filter(user=member).exists()
