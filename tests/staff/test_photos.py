"""Photos: only images, size-limited, re-encoded without location data; the date taken
is kept; served only to those who may see the activity."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from renkei.audit.models import AuditEntry
from renkei.programmes.models import Photo

from .conftest import activity

GPS_IFD = 0x8825


def jpeg_with_gps_and_date() -> bytes:
    image = Image.new("RGB", (640, 480), (200, 40, 60))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    exif.get_ifd(0x8769)[0x9003] = "2024:11:02 10:15:00"
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (38.0, 0.0, 0.0), 3: "E", 4: (140.0, 0.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(client, act, content, name="hana.jpg", alt="紅花の展示台"):
    return client.post(f"/staff/activities/{act.pk}/photos/new/", {
        "image": SimpleUploadedFile(name, content, content_type="image/jpeg"),
        "caption": "展示の様子", "alt_text": alt, "reason": ""}, follow=True)


def test_upload_strips_location_keeps_date(client_for, fy2024):
    act = activity(fy2024, "札の辻スクエア3階")
    source = jpeg_with_gps_and_date()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(GPS_IFD)
    client = client_for("member")
    response = upload(client, act, source)
    assert "令和6年11月2日" in response.content.decode()  # date taken suggested
    photo = Photo.objects.get(activity=act)
    assert photo.taken_on.isoformat() == "2024-11-02"
    assert photo.organisation.code == "062022" and photo.alt_text == "紅花の展示台"
    stored = Image.open(photo.image.open("rb"))
    assert stored.format == "JPEG" and not stored.getexif()
    thumb = client.get(f"/staff/photos/{photo.pk}/thumb/")
    assert thumb.status_code == 200
    data = b"".join(thumb.streaming_content)
    assert max(Image.open(io.BytesIO(data)).size) <= 320
    assert AuditEntry.objects.filter(object_id=str(act.pk), changes__has_key="写真の追加").exists()


def test_not_an_image_is_refused(client_for, fy2024):
    act = activity(fy2024, "札の辻スクエア3階")
    response = upload(client_for("member"), act, b"%PDF-1.4 not an image", name="x.jpg")
    assert response.status_code == 200
    assert not Photo.objects.filter(activity=act).exists()


def test_photo_of_unseen_activity_is_not_served(client_for, fy2024, users, client):
    act = activity(fy2024, "旅先納税")  # a seminar: 港区 staff do not see it
    upload(client_for("secretariat"), act, jpeg_with_gps_and_date())
    photo = Photo.objects.get(activity=act)
    client.force_login(users["partner"])
    assert client.get(f"/staff/photos/{photo.pk}/full/").status_code == 404
