"""Two editions of the report: the public one (the portal's) holds only published
activities and published photos; the internal one (council, auditors) every record."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from PIL import Image

from renkei.programmes.models import Activity, Photo
from renkei.programmes.services import set_leads, thumbnail_name
from renkei.reports.data import build_report
from renkei.reports.models import IssuedReport, ReportEdition
from renkei.reports.services import render_report

from .extract import fold, pdf_text

pytestmark = pytest.mark.django_db

SECRET_TITLE = "非公開の検討中企画ミツバチ"
SECRET_CAPTION = "非公開写真ハナアブ"
PUBLIC_CAPTION = "公開写真テントウムシ"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def add_photo(activity, caption, *, is_public, colour):
    out = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(out, format="JPEG")
    photo = Photo(
        activity=activity,
        caption=caption,
        alt_text=caption,
        is_public=is_public,
        order=activity.photos.count() + 1,
    )
    photo.image.save(f"{caption}.jpg", ContentFile(out.getvalue()), save=False)
    photo.save()
    photo.image.storage.save(thumbnail_name(photo.image.name), ContentFile(out.getvalue()))
    return photo


@pytest.fixture
def year(year, create_activity):
    """The reports conftest's year with an unpublished initiative of a distinctive title
    led by 米沢市 and, on its published 交流研修, one published and one unpublished photo."""
    hidden = create_activity(group=year.activity.group, title=SECRET_TITLE, kind="other")
    set_leads(hidden, [year.union.members_in_order()[0]])
    shown = year.activity
    assert shown.is_public
    add_photo(shown, PUBLIC_CAPTION, is_public=True, colour=(20, 160, 40))
    add_photo(shown, SECRET_CAPTION, is_public=False, colour=(200, 20, 20))
    return year


def test_public_edition_data_holds_only_published_records(year):
    public, internal = build_report(year, "public"), build_report(year, "internal")
    assert public.edition == "public" and internal.edition == "internal"
    public_titles = {fact.label.split(" ", 1)[1] for fact in public.facts}
    assert public_titles == set(
        Activity.objects.filter(is_public=True).values_list("title", flat=True)
    )
    assert SECRET_TITLE not in str(public) and SECRET_CAPTION not in str(public)
    assert SECRET_TITLE in str(internal) and SECRET_CAPTION in str(internal)
    assert PUBLIC_CAPTION in str(public)


def test_public_pdf_has_no_unpublished_activity_or_photo(year):
    public = fold(pdf_text(render_report(year, "pdf", edition="public").content))
    assert fold("交流研修") in public and fold(PUBLIC_CAPTION) in public
    assert fold(SECRET_TITLE) not in public and fold(SECRET_CAPTION) not in public
    internal = fold(pdf_text(render_report(year, "pdf").content))
    assert fold(SECRET_TITLE) in internal and fold(SECRET_CAPTION) in internal
    assert "公開版" in public and "公開版" not in internal  # the cover says which edition


def test_public_html_has_no_unpublished_photo(year):
    public = render_report(year, "html", edition="public")
    text = public.content.decode()
    assert public.filename == "okitama-fy2024-report-public.html"
    assert SECRET_TITLE not in text and SECRET_CAPTION not in text
    assert PUBLIC_CAPTION in text
    # The images embedded are the published photo's only (one green, no red one).
    internal = render_report(year, "html").content.decode()
    assert internal.count("data:image/jpeg") == text.count("data:image/jpeg") + 1


def test_editions_are_issued_and_numbered_separately(year, make_user, issue):
    user = make_user("secretariat")
    public = issue(year, "html", user=user, edition="public")
    internal = issue(year, "html", user=user, edition="internal")
    again = issue(year, "html", user=user, edition="public")
    assert (public.version, internal.version, again.version) == (1, 1, 2)
    assert public.file.name != internal.file.name
    assert public.data["edition"] == "public"
    assert SECRET_TITLE not in public.file.open("rb").read().decode()


def test_portal_offers_only_the_public_edition(year, client, issue):
    public = issue(year, "html", edition=ReportEdition.PUBLIC)
    internal = issue(year, "html", edition=ReportEdition.INTERNAL)
    page = client.get("/annual-reports/").content.decode()
    assert f"/annual-reports/{public.pk}/download/" in page
    assert f"/annual-reports/{internal.pk}/download/" not in page
    assert client.get(f"/annual-reports/{internal.pk}/download/").status_code == 404
    download = client.get(f"/annual-reports/{public.pk}/download/")
    body = b"".join(download.streaming_content).decode()
    assert SECRET_TITLE not in body and SECRET_CAPTION not in body


@pytest.mark.parametrize("role", ["secretariat", "member", "auditor"])
def test_staff_with_download_report_get_both_editions(
    year, client, make_user, role, issue, draft_report
):
    client.force_login(make_user(role, None if role != "member" else "062022"))
    internal = draft_report(client, 2024, "html")
    public = draft_report(client, 2024, "html", edition="public")
    assert internal.status_code == public.status_code == 200
    assert SECRET_TITLE in internal.content.decode()
    assert SECRET_TITLE not in public.content.decode()
    assert draft_report(client, 2024, "html", edition="draft").status_code == 404
    issued = issue(year, "html", edition="public")
    stored = client.get(
        reverse("reports:issued_download", args=[2024, "html", issued.version]) + "?edition=public"
    )
    assert stored.status_code == 200


def test_issue_view_issues_the_edition_asked_for(year, client, make_user, run_jobs):
    client.force_login(make_user("secretariat"))
    response = client.post(
        reverse("reports:issue", args=[2024]),
        {"format": "html", "edition": "public", "confirm": "1"},
    )
    assert response.status_code == 302
    run_jobs()
    issued = IssuedReport.objects.get()
    assert issued.edition == "public"
    result = client.get(reverse("reports:job_file", args=[issued.job.pk]))
    assert result["Location"].endswith("?edition=public")
