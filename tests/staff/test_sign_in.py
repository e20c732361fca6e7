"""Sign-in with Django auth, throttled after repeated failures; inviting and deactivating."""

from datetime import timedelta
from unittest import mock

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from renkei.audit.models import AuditEntry
from renkei.tenancy.models import Organisation, StaffProfile
from tests.conftest import PASSWORD

LOGIN = "/staff/login/"


def test_sign_in_lands_on_year_overview(client, users):
    response = client.post(LOGIN, {"username": users["member"].username, "password": PASSWORD},
                           follow=True)
    text = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("staff:home")
    assert "令和6年度" in text and "構成市町別の参加者数" in text
    assert "米沢市" in text


def test_wrong_password_is_refused_in_japanese(client, users):
    response = client.post(LOGIN, {"username": users["member"].username, "password": "nope"})
    assert response.status_code == 200
    assert "ユーザー名またはパスワードが違います" in response.content.decode()


def test_sign_in_throttled_after_five_failures(client, users):
    name = users["member"].username
    for _ in range(5):
        client.post(LOGIN, {"username": name, "password": "wrong"})
    response = client.post(LOGIN, {"username": name, "password": PASSWORD})
    assert "ログインの失敗が続いたため" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # another user from the same address is not locked out
    response = client.post(LOGIN, {"username": users["auditor"].username, "password": PASSWORD})
    assert response.status_code == 302


def fail_five_times(client, name):
    for _ in range(5):
        client.post(LOGIN, {"username": name, "password": "wrong"})


def test_failures_are_counted_in_the_database_every_worker_shares(client, users):
    assert isinstance(caches["throttle"], DatabaseCache)
    name = users["member"].username
    fail_five_times(client, name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM renkei_throttle")
        assert cursor.fetchone()[0] == 2  # per name and address, per name
    caches["default"].clear()  # a worker process's own memory holds none of it
    response = Client().post(LOGIN, {"username": name, "password": PASSWORD})
    assert "ログインの失敗が続いたため" in response.content.decode()


def test_lock_lasts_the_whole_window(client, users):
    """The database cache's incr() would shorten the window to its default five minutes."""
    name = users["member"].username
    fail_five_times(client, name)
    for minutes, locked in ((10, True), (16, False)):
        later = timezone.now() + timedelta(minutes=minutes)
        with mock.patch("django.core.cache.backends.db.tz_now", return_value=later):
            response = Client().post(LOGIN, {"username": name, "password": PASSWORD})
        assert ("ログインの失敗が続いたため" in response.content.decode()) is locked, minutes


def test_success_resets_the_failure_count(client, users):
    name = users["member"].username
    for _ in range(4):
        client.post(LOGIN, {"username": name, "password": "wrong"})
    assert client.post(LOGIN, {"username": name, "password": PASSWORD}).status_code == 302
    client.logout()
    for _ in range(4):
        client.post(LOGIN, {"username": name, "password": "wrong"})
    assert client.post(LOGIN, {"username": name, "password": PASSWORD}).status_code == 302


def test_passwords_are_hashed(users):
    assert not users["member"].password.startswith(PASSWORD)
    assert users["member"].check_password(PASSWORD)


def test_secretariat_invites_and_deactivates(client_for, users):
    client = client_for("secretariat")
    town = Organisation.objects.get(code="064033")
    response = client.post("/staff/users/", {"username": "iide-tanaka", "display_name": "田中",
                                             "email": "", "organisation": town.pk,
                                             "role": "member"})
    text = response.content.decode()
    assert "/staff/password/set/" in text
    profile = StaffProfile.objects.get(user__username="iide-tanaka")
    assert profile.organisation == town and not profile.user.has_usable_password()
    link = text.split('id="invite-link">')[1].split("<")[0]
    client.logout()
    form = client.get(link, follow=True)
    set_url = form.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "kome-sawa-2025!", "new_password2":
                                     "kome-sawa-2025!"})
    assert response.status_code == 302
    assert client.login(username="iide-tanaka", password="kome-sawa-2025!")
    client = client_for("secretariat")
    assert client.post(f"/staff/users/{profile.pk}/deactivate/").status_code == 302
    profile.user.refresh_from_db()
    assert not profile.user.is_active
    assert AuditEntry.objects.filter(model="tenancy.staffprofile", object_id=str(profile.pk),
                                     action="state").exists()
