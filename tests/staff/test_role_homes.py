"""Each role sees its own work (issue 14 item 4): a member's and the partner's home open
with what is theirs to do, menus hold only pages with something for the role, the
partner does not see the budget, and other organisations' rows say they are not theirs.
One role and one page per test."""

import re

import pytest
from django.urls import reverse

from renkei.inquiries.services import create_inquiry, return_part, send_inquiry, submit_part
from renkei.programmes.models import FiscalYearState
from renkei.programmes.services import set_leads
from renkei.tenancy.models import Organisation, OrganisationKind
from tests.factories import OGUNI
from tests.inquiries.conftest import inquiry_data, org

from .conftest import MINATO, NANYO, YONEZAWA

pytestmark = pytest.mark.usefixtures("year")

ROLES = ("secretariat", "member", "partner", "auditor")


def text(response) -> str:
    """The page's words as a reader sees them (tags dropped, spaces folded)."""
    body = response.content.decode("utf-8")
    body = re.sub(r"<(script|style|head)\b.*?</\1>", " ", body, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def own_work_section(response) -> str:
    body = response.content.decode("utf-8")
    match = re.search(r'<section class="card card--wide own-work".*?</section>', body, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0))) if match else ""


def menu(response) -> str:
    body = response.content.decode("utf-8")
    return re.search(r'<nav aria-label="メインメニュー".*?</nav>', body, re.S).group(0)


@pytest.fixture
def work(union, initiative, create_activity, create_project):
    """The year's partnership initiatives: 米沢市's exhibition (``initiative``), a
    ワーケーション 南陽市 and 小国町 lead, and a 「ふれ愛まつり」 booth (pillar こと: the
    partner sees it) 港区's branch 芝地区総合支所 organised."""
    group = initiative.group
    workation = create_activity(group=group, title="港区連携自治体ワーケーション")
    set_leads(workation, [org(NANYO), org(OGUNI)])
    branch = Organisation.objects.create(
        name="芝地区総合支所", kind=OrganisationKind.BRANCH_OFFICE, parent=org(MINATO)
    )
    festival = create_activity(
        group=group, title="「ふれ愛まつり」への出展", kind="festival_booth", organiser=branch
    )
    festival.pillars.add(create_project(union).pillar["koto"])
    return {"exhibition": initiative, "workation": workation, "festival": festival}


@pytest.fixture
def sent(year, staff, work):
    """A 照会 sent to 米沢市, 南陽市 and 港区, due in two weeks."""
    data = inquiry_data(
        year,
        recipients=[org(NANYO), org(YONEZAWA), org(MINATO)],
        programmes=[work["exhibition"].group.programme],
        activities=[work["exhibition"], work["workation"]],
    )
    return send_inquiry(create_inquiry(year, staff["secretariat"], data), staff["secretariat"])


def test_member_home_opens_with_its_open_part_status_and_deadline(client_as, sent):
    page = client_as("member").get(reverse("staff:home"))  # 米沢市
    own = own_work_section(page)
    assert own.startswith(" 米沢市の作業")
    assert sent.title in own and "未着手" in own
    deadline = sent.parts.get(organisation__code=YONEZAWA).deadline
    assert f"{deadline.month}月{deadline.day}日" in own
    link = reverse("staff:part_detail", args=[sent.parts.get(organisation__code=YONEZAWA).pk])
    assert link in page.content.decode()
    # its own work comes before the union's dashboard
    assert text(page).index("米沢市の作業") < text(page).index("事業別の活動数")


def test_member_home_lists_the_activities_it_leads_and_no_one_elses(client_as, work):
    own = own_work_section(client_as("member").get(reverse("staff:home")))
    assert work["exhibition"].display_heading in own  # 米沢市's
    assert "ワーケーション" not in own  # 南陽市's and 小国町's
    assert "回答を待っている照会はありません" in own


def test_a_returned_part_says_to_resubmit(client_as, staff, sent):
    part = sent.parts.get(organisation__code=YONEZAWA)
    submit_part(part, staff["member"])
    return_part(part, staff["secretariat"], comment="人数を確かめてください")
    own = own_work_section(client_as("member").get(reverse("staff:home")))
    assert "差戻し" in own and "直して再提出してください" in own


def test_partner_home_opens_with_its_own_work(client_as, work, sent):
    page = client_as("partner").get(reverse("staff:home"))  # 港区
    own = own_work_section(page)
    assert own.startswith(" 港区の作業") and sent.title in own
    assert work["festival"].display_heading in own  # its branch organised it


def test_partner_home_shows_no_budget(client_as):
    page = text(client_as("partner").get(reverse("staff:home")))
    assert "予算の執行状況" not in page and "収入 決算額" not in page


def test_member_home_shows_the_budget(client_as):
    assert "予算の執行状況" in text(client_as("member").get(reverse("staff:home")))


@pytest.mark.parametrize("role", ["secretariat", "auditor"])
def test_the_union_roles_home_has_no_own_work_section(client_as, role):
    assert own_work_section(client_as(role).get(reverse("staff:home"))) == ""


# Menu entries per role: (entry, roles that see it). Each entry that a role sees leads to
# a page that is neither forbidden nor empty for it.
MENU = [
    ("staff:budget", {"secretariat", "member", "auditor"}),
    ("staff:seminars", {"secretariat", "member"}),
    ("staff:attendance_proposals", {"secretariat"}),
    ("staff:users", {"secretariat"}),
    ("staff:history", {"secretariat", "auditor"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("entry", "roles"), MENU, ids=[m[0] for m in MENU])
def test_menu_entry_is_shown_to_the_roles_it_serves(client_as, role, entry, roles):
    nav = menu(client_as(role).get(reverse("staff:home")))
    assert (f'href="{reverse(entry)}' in nav) == (role in roles)


@pytest.mark.parametrize("role", ROLES)
def test_every_menu_entry_opens(client_as, role):
    client = client_as(role)
    nav = menu(client.get(reverse("staff:home")))
    for href in re.findall(r'href="([^"]+)"', nav):
        assert client.get(href.replace("&amp;", "&")).status_code == 200, href


def test_seminar_menu_entry_would_have_been_empty_for_the_partner(client_as):
    page = text(client_as("partner").get(reverse("staff:seminars")))
    assert "この年度の外部研修はありません" in page  # why the entry is not in its menu


@pytest.mark.parametrize(("role", "status"), list(zip(ROLES, (200, 200, 403, 200), strict=True)))
def test_budget_page(client_as, role, status):
    assert client_as(role).get(reverse("staff:budget")).status_code == status


@pytest.mark.parametrize(("role", "status"), list(zip(ROLES, (200, 200, 403, 200), strict=True)))
def test_budget_export(client_as, role, status):
    response = client_as(role).get(reverse("staff:budget_export", args=["csv"]))
    assert response.status_code == status


def test_member_attendance_grid_labels_other_organisations_rows(client_as, training):
    body = client_as("member").get(reverse("staff:attendance_edit", args=[training.pk]))
    rows = re.findall(
        r"<tr( class=\"row--others\")?><th scope=\"row\">(.*?)</th>", body.content.decode()
    )
    own = [cells for marked, cells in rows if "米沢市" in cells]
    others = [cells for marked, cells in rows if "南陽市" in cells]
    assert own and "他の団体" not in own[0]
    assert others and "他の団体（入力は各団体）" in others[0]
    assert all(marked for marked, cells in rows if "南陽市" in cells)


def test_secretariat_attendance_grid_has_no_such_label(client_as, training):
    body = client_as("secretariat").get(reverse("staff:attendance_edit", args=[training.pk]))
    assert "他の団体" not in body.content.decode()


def test_a_reported_year_still_opens_the_member_home(client_as, year, work):
    year.state = FiscalYearState.REPORTED
    year.save(update_fields=["state"])
    assert client_as("member").get(reverse("staff:home")).status_code == 200


def test_member_home_does_not_list_other_organisations_inquiry_findings(client_as, sent):
    page = text(client_as("member").get(reverse("staff:home")))
    assert "南陽市が回答を提出していません" not in page
    assert "港区が回答を提出していません" not in page


def test_secretariat_home_lists_every_open_part_as_a_finding(client_as, sent):
    page = text(client_as("secretariat").get(reverse("staff:home")))
    assert "南陽市が回答を提出していません" in page and "米沢市が回答を提出していません" in page
