"""Download and issue views: who may do what (role × view → status), scoped to the union."""

import pytest
from django.urls import reverse

from renkei.programmes.models import FiscalYear
from renkei.reports.models import IssuedReport, ReportJob
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_anonymous_is_sent_to_sign_in(client, year):
    response = client.get(reverse("reports:download", args=[2024, "html"]))
    assert response.status_code == 302
    assert client.post(reverse("reports:download", args=[2024, "html"])).status_code == 302
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize(
    ("role", "organisation", "status"),
    [
        ("secretariat", None, 200),
        ("member", "062022", 200),
        ("auditor", None, 200),
        ("partner", "131032", 200),  # the public edition: see test_partner_gets_the_public_edition
    ],
)
def test_download_permission_by_role(
    client, year, make_user, role, organisation, status, draft_report
):
    client = signed_in(client, make_user(role, organisation))
    response = draft_report(client, 2024, "html")
    assert response.status_code == status
    if status == 200:
        assert "交流研修" in response.content.decode("utf-8")


def test_partner_gets_the_public_edition(client, year, make_user, issue, draft_report):
    """港区 staff download the union's reports (joint work): the public edition only."""
    for edition in ("public", "internal"):
        issue(year, "html", edition=edition)
    client = signed_in(client, make_user("partner", "131032"))
    draft = draft_report(client, 2024, "html")
    assert "okitama-fy2024-report-public.html" in draft["Content-Disposition"]
    assert "旅先納税" not in draft.content.decode()  # an unpublished seminar
    issued = client.get(reverse("reports:issued_download", args=[2024, "html", 1]))
    assert issued.status_code == 200
    assert "-public-v1.html" in issued["Content-Disposition"]
    assert draft_report(client, 2024, "html", edition="internal").status_code == 403
    url = reverse("reports:issued_download", args=[2024, "html", 1])
    assert client.get(url + "?edition=internal").status_code == 403


def test_pdf_download(client, year, make_user, draft_report):
    response = draft_report(signed_in(client, make_user("secretariat")), 2024, "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="okitama-fy2024-report.pdf"' in response["Content-Disposition"]


def test_another_unions_year_is_not_found(client, year, other_union, make_user, draft_report):
    FiscalYear.objects.create(union=other_union, year=2023)
    client = signed_in(client, make_user("secretariat"))
    assert client.get(reverse("reports:download", args=[2023, "html"])).status_code == 404
    assert draft_report(client, 2023, "html").status_code == 404
    stranger = make_user("secretariat", "293610", union=other_union)
    response = draft_report(signed_in(client, stranger), 2024, "html")
    assert response.status_code == 200
    assert "交流研修" not in response.content.decode("utf-8")  # their own year, not ours


def test_unknown_format_is_not_found(client, year, make_user):
    client = signed_in(client, make_user("secretariat"))
    assert client.get(reverse("reports:download", args=[2024, "exe"])).status_code == 404
    assert client.post(reverse("reports:download", args=[2024, "exe"])).status_code == 404
    response = client.post(reverse("reports:issue", args=[2024]), {"format": "exe"})
    assert response.status_code == 404
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize(
    ("role", "organisation"),
    [
        ("member", "062022"),
        ("auditor", None),
        ("partner", "131032"),
    ],
)
def test_only_the_secretariat_issues(client, year, make_user, role, organisation):
    client = signed_in(client, make_user(role, organisation))
    response = client.post(reverse("reports:issue", args=[2024]), {"format": "html"})
    assert response.status_code == 403
    assert not IssuedReport.objects.exists()


def test_secretariat_issues_and_downloads_the_stored_version(client, year, make_user, run_jobs):
    client = signed_in(client, make_user("secretariat"))
    response = client.post(reverse("reports:issue", args=[2024]), {"format": "html"})
    assert response.status_code == 302
    run_jobs()
    issued = IssuedReport.objects.get()
    response = client.get(reverse("reports:job_file", args=[issued.job.pk]))
    assert response["Location"] == (
        reverse("reports:issued_download", args=[2024, "html", 1]) + "?edition=internal"
    )
    stored = client.get(response["Location"])
    assert b"".join(stored.streaming_content) == issued.file.open("rb").read()

    issued.file.storage.delete(issued.file.name)
    missing = client.get(response["Location"])
    assert missing.status_code == 404
    assert "ファイルが保存場所に見つかりません" in missing.content.decode("utf-8")


def test_issuing_with_findings_needs_confirmation(client, year, make_user, run_jobs):
    year.activity.attendances.update(count=99)  # 米沢市: more than the 22 recorded
    client = signed_in(client, make_user("secretariat"))
    refused = client.post(reverse("reports:issue", args=[2024]), {"format": "html"})
    run_jobs()
    assert "99名" in client.get(refused["Location"]).content.decode("utf-8")
    assert not IssuedReport.objects.exists()
    without_reason = client.post(
        reverse("reports:issue", args=[2024]), {"format": "html", "confirm": "1"}
    )
    run_jobs()
    assert "理由を入力してください" in client.get(without_reason["Location"]).content.decode(
        "utf-8"
    )
    assert not IssuedReport.objects.exists()
    confirmed = client.post(
        reverse("reports:issue", args=[2024]),
        {"format": "html", "confirm": "1", "reason": "交流研修の人数は次の版で直す"},
    )
    assert confirmed.status_code == 302
    run_jobs()
    assert IssuedReport.objects.get().findings
