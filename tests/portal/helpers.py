"""Helpers shared by the portal tests."""

import io

from django.core.files.base import ContentFile
from PIL import Image

from renkei.programmes.models import Photo
from renkei.programmes.services import thumbnail_name


def stored_photo(activity, *, is_public: bool, size=(640, 480)) -> Photo:
    """A photo as stored before large views were made at upload: the photo and its
    thumbnail only."""
    full, thumb = io.BytesIO(), io.BytesIO()
    Image.new("RGB", size, (30, 120, 60)).save(full, format="JPEG")
    Image.new("RGB", (320, 240), (30, 120, 60)).save(thumb, format="JPEG")
    photo = Photo(activity=activity, caption="展示", alt_text="展示の様子", is_public=is_public)
    photo.image.save("tenji.jpg", ContentFile(full.getvalue()), save=False)
    photo.save()
    photo.image.storage.save(thumbnail_name(photo.image.name), ContentFile(thumb.getvalue()))
    return photo
