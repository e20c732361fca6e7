"""Fixtures for the report tests: a factory-made union and year (``union``, ``year``,
``users``) for tests of how reports are made, asked for and issued; the FY2024 report's
data (``report``) for the reference tests."""

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


@pytest.fixture
def issue(committed):
    """``issue_report`` as a committed request runs it: its file is in place afterwards."""
    from renkei.reports.services import issue_report

    def run(*args, **kwargs):
        with committed():
            return issue_report(*args, **kwargs)

    return run


@pytest.fixture(scope="session")
def libreoffice():
    """LibreOffice's program; where it is missing the test skips with a reason, except
    under CI=true, where that is a failure (.ci/run installs libreoffice-writer-nogui)."""
    import os

    from renkei.reports.office import soffice

    program = soffice()
    if program is None:
        reason = "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the Word report must be checked in LibreOffice in CI: {reason}")
        pytest.skip(reason)
    return program


@pytest.fixture
def union(create_two_town_union):
    """A union with 米沢市 and 南陽市 as members and 港区 as a partner (slug okitama)."""
    return create_two_town_union()


@pytest.fixture
def year(union, create_report_year):
    """The union's running FY2024 with nothing the checks before issuing would refuse:
    one 交流研修 where 米沢市 recorded 22 of 22 (``year.activity``)."""
    return create_report_year(union, 2024)


@pytest.fixture
def users(union, create_staff):
    """One user of ``union`` per role (secretariat, member, other_member, partner, auditor)."""
    return create_staff(union)
