"""The 照会 screens: who may open and post what (another union's 照会 and another
member's part are 404), the recipient's cycle through HTTP — fill in, submit, returned,
resubmit, approved — and bad input answered in Japanese with a 4xx, saving nothing."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.inquiries.models import Answer, Inquiry, InquiryPart, PartStatus
from renkei.inquiries.services import create_inquiry, send_inquiry
from renkei.programmes.models import (
    Activity,
    ActivityGroup,
    ActivitySection,
    Attendance,
    FiscalYear,
    FiscalYearState,
    GroupKind,
    Programme,
    SectionKind,
)
from tests.factories import partnership_union
from tests.inquiries.conftest import inquiry_data, org, today_plus

from .conftest import MINATO, NANYO, YONEZAWA
from .helpers import assert_case, made_once, other_union_with_year, staff_user, url, users_of

ROLES = ("secretariat", "member", "partner", "auditor")


@pytest.fixture
def inquiry_year(year, create_inquiry_year):
    """The running FY2024 with what ``inquiry_data`` asks about: 遠隔自治体間連携事業
    (its item 3 for the members' initiatives) and the seminars 旅先納税 and ZEB導入セミナー."""
    return create_inquiry_year(year)


@pytest.fixture
def objects(inquiry_year, other_union, staff):
    return build_objects(inquiry_year, staff, other_union, group=inquiry_year.initiatives)


def build_objects(year, users, other_union, *, group, **asked) -> dict:
    """Sent and draft 照会 of ``year`` (``asked`` overrides ``inquiry_data``'s default
    programmes and sessions), another union's sent one, and the parts of 米沢市 (the
    member), 南陽市 (the other member), 港区 (the partner) and the other union; ``group``
    is an item of a programme the 照会 asks about."""
    secretariat = users["secretariat"]
    sent = send_inquiry(create_inquiry(year, secretariat, inquiry_data(year, **asked)), secretariat)
    draft = create_inquiry(year, secretariat, inquiry_data(year, title="下書きの照会", **asked))
    year2 = other_union.fiscal_years.get()
    foreign_secretariat = staff_user("secretariat", other_union.organisation, other_union)
    programme = Programme.objects.create(fiscal_year=year2, number=1, name="他組合の事業")
    ActivityGroup.objects.create(programme=programme, number=1, title="他組合の項目")
    foreign = send_inquiry(
        create_inquiry(
            year2,
            foreign_secretariat,
            inquiry_data(
                year2,
                title="他組合の照会",
                recipients=[org("293610")],
                programmes=[programme],
                activities=[],
            ),
        ),
        foreign_secretariat,
    )
    return {
        "sent": sent,
        "draft": draft,
        "foreign": foreign,
        "group": group,
        "own": sent.parts.get(organisation__code=YONEZAWA),  # 米沢市 = "member"
        "colleague": sent.parts.get(organisation__code=NANYO),  # 南陽市 = "other_member"
        "partner": sent.parts.get(organisation__code=MINATO),  # 港区 = "partner"
        "foreign_part": foreign.parts.get(),
    }


# (label, method, url builder, expected status per role in ROLES order)
TABLE = [
    ("inquiry list", "get", lambda o: url("inquiry_list"), (200, 200, 200, 200)),
    ("mail settings", "get", lambda o: url("mail_settings"), (200, 200, 200, 200)),
    ("new inquiry", "get", lambda o: url("inquiry_create"), (200, 403, 403, 403)),
    ("new inquiry, empty form", "post", lambda o: url("inquiry_create"), (400, 403, 403, 403)),
    ("inquiry matrix", "get", lambda o: url("inquiry_detail", o["sent"].pk), (200, 403, 403, 403)),
    ("inquiry export", "get", lambda o: url("inquiry_export", o["sent"].pk), (200, 403, 403, 403)),
    ("edit draft", "get", lambda o: url("inquiry_edit", o["draft"].pk), (200, 403, 403, 403)),
    (
        "edit sent, empty form",
        "post",
        lambda o: url("inquiry_edit", o["sent"].pk),
        (400, 403, 403, 403),
    ),
    (
        "send a sent inquiry",
        "post",
        lambda o: url("inquiry_send", o["sent"].pk),
        (400, 403, 403, 403),
    ),
    (
        "extend without a date",
        "post",
        lambda o: url("inquiry_extend", o["sent"].pk),
        (400, 403, 403, 403),
    ),
    (
        "close the draft",
        "post",
        lambda o: url("inquiry_close", o["draft"].pk),
        (400, 403, 403, 403),
    ),
    (
        "other union's matrix",
        "get",
        lambda o: url("inquiry_detail", o["foreign"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's export",
        "get",
        lambda o: url("inquiry_export", o["foreign"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's edit",
        "get",
        lambda o: url("inquiry_edit", o["foreign"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's close",
        "post",
        lambda o: url("inquiry_close", o["foreign"].pk),
        (404, 404, 404, 404),
    ),
    ("own part", "get", lambda o: url("part_detail", o["own"].pk), (200, 200, 404, 200)),
    ("partner's part", "get", lambda o: url("part_detail", o["partner"].pk), (200, 404, 200, 200)),
    (
        "other member's part",
        "get",
        lambda o: url("part_detail", o["colleague"].pk),
        (200, 404, 404, 200),
    ),
    (
        "other union's part",
        "get",
        lambda o: url("part_detail", o["foreign_part"].pk),
        (404, 404, 404, 404),
    ),
    (
        "own part's answers",
        "post",
        lambda o: url("part_answers", o["own"].pk),
        (403, 302, 404, 403),
    ),
    (
        "own part's attendance",
        "post",
        lambda o: url("part_attendance", o["own"].pk),
        (403, 302, 404, 403),
    ),
    (
        "new initiative",
        "get",
        lambda o: url("initiative_create", o["own"].pk, o["group"].pk),
        (403, 200, 404, 403),
    ),
    (
        "other member's answers",
        "post",
        lambda o: url("part_answers", o["colleague"].pk),
        (403, 404, 404, 403),
    ),
    (
        "other member's attendance",
        "post",
        lambda o: url("part_attendance", o["colleague"].pk),
        (403, 404, 404, 403),
    ),
    (
        "other member's submit",
        "post",
        lambda o: url("part_submit", o["colleague"].pk),
        (403, 404, 404, 403),
    ),
    (
        "other member's initiative",
        "get",
        lambda o: url("initiative_create", o["colleague"].pk, o["group"].pk),
        (403, 404, 404, 403),
    ),
    (
        "other union's part answers",
        "post",
        lambda o: url("part_answers", o["foreign_part"].pk),
        (404, 404, 404, 404),
    ),
    (
        "own part's workbook",
        "get",
        lambda o: url("part_workbook", o["own"].pk),
        (200, 200, 404, 200),
    ),
    ("own part's upload", "get", lambda o: url("part_upload", o["own"].pk), (403, 200, 404, 403)),
    (
        "other member's upload",
        "get",
        lambda o: url("part_upload", o["colleague"].pk),
        (403, 404, 404, 403),
    ),
    (
        "other union's workbook",
        "get",
        lambda o: url("part_workbook", o["foreign_part"].pk),
        (404, 404, 404, 404),
    ),
    (
        "decide without a decision",
        "post",
        lambda o: url("part_decide", o["own"].pk),
        (400, 403, 404, 403),
    ),
    (
        "decide another union's part",
        "post",
        lambda o: url("part_decide", o["foreign_part"].pk),
        (404, 404, 404, 404),
    ),
]


@pytest.fixture(scope="class")
def table_objects(django_db_setup, django_db_blocker, tmp_path_factory):
    """``objects`` for ``TestPermissionTable``, made with the factories (no seed) once
    for the class and rolled back after it."""
    media = tmp_path_factory.mktemp("media")
    with made_once(django_db_blocker, media):
        union = partnership_union()
        year = FiscalYear.objects.create(union=union, year=2025, state=FiscalYearState.RUNNING)
        programme = Programme.objects.create(fiscal_year=year, number=1, name="交流事業")
        group = ActivityGroup.objects.create(programme=programme, number=1, title="連携の取組")
        seminars = ActivityGroup.objects.create(
            programme=Programme.objects.create(fiscal_year=year, number=2, name="研修事業"),
            number=1,
            title="外部研修",
            kind=GroupKind.SEMINAR_SERIES,
            provider=union.provider,
        )
        sessions = [
            Activity.objects.create(group=seminars, sub_number=n, title=title, kind=kind)
            for n, (title, kind) in enumerate(
                [("旅先納税", "external_seminar"), ("ZEB導入", "external_seminar")], start=1
            )
        ]
        users = users_of(union)
        objects = build_objects(
            year,
            users,
            other_union_with_year(),
            group=group,
            programmes=[programme],
            activities=sessions,
        )
        yield objects | {"users": users, "media": media}


@pytest.mark.usefixtures("db")
class TestPermissionTable:
    """One test per role and row with its own id (``test_permission[member-own part's
    upload]``); the records are made once for the class and each test's changes are rolled
    back, so no row depends on another's order."""

    @pytest.fixture(autouse=True)
    def own_media_root(self, settings, table_objects):
        settings.MEDIA_ROOT = table_objects["media"]

    @pytest.mark.parametrize(
        ("role", "row"),
        [pytest.param(role, row, id=f"{role}-{row[0]}") for row in TABLE for role in ROLES],
    )
    def test_permission(self, client, table_objects, role, row):
        _label, method, build, expected = row
        status = expected[ROLES.index(role)]
        client.force_login(table_objects["users"][role])
        response = getattr(client, method)(build(table_objects))
        assert_case(response, status)

    @pytest.mark.parametrize("row", TABLE, ids=[row[0] for row in TABLE])
    def test_anonymous_is_sent_to_sign_in(self, client, table_objects, row):
        _label, method, build, _expected = row
        response = getattr(client, method)(build(table_objects))
        assert response.status_code == 302
        assert response["Location"].startswith(url("login"))


def _initiative_post(title):
    return {
        "title": title,
        "kind": "festival_booth",
        "delivery_mode": "in_person",
        "description": "南陽市の物産を出展しました。",
        "days-TOTAL_FORMS": "1",
        "days-INITIAL_FORMS": "0",
        "days-0-date": "2024-10-05",
        "days-0-venue_name_1": "白金北里通り商店会",
        "lecturers-TOTAL_FORMS": "0",
        "lecturers-INITIAL_FORMS": "0",
    }


def test_the_cycle_submit_return_resubmit_approve(client, staff, objects):
    """南陽市 staff fill in their part and submit; the secretariat returns it with a
    comment; 南陽市 see it, fix and resubmit; the secretariat approves."""
    part, sent = objects["colleague"], objects["sent"]
    client.force_login(staff["other_member"])
    page = client.get(url("inquiry_list")).content.decode()
    assert sent.title in page
    response = client.post(
        url("initiative_create", part.pk, objects["group"].pk),
        _initiative_post("白金の取組（照会）"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    activity = Activity.objects.get(title="白金の取組（照会）")
    assert [o.code for o in activity.leads()] == [NANYO] and not activity.is_public
    seminar = sent.activities.order_by("pk").first()
    seen = Attendance.objects.filter(activity=seminar, organisation__code=NANYO).first()
    client.post(
        url("part_attendance", part.pk),
        {f"a{a.pk}": ("3" if a == seminar else "") for a in sent.activities.all()}
        | {f"seen_a{seminar.pk}": "" if seen is None else (seen.count or "参加")},
    )
    assert Attendance.objects.get(activity=seminar, organisation__code=NANYO).count == 3
    number_q, text_q = sent.questions.all()
    client.post(
        url("part_answers", part.pk),
        {
            f"impressions_{seminar.pk}": "有意義でした",
            f"expected_impressions_{seminar.pk}": "new",
            f"question_{number_q.pk}": "5",
            f"question_{text_q.pk}": "特になし",
        },
    )
    assert _impressions(seminar) == "有意義でした"
    assert client.post(url("part_submit", part.pk)).status_code == 302
    # Submitted: locked for them, with the reason in Japanese; nothing saved.
    shown = client.get(url("part_detail", part.pk)).context["answers"]
    locked = client.post(
        url("part_answers", part.pk),
        {
            f"impressions_{seminar.pk}": "書き換え",
            f"expected_impressions_{seminar.pk}": shown[
                f"expected_impressions_{seminar.pk}"
            ].value(),
        },
    )
    assert locked.status_code == 400 and "提出済み" in locked.content.decode()
    part.refresh_from_db()
    assert _impressions(seminar) == "有意義でした" and part.status == PartStatus.SUBMITTED
    refused = client.post(
        url("initiative_create", part.pk, objects["group"].pk), _initiative_post("提出後の取組")
    )
    assert refused.status_code == 409 and not Activity.objects.filter(title="提出後の取組").exists()

    client.force_login(staff["secretariat"])
    matrix = client.get(url("inquiry_detail", sent.pk) + "?status=submitted").content.decode()
    led = Activity.objects.filter(
        group__programme__in=sent.programmes.all(), lead_links__organisation__code=NANYO
    ).count()
    assert url("part_detail", part.pk) in matrix and f"<td>{led}件</td>" in matrix
    assert url("part_detail", objects["own"].pk) not in matrix  # 米沢市 has not submitted
    empty = client.post(url("part_decide", part.pk), {"decision": "return", "comment": ""})
    assert empty.status_code == 400 and "差し戻す理由" in empty.content.decode()
    client.post(
        url("part_decide", part.pk), {"decision": "return", "comment": "写真を追加してください"}
    )

    client.force_login(staff["other_member"])
    page = client.get(url("part_detail", part.pk)).content.decode()
    assert "写真を追加してください" in page and "差戻し" in page
    client.post(
        url("part_answers", part.pk),
        {
            f"question_{number_q.pk}": "5",
            f"question_{text_q.pk}": "特になし",
        },
    )
    assert client.post(url("part_submit", part.pk)).status_code == 302

    client.force_login(staff["secretariat"])
    assert client.post(url("part_decide", part.pk), {"decision": "approve"}).status_code == 302
    part.refresh_from_db()
    assert part.status == PartStatus.APPROVED


def test_a_bad_number_is_refused_in_japanese_and_nothing_is_saved(client, staff, objects):
    part, sent = objects["own"], objects["sent"]
    number_q, text_q = sent.questions.all()
    client.force_login(staff["member"])
    response = client.post(
        url("part_answers", part.pk),
        {
            f"question_{number_q.pk}": "約10人",
            f"question_{text_q.pk}": "要望",
        },
    )
    assert response.status_code == 400
    assert "数値を入力してください" in response.content.decode()
    part.refresh_from_db()
    assert not Answer.objects.filter(part=part).exists()
    assert part.status == PartStatus.NOT_STARTED
    client.post(url("part_answers", part.pk), {f"question_{number_q.pk}": "１０"})
    assert Answer.objects.get(part=part, question=number_q).number == Decimal("10")


def test_a_bad_attendance_value_is_refused(client, staff, objects, create_count):
    part, sent = objects["own"], objects["sent"]
    activity = sent.activities.first()
    create_count(activity, org(YONEZAWA), 2)
    before = list(Attendance.objects.filter(organisation__code=YONEZAWA).values_list("pk", "count"))
    client.force_login(staff["member"])
    response = client.post(url("part_attendance", part.pk), {f"a{activity.pk}": "たくさん"})
    assert response.status_code == 400 and "人数は0以上の整数" in response.content.decode()
    assert (
        list(Attendance.objects.filter(organisation__code=YONEZAWA).values_list("pk", "count"))
        == before
    )


def test_an_inquiry_with_a_bad_deadline_is_not_saved(client, staff, objects):
    client.force_login(staff["secretariat"])
    response = client.post(
        url("inquiry_create") + "?year=2024",
        {"title": "日付の誤り", "deadline": "令和6年13月40日", "recipients": [org(NANYO).pk]},
    )
    assert response.status_code == 400
    assert not Inquiry.objects.filter(title="日付の誤り").exists()


def test_the_secretariat_opens_and_sends_an_inquiry_through_the_screens(
    client, staff, inquiry_year
):
    client.force_login(staff["secretariat"])
    seminar = Activity.objects.filter(
        group__programme__fiscal_year=inquiry_year, group__kind="seminar_series"
    ).first()
    response = client.post(
        url("inquiry_create") + "?year=2024",
        {
            "title": "画面からの照会",
            "deadline": today_plus(10).isoformat(),
            "recipients": [org(NANYO).pk, org(MINATO).pk],
            "programmes": [inquiry_year.programmes.get(number=1).pk],
            "activities": [seminar.pk],
            "asks_impressions": "on",
            "question_1": "参加予定人数",
            "question_1_type": "number",
            **{f"question_{n}_type": "text" for n in range(2, 6)},
        },
    )
    inquiry = Inquiry.objects.get(title="画面からの照会")
    assert response.status_code == 302
    assert [q.answer_type for q in inquiry.questions.all()] == ["number"]
    assert client.post(url("inquiry_send", inquiry.pk)).status_code == 302
    assert InquiryPart.objects.filter(inquiry=inquiry).count() == 2
    assert (
        client.post(
            url("inquiry_extend", inquiry.pk),
            {"deadline": today_plus(20).isoformat(), "reason": "延長"},
        ).status_code
        == 302
    )
    export = client.get(url("inquiry_export", inquiry.pk))
    assert export.status_code == 200 and export.content[:2] == b"PK"
    assert client.post(url("inquiry_close", inquiry.pk)).status_code == 302


def _matrix_queries(client, inquiry) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url("inquiry_detail", inquiry.pk)).status_code == 200
    return len(queries)


def _answered_inquiry(year, secretariat, recipients: int, items: int):
    """A sent 照会 of ``recipients`` synthetic organisations × ``items`` asked items
    (attendance, impressions, questions), every recipient having answered everything."""
    from renkei.inquiries.services import QuestionData
    from renkei.tenancy.models import Organisation

    orgs = Organisation.objects.bulk_create(
        Organisation(name=f"照会先{recipients}-{n}", kind="other") for n in range(recipients)
    )
    activities = list(Activity.objects.filter(group__programme__fiscal_year=year)[: items // 2])
    questions = [
        QuestionData(f"質問{n}", "number" if n % 2 else "text")
        for n in range(items - len(activities) - 1)
    ]
    inquiry = send_inquiry(
        create_inquiry(
            year,
            secretariat,
            inquiry_data(
                year,
                title=f"{recipients}×{items}",
                recipients=orgs,
                programmes=[],
                activities=activities,
                questions=questions,
            ),
        ),
        secretariat,
    )
    Attendance.objects.bulk_create(
        Attendance(activity=a, organisation=o, count=3) for a in activities for o in orgs
    )
    ActivitySection.objects.bulk_create(
        ActivitySection(activity=a, organisation=o, kind=SectionKind.IMPRESSIONS, lead="感想")
        for a in activities
        for o in orgs
    )
    Answer.objects.bulk_create(
        Answer(part=p, question=q, text="回答", number=None if q.answer_type == "text" else 5)
        for p in inquiry.parts.all()
        for q in inquiry.questions.all()
    )
    return inquiry


def test_the_matrix_reads_a_fixed_number_of_queries(
    client, staff, year, create_programme, create_activity
):
    """5 recipients × 10 items and 100 × 50 (scripts/bench_inquiry_matrix.py times them)."""
    group = create_programme(year).first_group
    for n in range(1, 26):  # the large 照会 asks about 25 activities
        create_activity(group=group, title=f"活動{n}")
    secretariat = staff["secretariat"]
    client.force_login(secretariat)
    small = _answered_inquiry(year, secretariat, 5, 10)
    large = _answered_inquiry(year, secretariat, 100, 50)
    assert large.parts.count() == 100
    assert _matrix_queries(client, small) == _matrix_queries(client, large)


def test_staff_turn_off_mails_but_never_the_deadlines(client, staff):
    from renkei.inquiries.models import MailOptOut

    client.force_login(staff["member"])
    assert client.get(url("mail_settings")).status_code == 200
    assert client.post(url("mail_settings"), {"muted": ["sent", "approved"]}).status_code == 302
    assert set(MailOptOut.objects.filter(user=staff["member"]).values_list("kind", flat=True)) == {
        "sent",
        "approved",
    }
    refused = client.post(url("mail_settings"), {"muted": ["deadline"]})
    assert refused.status_code == 400
    assert set(MailOptOut.objects.filter(user=staff["member"]).values_list("kind", flat=True)) == {
        "sent",
        "approved",
    }


def _impressions(activity, code=NANYO):
    section = activity.sections.filter(kind=SectionKind.IMPRESSIONS, organisation__code=code)
    return section.first().lead if section.exists() else None
