"""Photos: only images, size-limited, re-encoded without location data; the date taken
is kept; served only to those who may see the activity. Caption and alternative text are
edited by the uploader's organisation or the secretariat, publishing by the secretariat
only; deleting removes the files once committed; photos move one place at a time."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from renkei.audit.models import AuditEntry
from renkei.audit.services import fingerprint
from renkei.programmes.models import FiscalYearState, Photo
from renkei.programmes.services import delete_photo, thumbnail_name, update_photo
from renkei.tenancy.models import Organisation

from .conftest import NANYO, YONEZAWA
from .helpers import GPS_IFD, jpeg_with_gps_and_date, make_photo


def upload(client, act, content, name="hana.jpg", alt="紅花の展示台"):
    return client.post(
        f"/staff/activities/{act.pk}/photos/new/",
        {
            "image": SimpleUploadedFile(name, content, content_type="image/jpeg"),
            "caption": "展示の様子",
            "alt_text": alt,
            "reason": "",
        },
        follow=True,
    )


def test_upload_strips_location_keeps_date(client_as, initiative, committed):
    act = initiative
    source = jpeg_with_gps_and_date()
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(GPS_IFD)
    client = client_as("member")
    with committed():
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


def test_not_an_image_is_refused(client_as, initiative):
    act = initiative
    response = upload(client_as("member"), act, b"%PDF-1.4 not an image", name="x.jpg")
    assert response.status_code == 200
    assert not Photo.objects.filter(activity=act).exists()


def test_photo_of_unseen_activity_is_not_served(
    client_as, year, staff, client, create_activity, committed
):
    # a seminar without a pillar that 港区 did not attend: 港区 staff do not see it
    act = create_activity(year, title="旅先納税", kind="external_seminar")
    with committed():  # the file at its final name, so the image is there to serve
        upload(client_as("secretariat"), act, jpeg_with_gps_and_date())
    photo = Photo.objects.get(activity=act)
    assert client.get(f"/staff/photos/{photo.pk}/full/").status_code == 200  # the secretariat
    client.force_login(staff["partner"])
    assert client.get(f"/staff/photos/{photo.pk}/full/").status_code == 404


@pytest.fixture
def exhibition(initiative):
    """米沢市's initiative with three photos: two of 米沢市 around one of 南陽市."""
    act = initiative
    yonezawa, nanyo = (Organisation.objects.get(code=code) for code in (YONEZAWA, NANYO))
    for caption, org in (("紅花", yonezawa), ("展示台", nanyo), ("会場", yonezawa)):
        make_photo(act, org, caption)
    return act


def captions(act) -> list[str]:
    return list(act.photos.order_by("order", "pk").values_list("caption", flat=True))


def photo_entries(act):
    return AuditEntry.objects.filter(model="programmes.activity", object_id=str(act.pk))


def test_member_edits_own_caption_but_cannot_publish(client_as, staff, exhibition):
    photo = exhibition.photos.get(caption="紅花")
    client = client_as("member")
    page = client.get(f"/staff/photos/{photo.pk}/edit/")
    assert page.context["form"].fields["is_public"].disabled
    response = client.post(
        f"/staff/photos/{photo.pk}/edit/",
        {
            "caption": "紅花の展示",
            "alt_text": "紅花を生けた花器",
            "is_public": "on",
            "reason": "",
            "expected": fingerprint(photo),
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/staff/activities/{exhibition.pk}/#photo-{photo.pk}")
    photo.refresh_from_db()
    assert (photo.caption, photo.alt_text, photo.is_public) == (
        "紅花の展示",
        "紅花を生けた花器",
        False,
    )
    [entry] = photo_entries(exhibition)
    assert entry.changes == {
        f"写真（{photo.image.name}）のキャプション": ["紅花", "紅花の展示"],
        f"写真（{photo.image.name}）の代替テキスト": ["紅花の様子", "紅花を生けた花器"],
    }
    with pytest.raises(PermissionDenied):
        update_photo(
            photo,
            staff["member"],
            caption="x",
            alt_text="y",
            is_public=True,
            expected=fingerprint(photo),
        )
    other = exhibition.photos.get(caption="展示台")  # 南陽市's photo
    assert client.get(f"/staff/photos/{other.pk}/edit/").status_code == 403


def test_secretariat_publishes_a_photo_and_alt_text_stays_required(client_as, exhibition):
    photo = exhibition.photos.get(caption="展示台")
    client = client_as("secretariat")
    refused = client.post(
        f"/staff/photos/{photo.pk}/edit/",
        {"caption": "展示台", "alt_text": " ", "is_public": "on", "expected": fingerprint(photo)},
    )
    assert refused.status_code == 400
    photo.refresh_from_db()
    assert not photo.is_public
    response = client.post(
        f"/staff/photos/{photo.pk}/edit/",
        {
            "caption": "展示台",
            "alt_text": "展示台の様子",
            "is_public": "on",
            "expected": fingerprint(photo),
        },
    )
    assert response.status_code == 302
    photo.refresh_from_db()
    assert photo.is_public
    [entry] = photo_entries(exhibition)
    assert entry.changes == {f"写真（{photo.image.name}）の公開": [False, True]}


def test_delete_removes_files_only_after_commit(
    client_as, exhibition, django_capture_on_commit_callbacks
):
    photo = exhibition.photos.get(caption="紅花")
    storage, names = photo.image.storage, [photo.image.name, thumbnail_name(photo.image.name)]
    client = client_as("member")
    confirm = client.get(f"/staff/photos/{photo.pk}/delete/").content.decode()
    assert "元に戻せません" in confirm and "削除する" in confirm
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(f"/staff/photos/{photo.pk}/delete/", {"reason": ""})
    assert response.status_code == 302
    assert not Photo.objects.filter(pk=photo.pk).exists()
    assert all(storage.exists(name) for name in names)  # not yet committed: files kept
    for callback in callbacks:
        callback()
    assert not any(storage.exists(name) for name in names)
    [entry] = photo_entries(exhibition)
    assert entry.changes == {"写真の削除": [f"紅花（{names[0]}）", None]}
    assert captions(exhibition) == ["展示台", "会場"]


def test_rolled_back_delete_keeps_files(staff, exhibition, django_capture_on_commit_callbacks):
    photo = exhibition.photos.get(caption="紅花")

    def delete_then_fail():
        with transaction.atomic():
            delete_photo(photo, staff["secretariat"])
            raise RuntimeError

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(RuntimeError):
        delete_then_fail()
    assert callbacks == []
    assert Photo.objects.filter(pk=photo.pk).exists() and photo.image.storage.exists(
        photo.image.name
    )


def test_closed_year_asks_a_reason_before_delete_and_move(client_as, year, exhibition):
    year.state = FiscalYearState.CLOSED
    year.save(update_fields=["state"])
    photo = exhibition.photos.get(caption="会場")
    client = client_as("secretariat")
    refused = client.post(f"/staff/photos/{photo.pk}/move/", {"direction": "up"})
    assert refused.status_code == 400 and "変更の理由を入力してください" in refused.content.decode()
    assert 'name="direction" value="up"' in refused.content.decode()
    moved = client.post(
        f"/staff/photos/{photo.pk}/move/", {"direction": "up", "reason": "差し替え"}
    )
    assert moved.status_code == 302
    assert captions(exhibition) == ["紅花", "会場", "展示台"]
    assert client.post(f"/staff/photos/{photo.pk}/delete/", {"reason": ""}).status_code == 400
    assert (
        client.post(f"/staff/photos/{photo.pk}/delete/", {"reason": "重複のため"}).status_code
        == 302
    )
    assert [e.reason for e in photo_entries(exhibition)] == ["重複のため", "差し替え"]


def test_photos_move_one_place_and_stop_at_the_ends(client_as, exhibition):
    Photo.objects.filter(activity=exhibition).update(order=0)  # equal orders, e.g. from the admin
    first, second, third = exhibition.photos.order_by("pk")
    client = client_as("member")
    assert client.post(f"/staff/photos/{third.pk}/move/", {"direction": "up"}).status_code == 302
    assert captions(exhibition) == ["紅花", "会場", "展示台"]
    assert list(exhibition.photos.order_by("order").values_list("order", flat=True)) == [1, 2, 3]
    assert client.post(f"/staff/photos/{first.pk}/move/", {"direction": "down"}).status_code == 302
    assert captions(exhibition) == ["会場", "紅花", "展示台"]
    stuck = client.post(f"/staff/photos/{third.pk}/move/", {"direction": "up"})
    assert stuck.status_code == 400 and "これ以上移動できません" in stuck.content.decode()
    assert captions(exhibition) == ["会場", "紅花", "展示台"]
    latest = photo_entries(exhibition).first()
    assert latest.changes["写真の順序"][1] == [
        f"{p.caption}（{p.image.name}）" for p in (third, first, second)
    ]
    assert client.get(f"/staff/photos/{first.pk}/move/").status_code == 405


def test_activity_page_offers_buttons_only_to_those_allowed(client_as, exhibition):
    member_page = client_as("member").get(f"/staff/activities/{exhibition.pk}/").content.decode()
    assert 'aria-label="写真「紅花」を編集"' in member_page
    assert 'aria-label="写真「紅花」を後ろへ移動"' in member_page
    assert 'aria-label="写真「紅花」を前へ移動"' not in member_page  # already first
    assert 'aria-label="写真「会場」を削除"' in member_page
    assert "写真「展示台」を" not in member_page  # 南陽市's photo
    secretariat_page = (
        client_as("secretariat").get(f"/staff/activities/{exhibition.pk}/").content.decode()
    )
    assert 'aria-label="写真「展示台」を削除"' in secretariat_page
    auditor_page = client_as("auditor").get(f"/staff/activities/{exhibition.pk}/").content.decode()
    assert 'class="photo-actions"' not in auditor_page and "紅花" in auditor_page
    assert "写真を追加" not in auditor_page and "感想を書く" not in auditor_page
    assert "写真を追加" in member_page


def test_photo_sizes_are_thumb_and_full_only(client_as, exhibition):
    client = client_as("auditor")
    photo = exhibition.photos.first()
    assert client.get(f"/staff/photos/{photo.pk}/full/").status_code == 200
    assert client.get(f"/staff/photos/{photo.pk}/thumb/").status_code == 200
    assert client.get(f"/staff/photos/{photo.pk}/original/").status_code == 404


def test_stale_photo_edit_is_refused_and_shows_the_saved_caption(client_as, exhibition):
    photo = exhibition.photos.get(caption="紅花")
    client = client_as("secretariat")
    page = client.get(f"/staff/photos/{photo.pk}/edit/")
    stale = {
        "caption": "私の説明",
        "alt_text": "花",
        "reason": "",
        "expected": page.context["form"].initial["expected"],
    }
    client.post(f"/staff/photos/{photo.pk}/edit/", {**stale, "caption": "先の説明"})
    response = client.post(f"/staff/photos/{photo.pk}/edit/", stale)
    text = response.content.decode()
    assert response.status_code == 200 and "保存していません" in text and "先の説明" in text
    photo.refresh_from_db()
    assert photo.caption == "先の説明"
    response = client.post(
        f"/staff/photos/{photo.pk}/edit/",  # after reading it: overwrite
        {**stale, "expected": response.context["conflict"].details["version"]},
    )
    photo.refresh_from_db()
    assert response.status_code == 302 and photo.caption == "私の説明"
