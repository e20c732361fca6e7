"""No silent overwrite: every edit path needs the state its form was loaded at (a version,
a fingerprint, the counts shown). Without it the save is refused with a Japanese message
and nothing is stored — before, leaving it out overwrote another person's change."""

import pytest
from django.urls import reverse

from renkei.audit.services import snapshot
from renkei.errors import RenkeiError
from renkei.finance.models import BudgetLine
from renkei.finance.services import delete_budget_line, save_budget_line
from renkei.programmes.models import (
    Activity,
    ActivityGroup,
    ActivitySection,
    Attendance,
    NarrativeSection,
    Photo,
    Programme,
    SectionKind,
)
from renkei.programmes.services import (
    delete_activity,
    save_impressions,
    update_activity,
    update_photo,
)
from renkei.programmes.structure import delete_record, save_record
from renkei.tenancy.models import Organisation

from .conftest import YONEZAWA
from .form_filling import fill
from .helpers import make_photo

MISSING = "画面を開いたときの記録の版"


@pytest.fixture
def records(year, initiative, training, create_activity, create_attendance, create_budget_line):
    """A record behind every edit path: 米沢市's initiative (and a photo of it), 交流研修,
    an activity 米沢市 took part in (its staff write impressions), a budget line, the
    initiative's programme and item, the year's prose."""
    yonezawa = Organisation.objects.get(code=YONEZAWA)
    dx = create_activity(year, title="自治体DX研修会")
    create_attendance(dx, {yonezawa: None})
    return {
        "exhibition": initiative,
        "training": training,
        "dx": dx,
        "photo": make_photo(initiative, yonezawa),
        "line": create_budget_line(year, settled=1643460),
        "programme": initiative.group.programme,
        "group": initiative.group,
        "narrative": NarrativeSection.objects.create(
            fiscal_year=year, key="summary", title="まとめ", body="連携して研修を行った。"
        ),
    }


def state(year):
    """Everything the edit paths below could change."""
    models = (
        Activity,
        BudgetLine,
        Programme,
        ActivityGroup,
        NarrativeSection,
        Photo,
        ActivitySection,
        Attendance,
    )
    return {
        m.__name__: sorted((o.pk, str(snapshot(o))) for o in m.objects.all()) for m in models
    } | {"year": str(snapshot(year))}


def edit_paths(year, records):
    exhibition, training, dx, photo, line, programme, group, narrative = records.values()
    return [  # (role, page shown, where it posts, the lock field)
        ("secretariat", ("activity_edit", exhibition.pk), None, "version"),
        ("secretariat", ("activity_delete", exhibition.pk), None, "version"),
        ("secretariat", ("budget_line_edit", line.pk), None, "version"),
        ("secretariat", ("year_edit", year.pk), None, "expected"),
        ("secretariat", ("programme_edit", programme.pk), None, "expected"),
        ("secretariat", ("group_edit", group.pk), None, "expected"),
        ("secretariat", ("narrative_edit", narrative.pk), None, "expected"),
        ("secretariat", ("photo_edit", photo.pk), None, "expected"),
        ("member", ("impressions_edit", dx.pk), None, "expected"),
        ("member", ("attendance_edit", training.pk), None, "seen_"),
        ("secretariat", ("budget_line_edit", line.pk), ("budget_line_delete", line.pk), "version"),
        (
            "secretariat",
            ("narrative_edit", narrative.pk),
            ("narrative_delete", narrative.pk),
            "expected",
        ),
    ]


def test_every_edit_path_refuses_a_form_without_its_lock(client_as, year, records):
    refused = []
    for role, (page_name, pk), target, lock in edit_paths(year, records):
        client = client_as(role)
        page = client.get(reverse(f"staff:{page_name}", args=[pk]))
        form_name = "form"
        data, _changed = fill(page.context[form_name], reason="理由")
        for days_or_lecturers in ("days", "lecturers"):
            if days_or_lecturers in page.context:
                formset = page.context[days_or_lecturers]
                data |= {
                    f"{formset.prefix}-TOTAL_FORMS": "0",
                    f"{formset.prefix}-INITIAL_FORMS": "0",
                }
        without = {k: v for k, v in data.items() if not k.startswith(lock)}
        assert without != data, (page_name, "the page sends no lock")
        before = state(year)
        url = (
            reverse(f"staff:{target[0]}", args=[target[1]]) if target else page.request["PATH_INFO"]
        )
        response = client.post(url, without, follow=True)
        # A refused form comes back with 400; a refused delete button goes back to the
        # record's page, which shows why.
        assert response.status_code == (200 if target else 400), page_name
        assert MISSING in response.content.decode(), (page_name, target)
        assert state(year) == before, (page_name, target, "something was saved")
        refused.append(target or page_name)
    assert len(refused) == len(edit_paths(year, records))


def test_services_refuse_an_edit_without_its_lock(year, staff, records):
    """The rule lives in the services, so no entry point (API, admin, command) can skip it."""
    secretariat, member = staff["secretariat"], staff["member"]
    exhibition, photo, line = records["exhibition"], records["photo"], records["line"]
    programme, narrative = records["programme"], records["narrative"]
    calls = [
        lambda: update_activity(
            exhibition, secretariat, expected_version=None, fields={"title": "上書き"}
        ),
        lambda: delete_activity(exhibition, secretariat, expected_version=None),
        lambda: save_budget_line(line, secretariat, fields={"note": "上書き"}),
        lambda: delete_budget_line(line, secretariat),
        lambda: save_record(programme, secretariat, fields={"name": "上書き"}),
        lambda: delete_record(narrative, secretariat),
        lambda: update_photo(photo, secretariat, caption="上書き", alt_text="上書き", expected=""),
        lambda: save_impressions(
            exhibition, member, organisation=photo.organisation, text="上書き", expected=""
        ),
    ]
    before = state(year)
    for call in calls:
        with pytest.raises(RenkeiError, match=MISSING):
            call()
    assert state(year) == before


def test_impressions_changed_since_the_form_opened_are_not_overwritten(client_as, records):
    """Two people of one municipality: the second save is refused and shows the first."""
    training = records["dx"]  # 米沢市 took part
    url = reverse("staff:impressions_edit", args=[training.pk])
    first = client_as("member")
    shown = first.get(url).context["form"].initial["expected"]
    first.post(url, {"text": "先に保存した感想", "expected": shown, "reason": ""})
    response = first.post(url, {"text": "後から上書きする感想", "expected": shown, "reason": ""})
    assert response.status_code == 409 and response.context["conflict"]
    assert "先に保存した感想" in response.content.decode()
    section = ActivitySection.objects.get(
        activity=training, organisation__code=YONEZAWA, kind=SectionKind.IMPRESSIONS
    )
    assert section.lead == "先に保存した感想"
