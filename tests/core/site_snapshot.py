"""Print a digest of every page and download of an installation, as JSON.

Run in a subprocess against an installation (``DATABASE_URL``, ``RENKEI_VAR_DIR``):
``python -m tests.core.site_snapshot``. The backup test compares two installations'
digests. Values that differ between two renders of the same records (CSRF tokens, a
PDF's creation time) are left out of the digest.
"""

import hashlib
import json
import os
import re


def _normalise(content: bytes) -> bytes:
    content = re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)
    return re.sub(rb"/(CreationDate|ModDate) \([^)]*\)", b"", content)


def _digest(client, url: str) -> str:
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return f"{response.status_code} {hashlib.sha256(_normalise(body)).hexdigest()}"


def snapshot() -> dict[str, str]:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from renkei.programmes.models import Activity, FiscalYear, Photo
    from renkei.reports.models import IssuedReport
    from renkei.tenancy.models import Membership

    public, staff = Client(HTTP_HOST="localhost"), Client(HTTP_HOST="localhost")
    staff.force_login(get_user_model().objects.get(username="jimukyoku"))
    pages = {
        "/",
        "/activities/",
        "/annual-reports/",
        "/calendar.ics",
        "/opendata/events.csv",
        "/opendata/events.json",
        "/api/activities/",
        "/api/municipalities/",
    }
    pages |= {
        f"/activities/{pk}/"
        for pk in Activity.objects.filter(is_public=True).values_list("pk", flat=True)
    }
    pages |= {
        f"/municipalities/{code}/"
        for code in Membership.objects.values_list("organisation__code", flat=True)
    }
    pages |= {
        f"/annual-reports/{pk}/download/"
        for pk in IssuedReport.objects.filter(edition="public").values_list("pk", flat=True)
    }
    result = {url: _digest(public, url) for url in sorted(pages)}

    staff_pages = {
        reverse(name)
        for name in (
            "staff:home",
            "staff:activity_list",
            "staff:budget",
            "staff:year_list",
            "staff:history",
            "staff:users",
            "staff:seminars",
        )
    }
    staff_pages |= {
        reverse("staff:activity_detail", args=[pk])
        for pk in Activity.objects.values_list("pk", flat=True)
    }
    staff_pages |= {
        reverse("staff:photo_image", args=[pk, size])
        for pk in Photo.objects.values_list("pk", flat=True)
        for size in ("thumb", "full")
    }
    for year in FiscalYear.objects.values_list("year", flat=True):
        staff_pages |= {
            reverse("reports:download", args=[year, fmt]) for fmt in ("pdf", "docx", "html", "xlsx")
        }
    staff_pages |= {
        reverse("reports:issued_download", args=[r.fiscal_year.year, r.format, r.version])
        + f"?edition={r.edition}"
        for r in IssuedReport.objects.select_related("fiscal_year")
    }
    result |= {url: _digest(staff, url) for url in sorted(staff_pages)}
    return result


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renkei.settings")
    import django

    django.setup()
    print(json.dumps(snapshot(), indent=1, sort_keys=True))
