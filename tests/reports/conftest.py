"""Fixtures for the report tests: the FY2024 report's data, rendered once per test."""

import pytest


@pytest.fixture
def report(fy2024):
    from renkei.reports.data import build_report

    return build_report(fy2024)


@pytest.fixture
def jpeg():
    """Make an uploaded JPEG photo: ``jpeg("name.jpg")``."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    def make(name: str, size=(480, 320), colour=(40, 90, 160)) -> SimpleUploadedFile:
        buffer = io.BytesIO()
        Image.new("RGB", size, colour).save(buffer, "JPEG")
        return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")

    return make
