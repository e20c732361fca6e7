"""The seminar grid (issue 14 item 3): the year's external seminar sessions by
organisations in one page, a count or 「参加」 per cell, totals per session and per
organisation, saved through ``record_attendance`` in one transaction. The secretariat
fills in any cell; member staff their own column only; a cell held by a submitted 照会
answer is read only for its organisation and needs a reason from the secretariat."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.audit.models import AuditEntry
from renkei.inquiries.services import (
    create_inquiry,
    save_part_attendance,
    send_inquiry,
    submit_part,
)
from renkei.programmes.models import Activity, ActivityKind, Attendance
from renkei.tenancy.models import Organisation
from tests.inquiries.conftest import inquiry_data

from .conftest import NANYO, YONEZAWA

URL = "/staff/seminars/grid/?year=2024"


def sessions(year):
    return Activity.objects.filter(
        group__programme__fiscal_year=year, kind=ActivityKind.EXTERNAL_SEMINAR
    ).order_by("group__number", "sub_number")


def org(code):
    return Organisation.objects.get(code=code)


def value(session, code):
    row = Attendance.objects.filter(activity=session, organisation__code=code).first()
    return None if row is None else row.value


def shown(page) -> dict:
    """What the page's form sends back unchanged: every editable cell and its seen value."""
    form = page.context["form"]
    data = {}
    for key, _label, current, editable in form.rows:
        if editable:
            text = "" if current is None else ("参加" if current == "took_part" else str(current))
            data[f"count_{key}"] = data[f"seen_{key}"] = text
    return data


def key(session, code):
    return f"count_{session.pk}_{org(code).pk}"


@pytest.fixture
def seminar_year(year, create_inquiry_year, create_count):
    """The running FY2024 with two external seminar sessions, 旅先納税 then ZEB導入セミナー;
    米沢市 sent 2 and 南陽市 1 to 旅先納税."""
    create_inquiry_year(year)
    first = year.sessions[0]
    create_count(first, org(YONEZAWA), 2)
    create_count(first, org(NANYO), 1)
    return year


def test_the_secretariat_fills_any_cell_in_one_save(client_as, seminar_year):
    first, second = list(sessions(seminar_year))[:2]
    client = client_as("secretariat")
    page = client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "米沢市" in text and "南陽市" in text and first.title in text
    data = shown(page) | {key(first, YONEZAWA): "4", key(second, NANYO): "参加"}
    response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert value(first, YONEZAWA) == 4 and value(second, NANYO) == "took_part"
    page = client.get(URL).content.decode()
    assert "＋参加1団体（人数不明）" in page  # the 南陽市 column and the session's row


def test_a_bad_value_saves_nothing_and_says_why_in_japanese(client_as, seminar_year):
    first, second = list(sessions(seminar_year))[:2]
    before = value(first, YONEZAWA)
    client = client_as("secretariat")
    data = shown(client.get(URL)) | {key(first, YONEZAWA): "7", key(second, NANYO): "たくさん"}
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "人数は0以上の整数か「参加」で入力してください。" in response.content.decode()
    assert value(first, YONEZAWA) == before


def test_members_change_only_their_own_column(client_as, seminar_year):
    first = sessions(seminar_year).first()
    client = client_as("member")  # 米沢市
    page = client.get(URL)
    text = page.content.decode()
    assert f'name="{key(first, YONEZAWA)}"' in text
    assert f'name="{key(first, NANYO)}"' not in text  # shown, read only
    assert "cell--readonly" in text and "灰色の欄は他の団体の記録" in text
    before = value(first, NANYO)
    forged = shown(page) | {
        key(first, YONEZAWA): "2",
        key(first, NANYO): "9",
        f"seen_{first.pk}_{org(NANYO).pk}": "" if before is None else str(before),
    }
    assert client.post(URL, forged).status_code == 302
    assert value(first, YONEZAWA) == 2 and value(first, NANYO) == before


@pytest.fixture
def held(seminar_year, staff):
    """南陽市 answered its attendance at 旅先納税 in a 照会 and submitted it."""
    secretariat = staff["secretariat"]
    inquiry = send_inquiry(
        create_inquiry(seminar_year, secretariat, inquiry_data(seminar_year)), secretariat
    )
    part = inquiry.parts.get(organisation__code=NANYO)
    seminar = Activity.objects.get(
        group__programme__fiscal_year=seminar_year, title__startswith="旅先納税"
    )
    nanyo = staff["other_member"]
    save_part_attendance(
        part, nanyo, values={seminar.pk: 3}, seen={seminar.pk: value(seminar, NANYO)}
    )
    submit_part(part, nanyo)
    return seminar


def test_a_held_cell_is_read_only_for_its_organisation(client_as, held):
    client = client_as("other_member")  # 南陽市
    page = client.get(URL)
    text = page.content.decode()
    assert f'name="{key(held, NANYO)}"' not in text and "提出済" in text
    assert client.post(URL, shown(page) | {key(held, NANYO): "8"}).status_code == 302
    assert value(held, NANYO) == 3


def test_the_secretariat_changes_a_held_cell_only_with_a_reason_all_or_nothing(
    client_as, seminar_year, held
):
    other = sessions(seminar_year).exclude(pk=held.pk).first()
    client = client_as("secretariat")
    data = shown(client.get(URL)) | {key(held, NANYO): "5", key(other, YONEZAWA): "6"}
    before = value(other, YONEZAWA)
    refused = client.post(URL, data)
    assert refused.status_code == 400 and "変更の理由を入力してください" in refused.content.decode()
    assert value(held, NANYO) == 3 and value(other, YONEZAWA) == before  # nothing saved
    assert client.post(URL, data | {"reason": "名簿で訂正"}).status_code == 302
    assert value(held, NANYO) == 5 and value(other, YONEZAWA) == 6
    assert AuditEntry.objects.filter(object_id=str(held.pk), reason="名簿で訂正").exists()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def _more_sessions(year, count):
    template = sessions(year).first()
    last = template.group.activities.order_by("-sub_number").first().sub_number
    for n in range(1, count + 1):
        added = Activity.objects.create(
            group=template.group,
            sub_number=last + n,
            title=f"追加の研修{n}",
            kind=ActivityKind.EXTERNAL_SEMINAR,
        )
        Attendance.objects.bulk_create(
            Attendance(activity=added, organisation=o, count=n)
            for o in year.union.members_in_order()
        )


@pytest.mark.parametrize("role", ["secretariat", "member"])
def test_the_grid_reads_with_a_fixed_number_of_queries(client_as, seminar_year, role):
    client = client_as(role)
    _more_sessions(seminar_year, 2)
    small = _queries(client)
    _more_sessions(seminar_year, 20)
    large = _queries(client)
    assert small == large, (small, large)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_grid_in_the_browser(live_server, page, staff, seminar_year):
    """The secretariat fills two towns' counts for a session in the grid and saves; 米沢市
    staff see the grid with only their column to type in. axe-core clean at 1280 and 390 px."""
    from playwright.sync_api import expect

    from tests.browser import check_at_both_widths, sign_in

    first = sessions(seminar_year).first()
    sign_in(page, live_server, staff["secretariat"])
    page.goto(live_server.url + URL)
    assert check_at_both_widths(page, "seminar-grid-secretariat") == []
    page.get_by_label(f"{first.title}", exact=False).first.wait_for()
    page.locator(f"#id_{key(first, YONEZAWA)}").fill("４")
    page.locator(f"#id_{key(first, NANYO)}").fill("参加")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("受講者数を保存しました。")).to_be_visible()
    assert value(first, YONEZAWA) == 4 and value(first, NANYO) == "took_part"

    sign_in(page, live_server, staff["member"])
    page.goto(live_server.url + URL)
    assert page.locator(f"#id_{key(first, YONEZAWA)}").is_editable()
    assert page.locator(f"#id_{key(first, NANYO)}").count() == 0
    assert check_at_both_widths(page, "seminar-grid-member") == []
