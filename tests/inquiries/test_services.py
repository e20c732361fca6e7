"""The 照会's rules as its services keep them, whichever entry point calls them."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from renkei.audit.models import AuditEntry
from renkei.errors import RenkeiError
from renkei.inquiries.models import Answer, InquiryPart, InquiryState, PartStatus
from renkei.inquiries.services import (
    approve_part,
    close_inquiry,
    create_initiative,
    extend_inquiry,
    return_part,
    save_part_answers,
    save_part_attendance,
    send_inquiry,
    submit_part,
    update_inquiry,
)
from renkei.programmes.attendance import TOOK_PART
from renkei.programmes.models import Activity, Attendance, SectionKind
from renkei.programmes.services import DayData, VenueData, create_activity

from .conftest import NANYO, inquiry_data, org, session, today_plus


def initiative_fields(title="えくぼ祭り出展（照会テスト）"):
    return {"title": title, "kind": "festival_booth", "description": "南陽市の物産を出展"}


def test_sending_gives_each_recipient_a_part(sent):
    assert sent.state == InquiryState.SENT
    parts = InquiryPart.objects.filter(inquiry=sent)
    assert parts.count() == 3
    assert {p.status for p in parts} == {PartStatus.NOT_STARTED}
    assert {p.deadline for p in parts} == {sent.deadline}


def test_a_sent_inquiry_is_not_edited_only_extended(sent, users, year):
    with pytest.raises(RenkeiError, match="送付済み"):
        update_inquiry(sent, users["secretariat"], inquiry_data(year, title="別の件名"))
    with pytest.raises(RenkeiError, match="より後"):
        extend_inquiry(sent, users["secretariat"], deadline=sent.deadline)
    extend_inquiry(sent, users["secretariat"], deadline=today_plus(30), reason="議会日程のため")
    assert set(sent.parts.values_list("deadline", flat=True)) == {today_plus(30)}
    entry = AuditEntry.objects.filter(model="inquiries.inquiry").first()
    assert (
        entry.reason == "議会日程のため"
        and entry.changes["deadline"][1] == today_plus(30).isoformat()
    )


def test_only_the_secretariat_manages_inquiries(draft, users):
    for role in ("member", "partner", "auditor"):
        with pytest.raises(PermissionDenied):
            send_inquiry(draft, users[role])


def test_sending_without_recipients_is_refused(draft, users, year):
    update_inquiry(draft, users["secretariat"], inquiry_data(year, recipients=[]))
    with pytest.raises(RenkeiError, match="照会先"):
        send_inquiry(draft, users["secretariat"])
    assert not InquiryPart.objects.exists()


def test_a_member_creates_its_initiative_in_an_asked_programme(nanyo_part, users, year):
    group = year.programmes.get(number=1).groups.get(number=3)
    activity = create_initiative(
        nanyo_part,
        users["member"],
        group=group,
        fields=initiative_fields(),
        days=[
            DayData(date=year.start.replace(month=10, day=5), venues=[VenueData(name="白金公園")])
        ],
    )
    assert activity.leads() == [org(NANYO)]
    assert activity.is_public is False
    nanyo_part.refresh_from_db()
    assert nanyo_part.status == PartStatus.IN_PROGRESS


def test_no_initiative_outside_the_asked_programmes(nanyo_part, users, year):
    group = year.programmes.get(number=2).groups.first()
    with pytest.raises(RenkeiError, match="照会していません"):
        create_initiative(nanyo_part, users["member"], group=group, fields=initiative_fields())
    assert not Activity.objects.filter(title__contains="照会テスト").exists()


def test_a_member_cannot_lead_without_an_open_part(nanyo_part, users, year):
    """The permission table's LEAD_ACTIVITY needs the member's own open part: not another
    member's, not a submitted one, and not without a part at all."""
    group = year.programmes.get(number=1).groups.get(number=3)
    with pytest.raises(PermissionDenied):
        create_activity(
            group, users["member"], fields=initiative_fields(), lead_organisations=[org(NANYO)]
        )
    with pytest.raises(PermissionDenied):  # 米沢市 staff on 南陽市's part
        create_initiative(
            nanyo_part, users["other_member"], group=group, fields=initiative_fields()
        )
    with pytest.raises(PermissionDenied):  # another lead than the part's organisation
        create_activity(
            group,
            users["member"],
            fields=initiative_fields(),
            lead_organisations=[org("062022")],
            led_under=nanyo_part,
        )
    submit_part(nanyo_part, users["member"])
    with pytest.raises(RenkeiError, match="提出済み"):
        create_initiative(nanyo_part, users["member"], group=group, fields=initiative_fields())
    nanyo_part.refresh_from_db()
    with pytest.raises(PermissionDenied):
        create_activity(
            group,
            users["member"],
            fields=initiative_fields(),
            lead_organisations=[org(NANYO)],
            led_under=nanyo_part,
        )
    assert not Activity.objects.filter(title__contains="照会テスト").exists()


def test_the_recipient_enters_its_own_attendance(nanyo_part, users, year):
    seminar = session(year, "旅先納税")
    before = Attendance.objects.filter(activity=seminar, organisation__code=NANYO).first()
    seen = None if before is None else (TOOK_PART if before.count is None else before.count)
    save_part_attendance(
        nanyo_part, users["member"], values={seminar.pk: 4}, seen={seminar.pk: seen}
    )
    assert Attendance.objects.get(activity=seminar, organisation__code=NANYO).count == 4
    other = session(year, "交流研修")
    with pytest.raises(RenkeiError, match="照会していない"):
        save_part_attendance(nanyo_part, users["member"], values={other.pk: 1}, seen={})


def _attended(part, user, activity, count=2):
    save_part_attendance(
        part, user, values={activity.pk: count}, seen={activity.pk: _value(activity, NANYO)}
    )


def _value(activity, code):
    row = Attendance.objects.filter(activity=activity, organisation__code=code).first()
    return None if row is None else row.value


def _impressions(activity, code="062138"):
    section = activity.sections.filter(kind=SectionKind.IMPRESSIONS, organisation__code=code)
    return section.first().lead if section.exists() else None


def test_answers_are_checked_and_nothing_is_saved_on_a_bad_number(nanyo_part, users, sent, year):
    number_q, text_q = sent.questions.all()
    seminar = session(year, "旅先納税")
    _attended(nanyo_part, users["member"], seminar)
    with pytest.raises(RenkeiError, match="数値"):
        save_part_answers(
            nanyo_part,
            users["member"],
            impressions={seminar.pk: "よかった"},
            answers={text_q.pk: "特になし", number_q.pk: "たくさん"},
        )
    assert _impressions(seminar) is None and not Answer.objects.exists()
    save_part_answers(
        nanyo_part,
        users["member"],
        impressions={seminar.pk: "よかった"},
        answers={text_q.pk: "特になし", number_q.pk: "１２"},
    )
    assert Answer.objects.get(question=number_q).number == Decimal("12")
    assert _impressions(seminar) == "よかった"


def test_one_impression_per_asked_activity(nanyo_part, users, sent, year):
    """Each asked session gets its own impression: the organisation's 感想 of that
    activity, the record its activity page and the report show (not one text per part)."""
    member = users["member"]
    tabisaki, zeb = session(year, "旅先納税"), session(year, "ZEB導入")
    _attended(nanyo_part, member, tabisaki)
    _attended(nanyo_part, member, zeb, count=1)
    save_part_answers(
        nanyo_part,
        member,
        answers={},
        impressions={tabisaki.pk: "ふるさと納税の参考になった", zeb.pk: "庁舎改修で検討する"},
    )
    assert _impressions(tabisaki) == "ふるさと納税の参考になった"
    assert _impressions(zeb) == "庁舎改修で検討する"
    other = session(year, "交流研修")
    with pytest.raises(RenkeiError, match="感想を照会していない"):
        save_part_answers(nanyo_part, member, answers={}, impressions={other.pk: "x"})
    # A session the organisation did not attend takes no impression (programmes' rule).
    Attendance.objects.filter(activity=zeb, organisation__code=NANYO).delete()
    zeb.sections.filter(kind=SectionKind.IMPRESSIONS).delete()
    with pytest.raises(RenkeiError, match="参加していません"):
        save_part_answers(nanyo_part, member, answers={}, impressions={zeb.pk: "出ていないが書く"})


def test_return_resubmit_approve(nanyo_part, users, sent):
    member, secretariat = users["member"], users["secretariat"]
    with pytest.raises(RenkeiError, match="提出済みの回答だけ"):
        approve_part(nanyo_part, secretariat)
    submit_part(nanyo_part, member)
    with pytest.raises(RenkeiError, match="提出済み"):
        save_part_answers(nanyo_part, member, answers={sent.questions.last().pk: "変更"})
    with pytest.raises(RenkeiError, match="理由"):
        return_part(nanyo_part, secretariat, comment=" ")
    return_part(nanyo_part, secretariat, comment="写真を追加してください")
    nanyo_part.refresh_from_db()
    assert nanyo_part.status == PartStatus.RETURNED
    save_part_answers(nanyo_part, member, answers={sent.questions.last().pk: "写真を追加しました"})
    submit_part(nanyo_part, member)
    approve_part(nanyo_part, secretariat)
    nanyo_part.refresh_from_db()
    assert nanyo_part.status == PartStatus.APPROVED
    with pytest.raises(RenkeiError, match="承認済み"):
        submit_part(nanyo_part, member)
    states = [
        e.changes["状態"]
        for e in AuditEntry.objects.filter(
            model="inquiries.inquirypart", object_id=str(nanyo_part.pk)
        ).order_by("pk")
        if "状態" in e.changes
    ]
    assert states == [
        ["未着手", "提出済"],
        ["提出済", "差戻し"],
        ["差戻し", "提出済"],
        ["提出済", "承認済"],
    ]


def test_the_secretariat_cannot_answer_for_a_recipient(nanyo_part, users):
    with pytest.raises(PermissionDenied):
        save_part_answers(nanyo_part, users["secretariat"], answers={})


def test_a_closed_inquiry_takes_no_answers(nanyo_part, users, sent):
    close_inquiry(sent, users["secretariat"])
    with pytest.raises(RenkeiError, match="締め切られました"):
        submit_part(nanyo_part, users["member"])
