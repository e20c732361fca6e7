"""Lead municipalities keep the order they were entered in: a clerk changes it on the
activity form, and the report, the staff list, the portal and the API follow."""

import re
from datetime import date

import pytest

from renkei.audit.models import AuditEntry
from renkei.programmes.services import set_leads
from renkei.reports.data import build_report
from renkei.reports.renderers import render
from renkei.tenancy.models import Organisation
from tests.reports.extract import fold

from .helpers import edit_form

SIGNAGE = "港区デジタルサイネージでのPR動画の放映"


def led_by(activity, *names):
    set_leads(activity, [Organisation.objects.get(name=name) for name in names])
    return activity


def offered_leads(page: str) -> list[str]:
    """The lead municipality checkboxes in the order the page shows them: (value, label)."""
    return re.findall(
        r'<input type="checkbox" name="lead_organisations" value="(\d+)"'
        r"[^>]*>\s*([^<]+?)\s*</label>",
        page,
    )


def save_checked(client, signage, names: list[str]):
    """Check exactly ``names`` on the edit page and save, sending the boxes in the page's
    order as a browser does."""
    url = f"/staff/activities/{signage.pk}/edit/"
    offered = offered_leads(client.get(url).content.decode())
    checked = [value for value, label in offered if label in names]
    signage.refresh_from_db()
    # The day as the page sends it back (an initial form), so the schedule stays.
    response = client.post(
        url,
        edit_form(
            signage,
            lead_organisations=checked,
            is_public="on",
            **{"days-INITIAL_FORMS": str(signage.days.count())},
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    signage.refresh_from_db()
    return offered


def test_form_offers_the_chosen_leads_first_in_their_order(client_as, year, create_activity):
    signage = led_by(create_activity(year, title=SIGNAGE), "飯豊町", "小国町")
    page = client_as("secretariat").get(f"/staff/activities/{signage.pk}/edit/")
    labels = [label for _value, label in offered_leads(page.content.decode())]
    assert labels == [
        "飯豊町",
        "小国町",
        "米沢市",
        "長井市",
        "南陽市",
        "高畠町",
        "川西町",
        "白鷹町",
    ]


@pytest.fixture
def initiatives(year, union, create_programme, create_activity, create_project):
    """The members' initiatives as the report lists them (①, ②…, one without a day): a
    public exhibition, then the signage under the pillar もの, on one day, led by 飯豊町
    and 小国町."""
    group = create_programme(year, group_title="連携の取組").first_group
    create_activity(group=group, title="札の辻スクエア3階での展示", is_public=True)
    signage = create_activity(group=group, title=SIGNAGE, on=date(2024, 11, 2), is_public=True)
    signage.pillars.add(create_project(union).pillar["mono"])
    return led_by(signage, "飯豊町", "小国町")


def test_clerk_reorders_and_adds_leads_and_every_reader_follows(
    client_as, client, year, initiatives
):
    """The report numbers the signage ② among the initiatives, its leads in order."""
    signage = initiatives
    secretariat = client_as("secretariat")
    # Move 飯豊町 behind 小国町: uncheck it and save, then check it again (it comes last).
    save_checked(secretariat, signage, ["小国町"])
    offered = save_checked(secretariat, signage, ["小国町", "飯豊町", "米沢市"])
    assert [label for _v, label in offered][:3] == ["小国町", "米沢市", "長井市"]
    assert [o.name for o in signage.leads()] == ["小国町", "米沢市", "飯豊町"]
    # Then 米沢市 to the end as well: the order is the page's, the stored one first.
    save_checked(secretariat, signage, ["小国町", "飯豊町"])
    save_checked(secretariat, signage, ["小国町", "飯豊町", "米沢市"])
    expected = ["小国町", "飯豊町", "米沢市"]
    assert [o.name for o in signage.leads()] == expected

    changes = [
        entry.changes.get("lead_organisations")
        for entry in AuditEntry.objects.filter(
            model="programmes.activity", object_id=str(signage.pk)
        ).order_by("pk")
    ]
    assert changes == [
        [["飯豊町", "小国町"], ["小国町"]],
        [["小国町"], ["小国町", "米沢市", "飯豊町"]],
        [["小国町", "米沢市", "飯豊町"], ["小国町", "飯豊町"]],
        [["小国町", "飯豊町"], expected],
    ]

    report = fold(render(build_report(year), "html").decode())
    assert fold(f"②{SIGNAGE}（小国町、飯豊町、米沢市）") in report

    staff_list = secretariat.get("/staff/activities/?year=2024").content.decode()
    assert "小国町・飯豊町・米沢市" in staff_list

    page = client.get("/activities/?year=2024&pillar=mono").content.decode()
    card = page[page.index(f'/activities/{signage.pk}/"') :].split('<li class="card">')[0]
    assert re.findall(r'<li class="tag">([^<]+)</li>', card)[1:] == expected  # after the kind

    api = client.get(f"/api/activities/{signage.pk}/").json()
    assert [org["name"] for org in api["lead_municipalities"]] == expected
    listed = client.get("/api/activities/?year=2024&pillar=mono").json()["results"]
    assert [
        org["name"]
        for org in next(a for a in listed if a["id"] == signage.pk)["lead_municipalities"]
    ] == expected


def test_a_member_cannot_reorder_leads(client_as, initiative):
    """Ownership (pillars, organiser, leads) is the secretariat's: a member's form has
    the boxes disabled and the order it sends is ignored."""
    exhibition = led_by(initiative, "米沢市", "高畠町")  # 米沢市 staff own it
    reversed_pks = [o.pk for o in reversed(exhibition.leads())]
    response = client_as("member").post(
        f"/staff/activities/{exhibition.pk}/edit/",
        edit_form(exhibition, lead_organisations=reversed_pks),
    )
    assert response.status_code == 302
    assert [o.name for o in exhibition.leads()] == ["米沢市", "高畠町"]
