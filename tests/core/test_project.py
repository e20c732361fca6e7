"""Project wiring: settings from the environment, the console script, the loader command."""

import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command


def import_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import renkei.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"],
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_refuses_the_development_secret():
    result = import_settings(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is the development secret" in result.stderr


def test_production_with_a_secret_starts():
    result = import_settings(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="renkei.example.jp")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False ['renkei.example.jp']"


def test_database_url_selects_postgresql():
    code = (
        "import renkei.settings as s; d = s.DATABASES['default']; "
        "print(d['ENGINE'], d['NAME'], d['HOST'])"
    )
    env = {**os.environ, "DATABASE_URL": "postgres://u:p@db.internal:5432/renkei"}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert result.stdout.split() == ["django.db.backends.postgresql", "renkei", "db.internal"]


def test_console_script_runs_management_commands():
    result = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "renkei"), "help"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0
    assert "load_fy2024" in result.stdout


@pytest.mark.reference  # the loader over FY2024 and the demo's users (`make run`)
@pytest.mark.django_db
def test_load_command_is_idempotent(capsys):
    call_command("load_fy2024")
    assert "を読み込みました" in capsys.readouterr().out
    call_command("load_fy2024")
    assert "読み込み済みです。変更はありません。" in capsys.readouterr().out


@pytest.mark.reference  # the loader over FY2024 and the demo's users (`make run`)
@pytest.mark.django_db
def test_demo_users_print_the_logins(capsys, settings, client):
    settings.DEBUG = True
    call_command("load_fy2024")
    call_command("create_demo_users")
    call_command("create_demo_users")
    out = capsys.readouterr().out
    assert out.count("ユーザー名 jimukyoku") == 2
    assert (
        "管理画面 /admin/（運用者のみ）: ユーザー名 operator / パスワード renkei-operator-2024"
        in out
    )
    assert client.login(username="operator", password="renkei-operator-2024")
    assert client.get("/admin/").status_code == 200


@pytest.mark.reference  # the loader over FY2024 and the demo's users (`make run`)
@pytest.mark.django_db
def test_no_demo_users_with_debug_off(settings):
    settings.DEBUG = False
    call_command("load_fy2024")
    with pytest.raises(CommandError, match="DEBUG=true"):
        call_command("create_demo_users")
