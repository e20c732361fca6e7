"""One path for every photo: whichever way a photo arrives — the staff screens, the
admin's photo rows, the service itself (what an API, import or loader would call) — the
stored file is re-encoded: no EXIF (no GPS position), nothing appended to the original
kept, a thumbnail beside it; and the HTML report embeds only those bytes. Files too large
in pixels are refused from their header, before decoding; a 48-megapixel phone photo is
taken; an oversize request is refused before it is read."""

import base64
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from renkei.audit.models import AuditEntry
from renkei.programmes.images import MAX_EDGE
from renkei.programmes.models import Photo
from renkei.programmes.services import add_photo, thumbnail_name
from renkei.reports.services import render_report
from renkei.tenancy.models import Organisation
from tests.conftest import PASSWORD
from tests.helpers.html_forms import FormValues

from .conftest import YONEZAWA

GPS_IFD = 0x8825
SCRIPT = b"<script>alert('gps')</script>"


def hostile_jpeg(size=(640, 480)) -> bytes:
    """A JPEG with a GPS position in its EXIF and a script appended after its end."""
    image = Image.new("RGB", size, (200, 40, 60))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    exif.get_ifd(0x8769)[0x9003] = "2024:11:02 10:15:00"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (38.0, 0.0, 0.0), 3: "E", 4: (140.0, 0.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=95)
    return out.getvalue() + SCRIPT


def assert_clean(data: bytes) -> None:
    assert SCRIPT not in data and b"Exif" not in data and b"TestCam" not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "JPEG" and not image.getexif()
    assert data.endswith(b"\xff\xd9")  # nothing after the end of the image


def assert_stored_clean(photo: Photo, source: bytes) -> None:
    photo.refresh_from_db()
    data = photo.image.open("rb").read()
    assert data != source.removesuffix(SCRIPT)  # re-encoded, not the upload
    assert_clean(data)
    assert photo.image.name.endswith(".jpg")
    thumb = photo.image.storage.open(thumbnail_name(photo.image.name), "rb").read()
    assert_clean(thumb)
    assert max(Image.open(io.BytesIO(thumb)).size) <= 320


@pytest.fixture
def act(initiative):
    """米沢市's initiative, on one day."""
    return initiative


def test_hostile_jpeg_is_what_the_tests_claim():
    data = hostile_jpeg()
    assert data.endswith(SCRIPT)
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(GPS_IFD)


def test_staff_screen_upload(client_as, act, committed):
    source = hostile_jpeg()
    with committed():
        response = client_as("member").post(
            f"/staff/activities/{act.pk}/photos/new/",
            {
                "image": SimpleUploadedFile("hana.jpg", source, content_type="image/jpeg"),
                "caption": "展示",
                "alt_text": "紅花の展示台",
                "reason": "",
            },
        )
    assert response.status_code == 302
    photo = Photo.objects.get(activity=act)
    assert photo.taken_on.isoformat() == "2024-11-02"
    assert_stored_clean(photo, source)


def admin_form(client, url, rows: list[dict]) -> dict:
    """The activity's admin change form as the browser posts it, with new photo rows."""
    parser = FormValues()
    parser.feed(client.get(url).content.decode())
    form = {}
    for name, value in parser.values:
        if "__prefix__" not in name:
            form.setdefault(name, []).append(value)
    start = int(form["photos-TOTAL_FORMS"][0])
    form["photos-TOTAL_FORMS"] = [str(start + len(rows))]
    for i, row in enumerate(rows, start=start):
        form.update({f"photos-{i}-{key}": value for key, value in row.items()})
    return form


def test_admin_photo_row(client, operator, act, committed):
    source = hostile_jpeg()
    client.login(username=operator.username, password=PASSWORD)
    yonezawa = Organisation.objects.get(code=YONEZAWA)
    url = f"/admin/programmes/activity/{act.pk}/change/"
    form = admin_form(
        client,
        url,
        [
            {
                "image": SimpleUploadedFile("gps.jpg", source, content_type="image/jpeg"),
                "organisation": yonezawa.pk,
                "caption": "管理画面から",
                "alt_text": "展示台",
                "taken_on": "",
                "is_public": "on",
                "activity": act.pk,
            }
        ],
    )
    with committed():
        response = client.post(url, form)
    assert response.status_code == 302, re.findall(r"errorlist.{0,300}", response.content.decode())
    photo = Photo.objects.get(activity=act)
    assert photo.is_public and photo.organisation == yonezawa
    assert_stored_clean(photo, source)
    act.is_public = True
    act.save(update_fields=["is_public"])
    html = render_report(act.fiscal_year, "html").content
    embedded = re.findall(rb"data:image/jpeg;base64,([A-Za-z0-9+/=]+)", html)
    assert embedded
    for data in embedded:
        assert_clean(base64.b64decode(data))


def test_admin_refuses_a_file_that_is_not_an_image(client, operator, act):
    client.login(username=operator.username, password=PASSWORD)
    fake = io.BytesIO()
    Image.new("RGB", (8, 8)).save(fake, format="BMP")  # Pillow reads it; photos are not BMP
    url = f"/admin/programmes/activity/{act.pk}/change/"
    response = client.post(
        url,
        admin_form(
            client,
            url,
            [
                {
                    "image": SimpleUploadedFile("x.bmp", fake.getvalue(), content_type="image/bmp"),
                    "organisation": "",
                    "caption": "",
                    "alt_text": "何か",
                    "taken_on": "",
                    "activity": act.pk,
                }
            ],
        ),
    )
    assert response.status_code == 200
    assert "画像として読み取れないファイルです" in response.content.decode()
    assert not Photo.objects.filter(activity=act).exists()


def test_service_given_the_raw_upload(staff, act, committed):
    source = hostile_jpeg()
    with committed():
        photo = add_photo(
            act,
            staff["secretariat"],
            organisation=act.union.organisation,
            upload=SimpleUploadedFile("raw.jpg", source),
            caption="",
            alt_text="会場の様子",
        )
    assert_stored_clean(photo, source)


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (250, 250, 250)).save(out, format="PNG", optimize=True)
    return out.getvalue()


def test_huge_png_refused_from_its_header_naming_the_limit(client_as, act):
    data = png(6300, 6300)
    assert len(data) < 200 * 1024  # small file, 40 million pixels
    response = client_as("member").post(
        f"/staff/activities/{act.pk}/photos/new/",
        {
            "image": SimpleUploadedFile("bomb.png", data, content_type="image/png"),
            "caption": "",
            "alt_text": "何か",
            "reason": "",
        },
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "写真の画素数が多すぎます（6300×6300）。PNG・WebPは2,000万画素までです。" in text
    assert not Photo.objects.filter(activity=act).exists()


def test_48_megapixel_phone_jpeg_is_taken(staff, act, committed):
    image = Image.new("RGB", (8000, 6000), (30, 90, 160))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    del image
    yonezawa = Organisation.objects.get(code=YONEZAWA)
    with committed():
        photo = add_photo(
            act,
            staff["member"],
            organisation=yonezawa,
            upload=SimpleUploadedFile("phone.jpg", out.getvalue()),
            caption="",
            alt_text="スマートフォンの写真",
        )
    assert Image.open(photo.image.open("rb")).size == (MAX_EDGE, 1800)


def test_oversize_request_refused_before_it_is_read(client_as, act, settings):
    settings.MAX_REQUEST_BYTES = 64 * 1024
    response = client_as("member").post(
        f"/staff/activities/{act.pk}/photos/new/",
        {
            "image": SimpleUploadedFile("big.jpg", b"\xff" * 100_000, content_type="image/jpeg"),
            "caption": "",
            "alt_text": "何か",
            "reason": "",
        },
    )
    assert response.status_code == 413
    assert "送信されたデータが大きすぎます" in response.content.decode()
    assert not Photo.objects.filter(activity=act).exists()


def test_admin_changes_and_deletes_photo_rows_through_the_services(
    client, operator, act, staff, committed
):
    with committed():
        add_photo(
            act,
            staff["secretariat"],
            organisation=act.union.organisation,
            upload=SimpleUploadedFile("a.jpg", hostile_jpeg()),
            caption="前",
            alt_text="会場",
        )
    photo = Photo.objects.get(activity=act)
    client.login(username=operator.username, password=PASSWORD)
    url = f"/admin/programmes/activity/{act.pk}/change/"
    form = admin_form(client, url, [])
    form["photos-0-caption"] = ["後"]
    assert client.post(url, form).status_code == 302
    photo.refresh_from_db()
    assert photo.caption == "後"
    entry = AuditEntry.objects.filter(model="programmes.activity", object_id=str(act.pk)).first()
    assert entry.user == operator and "写真（" in next(iter(entry.changes))
    form = admin_form(client, url, [])
    form["photos-0-DELETE"] = ["on"]
    assert client.post(url, form).status_code == 302
    assert not Photo.objects.filter(activity=act).exists()
    assert AuditEntry.objects.filter(
        model="programmes.activity", object_id=str(act.pk), changes__has_key="写真の削除"
    ).exists()
