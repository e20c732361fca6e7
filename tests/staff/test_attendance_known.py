"""Attendance as known on the staff screens: counts or 「参加」 on the grid and the seminar
sheet, the recorded total beside the counted sum and 内訳不明, the secretariat's total and
members by kind, members' changes to a reported year as proposals the secretariat
approves or rejects, the server's preview of the phrase, and the home page that credits
no municipality with a count the records do not hold."""

import re
from datetime import date

import pytest
from django.urls import reverse

from renkei.audit.models import AuditEntry
from renkei.programmes.attendance import TOOK_PART
from renkei.programmes.models import (
    Activity,
    ActivityGroup,
    AttendanceProposal,
    FiscalYear,
    FiscalYearState,
    Programme,
    ProposalState,
)
from renkei.programmes.services import record_attendance
from renkei.tenancy.models import Organisation

from .helpers import attendance_post

YONEZAWA, NANYO = "062022", "062138"


@pytest.fixture
def other_union_activity(other_union):
    group = ActivityGroup.objects.create(
        programme=Programme.objects.create(
            fiscal_year=other_union.fiscal_years.get(), number=1, name="他組合の事業"
        ),
        number=1,
        title="他組合の項目",
    )
    return Activity.objects.create(group=group, title="他組合の活動", kind="other")


@pytest.fixture
def other_union_proposal(other_union_activity, make_user, other_union):
    return AttendanceProposal.objects.create(
        activity=other_union_activity,
        organisation=other_union.members.get(),
        count=1,
        proposed_by=make_user("member", "293610", union=other_union),
    )


def org(code_or_name):
    return (
        Organisation.objects.get(code=code_or_name)
        if code_or_name.isdigit()
        else Organisation.objects.get(name=code_or_name)
    )


def reported(year):
    FiscalYear.objects.filter(pk=year.pk).update(state=FiscalYearState.REPORTED)


@pytest.fixture
def seminars(year, create_programme, create_activity, create_attendance):
    """Six sessions of an external seminar series, none with a count; the first,
    ZEB導入セミナー, with 2 attendees recorded."""
    group = create_programme(year, name="研修事業", kind="seminar_series").first_group
    sessions = [
        create_activity(group=group, title=title, kind="external_seminar", on=date(2024, 6, day))
        for day, title in enumerate(["ZEB導入セミナー"] + [f"セミナー{n}" for n in range(2, 7)], 1)
    ]
    create_attendance(sessions[0], total=2)
    return sessions


def text_of(response) -> str:
    """The page's text without tags, spaces collapsed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def summary(response) -> dict:
    return dict(vars(response.context["summary"]).items())


# --- the grid ---------------------------------------------------------------------------


def test_grid_accepts_took_part_and_full_width_counts(client_as, gx):
    iide, yonezawa = org("飯豊町"), org(YONEZAWA)
    client = client_as("secretariat")
    url = reverse("staff:attendance_edit", args=[gx.pk])
    page = client.get(url)
    assert page.context["form"][f"count_{iide.pk}"].value() == "参加"  # shown as typed
    response = client.post(url, attendance_post(gx, {iide.pk: "３名", yonezawa.pk: "参加"}))
    assert response.status_code == 302
    values = dict(gx.attendances.values_list("organisation__name", "count"))
    assert values["飯豊町"] == 3 and values["米沢市"] is None


def test_bad_value_gives_a_japanese_message_and_saves_nothing(client_as, gx):
    iide, yonezawa = org("飯豊町"), org(YONEZAWA)
    before = sorted(gx.attendances.values_list("organisation_id", "count"))
    response = client_as("secretariat").post(
        reverse("staff:attendance_edit", args=[gx.pk]),
        attendance_post(gx, {iide.pk: "5", yonezawa.pk: "たくさん"}),
    )
    assert response.status_code == 400
    assert "人数は0以上の整数か「参加」で入力してください。" in response.content.decode()
    assert sorted(gx.attendances.values_list("organisation_id", "count")) == before


def test_page_shows_recorded_total_counted_sum_and_unattributed(client_as, staff, gx):
    iide = org("飯豊町")
    record_attendance(gx, staff["secretariat"], counts={iide.pk: 20}, seen={iide.pk: TOOK_PART})
    response = client_as("member").get(reverse("staff:attendance_edit", args=[gx.pk]))
    shown = summary(response)
    assert (shown["recorded_total"], shown["counted"], shown["unattributed"]) == (16, 20, 0)
    text = text_of(response)
    assert "出席者数（合計） 16名" in text and "団体別の人数の合計（内訳） 20名" in text
    assert "団体別の人数の合計（20名）が出席者数（合計）の16名を超えています" in text
    assert response.context["totals_form"] is None  # the total is the secretariat's
    assert "合計と出席した構成市町の数は事務局が記録します。" in text


def test_secretariat_records_total_and_members_by_kind(client_as, training):
    client = client_as("secretariat")
    url = reverse("staff:attendance_edit", args=[training.pk])
    form = client.get(url).context["totals_form"]
    assert form.initial["total"] == 22 and form.initial["kind_city"] == 3
    data = {
        "part": "totals",
        "totals-total": "25",
        "totals-seen_total": "22",
        "totals-kind_city": "3",
        "totals-seen_city": "3",
        "totals-kind_town": "5",
        "totals-seen_town": "4",
        "totals-reason": "",
    }
    assert client.post(url, data).status_code == 302
    training.refresh_from_db()
    assert training.attendee_total == 25
    assert dict(training.compositions.values_list("kind", "number")) == {"city": 3, "town": 5}
    page = client.get(url)
    assert summary(page)["phrase"] == "置賜3市5町、港区、地域活性化センター職員及び本組合職員 25名"
    # more towns than the union has: the service's Japanese message, nothing saved
    too_many = data | {"totals-kind_town": "9", "totals-seen_total": "25", "totals-seen_town": "5"}
    response = client.post(url, too_many)
    assert response.status_code == 400
    assert "9" in response.content.decode() and training.compositions.get(kind="town").number == 5


def test_members_cannot_record_the_total(client_as, training):
    response = client_as("member").post(
        reverse("staff:attendance_edit", args=[training.pk]),
        {"part": "totals", "totals-total": "99", "totals-seen_total": "22"},
    )
    assert response.status_code == 403
    training.refresh_from_db()
    assert training.attendee_total == 22


def test_more_members_named_than_the_composition_warns(client_as, staff, gx):
    nagai, yonezawa = org("長井市"), org(YONEZAWA)
    record_attendance(
        gx,
        staff["secretariat"],
        counts={nagai.pk: 1, yonezawa.pk: 1},
        seen={nagai.pk: None, yonezawa.pk: None},
    )
    text = text_of(client_as("secretariat").get(reverse("staff:attendance_edit", args=[gx.pk])))
    assert "名前のある構成市町が、出席した構成市町の数より多くなっています" in text


# --- the preview: the server's phrase for the form's values --------------------------------


def test_preview_is_the_phrase_the_save_makes(client_as, training):
    iide = org("飯豊町")
    client = client_as("secretariat")
    data = attendance_post(training, {iide.pk: "2"})
    preview = client.get(reverse("staff:attendance_preview", args=[training.pk]), data)
    assert preview.status_code == 200
    phrase = preview.context["summary"].phrase
    assert (
        phrase == "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名"
    )  # 飯豊町 among 4町
    assert preview.context["summary"].counted == 2
    client.post(reverse("staff:attendance_edit", args=[training.pk]), data)
    saved = client.get(reverse("staff:attendance_edit", args=[training.pk]))
    assert summary(saved)["phrase"] == phrase
    nothing_saved = client.get(
        reverse("staff:attendance_preview", args=[training.pk]),
        {
            "totals-total": "30",
            "totals-seen_total": "22",
            "totals-kind_city": "3",
            "totals-seen_city": "3",
            "totals-kind_town": "4",
            "totals-seen_town": "4",
        },
    )
    assert nothing_saved.context["summary"].recorded_total == 30
    training.refresh_from_db()
    assert training.attendee_total == 22  # a GET changes nothing


def test_preview_reports_a_bad_value_and_ignores_rows_the_user_may_not_change(client_as, training):
    nanyo, yonezawa = org(NANYO), org(YONEZAWA)
    client = client_as("member")  # 米沢市
    url = reverse("staff:attendance_preview", args=[training.pk])
    bad = client.get(url, attendance_post(training, {yonezawa.pk: "x"}))
    assert bad.status_code == 400 and "人数は0以上の整数か「参加」" in bad.content.decode()
    other = client.get(url, attendance_post(training, {nanyo.pk: "50"}))
    assert other.context["summary"].counted == 0  # 南陽市's row is not 米沢市's to change


def test_preview_is_scoped(client_as, other_union_activity):
    response = client_as("secretariat").get(
        reverse("staff:attendance_preview", args=[other_union_activity.pk])
    )
    assert response.status_code == 404


# --- the seminar sheet -------------------------------------------------------------------


def test_nanyo_count_for_a_seminar_keeps_the_recorded_total(client_as, seminars):
    """南陽市 enters 1 for 「ZEB導入セミナー」 (2名 in the reference) in an open year: the
    total stays 2, 1 is 南陽市's, 1 is 内訳不明 — a partial count never replaces it."""
    zeb = seminars[0]
    client = client_as("other_member")  # 南陽市
    page = client.get("/staff/seminars/?year=2024")
    rows = page.context["form"].rows
    data = {f"count_{key}": "" for key, *_ in rows} | {f"seen_{key}": "" for key, *_ in rows}
    data[f"count_{zeb.pk}"] = "1"
    assert client.post("/staff/seminars/?year=2024", data).status_code == 302
    page = client.get("/staff/seminars/?year=2024")
    ((_row, shown),) = [
        (row, s)
        for row, s in page.context["grid"]
        if row[0] == page.context["form"].rows[[r[0] for r in rows].index(zeb.pk)][1]
    ]
    assert (shown.total, shown.counted, shown.unattributed) == (2, 1, 1)
    zeb = Activity.objects.get(pk=zeb.pk)
    assert zeb.attendance_total == 2
    detail = client.get(reverse("staff:activity_detail", args=[zeb.pk]))
    assert (
        summary(detail)["total"],
        summary(detail)["counted"],
        summary(detail)["unattributed"],
    ) == (2, 1, 1)
    assert "内訳不明 1名" in text_of(detail)


def test_seminar_sheet_accepts_took_part_and_refuses_bad_values(client_as, seminars):
    client = client_as("member")
    rows = client.get("/staff/seminars/?year=2024").context["form"].rows
    first, second = rows[0][0], rows[1][0]
    data = {f"count_{key}": "" for key, *_ in rows} | {f"seen_{key}": "" for key, *_ in rows}
    bad = data | {f"count_{first}": "参加", f"count_{second}": "二"}
    response = client.post("/staff/seminars/?year=2024", bad)
    assert response.status_code == 200
    assert "人数は0以上の整数か「参加」で入力してください。" in response.content.decode()
    assert not Activity.objects.get(pk=first).attendances.exists()  # nothing half-saved
    assert (
        client.post("/staff/seminars/?year=2024", data | {f"count_{first}": "参加"}).status_code
        == 302
    )
    assert Activity.objects.get(pk=first).attendances.get().count is None


def test_seminar_sheet_in_a_reported_year_makes_proposals(client_as, seminars, year):
    reported(year)
    client = client_as("member")
    rows = client.get("/staff/seminars/?year=2024").context["form"].rows
    first = rows[0][0]
    data = {f"count_{key}": "" for key, *_ in rows} | {f"seen_{key}": "" for key, *_ in rows}
    response = client.post(
        "/staff/seminars/?year=2024",
        data | {f"count_{first}": "2", "reason": "受講記録で確認"},
        follow=True,
    )
    text = response.content.decode()
    assert "事務局の承認を待っています" in text and "受講記録で確認" in text
    assert not Activity.objects.get(pk=first).attendances.exists()
    assert AttendanceProposal.objects.get(activity_id=first).count == 2


# --- proposals in a reported year ----------------------------------------------------------


def test_member_proposes_and_secretariat_approves(client_as, staff, training, year):
    yonezawa = org(YONEZAWA)
    reported(year)
    member = client_as("member")
    url = reverse("staff:attendance_edit", args=[training.pk])
    assert "事務局の承認を待ちます" in member.get(url).content.decode()
    response = member.post(
        url, attendance_post(training, {yonezawa.pk: "3"}, reason="名簿で確認"), follow=True
    )
    assert "変更を提案しました（1件）。事務局の承認を待っています。" in response.content.decode()
    assert not training.attendances.filter(organisation=yonezawa).exists()  # nothing changed
    page = member.get(url)
    assert [
        (p.organisation.name, p.value_text, p.state) for p in page.context["own_proposals"]
    ] == [("米沢市", "3", ProposalState.PENDING)]

    secretariat = client_as("secretariat")
    home = secretariat.get("/staff/?year=2024")
    assert home.context["overview"].attendance_proposals == 1
    assert "承認待ちの提案が1件あります" in home.content.decode()
    listing = secretariat.get(reverse("staff:attendance_proposals"))
    text = text_of(listing)
    for shown in (
        "交流研修",
        "米沢市",
        "（記録なし）",
        "3",
        "名簿で確認",
        staff["member"].get_full_name() or staff["member"].username,
    ):
        assert shown in text, shown
    proposal = AttendanceProposal.objects.get()
    response = secretariat.post(
        reverse("staff:attendance_proposals"),
        {"proposal": proposal.pk, "decision": "approve", "comment": ""},
        follow=True,
    )
    assert "提案を承認しました" in response.content.decode()
    assert training.attendances.get(organisation=yonezawa).count == 3
    entry = AuditEntry.objects.filter(
        model="programmes.activity", object_id=str(training.pk)
    ).first()
    assert entry.changes == {"出席者数（米沢市）": [None, 3]} and "名簿で確認" in entry.reason
    detail = secretariat.get(reverse("staff:activity_detail", args=[training.pk]))
    assert entry in detail.context["history"]
    assert (
        "承認待ちの提案はありません。"
        in secretariat.get(reverse("staff:attendance_proposals")).content.decode()
    )


def test_rejection_needs_a_comment_the_member_sees(client_as, staff, training, year):
    yonezawa = org(YONEZAWA)
    reported(year)
    proposal = record_attendance(
        training,
        staff["member"],
        counts={yonezawa.pk: 4},
        seen={yonezawa.pk: None},
        reason="名簿で確認",
    ).proposals[0]
    secretariat = client_as("secretariat")
    url = reverse("staff:attendance_proposals")
    response = secretariat.post(
        url, {"proposal": proposal.pk, "decision": "reject", "comment": " "}, follow=True
    )
    assert "却下する理由を入力してください" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PENDING
    secretariat.post(
        url,
        {"proposal": proposal.pk, "decision": "reject", "comment": "資料では人数が分かりません"},
    )
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.REJECTED
    assert not training.attendances.filter(organisation=yonezawa).exists()
    page = client_as("member").get(reverse("staff:attendance_edit", args=[training.pk]))
    text = text_of(page)
    assert "却下" in text and "資料では人数が分かりません" in text


@pytest.mark.parametrize("role", ["member", "partner", "auditor"])
def test_only_the_secretariat_decides_proposals(client_as, staff, role, training, year):
    yonezawa = org(YONEZAWA)
    reported(year)
    proposal = record_attendance(
        training, staff["member"], counts={yonezawa.pk: 4}, seen={yonezawa.pk: None}, reason="r"
    ).proposals[0]
    client = client_as(role)
    url = reverse("staff:attendance_proposals")
    assert client.get(url).status_code == 403
    assert client.post(url, {"proposal": proposal.pk, "decision": "approve"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.state == ProposalState.PENDING


def test_another_unions_proposal_is_not_found(client_as, other_union_proposal):
    response = client_as("secretariat").post(
        reverse("staff:attendance_proposals"),
        {"proposal": other_union_proposal.pk, "decision": "approve"},
    )
    assert response.status_code == 404
    other_union_proposal.refresh_from_db()
    assert other_union_proposal.state == ProposalState.PENDING


# --- the home page -------------------------------------------------------------------------


@pytest.mark.reference
def test_fy2024_home_credits_no_municipality_with_a_count(client_for, fy2024, running_year):
    """The reference gives no municipality a count in FY2024: the home page shows none,
    lists what each took part in without a count, and puts the totals in 内訳不明."""
    response = client_for("auditor").get("/staff/?year=2024")
    attendance = response.context["overview"].attendance
    assert [m.counted for m in attendance.members] == [None] * 8
    by_name = {m.label: m for m in attendance.members}
    assert by_name["米沢市"].uncounted == 1  # DX only (交流研修 names no city)
    assert by_name["飯豊町"].uncounted == 2  # DX and GX
    totals = sum(
        a.attendee_total or 0 for a in Activity.objects.filter(group__programme__fiscal_year=fy2024)
    )
    assert attendance.unattributed == totals
    text = text_of(response)
    assert f"内訳不明 {totals}名" in text
    assert not re.search(r"米沢市 \d+名", text)


def test_home_credits_no_municipality_with_a_count_the_records_do_not_hold(
    client_as, year, training, gx, create_activity, create_attendance
):
    """Attendance recorded only as 「参加」 and totals (as FY2024's): the home page credits
    no member with a count, lists what each took part in, and puts the totals in 内訳不明."""
    members = list(year.union.members_in_order())
    create_attendance(
        create_activity(year, title="自治体DX研修会", kind="workshop"),
        dict.fromkeys(members),
        total=30,
    )
    response = client_as("auditor").get("/staff/?year=2024")
    attendance = response.context["overview"].attendance
    assert [m.counted for m in attendance.members] == [None] * 8
    by_name = {m.label: m for m in attendance.members}
    assert by_name["米沢市"].uncounted == 1  # DX only (the 交流研修 names no city)
    assert by_name["南陽市"].uncounted == 2  # 交流研修 and DX
    assert by_name["飯豊町"].uncounted == 2  # DX and GX
    assert attendance.unattributed == 22 + 16 + 30
    text = text_of(response)
    assert "内訳不明 68名" in text
    assert not re.search(r"米沢市 \d+名", text)


def test_home_counts_only_what_is_recorded(
    client_as, staff, gx, create_activity, create_attendance
):
    iide = org("飯豊町")
    create_attendance(create_activity(group=gx.group, title="DX研修"), {iide: None})
    record_attendance(gx, staff["secretariat"], counts={iide.pk: 4}, seen={iide.pk: TOOK_PART})
    attendance = client_as("member").get("/staff/?year=2024").context["overview"].attendance
    by_name = {m.label: m for m in attendance.members}
    assert (by_name["飯豊町"].counted, by_name["飯豊町"].uncounted) == (4, 1)
    assert by_name["小国町"].counted is None


def test_totals_changed_since_the_page_opened_are_refused_then_saved_deliberately(
    client_as, staff, training
):
    from renkei.programmes.services import record_attendance_totals

    client = client_as("secretariat")
    url = reverse("staff:attendance_edit", args=[training.pk])
    data = {
        "part": "totals",
        "totals-total": "24",
        "totals-seen_total": "22",
        "totals-kind_city": "3",
        "totals-seen_city": "3",
        "totals-kind_town": "4",
        "totals-seen_town": "4",
        "totals-reason": "",
    }
    record_attendance_totals(
        training,
        staff["secretariat"],
        total=23,
        composition={"city": 3, "town": 4},
        seen_total=22,
        seen_composition={"city": 3, "town": 4},
    )
    response = client.post(url, data)
    assert response.status_code == 400 and "保存していません" in response.content.decode()
    training.refresh_from_db()
    assert training.attendee_total == 23
    again = response.context["totals_form"].data
    assert again["totals-seen_total"] == 23 and again["totals-total"] == "24"
    assert client.post(url, dict(again.items())).status_code == 302
    training.refresh_from_db()
    assert training.attendee_total == 24


@pytest.mark.parametrize("proposals", [1, 6])
def test_proposals_page_query_count_is_fixed(
    client_as, staff, year, seminars, proposals, django_assert_num_queries
):
    reported(year)
    yonezawa = org(YONEZAWA)
    sessions = seminars[:proposals]
    for session in sessions:
        record_attendance(
            session, staff["member"], counts={yonezawa.pk: 1}, seen={yonezawa.pk: None}, reason="r"
        )
    client = client_as("secretariat")
    with django_assert_num_queries(7):  # the same for 1 and 6 proposals
        response = client.get(reverse("staff:attendance_proposals"))
    assert len(response.context["rows"]) == proposals
