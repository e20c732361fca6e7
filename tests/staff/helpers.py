"""Helpers shared by the staff screen tests (no test imports another test module)."""

import io
import subprocess
from contextlib import contextmanager

from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from renkei.programmes.attendance import TOOK_PART, attendance_value_text
from renkei.programmes.models import FiscalYear, Photo
from renkei.programmes.services import thumbnail_name
from renkei.tenancy.models import Organisation
from renkei.tenancy.services import add_union, create_staff_user
from tests.conftest import PASSWORD

from .conftest import MINATO, NANYO, YONEZAWA


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def url(name, *args):
    return reverse(f"staff:{name}", args=args)


def edit_form(activity, **overrides):
    data = {
        "version": activity.version,
        "title": activity.title,
        "heading": activity.heading,
        "theme": activity.theme,
        "kind": activity.kind,
        "delivery_mode": activity.delivery_mode,
        "place_summary": activity.place_summary,
        "purpose": activity.purpose,
        "description": activity.description,
        "attendee_total": activity.attendee_total or "",
        "visitor_count": activity.visitor_count or "",
        "reason": "",
        "pillars": [p.pk for p in activity.pillars.all()],
        "lead_organisations": [o.pk for o in activity.leads()],
        "organiser": activity.organiser_id or "",
        "days-TOTAL_FORMS": "1",
        "days-INITIAL_FORMS": "0",
        "days-MIN_NUM_FORMS": "0",
        "days-MAX_NUM_FORMS": "1000",
        "days-0-date": "R6.11.2",
        "days-0-start_time": "10:00",
        "days-0-end_time": "16:00",
        "days-0-venue_name_1": "エコプラザ",
        "days-0-venue_name_2": "札の辻スクエア",
        "lecturers-TOTAL_FORMS": "1",
        "lecturers-INITIAL_FORMS": "0",
        "lecturers-MIN_NUM_FORMS": "0",
        "lecturers-MAX_NUM_FORMS": "1000",
        "lecturers-0-name": "箕浦 龍一",
        "lecturers-0-title": "シニアフェロー",
        "lecturers-0-organisation_name": "地域活性化センター",
    }
    return {**data, **overrides}


def attendance_post(activity, counts, reason=""):
    """The grid's POST: ``counts`` as typed (a count, 「参加」, None for empty), each with
    the value the page showed."""
    current = {
        a.organisation_id: attendance_value_text(TOOK_PART if a.count is None else a.count)
        for a in activity.attendances.all()
    }
    data = {"reason": reason}
    for org_id, count in counts.items():
        data[f"count_{org_id}"] = "" if count is None else count
    for org_id in counts:
        data[f"seen_{org_id}"] = current.get(org_id, "")
    return data


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


def make_photo(act, organisation, caption="写真", **fields) -> Photo:
    """A stored photo with its thumbnail, as an upload leaves it, last in the activity."""
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (40, 120, 200)).save(out, format="JPEG")
    photo = Photo(
        activity=act,
        organisation=organisation,
        caption=caption,
        alt_text=f"{caption}の様子",
        order=act.photos.count() + 1,
        **fields,
    )
    photo.image.save(
        f"photo{Photo.objects.count() + 1}.jpg", ContentFile(out.getvalue()), save=False
    )
    photo.save()
    photo.image.storage.save(thumbnail_name(photo.image.name), ContentFile(out.getvalue()))
    return photo


TITLE = "令和6年度 交流研修（米沢・南陽）"


def entry(**overrides) -> dict:
    """What the clerk types for a two-day 交流研修 (no photos)."""
    yonezawa = Organisation.objects.get(code=YONEZAWA)
    nanyo = Organisation.objects.get(code=NANYO)
    data = {
        "version": "",
        "venue_slots": "3",
        "title": TITLE,
        "kind": "exchange_training",
        "delivery_mode": "in_person",
        "days-TOTAL_FORMS": "2",
        "days-INITIAL_FORMS": "0",
        "days-0-date": "令和6年8月1日",
        "days-0-venue_name_1": "米沢市役所",
        "days-1-date": "R6.8.2",
        "days-1-venue_name_1": "南陽市文化会館",
        "days-1-venue_name_2": "赤湯温泉",
        "lecturers-TOTAL_FORMS": "1",
        "lecturers-INITIAL_FORMS": "0",
        "lecturers-0-name": "箕浦 龍一",
        f"att-count_{yonezawa.pk}": "12",
        f"att-seen_{yonezawa.pk}": "",
        f"att-count_{nanyo.pk}": "参加",
        f"att-seen_{nanyo.pk}": "",
    }
    return {**data, **overrides}


@contextmanager
def made_once(django_db_blocker, media_root):
    """For a class-scoped fixture: what is made inside stays for the class's tests and is
    rolled back after the last (pytest-django's ``db`` runs each test in a savepoint
    inside this transaction, so what a test changes or deletes is gone before the next)."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root),
        transaction.atomic(),
    ):
        yield
        transaction.set_rollback(True)


def staff_user(role, organisation, union):
    """A user as ``make_user`` makes one (tests/conftest.py), outside a test's fixtures."""
    return create_staff_user(
        username=f"{role}-{organisation.code or organisation.pk}-{union.slug}",
        password=PASSWORD,
        union=union,
        organisation=organisation,
        role=role,
    )


def users_of(union) -> dict:
    """A user per role of ``union`` as the ``users`` fixture makes them: the secretariat,
    米沢市 and 南陽市 staff (member, other_member), 港区 staff (partner), an auditor."""
    by_code = {code: Organisation.objects.get(code=code) for code in (YONEZAWA, NANYO, MINATO)}
    return {
        "secretariat": staff_user("secretariat", union.organisation, union),
        "member": staff_user("member", by_code[YONEZAWA], union),
        "other_member": staff_user("member", by_code[NANYO], union),
        "partner": staff_user("partner", by_code[MINATO], union),
        "auditor": staff_user("auditor", union.organisation, union),
    }


def other_union_with_year():
    """What the ``other_union`` fixture makes (tests/conftest.py), outside it: another
    tenant with one member town (奈良県川西町) and an open FY2024."""
    union = add_union(
        None,
        name="テスト広域連合",
        slug="test-union",
        region_name="テスト",
        members=[("293610", "川西町")],
        secretariat_username="test-union-jimukyoku",
    ).user.staff_profile.union
    FiscalYear.objects.create(union=union, year=2024)
    return union


# Populations of 置賜's eight members in 規約 order (the shares tests' figures).
POPULATIONS = [76_000, 25_000, 29_000, 22_000, 13_000, 7_000, 7_000, 6_500]


def pdf_text(data: bytes) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def assert_case(response, status: int) -> None:
    """One case of a permission table: the expected status, and a 404 that names nothing
    of the other union's records."""
    assert response.status_code == status
    if status == 404:
        assert "他組合" not in response.content.decode(), "another union's record leaked"


# --- b11


def inquiry_programme(year):
    """What ``tests.inquiries.conftest.inquiry_data`` asks about, made in ``year`` as its
    next programme: 遠隔自治体間連携事業 with item 1 研修会 holding the sessions
    旅先納税セミナー (5 September 2024) and ZEB導入セミナー (8 October), item 2 交流会 and
    item 3 今年度実施した取組 (where members add their initiatives)."""
    from datetime import date

    from renkei.programmes.models import Activity, ActivityGroup, Programme, ScheduleDay

    programme = Programme.objects.create(
        fiscal_year=year, number=year.programmes.count() + 1, name="遠隔自治体間連携事業"
    )
    groups = [
        ActivityGroup.objects.create(programme=programme, number=number, title=title)
        for number, title in [(1, "研修会"), (2, "交流会"), (3, "今年度実施した取組")]
    ]
    for number, (title, on) in enumerate(
        [("旅先納税セミナー", date(2024, 9, 5)), ("ZEB導入セミナー", date(2024, 10, 8))], start=1
    ):
        session = Activity.objects.create(
            group=groups[0], sub_number=number, title=title, kind="workshop"
        )
        ScheduleDay.objects.create(activity=session, date=on)
    return programme
