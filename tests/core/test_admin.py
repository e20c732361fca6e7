"""The Django admin, the operators' tool: Japanese, dates in 和暦 beside ISO, dates typed
as 和暦, every change in the change log. Union staff (the secretariat included) do not
get in; tests/core/test_admin_permissions.py tries every admin URL."""

import pytest

from renkei.audit.models import AuditEntry
from renkei.programmes.models import Activity, ScheduleDay
from tests.conftest import PASSWORD


@pytest.fixture
def year(
    create_member_union,
    create_year,
    create_project,
    create_programme,
    create_activity,
    create_attendance,
    create_budget_line,
):
    """FY2024 of a union with 置賜's eight members. 研修事業: 旅先納税 (an external
    seminar) and 自治体GX研修会 (a workshop on 26 February 2025, 13:30–16:30); 交流事業:
    交流研修 (11 March 2025, pillar ひと; 3 cities and 4 towns by kind, 港区,
    地域活性化センター and the union took part, 22 in all) and PR動画の放映 (pillar もの);
    a 旅費 line settled at 1,643,460 yen."""
    from datetime import date, time

    from renkei.tenancy.models import Organisation

    union = create_member_union()
    year = create_year(union, 2024)
    pillar = create_project(union).pillar
    training_programme = create_programme(year, name="研修事業")
    create_activity(group=training_programme.first_group, title="旅先納税", kind="external_seminar")
    gx = create_activity(
        group=training_programme.first_group, title="自治体GX研修会", kind="workshop"
    )
    ScheduleDay.objects.create(
        activity=gx, date=date(2025, 2, 26), start_time=time(13, 30), end_time=time(16, 30)
    )
    training = create_activity(
        year, title="交流研修", kind="exchange_training", on=date(2025, 3, 11)
    )
    training.pillars.set([pillar["hito"]])
    took_part = [
        Organisation.objects.get(code="131032"),
        Organisation.objects.get(short_name="地域活性化センター"),
        union.organisation,
    ]
    create_attendance(training, dict.fromkeys(took_part), total=22, by_kind={"city": 3, "town": 4})
    broadcast = create_activity(group=training.group, title="PR動画の放映", kind="pr_broadcast")
    broadcast.pillars.set([pillar["mono"]])
    create_budget_line(year, budgeted=1700000, settled=1643460)
    return year


@pytest.fixture
def admin_client(client, year, operator):
    client.login(username=operator.username, password=PASSWORD)
    return client


def test_activity_list_in_japanese_with_wareki_dates(admin_client):
    response = admin_client.get("/admin/programmes/activity/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "活動" in text
    assert "令和7年3月11日（2025-03-11）" in text
    assert "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名" in text


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("pillars__name=もの", "PR動画の放映", "交流研修"),
        ("group__programme__name=研修事業", "旅先納税", "PR動画の放映"),
        ("kind__exact=workshop", "自治体GX研修会", "旅先納税"),
    ],
)
def test_activity_filters(admin_client, query, present, absent):
    text = admin_client.get(f"/admin/programmes/activity/?{query}").content.decode()
    assert f'<td class="field-title">{present}</td>' in text
    assert f'<td class="field-title">{absent}</td>' not in text


@pytest.mark.parametrize(
    "model",
    [
        "programmes/fiscalyear",
        "programmes/programme",
        "programmes/activitygroup",
        "programmes/partnershipproject",
        "programmes/pillar",
        "programmes/scheduleday",
        "finance/budgetline",
        "tenancy/union",
        "tenancy/organisation",
        "audit/auditentry",
    ],
)
def test_admin_pages_open(admin_client, model):
    assert admin_client.get(f"/admin/{model}/").status_code == 200


def test_activity_change_page_has_inlines(admin_client, year):
    training = Activity.objects.get(group__programme__fiscal_year=year, title="交流研修")
    text = admin_client.get(f"/admin/programmes/activity/{training.pk}/change/").content.decode()
    for heading in ("日程", "講師", "出席者数", "内容の節", "写真"):
        assert heading in text
    assert "令和7年3月11日" in text  # the date input shows 和暦


def test_fiscal_year_page_has_budget_lines(admin_client, year):
    text = admin_client.get(f"/admin/programmes/fiscalyear/{year.pk}/change/").content.decode()
    assert "予算・決算の行" in text
    assert 'value="1643460"' in text
    assert "令和6年度" in text


def test_date_typed_as_wareki_is_saved_and_logged(admin_client, year):
    day = ScheduleDay.objects.get(activity__title="自治体GX研修会")
    url = f"/admin/programmes/scheduleday/{day.pk}/change/"
    form = {
        "activity": day.activity_id,
        "date": "R7.2.27",
        "end_date": "",
        "start_time": "13:30",
        "end_time": "16:30",
        "note": "",
        "venues-TOTAL_FORMS": "0",
        "venues-INITIAL_FORMS": "0",
        "venues-MIN_NUM_FORMS": "0",
        "venues-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:2000]
    day.refresh_from_db()
    assert day.date.isoformat() == "2025-02-27"
    entry = AuditEntry.objects.filter(model="programmes.scheduleday", object_id=str(day.pk)).get()
    assert entry.action == "update"
    assert entry.changes["date"] == ["2025-02-26", "2025-02-27"]
    assert entry.user.username == "operator"
    assert entry.union == year.union


def test_impossible_date_refused_with_message(admin_client, year):
    day = ScheduleDay.objects.get(activity__title="自治体GX研修会")
    form = {
        "activity": day.activity_id,
        "date": "令和7年2月30日",
        "start_time": "",
        "end_time": "",
        "venues-TOTAL_FORMS": "0",
        "venues-INITIAL_FORMS": "0",
        "venues-MIN_NUM_FORMS": "0",
        "venues-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(f"/admin/programmes/scheduleday/{day.pk}/change/", form)
    assert response.status_code == 200
    assert "2月30日は存在しない日付です" in response.content.decode()
    day.refresh_from_db()
    assert day.date.isoformat() == "2025-02-26"


def test_secretariat_cannot_sign_in_to_the_admin(client, year, make_user):
    user = make_user("secretariat", union=year.union)
    response = client.post(
        "/admin/login/", {"username": user.username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 200  # the form again, as for a wrong password
    assert "_auth_user_id" not in client.session
    client.login(username=user.username, password=PASSWORD)  # signed in on the staff screens
    response = client.get("/admin/programmes/activity/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_shared_catalogue_change_is_logged(admin_client):
    from renkei.tenancy.models import Organisation

    town = Organisation.objects.get(code="062022")
    response = admin_client.post(
        f"/admin/tenancy/organisation/{town.pk}/change/",
        {
            "name": "米沢市役所",
            "short_name": town.short_name,
            "kana": town.kana,
            "kind": town.kind,
            "code": town.code,
            "parent": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(model="tenancy.organisation", object_id=str(town.pk))
    assert entry.changes["name"] == ["米沢市", "米沢市役所"] and entry.user.username == "operator"
    assert entry.union is None


def test_attendance_rows_go_through_the_service(admin_client, year):
    """An operator's attendance row is saved by ``record_attendance`` and logged as the
    staff screens' saves are; an empty count means took part, number unknown."""
    from renkei.programmes.models import Attendance
    from tests.helpers.html_forms import FormValues

    training = Activity.objects.get(group__programme__fiscal_year=year, title="交流研修")
    url = f"/admin/programmes/activity/{training.pk}/change/"
    parser = FormValues()
    parser.feed(admin_client.get(url).content.decode())
    form = {}
    for name, value in parser.values:
        if "__prefix__" not in name:
            form.setdefault(name, []).append(value)
    minato = Attendance.objects.get(activity=training, organisation__code="131032")
    row = next(
        name.split("-")[1]
        for name, value in form.items()
        if name.startswith("attendances-") and name.endswith("-id") and value == [str(minato.pk)]
    )
    form[f"attendances-{row}-count"] = ["6"]
    response = admin_client.post(url, form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Attendance.objects.get(pk=minato.pk).count == 6
    entry = AuditEntry.objects.filter(
        model="programmes.activity", object_id=str(training.pk), reason="運用者が管理画面で変更"
    ).get()
    assert entry.changes == {"出席者数（港区）": ["参加（人数不明）", 6]}
