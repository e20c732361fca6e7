"""Activities: list with filters and Japanese search, editing with schedule and
lecturers, 和暦 dates, the change log on the record, optimistic locking, attendance."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from renkei.audit.models import AuditEntry
from renkei.errors import ConflictError
from renkei.programmes.attendance import TOOK_PART
from renkei.programmes.models import Activity, Attendance, Programme, ScheduleDay, Venue
from renkei.programmes.services import record_attendance, update_activity
from renkei.tenancy.models import Organisation

from .conftest import NANYO, YONEZAWA
from .helpers import attendance_post, edit_form


@pytest.fixture
def listed(year, union, initiative, training, gx, create_activity, create_project):
    """What the list's filters tell apart: 旅先納税 (other), ZEB導入セミナー (an external
    seminar), 自治体GX研修会 (a workshop), 交流研修 held in 米沢市, 港区デジタルサイネージ
    でのPR動画の放映 under the pillar もの, and 米沢市's initiative."""
    create_activity(year, title="旅先納税")
    create_activity(year, title="ZEB導入セミナー", kind="external_seminar", on=date(2024, 6, 7))
    day = ScheduleDay.objects.create(activity=training, date=date(2025, 3, 11))
    Venue.objects.create(
        day=day, name="米沢産業会館", municipality=Organisation.objects.get(code=YONEZAWA)
    )
    signage = create_activity(year, title="港区デジタルサイネージでのPR動画の放映")
    signage.pillars.add(create_project(union).pillar["mono"])
    return year


def titles(response):
    return [a.title for a in response.context["activities"]]


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("q=旅先", "旅先納税", "交流研修"),
        ("q=ＺＥＢ", "ZEB導入セミナー", "旅先納税"),  # full-width typed, NFKC-folded
        ("kind=workshop", "自治体GX研修会", "旅先納税"),
        ("municipality={yonezawa}", "交流研修", "港区デジタルサイネージでのPR動画の放映"),
        ("pillar={mono}", "港区デジタルサイネージでのPR動画の放映", "交流研修"),
    ],
)
def test_list_filters_and_search(client_as, listed, query, present, absent):
    from renkei.programmes.models import Pillar

    query = query.format(
        yonezawa=Organisation.objects.get(code=YONEZAWA).pk, mono=Pillar.objects.get(name="もの").pk
    )
    found = titles(client_as("member").get(f"/staff/activities/?year=2024&{query}"))
    assert present in found and absent not in found


def test_member_edits_own_initiative_and_history_shows_it(client_as, initiative):
    exhibition = initiative
    client = client_as("member")
    response = client.post(
        f"/staff/activities/{exhibition.pk}/edit/",
        edit_form(
            exhibition,
            theme="紅花の魅力を港区へ",
            description="## 展示\n- 紅花<script>alert(1)</script>",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    exhibition.refresh_from_db()
    assert exhibition.theme == "紅花の魅力を港区へ" and exhibition.version == 2
    day = exhibition.days.get()
    assert day.date.isoformat() == "2024-11-02"
    assert [v.name for v in day.venues.all()] == ["エコプラザ", "札の辻スクエア"]
    entry = AuditEntry.objects.get(model="programmes.activity", object_id=str(exhibition.pk))
    assert entry.changes["theme"][1] == "紅花の魅力を港区へ"
    assert entry.user.username.startswith("member")
    page = client_as("secretariat").get(f"/staff/activities/{exhibition.pk}/").content.decode()
    assert "紅花の魅力を港区へ" in page and "変更履歴" in page
    assert "令和6年11月2日" in page
    assert "<script>alert" not in page and "<h2>展示</h2>" in page


def test_wrong_date_says_what_was_understood(client_as, initiative):
    exhibition = initiative
    response = client_as("secretariat").post(
        f"/staff/activities/{exhibition.pk}/edit/",
        edit_form(exhibition, **{"days-0-date": "平成32年1月1日"}),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "平成は31年" in text
    # The summary at the top names the day and links to the field, for keyboard users.
    summary = text.split('id="row-errors"')[1].split("</div>")[0]
    assert '<a href="#id_days-0-date">1日目の日付</a>' in summary and "平成は31年" in summary
    exhibition.refresh_from_db()
    assert exhibition.version == 1


def test_second_save_is_refused_and_nothing_is_lost(client_as, staff, initiative, client):
    exhibition = initiative
    first = edit_form(exhibition, theme="最初の人の変更")
    second = edit_form(exhibition, theme="二人目の変更")
    secretariat = client_as("secretariat")
    assert secretariat.post(f"/staff/activities/{exhibition.pk}/edit/", first).status_code == 302
    client.force_login(staff["member"])
    response = client.post(f"/staff/activities/{exhibition.pk}/edit/", second)
    text = response.content.decode()
    assert response.status_code == 409
    assert "保存していません" in text and "最初の人の変更" in text  # the other's change shown
    assert 'value="二人目の変更"' in text  # the refused input is kept in the form
    exhibition.refresh_from_db()
    assert exhibition.theme == "最初の人の変更" and exhibition.version == 2
    assert (
        AuditEntry.objects.filter(object_id=str(exhibition.pk), model="programmes.activity").count()
        == 1
    )


def test_service_refuses_stale_version_atomically(staff, initiative):
    exhibition = initiative
    days = exhibition.days.count()
    with pytest.raises(ConflictError):
        update_activity(
            exhibition,
            staff["secretariat"],
            expected_version=0,
            fields={"theme": "x"},
            days=[],
            lecturers=[],
        )
    exhibition.refresh_from_db()
    assert exhibition.theme != "x" and exhibition.days.count() == days


def test_member_records_own_attendance_not_others(client_as, staff, training):
    yonezawa = Organisation.objects.get(code=YONEZAWA)
    nanyo = Organisation.objects.get(code=NANYO)
    client = client_as("member")
    page = client.get(f"/staff/activities/{training.pk}/attendance/").content.decode()
    assert "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名" in page
    response = client.post(
        f"/staff/activities/{training.pk}/attendance/",
        attendance_post(training, {yonezawa.pk: 5, nanyo.pk: 9}),
    )
    assert response.status_code == 302
    counts = dict(training.attendances.values_list("organisation__code", "count"))
    # The other city's row is read-only: 南陽市 stays as the reference has it (took part).
    assert counts[YONEZAWA] == 5 and counts[NANYO] is None
    with pytest.raises(PermissionDenied):
        record_attendance(
            training, staff["member"], counts={nanyo.pk: 9}, seen={nanyo.pk: TOOK_PART}
        )
    entry = AuditEntry.objects.get(model="programmes.activity", object_id=str(training.pk))
    assert entry.changes == {"出席者数（米沢市）": [None, 5]}


def test_concurrent_attendance_change_is_refused(client_as, staff, training):
    yonezawa = Organisation.objects.get(code=YONEZAWA)
    stale = attendance_post(training, {yonezawa.pk: 6})
    record_attendance(
        training, staff["secretariat"], counts={yonezawa.pk: 4}, seen={yonezawa.pk: None}
    )
    client = client_as("member")
    response = client.post(f"/staff/activities/{training.pk}/attendance/", stale)
    text = response.content.decode()
    assert "保存していません" in text and "出席者数（米沢市）" in text
    assert Attendance.objects.get(activity=training, organisation=yonezawa).count == 4
    again = dict(response.context["form"].data.items())
    assert again[f"count_{yonezawa.pk}"] == "6" and again[f"seen_{yonezawa.pk}"] == "4"
    assert client.post(f"/staff/activities/{training.pk}/attendance/", again).status_code == 302
    assert Attendance.objects.get(activity=training, organisation=yonezawa).count == 6


def test_member_enters_seminar_attendance(client_as, year, create_programme, create_activity):
    group = create_programme(year, name="研修事業", kind="seminar_series").first_group
    for day in (7, 14, 21):
        create_activity(group=group, kind="external_seminar", on=date(2024, 6, day))
    create_activity(year, title="交流研修")  # not a seminar: not on the sheet
    client = client_as("member")
    page = client.get("/staff/seminars/?year=2024")
    rows = page.context["form"].rows
    assert len(rows) == 3
    first = rows[0][0]
    data = {f"count_{key}": "" for key, *_ in rows} | {f"count_{first}": "2"}
    data |= {f"seen_{key}": "" for key, *_ in rows}
    assert client.post("/staff/seminars/?year=2024", data).status_code == 302
    session = Activity.objects.get(pk=first)
    assert [(a.organisation.code, a.count) for a in session.attendances.all()] == [(YONEZAWA, 2)]


@pytest.mark.parametrize("extra", [0, 15])
def test_list_query_count_is_fixed(client_as, listed, django_assert_num_queries, extra):
    group = Activity.objects.get(title="旅先納税").group
    organisation = Organisation.objects.get(code=YONEZAWA)
    for i in range(extra):
        made = Activity.objects.create(
            group=group, sub_number=50 + i, title=f"追加 {i}", kind="external_seminar"
        )
        Attendance.objects.create(activity=made, organisation=organisation, count=i)
        made.lead_organisations.add(organisation)
        Programme.objects.create(
            fiscal_year=group.programme.fiscal_year, number=10 + i, name=f"追加の事業 {i}"
        )
    client = client_as("member")
    # 15: the total as known reads each activity's members by kind and the union's
    # members, prefetched once for the whole list; the programmes to filter by, at once
    with django_assert_num_queries(15):
        response = client.get("/staff/activities/?year=2024")
    assert len(response.context["activities"]) == 6 + extra


def test_secretariat_adds_an_activity(client_as, initiative):
    group = initiative.group
    data = edit_form(
        initiative,
        title="港区役所ロビー展示",
        version="",
        **{"days-0-date": "2025-02-10"},
    )
    response = client_as("secretariat").post(f"/staff/activities/new/{group.pk}/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    made = Activity.objects.get(title="港区役所ロビー展示")
    assert made.group == group and made.sub_number == group.activities.count()
    assert made.days.get().date.isoformat() == "2025-02-10"
    assert AuditEntry.objects.filter(
        model="programmes.activity", object_id=str(made.pk), action="create"
    ).exists()
