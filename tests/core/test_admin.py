"""The Django admin as the secretariat's fallback: Japanese, scoped to the union,
dates in 和暦 beside ISO, dates typed as 和暦, every change in the change log."""

import pytest

from renkei.audit.models import AuditEntry
from renkei.programmes.models import Activity, ScheduleDay
from tests.conftest import PASSWORD


@pytest.fixture
def secretariat(client, fy2024, make_user):
    user = make_user("secretariat")
    client.login(username=user.username, password=PASSWORD)
    return client


def test_activity_list_in_japanese_with_wareki_dates(secretariat):
    response = secretariat.get("/admin/programmes/activity/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "活動" in text
    assert "令和7年3月11日（2025-03-11）" in text
    assert "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名" in text


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("pillars__name=もの", "港区デジタルサイネージでのPR動画の放映", "交流研修"),
        ("group__programme__name=研修事業", "旅先納税", "港区デジタルサイネージでのPR動画の放映"),
        ("kind__exact=workshop", "自治体GX研修会", "旅先納税"),
    ],
)
def test_activity_filters(secretariat, query, present, absent):
    text = secretariat.get(f"/admin/programmes/activity/?{query}").content.decode()
    assert f'<td class="field-title">{present}</td>' in text
    assert f'<td class="field-title">{absent}</td>' not in text


@pytest.mark.parametrize("model", [
    "programmes/fiscalyear", "programmes/programme", "programmes/activitygroup",
    "programmes/partnershipproject", "programmes/pillar", "programmes/scheduleday",
    "finance/budgetline", "tenancy/union", "tenancy/organisation", "audit/auditentry",
])
def test_admin_pages_open(secretariat, model):
    assert secretariat.get(f"/admin/{model}/").status_code == 200


def test_activity_change_page_has_inlines(secretariat, fy2024):
    training = Activity.objects.get(group__programme__fiscal_year=fy2024, title="交流研修")
    text = secretariat.get(f"/admin/programmes/activity/{training.pk}/change/").content.decode()
    for heading in ("日程", "講師", "出席者数", "内容の節", "写真"):
        assert heading in text
    assert "令和7年3月11日" in text  # the date input shows 和暦


def test_fiscal_year_page_has_budget_lines(secretariat, fy2024):
    text = secretariat.get(f"/admin/programmes/fiscalyear/{fy2024.pk}/change/").content.decode()
    assert "予算・決算の行" in text
    assert 'value="1643460"' in text
    assert "令和6年度" in text


def test_date_typed_as_wareki_is_saved_and_logged(secretariat, fy2024):
    day = ScheduleDay.objects.get(activity__title="自治体GX研修会")
    url = f"/admin/programmes/scheduleday/{day.pk}/change/"
    form = {"activity": day.activity_id, "date": "R7.2.27", "end_date": "", "start_time": "13:30",
            "end_time": "16:30", "note": "",
            "venues-TOTAL_FORMS": "0", "venues-INITIAL_FORMS": "0",
            "venues-MIN_NUM_FORMS": "0", "venues-MAX_NUM_FORMS": "1000"}
    response = secretariat.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    day.refresh_from_db()
    assert day.date.isoformat() == "2025-02-27"
    entry = AuditEntry.objects.filter(model="programmes.scheduleday", object_id=str(day.pk)).get()
    assert entry.action == "update"
    assert entry.changes["date"] == ["2025-02-26", "2025-02-27"]
    assert entry.user.username.startswith("secretariat")


def test_impossible_date_refused_with_message(secretariat, fy2024):
    day = ScheduleDay.objects.get(activity__title="自治体GX研修会")
    form = {"activity": day.activity_id, "date": "令和7年2月30日", "start_time": "", "end_time": "",
            "venues-TOTAL_FORMS": "0", "venues-INITIAL_FORMS": "0",
            "venues-MIN_NUM_FORMS": "0", "venues-MAX_NUM_FORMS": "1000"}
    response = secretariat.post(f"/admin/programmes/scheduleday/{day.pk}/change/", form)
    assert response.status_code == 200
    assert "2月30日は存在しない日付です" in response.content.decode()
    day.refresh_from_db()
    assert day.date.isoformat() == "2025-02-26"


def test_another_unions_secretariat_sees_nothing_of_ours(client, fy2024, other_union, make_user):
    user = make_user("secretariat", "293610", union=other_union)
    client.login(username=user.username, password=PASSWORD)
    text = client.get("/admin/programmes/activity/").content.decode()
    assert 'class="field-title"' not in text
    training = Activity.objects.get(title="交流研修")
    response = client.get(f"/admin/programmes/activity/{training.pk}/change/", follow=True)
    assert "交流研修" not in response.content.decode().split("<h1")[-1]
    assert client.get("/admin/finance/budgetline/").content.decode().count("3,018,451") == 0


def test_member_staff_cannot_enter_admin(client, fy2024, make_user):
    user = make_user("member", "062022")
    client.login(username=user.username, password=PASSWORD)
    response = client.get("/admin/programmes/activity/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
