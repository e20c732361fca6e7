"""Download and issue views: who may do what (role × view → status), scoped to the union."""

import pytest
from django.urls import reverse

from renkei.programmes.models import FiscalYear
from renkei.reports.models import IssuedReport
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_anonymous_is_sent_to_sign_in(client, fy2024):
    response = client.get(reverse("reports:download", args=[2024, "html"]))
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("role", "organisation", "status"),
    [
        ("secretariat", None, 200),
        ("member", "062022", 200),
        ("auditor", None, 200),
        ("partner", "131032", 200),  # the public edition: see test_partner_gets_the_public_edition
    ],
)
def test_download_permission_by_role(client, fy2024, make_user, role, organisation, status):
    client = signed_in(client, make_user(role, organisation))
    response = client.get(reverse("reports:download", args=[2024, "html"]))
    assert response.status_code == status
    if status == 200:
        assert "交流研修" in response.content.decode("utf-8")


def test_partner_gets_the_public_edition(client, fy2024, make_user, issue):
    """港区 staff download the union's reports (joint work): the public edition only."""
    for edition in ("public", "internal"):
        issue(fy2024, "html", edition=edition)
    client = signed_in(client, make_user("partner", "131032"))
    draft = client.get(reverse("reports:download", args=[2024, "html"]))
    assert "okitama-fy2024-report-public.html" in draft["Content-Disposition"]
    assert "旅先納税" not in draft.content.decode()  # an unpublished seminar
    issued = client.get(reverse("reports:issued_download", args=[2024, "html", 1]))
    assert issued.status_code == 200
    assert "-public-v1.html" in issued["Content-Disposition"]
    for url in (
        reverse("reports:download", args=[2024, "html"]),
        reverse("reports:issued_download", args=[2024, "html", 1]),
    ):
        assert client.get(url + "?edition=internal").status_code == 403


def test_pdf_download(client, fy2024, make_user):
    response = signed_in(client, make_user("secretariat")).get(
        reverse("reports:download", args=[2024, "pdf"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="okitama-fy2024-report.pdf"' in response["Content-Disposition"]


def test_another_unions_year_is_not_found(client, fy2024, other_union, make_user):
    FiscalYear.objects.create(union=other_union, year=2023)
    client = signed_in(client, make_user("secretariat"))
    assert client.get(reverse("reports:download", args=[2023, "html"])).status_code == 404
    stranger = make_user("secretariat", "293610", union=other_union)
    response = signed_in(client, stranger).get(reverse("reports:download", args=[2024, "html"]))
    assert response.status_code == 200
    assert "交流研修" not in response.content.decode("utf-8")  # their own year, not ours


def test_unknown_format_is_not_found(client, fy2024, make_user):
    client = signed_in(client, make_user("secretariat"))
    assert client.get(reverse("reports:download", args=[2024, "exe"])).status_code == 404


@pytest.mark.parametrize(
    ("role", "organisation"),
    [
        ("member", "062022"),
        ("auditor", None),
        ("partner", "131032"),
    ],
)
def test_only_the_secretariat_issues(client, fy2024, make_user, role, organisation):
    client = signed_in(client, make_user(role, organisation))
    response = client.post(reverse("reports:issue", args=[2024]), {"format": "html"})
    assert response.status_code == 403
    assert not IssuedReport.objects.exists()


def test_secretariat_issues_and_downloads_the_stored_version(
    client, fy2024, make_user, django_capture_on_commit_callbacks
):
    client = signed_in(client, make_user("secretariat"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:issue", args=[2024]), {"format": "html"})
    assert response.status_code == 302
    issued = IssuedReport.objects.get()
    assert response["Location"] == reverse("reports:issued_download", args=[2024, "html", 1])
    stored = client.get(response["Location"])
    assert b"".join(stored.streaming_content) == issued.file.open("rb").read()

    issued.file.storage.delete(issued.file.name)
    missing = client.get(response["Location"])
    assert missing.status_code == 404
    assert "ファイルが保存場所に見つかりません" in missing.content.decode("utf-8")


def test_issuing_with_findings_needs_confirmation(client, fy2024, make_user, record_count):
    record_count("交流研修", "米沢市", 99)  # more than the 22 recorded
    client = signed_in(client, make_user("secretariat"))
    refused = client.post(reverse("reports:issue", args=[2024]), {"format": "html"})
    assert refused.status_code == 409 and "99名" in refused.content.decode("utf-8")
    without_reason = client.post(
        reverse("reports:issue", args=[2024]), {"format": "html", "confirm": "1"}
    )
    assert without_reason.status_code == 409
    assert "理由を入力してください" in without_reason.content.decode("utf-8")
    confirmed = client.post(
        reverse("reports:issue", args=[2024]),
        {"format": "html", "confirm": "1", "reason": "交流研修の人数は次の版で直す"},
    )
    assert confirmed.status_code == 302
    assert IssuedReport.objects.get().findings
