"""Nothing a form offers is silently dropped: every field of every staff form (and every
writable API field) gets a new valid value, is saved, and is read back from the database.

The fields come from the form the page renders (dynamic venue and count fields included),
so a field added to a form is filled and checked here without editing this file; a field
that is deliberately not saved must be listed in form_filling.NOT_SAVED with the reason."""

import inspect
import io

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from renkei.audit.models import AuditEntry
from renkei.finance.models import BudgetLine
from renkei.programmes.attendance import TOOK_PART, attendance_value_text
from renkei.programmes.models import (
    Activity,
    ActivityGroup,
    ActivitySection,
    FiscalYear,
    FiscalYearState,
    NarrativeSection,
    Photo,
    Plan,
    Programme,
    SectionKind,
)
from renkei.programmes.services import record_attendance
from renkei.staff import forms as staff_forms
from renkei.staff import year_forms
from renkei.tenancy.models import Organisation

from .conftest import YONEZAWA
from .form_filling import as_posted, as_stored, fill
from .helpers import entry, jpeg_with_gps_and_date, make_photo

# Forms that save nothing themselves, with the reason.
NOT_SAVING = {
    staff_forms.SignInForm: "signs in; nothing is stored but the session",
    staff_forms.ActivityFilterForm: "filters the activity list",
    staff_forms.HistoryFilterForm: "filters the change history",
    year_forms.StructureForm: "the base class of the four structure forms (covered below)",
    staff_forms.SpreadsheetForm: "the file is read, not kept; its rows are saved by the "
    "import and read back in test_spreadsheets.py",
}
# Fields of saving forms that are not stored, with the reason.
# Which test below covers each saving form (so a new form class fails until it has one).
COVERED = {
    staff_forms.ActivityForm: "test_activity_create_and_edit_round_trip",
    staff_forms.DayForm: "test_activity_create_and_edit_round_trip",
    staff_forms.LecturerForm: "test_activity_create_and_edit_round_trip",
    staff_forms.CountsForm: "test_attendance_grid_round_trip",
    staff_forms.AttendanceTotalsForm: "test_attendance_totals_round_trip",
    staff_forms.ProposalDecisionForm: "test_attendance_proposal_comment_round_trip",
    staff_forms.PhotoForm: "test_photo_upload_and_edit_round_trip",
    staff_forms.PhotoEditForm: "test_photo_upload_and_edit_round_trip",
    staff_forms.PhotoChangeForm: "test_delete_forms_keep_their_reason",
    staff_forms.DeleteForm: "test_delete_forms_keep_their_reason",
    staff_forms.ImpressionsForm: "test_impressions_round_trip",
    staff_forms.BudgetLineForm: "test_budget_line_round_trip",
    staff_forms.InviteForm: "test_invite_round_trip",
    staff_forms.NewPhotosForm: "test_new_activity_photos_round_trip",
    year_forms.FiscalYearForm: "test_structure_round_trip",
    year_forms.ProgrammeForm: "test_structure_round_trip",
    year_forms.GroupForm: "test_structure_round_trip",
    year_forms.NarrativeForm: "test_structure_round_trip",
    year_forms.NewYearForm: "test_new_year_round_trip",
    year_forms.YearStateForm: "test_new_year_round_trip",
}


def test_every_staff_form_is_covered_or_listed():
    found = {
        cls
        for module in (staff_forms, year_forms)
        for _name, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__
    }
    missing = found - COVERED.keys() - NOT_SAVING.keys()
    assert not missing, f"forms with no round-trip test: {sorted(c.__name__ for c in missing)}"
    names = {name for name, _ in inspect.getmembers(__import__(__name__, fromlist=["x"]))}
    assert set(COVERED.values()) <= names


def assert_stored(changed: dict, stored: dict, what: str) -> None:
    assert set(stored) == set(changed), f"{what}: fields not read back"
    wrong = {
        name: (as_posted(changed[name]), stored[name])
        for name in changed
        if as_posted(changed[name]) != stored[name]
    }
    assert not wrong, f"{what}: posted → stored differ: {wrong}"


def read(instance, names) -> dict:
    return {name: as_stored(getattr(instance, name)) for name in names}


def last_reason(instance) -> str:
    return (
        AuditEntry.objects.filter(model=instance._meta.label_lower, object_id=str(instance.pk))
        .order_by("-pk")[0]
        .reason
    )


def management(prefix: str) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": "1",
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def activity_round_trip(client, url, find):
    page = client.get(url)
    # Publishing answers a proposal (it is cleared), so the secretariat publishes unproposed.
    data, changed = fill(
        page.context["form"],
        visitors_approximate="on",
        publication_proposed="",
        reason="試験の理由（活動）",
    )
    day_data, day = fill(page.context["days"].forms[0], "days-0")
    lecturer_data, lecturer = fill(page.context["lecturers"].forms[0], "lecturers-0")
    response = client.post(
        url, {**data, **day_data, **lecturer_data, **management("days"), **management("lecturers")}
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    saved = find()
    model_fields = {k for k in changed if k != "reason"}
    assert_stored(changed, {**read(saved, model_fields), "reason": last_reason(saved)}, "activity")
    stored_day = saved.days.get()
    venues = list(stored_day.venues.all())
    stored = read(stored_day, [k for k in day if not k.startswith("venue_")])
    for n, venue in enumerate(venues, start=1):
        stored |= {
            f"venue_name_{n}": venue.name,
            f"venue_address_{n}": venue.address,
            f"venue_municipality_{n}": as_stored(venue.municipality),
        }
    assert_stored(day, stored, "schedule day")
    assert_stored(lecturer, read(saved.lecturers.get(), lecturer), "lecturer")


@pytest.fixture
def plan(union):
    return Plan.objects.create(
        union=union, name="広域行政事務推進基本計画", first_fiscal_year=2023, last_fiscal_year=2032
    )


def test_activity_create_and_edit_round_trip(client_as, union, initiative, create_project):
    """The organiser (主催) among them: it was dropped while the page said 保存しました."""
    create_project(union)  # the pillars (ひと・もの・こと) to choose from
    client = client_as("secretariat")
    activity_round_trip(
        client,
        reverse("staff:activity_create", args=[initiative.group.pk]),
        lambda: Activity.objects.order_by("-pk")[0],
    )
    exhibition = initiative
    activity_round_trip(
        client,
        reverse("staff:activity_edit", args=[exhibition.pk]),
        lambda: Activity.objects.get(pk=exhibition.pk),
    )
    entry = AuditEntry.objects.filter(
        model="programmes.activity", object_id=str(exhibition.pk)
    ).order_by("-pk")[0]
    assert "organiser" in entry.changes  # and the history shows the new organiser


def test_attendance_grid_round_trip(client_as, training):
    client = client_as("secretariat")
    url = reverse("staff:attendance_edit", args=[training.pk])
    data, changed = fill(client.get(url).context["form"], reason="試験の理由（出席）")
    assert client.post(url, data).status_code == 302
    counts = {
        f"count_{a.organisation_id}": attendance_value_text(
            TOOK_PART if a.count is None else a.count
        )
        for a in training.attendances.all()
    }
    stored = {name: counts.get(name, "") for name in changed if name.startswith("count_")}
    assert_stored(changed, {**stored, "reason": last_reason(training)}, "attendance")


def test_attendance_totals_round_trip(client_as, training):
    client = client_as("secretariat")
    url = reverse("staff:attendance_edit", args=[training.pk])
    data, changed = fill(
        client.get(url).context["totals_form"], prefix="totals", reason="試験の理由（合計）"
    )
    assert client.post(url, {**data, "part": "totals"}).status_code == 302
    training.refresh_from_db()
    composition = {f"kind_{c.kind}": str(c.number) for c in training.compositions.all()}
    stored = {name: composition.get(name, "") for name in changed if name.startswith("kind_")}
    assert_stored(
        changed,
        {**stored, "total": str(training.attendee_total), "reason": last_reason(training)},
        "attendance totals",
    )


def test_attendance_proposal_comment_round_trip(client_as, staff, year, training):
    yonezawa = Organisation.objects.get(code=YONEZAWA)
    FiscalYear.objects.filter(pk=year.pk).update(state=FiscalYearState.REPORTED)
    saved = record_attendance(
        training,
        staff["member"],
        counts={yonezawa.pk: 2},
        seen={yonezawa.pk: None},
        reason="試験の理由（提案）",
    )
    proposal = saved.proposals[0]
    data, changed = fill(staff_forms.ProposalDecisionForm())
    client = client_as("secretariat")
    response = client.post(
        reverse("staff:attendance_proposals"),
        {**data, "proposal": proposal.pk, "decision": "reject"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert_stored(changed, {"comment": proposal.comment}, "proposal decision")


def test_photo_upload_and_edit_round_trip(client_as, initiative, committed):
    exhibition = initiative
    client = client_as("secretariat")
    url = reverse("staff:photo_upload", args=[exhibition.pk])
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 200, 30)).save(out, format="JPEG")
    image = SimpleUploadedFile("new.jpg", out.getvalue(), content_type="image/jpeg")
    data, changed = fill(client.get(url).context["form"], image=image, reason="試験の理由（写真）")
    with committed():  # the photo's file takes its name when the row commits
        assert client.post(url, data).status_code == 302
    photo = Photo.objects.order_by("-pk")[0]
    assert Image.open(photo.image.open("rb")).size == (64, 48)
    assert_stored(
        {k: v for k, v in changed.items() if k != "image"},
        {**read(photo, ["caption", "alt_text", "is_public"]), "reason": last_reason(exhibition)},
        "photo upload",
    )
    edit = reverse("staff:photo_edit", args=[photo.pk])
    data, changed = fill(
        client.get(edit).context["form"], publication_proposed="", reason="試験の理由（写真の編集）"
    )
    assert client.post(edit, data).status_code == 302
    photo.refresh_from_db()
    assert_stored(
        changed,
        {
            **read(photo, ["caption", "alt_text", "is_public", "publication_proposed"]),
            "reason": last_reason(exhibition),
        },
        "photo edit",
    )


def test_impressions_round_trip(client_as, year, create_activity, create_attendance):
    training = create_activity(year, title="自治体DX研修会")
    create_attendance(training, {Organisation.objects.get(code=YONEZAWA): None})  # 米沢市's
    client = client_as("member")
    url = reverse("staff:impressions_edit", args=[training.pk])
    data, changed = fill(client.get(url).context["form"], reason="試験の理由（感想）")
    assert client.post(url, data).status_code == 302
    section = ActivitySection.objects.get(
        activity=training, kind=SectionKind.IMPRESSIONS, organisation__code=YONEZAWA
    )
    assert_stored(changed, {"text": section.lead, "reason": last_reason(training)}, "impressions")


def test_budget_line_round_trip(client_as, year, create_budget_line):
    line = create_budget_line(year, budgeted=1700000, settled=1643460)
    client = client_as("secretariat")
    for url, find in (
        (reverse("staff:budget_line_edit", args=[line.pk]), lambda: line),
        (
            reverse("staff:budget_line_create", args=[year.pk]),
            lambda: BudgetLine.objects.order_by("-pk")[0],
        ),
    ):
        # A line with a section is not the reserve (予備費 has none: tests/finance).
        data, changed = fill(
            client.get(url).context["form"],
            direction="expenditure",
            is_reserve="",
            reason="試験の理由（予算）",
        )
        response = client.post(url, data)
        assert response.status_code == 302, response.context and response.context["form"].errors
        saved = BudgetLine.objects.get(pk=find().pk)
        names = {k for k in changed if k != "reason"}
        assert_stored(changed, {**read(saved, names), "reason": last_reason(saved)}, url)


def test_structure_round_trip(client_as, year, plan, create_programme):
    client = client_as("secretariat")
    programme = create_programme(year)
    group = programme.first_group
    narrative = NarrativeSection.objects.create(
        fiscal_year=year, key="overview", title="事業概要", body="連携して研修を行った。", order=1
    )
    cases = [
        ("year_edit", year, {}),
        ("programme_edit", programme, {"number": "90"}),
        ("group_edit", group, {"number": "90"}),
        ("narrative_edit", narrative, {"key": "other"}),
        ("programme_create", year, {"number": "91"}),
        ("group_create", programme, {"number": "91"}),
        ("narrative_create", year, {"key": "other"}),
    ]
    for name, record, fixed in cases:
        url = reverse(f"staff:{name}", args=[record.pk])
        data, changed = fill(
            client.get(url).context["form"], reason=f"試験の理由（{name}）", **fixed
        )
        response = client.post(url, data)
        assert response.status_code == 302, (name, response.context["form"].errors)
        model = (
            type(record)
            if name.endswith("edit")
            else {
                "programme_create": Programme,
                "group_create": ActivityGroup,
                "narrative_create": NarrativeSection,
            }[name]
        )
        saved = (
            model.objects.get(pk=record.pk)
            if name.endswith("edit")
            else model.objects.order_by("-pk")[0]
        )
        names = {k for k in changed if k != "reason"}
        assert_stored(changed, {**read(saved, names), "reason": last_reason(saved)}, name)


def test_new_year_round_trip(client_as, year, plan, create_programme):
    create_programme(year, name="交流事業")
    create_programme(year, name="研修事業")
    client = client_as("secretariat")
    url = reverse("staff:year_create")
    data, changed = fill(client.get(url).context["form"], year="2031", copy_from=str(year.pk))
    assert client.post(url, data).status_code == 302
    new = FiscalYear.objects.get(union=year.union, year=2031)
    copied = sorted(new.programmes.values_list("name", flat=True))
    assert copied == sorted(year.programmes.values_list("name", flat=True))
    assert_stored(
        changed,
        {"year": str(new.year), "plan": as_stored(new.plan), "copy_from": str(year.pk)},
        "new year",
    )
    page = client.get(reverse("staff:year_detail", args=[new.pk]))
    data, changed = fill(page.context["state_form"])
    client.post(reverse("staff:year_state", args=[new.pk]), data)
    new.refresh_from_db()
    assert_stored(changed, {"state": new.state}, "year state")


def test_invite_round_trip(client_as):
    client = client_as("secretariat")
    url = reverse("staff:users")
    data, changed = fill(client.get(url).context["form"], username="new-staff")
    assert client.post(url, data).status_code == 200
    user = get_user_model().objects.get(username="new-staff")
    profile = user.staff_profile
    assert_stored(
        changed,
        {
            "username": user.username,
            "display_name": user.first_name,
            "email": user.email,
            "organisation": as_stored(profile.organisation),
            "role": profile.role,
        },
        "invite",
    )


def test_delete_forms_keep_their_reason(client_as, initiative):
    client = client_as("secretariat")
    exhibition = initiative
    photo = make_photo(exhibition, Organisation.objects.get(code=YONEZAWA))
    url = reverse("staff:photo_delete", args=[photo.pk])
    data, changed = fill(client.get(url).context["form"])
    assert client.post(url, data).status_code == 302
    assert_stored(changed, {"reason": last_reason(exhibition)}, "photo delete")
    url = reverse("staff:activity_delete", args=[exhibition.pk])
    data, changed = fill(client.get(url).context["form"])
    assert client.post(url, data).status_code == 302
    assert_stored(
        changed,
        {
            "reason": AuditEntry.objects.get(
                model="programmes.activity",
                object_id=str(exhibition.pk),
                action=AuditEntry.Action.DELETE,
            ).reason
        },
        "activity delete",
    )


@pytest.mark.parametrize("role", ["secretariat"])
def test_api_attendance_writable_fields_round_trip(union, training, create_user, role):
    """Every writable field of the API's attendance write is stored."""
    from rest_framework.test import APIClient

    from renkei.api.serializers import AttendanceRowSerializer, AttendanceWriteSerializer

    org = Organisation.objects.get(code=YONEZAWA)
    # FY2024 credits 交流研修 to no municipality (the reference names none): 米沢市 has no row
    assert not training.attendances.filter(organisation=org).exists()
    previous = None
    row = {"organisation": org.pk, "count": 4, "previous": previous}
    body = {"counts": [row], "reason": "試験の理由（API）"}
    assert set(row) == set(AttendanceRowSerializer().fields)
    assert set(body) == set(AttendanceWriteSerializer().fields)
    client = APIClient()
    client.force_authenticate(create_user(role, union=union))
    response = client.put(f"/api/activities/{training.pk}/attendance/", body, format="json")
    assert response.status_code == 200, response.content
    assert training.attendances.get(organisation=org).count == 4
    assert last_reason(training) == "試験の理由（API）"


def test_new_activity_photos_round_trip(client_as, initiative, committed):
    """Each photo entered with a new activity keeps its caption and alternative text."""
    group = initiative.group
    data = entry(
        **{
            "photos-files": [SimpleUploadedFile("a.jpg", jpeg_with_gps_and_date(), "image/jpeg")],
            "photos-photo_0_caption": "開会のあいさつ",
            "photos-photo_0_alt_text": "演台で話す市長",
        }
    )
    with committed():
        response = client_as("secretariat").post(f"/staff/activities/new/?group={group.pk}", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    photo = Photo.objects.get(activity__title=data["title"])
    assert (photo.caption, photo.alt_text) == ("開会のあいさつ", "演台で話す市長")
