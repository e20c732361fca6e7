"""Public photos: served by the portal only when the photo and its activity are both
published, as a thumbnail and a large view (made at upload, or from the stored photo the
first time it is asked for), never the stored 2,400-pixel photo; MEDIA_ROOT is never
served directly."""

import io
from datetime import date

import pytest
from PIL import Image

from renkei.files import STAGING_DIR, stored_names
from renkei.programmes.models import FiscalYearState
from renkei.programmes.services import rendition_name

from .helpers import stored_photo


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def year(create_two_town_union, create_year):
    return create_year(create_two_town_union(), 2024, state=FiscalYearState.REPORTED)


@pytest.fixture
def training(year, create_activity):
    """A public 交流研修 on 2 November."""
    return create_activity(
        year, title="交流研修", kind="exchange_training", on=date(2024, 11, 2), is_public=True
    )


def image_size(response) -> tuple[int, int]:
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    return Image.open(io.BytesIO(b"".join(response.streaming_content))).size


def test_published_photo_of_public_activity_is_served_and_linked(client, training):
    photo = stored_photo(training, is_public=True, size=(2400, 1600))
    assert image_size(client.get(f"/photos/{photo.pk}/large/")) == (1200, 800)
    assert image_size(client.get(f"/photos/{photo.pk}/thumb/")) == (320, 240)
    # The large view was kept beside the photo: asked again, it is read, not made.
    assert photo.image.storage.exists(rendition_name(photo.image.name, "large"))
    assert stored_names(photo.image.storage, [STAGING_DIR]) == []  # moved into place
    assert image_size(client.get(f"/photos/{photo.pk}/large/")) == (1200, 800)
    # "full" (in links the API gave out) is the large view, never the stored photo.
    assert image_size(client.get(f"/photos/{photo.pk}/full/")) == (1200, 800)
    assert client.get(f"/photos/{photo.pk}/huge/").status_code == 404
    page = client.get(f"/activities/{training.pk}/").content.decode()
    assert f'src="/photos/{photo.pk}/thumb/"' in page
    assert f'href="/photos/{photo.pk}/large/"' in page
    assert photo.image.name not in page
    api = client.get(f"/api/activities/{training.pk}/").json()
    assert api["photos"][0]["url"].endswith(f"/photos/{photo.pk}/large/")


def test_small_photo_is_not_enlarged(client, training):
    photo = stored_photo(training, is_public=True)
    assert image_size(client.get(f"/photos/{photo.pk}/large/")) == (640, 480)


def test_unpublished_photo_is_not_served(client, training):
    photo = stored_photo(training, is_public=False)
    for size in ("thumb", "large", "full"):
        assert client.get(f"/photos/{photo.pk}/{size}/").status_code == 404
    assert not photo.image.storage.exists(rendition_name(photo.image.name, "large"))


def test_photo_of_a_non_public_activity_is_not_served(client, year, create_activity):
    hidden = create_activity(year, title="非公開の研修会", on=date(2024, 12, 1))
    photo = stored_photo(hidden, is_public=True)
    assert client.get(f"/photos/{photo.pk}/large/").status_code == 404


def test_media_root_is_not_served(client, training):
    photo = stored_photo(training, is_public=True)
    assert client.get(f"/media/{photo.image.name}").status_code == 404
    assert client.get(f"/{photo.image.name}", follow=True).status_code == 404
