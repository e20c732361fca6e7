"""Files in S3-compatible object storage (a real ``moto_server`` process, tests/s3.py):
photos, vouchers, issued reports and report jobs' files are kept in a private bucket,
take their names only with their row's commit, and reach people only through Renkei's
views after the permission checks; /readyz reports the storage."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from renkei.finance.expenses import record_expense
from renkei.programmes.models import FiscalYearState, Photo
from renkei.programmes.services import rendition_name, thumbnail_name
from renkei.reports.models import IssuedReport
from renkei.reports.services import issue_report
from tests.factories import DAY, budget_year

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def jpeg(size=(1800, 1200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (40, 110, 160)).save(out, format="JPEG")
    return out.getvalue()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def served_by_renkei(response, s3) -> bytes:
    """The bytes of a response that carries the file itself: never a redirect to, nor a
    mention of, the bucket."""
    assert response.status_code == 200
    assert "Location" not in response
    content = body(response)
    assert s3.server.endpoint.encode() not in content and s3.name.encode() not in content
    return content


def no_local_files(settings) -> bool:
    return not settings.MEDIA_ROOT.exists() or not any(
        p.is_file() for p in settings.MEDIA_ROOT.rglob("*")
    )


@pytest.fixture
def running_year(create_two_town_union, create_report_year):
    """FY2024, running, of a union of 米沢市 and 南陽市 (slug okitama) that a report can be
    issued for: one public 交流研修 (``year.activity``), a balanced settlement."""
    return create_report_year(create_two_town_union(), 2024, state=FiscalYearState.RUNNING)


def test_a_photo_uploaded_on_the_staff_screen_is_kept_in_the_bucket_and_served_by_renkei(
    s3, running_year, make_user, client, committed, settings
):
    activity = running_year.activity
    assert activity.is_public
    client.force_login(make_user("secretariat", union=running_year.union))
    url = reverse("staff:photo_upload", args=[activity.pk])
    for alt_text, public in (("公開する写真", "on"), ("非公開の写真", "")):
        upload = SimpleUploadedFile("kaijo.jpg", jpeg(), "image/jpeg")
        data = {"image": upload, "alt_text": alt_text, "caption": "会場", "is_public": public}
        with committed():
            assert client.post(url, data).status_code == 302
    published = Photo.objects.get(activity=activity, alt_text="公開する写真")
    private = Photo.objects.get(activity=activity, alt_text="非公開の写真")

    owned = {
        name
        for photo in (published, private)
        for name in (photo.image.name, thumbnail_name(photo.image.name))
        + (rendition_name(photo.image.name, "large"),)
    }
    assert set(s3.objects()) == owned  # exactly the final objects, nothing left in staging
    assert all(s3.public_grants(key) == [] for key in owned)
    assert no_local_files(settings)

    anonymous = client.__class__()
    large = served_by_renkei(anonymous.get(f"/photos/{published.pk}/large/"), s3)
    assert large == s3.read(rendition_name(published.image.name, "large"))
    assert anonymous.get(f"/photos/{private.pk}/large/").status_code == 404
    assert anonymous.get(f"/photos/{private.pk}/thumb/").status_code == 404
    full = served_by_renkei(client.get(f"/staff/photos/{private.pk}/full/"), s3)
    assert full == s3.read(private.image.name)
    page = anonymous.get(f"/activities/{activity.pk}/").content.decode()
    assert f'src="/photos/{published.pk}/thumb/"' in page and s3.server.endpoint not in page


def test_a_voucher_is_downloaded_only_by_those_who_may_read_it(
    s3, create_two_town_union, make_user, client, committed, other_union
):
    union = create_two_town_union()
    secretariat = make_user("secretariat", union=union)
    year = budget_year(union)
    with committed():
        expense = record_expense(
            year.lines["supplies"],
            secretariat,
            spent_on=DAY,
            payee="置賜文具店",
            amount=3300,
            purpose="コピー用紙",
            vouchers=[SimpleUploadedFile("領収書.pdf", PDF)],
        )
    voucher = expense.vouchers.get()
    assert s3.objects() == [voucher.file.name] and s3.public_grants(voucher.file.name) == []
    url = reverse("staff:voucher_download", args=[voucher.pk])

    assert client.get(url).status_code == 302  # to the sign-in page, not to the bucket
    assert client.get(url)["Location"].startswith("/staff/login/")
    client.force_login(make_user("member", "062022", union=union))
    assert client.get(url).status_code == 403
    client.force_login(make_user("secretariat", union=other_union))
    assert client.get(url).status_code == 404
    client.force_login(secretariat)
    response = client.get(url)
    assert served_by_renkei(response, s3) == PDF
    assert response["Content-Disposition"].startswith("attachment")


def test_issued_reports_and_drafts_are_downloaded_only_with_permission(
    s3, running_year, make_user, client, committed, other_union, draft_report
):
    secretariat = make_user("secretariat", union=running_year.union)
    with committed():
        internal = issue_report(running_year, "html", user=secretariat, edition="internal")
        public = issue_report(running_year, "html", user=secretariat, edition="public")
    assert set(s3.objects()) == {internal.file.name, public.file.name}
    staff_url = reverse("reports:issued_download", args=[2024, "html", 1])

    assert client.get(f"{staff_url}?edition=internal").status_code == 302  # sign in first
    assert client.get(f"/annual-reports/{internal.pk}/download/").status_code == 404
    portal = served_by_renkei(client.get(f"/annual-reports/{public.pk}/download/"), s3)
    assert portal == s3.read(public.file.name)
    client.force_login(make_user("secretariat", union=other_union))
    assert client.get(f"{staff_url}?edition=internal").status_code == 404
    client.force_login(secretariat)
    internal_file = served_by_renkei(client.get(f"{staff_url}?edition=internal"), s3)
    assert internal_file == s3.read(internal.file.name)

    # A draft asked for on the screens: made by the worker, kept in the bucket, given
    # to the person who asked and to nobody else.
    draft = draft_report(client, 2024, "html", edition="internal")
    assert served_by_renkei(draft, s3).startswith(b"<!DOCTYPE html>")
    job_keys = [key for key in s3.objects() if key.startswith("report-jobs/")]
    assert len(job_keys) == 1 and s3.public_grants(job_keys[0]) == []
    from renkei.reports.models import ReportJob

    job_url = reverse("reports:job_file", args=[ReportJob.objects.get().pk])
    client.force_login(make_user("auditor", union=running_year.union))
    assert client.get(job_url).status_code == 404


def test_a_failed_service_leaves_no_object_and_a_committed_one_exactly_its_own(
    s3, running_year, monkeypatch, committed
):
    from renkei.reports import services

    def audit_log_unavailable(**kwargs):
        raise RuntimeError("audit log unavailable")

    with monkeypatch.context() as patch:
        patch.setattr(services, "record_change", audit_log_unavailable)
        with pytest.raises(RuntimeError), committed():
            issue_report(running_year, "html")
    assert not IssuedReport.objects.exists()
    assert s3.objects() == []  # the staged object was removed with the failed transaction

    # A leftover of a process that died after storing is replaced, not renamed around.
    final = "reports/okitama/2024/okitama-fy2024-report-v1.html"
    s3.server.client().put_object(Bucket=s3.name, Key=final, Body=b"half-written")
    with committed():
        issued = issue_report(running_year, "html")
    assert issued.file.name == final and s3.objects() == [final]
    assert s3.read(final).startswith(b"<!DOCTYPE html>")


def test_readyz_reports_the_object_storage(s3, client):
    from tests.s3 import S3Server

    response = client.get("/readyz")
    assert response.status_code == 200 and response.json()["checks"]["storage"] == "ok"

    # A bucket that does not exist is not a storage that answers.
    s3.name = "renkei-no-such-bucket"
    from renkei.settings import storages_config

    client_settings = storages_config(s3.server.environment(s3))
    from django.test import override_settings

    with override_settings(STORAGES=client_settings):
        missing = client.get("/readyz")
    assert missing.status_code == 503 and missing.json()["failed"] == ["storage"]

    # The storage's server stops: /readyz names it, in seconds.
    own = S3Server()
    try:
        bucket = own.new_bucket()
        with override_settings(STORAGES=storages_config(own.environment(bucket))):
            assert client.get("/readyz").status_code == 200
            own.stop()
            stopped = client.get("/readyz")
    finally:
        own.stop()
    assert stopped.status_code == 503
    assert stopped.json()["failed"] == ["storage"]
    assert stopped.json()["checks"]["database"] == "ok"


def test_photos_in_the_bucket_are_in_every_report_document(s3, running_year, settings):
    """The renderers read photos by path: from the bucket through a local copy, made by the
    process that prepares the render (the PDF, laid out here in two parts, hands the
    paths to its forked layout processes)."""
    import os

    import docx
    from pypdf import PdfReader

    from renkei.reports.data import build_report
    from renkei.reports.renderers import render

    noisy = Image.frombytes("RGB", (1200, 800), os.urandom(1200 * 800 * 3))
    data = io.BytesIO()
    noisy.save(data, "JPEG", quality=90)  # over 250 kB: scaled to 800 px for print
    activity = running_year.activity
    Photo.objects.create(
        activity=activity,
        image=SimpleUploadedFile("gx.jpg", data.getvalue(), "image/jpeg"),
        caption="研修会場での講義",
        alt_text="講師が説明する様子",
    )
    assert len(s3.objects()) == 1
    report = build_report(running_year)
    settings.RENKEI_REPORT_PDF_PART_PAGES = len(report.pages) // 2 + 1

    html = render(report, "html").decode("utf-8")
    assert 'alt="講師が説明する様子"' in html and "data:image/jpeg;base64," in html
    pdf = PdfReader(io.BytesIO(render(report, "pdf")))
    assert (800, 533) in [image.image.size for page in pdf.pages for image in page.images]
    document = docx.Document(io.BytesIO(render(report, "docx")))
    # The photo, the attendance chart (the year records 22 of 米沢市) and the expenditure chart.
    assert len(document.inline_shapes) == 3
    assert no_local_files(settings)


# An installation's records for the backup test, made as an operator would: a union of
# 米沢市 and 南陽市 with its secretariat user ``jimukyoku`` (``renkei add_union``), and a
# running FY2024 a final report can be issued for (one public 交流研修, a balanced
# settlement, 事業概要 and まとめ), as ``create_report_year`` makes it.
UNION_ARGS = (
    *("--name", "置賜テスト組合", "--slug", "okitama", "--region", "置賜"),
    *("--member", "062022=米沢市", "--member", "062138=南陽市"),
    *("--secretariat-user", "jimukyoku", "--base-url", "http://localhost/"),
)
REPORT_YEAR = """
from datetime import date
from renkei.finance.models import BudgetLine, ExpenditureSection
from renkei.finance.sections import ensure_sections
from renkei.programmes.models import (
    Activity, ActivityGroup, Attendance, FiscalYear, Lecturer, NarrativeSection, Programme,
    ScheduleDay, Venue,
)
from renkei.tenancy.models import Union
union = Union.objects.get(slug="okitama")
year = FiscalYear.objects.create(union=union, year=2024, state="running")
ensure_sections(ExpenditureSection)
fees = ExpenditureSection.for_year(2024).get(number=7)
BudgetLine.objects.create(
    fiscal_year=year, direction="income", item="分担金", budgeted=100000, settled=100000, order=1
)
BudgetLine.objects.create(
    fiscal_year=year, direction="expenditure", section=fees, item="講師謝礼",
    budgeted=100000, settled=100000, order=2,
)
for order, (key, title) in enumerate([("overview", "事業概要"), ("summary", "まとめ")]):
    NarrativeSection.objects.create(
        fiscal_year=year, key=key, title=title, body=title + "の本文。", order=order
    )
programme = Programme.objects.create(fiscal_year=year, number=1, name="交流事業")
group = ActivityGroup.objects.create(programme=programme, number=1, title="交流の項目")
activity = Activity.objects.create(
    group=group, sub_number=1, title="交流研修", kind="exchange_training",
    attendee_total=22, is_public=True,
)
day = ScheduleDay.objects.create(activity=activity, date=date(2024, 11, 2))
Venue.objects.create(day=day, name="札の辻スクエア")
Lecturer.objects.create(activity=activity, name="箕浦 龍一")
Attendance.objects.create(activity=activity, organisation=union.members_in_order()[0], count=22)
"""


@pytest.mark.slow
def test_backup_and_restore_between_disk_and_object_storage(tmp_path, s3_server):
    """Disk → bucket → another bucket → disk: each installation a separate process tree,
    as an operator runs the commands; every page and download the same at each step."""
    import os
    import tarfile

    from tests.helpers.installations import SETUP, _jpeg, differing, installation

    if os.environ.get("DATABASE_URL"):
        pytest.skip("runs in the SQLite pass: its installations are processes of their own")
    source = installation(tmp_path / "disk", None)
    source("migrate", "--verbosity", "0")
    source("add_union", *UNION_ARGS)
    source("shell", "-c", REPORT_YEAR)
    source("shell", "-c", f"JPEG = {_jpeg()!r}\n{SETUP}")
    issued = ("--format", "html", "--final", "--edition", "public")
    issued += ("--output", str(tmp_path / "report.html"))
    source("report", "2024", *issued)
    before = source.snapshot()
    assert any("/photos/" in url for url in before)
    assert all(value.startswith("200 ") for value in before.values()), before
    from_disk = tmp_path / "from-disk.tar.gz"
    source("backup", str(from_disk))

    first_bucket, second_bucket = s3_server.new_bucket(), s3_server.new_bucket()
    first = installation(tmp_path / "s3-a", None, s3_server.environment(first_bucket))
    first("migrate", "--verbosity", "0")
    assert "目録と照合しました" in first("restore", str(from_disk)).stdout
    with tarfile.open(from_disk) as archive:
        media = sorted(n.removeprefix("media/") for n in archive.getnames() if "/" in n)
    assert first_bucket.objects() == media and len(media) == 3  # report, photo, thumbnail
    assert not (tmp_path / "s3-a" / "media").exists()
    first("verify_reports")  # every issued report and photo in the bucket, intact

    from_s3 = tmp_path / "from-s3.tar.gz"
    first("backup", str(from_s3))
    second = installation(tmp_path / "s3-b", None, s3_server.environment(second_bucket))
    second("migrate", "--verbosity", "0")
    second("restore", str(from_s3))
    assert second_bucket.objects() == media
    assert differing(second.snapshot(), before) == []
    refused = second("restore", str(from_s3), check=False)
    assert refused.returncode != 0 and "空のインストール" in refused.stderr

    # And back from the bucket to a disk: the files under MEDIA_ROOT, nothing else changed.
    back = installation(tmp_path / "disk-b", None)
    back("migrate", "--verbosity", "0")
    back("restore", str(from_s3))
    on_disk = tmp_path / "disk-b" / "media"
    assert sorted(str(p.relative_to(on_disk)) for p in on_disk.rglob("*") if p.is_file()) == media
    back("verify_reports")
    assert differing(back.snapshot(), before) == []


def test_photos_chosen_in_a_form_that_came_back_wait_in_the_bucket(
    s3, running_year, make_user, client, committed
):
    """Pending photos (a form returned with an error) are kept in the bucket under
    pending/, never served; the saved record moves them to their place."""
    from tests.staff.helpers import TITLE, entry, jpeg_with_gps_and_date

    group = running_year.activity.group
    client.force_login(make_user("secretariat", union=running_year.union))
    url = f"/staff/activities/new/?group={group.pk}"
    upload = SimpleUploadedFile("kouryu.jpg", jpeg_with_gps_and_date(), "image/jpeg")
    first = client.post(
        url, entry(title="", **{"photos-files": [upload], "photos-photo_0_alt_text": "会場"})
    )
    assert first.status_code == 400 and "預かっています" in first.content.decode()
    pending = s3.objects()
    assert len(pending) == 2 and all(key.startswith("pending/") for key in pending)
    assert s3.server.endpoint not in first.content.decode()
    token = first.context["photos"].rows[0].token
    with committed():
        saved = client.post(
            url, entry(**{"photos-photo_0_token": token, "photos-photo_0_alt_text": "会場"})
        )
    assert saved.status_code == 302
    photo = Photo.objects.get(activity__title=TITLE)
    assert photo.image.name in s3.objects() and not any(
        k.startswith("pending/") for k in s3.objects()
    )


def test_the_admin_shows_no_address_in_the_bucket(s3, running_year, admin_client, committed):
    """Django's file widgets link to ``storage.url()``: in object storage it names no
    bucket address, signed or not (the link is the MEDIA_URL path, served by nobody, as
    on disk)."""
    activity = running_year.activity
    photo = Photo.objects.create(
        activity=activity,
        image=SimpleUploadedFile("kaijo.jpg", jpeg((64, 48)), "image/jpeg"),
        caption="会場",
        alt_text="会場の様子",
    )
    with committed():
        issued = issue_report(running_year, "html")
    pages = [
        f"/admin/programmes/activity/{activity.pk}/change/",
        f"/admin/reports/issuedreport/{issued.pk}/change/",
    ]
    for url in pages:
        text = admin_client.get(url).content.decode()
        assert s3.server.endpoint not in text and s3.name not in text
        assert "X-Amz-Signature" not in text and "Signature=" not in text
    assert f'href="/media/{photo.image.name}"' in admin_client.get(pages[0]).content.decode()
    assert photo.image.url == f"/media/{photo.image.name}"
