"""Who publishes a photo (permission table): an upload is unpublished unless the
secretariat publishes it at upload; afterwards too only the secretariat publishes; a
member's upload form has no publish box and a forged one publishes nothing. A photo
published at upload reaches the portal in its sizes (made at upload)."""

import io
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from renkei.audit.services import fingerprint
from renkei.programmes.models import FiscalYearState, Photo
from renkei.programmes.services import add_photo, rendition_name, update_photo
from renkei.tenancy.models import Organisation

YONEZAWA = "062022"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def union(create_two_town_union):
    return create_two_town_union()


@pytest.fixture
def training(union, create_year, create_activity):
    """A public 交流研修 on 2 November of the union's running FY2024."""
    year = create_year(union, 2024, state=FiscalYearState.RUNNING)
    return create_activity(
        year, title="交流研修", kind="exchange_training", on=date(2024, 11, 2), is_public=True
    )


@pytest.fixture
def users(union, create_user):
    yonezawa = Organisation.objects.get(code=YONEZAWA)
    return {
        "secretariat": create_user("secretariat", union=union),
        "member": create_user("member", yonezawa, union=union),
    }


def jpeg(size=(3000, 2000)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(out, format="JPEG")
    return out.getvalue()


def upload(user, activity, *, is_public):
    organisation = user.staff_profile.organisation
    return add_photo(
        activity,
        user,
        organisation=organisation,
        upload=SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg"),
        caption="研修の様子",
        alt_text="会議室で話し合う職員",
        is_public=is_public,
    )


def served_size(client, photo, size) -> tuple[int, int] | int:
    response = client.get(f"/photos/{photo.pk}/{size}/")
    if response.status_code != 200:
        return response.status_code
    assert response["Content-Type"] == "image/jpeg"
    return Image.open(io.BytesIO(b"".join(response.streaming_content))).size


@pytest.mark.parametrize(
    ("role", "is_public", "allowed"),
    [
        ("secretariat", False, True),
        ("secretariat", True, True),
        ("member", False, True),
        ("member", True, False),
    ],
)
def test_publishing_at_upload_is_the_secretariats(
    role, is_public, allowed, users, training, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        if not allowed:
            with pytest.raises(PermissionDenied):
                upload(users[role], training, is_public=is_public)
            assert not Photo.objects.filter(activity=training).exists()
            return
        photo = upload(users[role], training, is_public=is_public)
    assert photo.is_public is is_public
    # Made at upload, beside the photo: the large view and the thumbnail.
    assert photo.image.storage.exists(rendition_name(photo.image.name, "large"))
    if is_public:
        assert served_size(client, photo, "large") == (1200, 800)
        assert served_size(client, photo, "thumb") == (320, 213)
    else:
        assert served_size(client, photo, "large") == 404
        assert served_size(client, photo, "thumb") == 404


def test_a_member_cannot_publish_afterwards(users, training, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        photo = upload(users["member"], training, is_public=False)
    with pytest.raises(PermissionDenied):
        update_photo(
            photo,
            users["member"],
            caption=photo.caption,
            alt_text=photo.alt_text,
            expected=fingerprint(photo),
            is_public=True,
        )
    photo.refresh_from_db()
    assert not photo.is_public
    update_photo(
        photo,
        users["secretariat"],
        caption=photo.caption,
        alt_text=photo.alt_text,
        expected=fingerprint(photo),
        is_public=True,
    )
    photo.refresh_from_db()
    assert photo.is_public


def post_upload(client, activity, **extra):
    return client.post(
        f"/staff/activities/{activity.pk}/photos/new/",
        {
            "image": SimpleUploadedFile("a.jpg", jpeg((800, 600)), content_type="image/jpeg"),
            "caption": "",
            "alt_text": "会議室で話し合う職員",
            "reason": "",
            **extra,
        },
    )


def test_upload_form_offers_publishing_to_the_secretariat_only(client, users, training):
    client.force_login(users["member"])
    form = client.get(f"/staff/activities/{training.pk}/photos/new/").content.decode()
    assert 'name="is_public"' not in form
    assert post_upload(client, training, is_public="on").status_code == 302  # box ignored
    assert Photo.objects.get(activity=training).is_public is False

    client.force_login(users["secretariat"])
    form = client.get(f"/staff/activities/{training.pk}/photos/new/").content.decode()
    assert 'name="is_public"' in form
    post_upload(client, training, is_public="on")
    published = Photo.objects.filter(activity=training, is_public=True)
    assert published.count() == 1
    assert published.get().organisation == Organisation.objects.get(
        pk=users["secretariat"].staff_profile.organisation_id
    )
