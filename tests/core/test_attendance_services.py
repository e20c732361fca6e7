"""Recording attendance as known through the services every entry point uses: counts and
「参加」, the recorded total and the members by kind, and a member's change to a closed
year waiting for the secretariat."""

import pytest
from django.core.exceptions import PermissionDenied

from renkei.audit.models import AuditEntry
from renkei.errors import ConflictError, RenkeiError
from renkei.programmes.attendance import TOOK_PART, known_attendance
from renkei.programmes.models import (
    Activity,
    Attendance,
    AttendanceProposal,
    FiscalYearState,
    ProposalState,
)
from renkei.programmes.services import (
    decide_attendance_proposal,
    record_attendance,
    record_attendance_totals,
)
from renkei.tenancy.models import Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(create_member_union, create_year, create_activity, create_attendance):
    """FY2024, reported, of a union with 置賜's eight members (3 cities, 5 towns): two
    workshops — ZEB導入セミナー, 2 in all and no organisation's count; 自治体GX研修会, the
    five towns took part (no counts), one city and five towns by kind, 16 in all."""
    union = create_member_union()
    year = create_year(union, 2024, state=FiscalYearState.REPORTED)
    zeb = create_activity(year, title="ZEB導入セミナー", kind="workshop", attendee_total=2)
    gx = create_activity(group=zeb.group, title="自治体GX研修会", kind="workshop")
    towns = [m for m in union.members_in_order() if m.kind == "town"]
    create_attendance(gx, dict.fromkeys(towns), total=16, by_kind={"city": 1, "town": 5})
    return year


def activity(title) -> Activity:
    return Activity.objects.get(title=title)


def org(code) -> Organisation:
    return Organisation.objects.get(code=code)


def set_state(year, state) -> None:
    year.state = state
    year.save(update_fields=["state"])


def test_a_members_count_never_replaces_the_recorded_total(year, make_user):
    """南陽市 enters 1 for 「ZEB導入セミナー」 (total 2): the total stays 2, 1 is 内訳不明."""
    set_state(year, FiscalYearState.RUNNING)
    zeb = activity("ZEB導入セミナー")
    nanyo = org("062138")
    saved = record_attendance(
        zeb, make_user("member", "062138"), counts={nanyo.pk: 1}, seen={nanyo.pk: None}
    )
    assert saved.changes == {"出席者数（南陽市）": [None, 1]} and saved.proposals == []
    zeb.refresh_from_db()
    known = known_attendance(zeb)
    assert (zeb.attendance_total, known.counted, known.unattributed) == (2, 1, 1)
    assert known.phrase("置賜") == "置賜1市 2名"


def test_took_part_without_a_count(year, make_user):
    set_state(year, FiscalYearState.RUNNING)
    gx = activity("自治体GX研修会")
    yonezawa = org("062022")
    record_attendance(
        gx, make_user("member", "062022"), counts={yonezawa.pk: TOOK_PART}, seen={yonezawa.pk: None}
    )
    assert Attendance.objects.get(activity=gx, organisation=yonezawa).count is None
    known = known_attendance(gx)
    assert known.unnamed_members == 0 and known.phrase("置賜") == "置賜1市5町 16名"
    entry = AuditEntry.objects.filter(model="programmes.activity", object_id=str(gx.pk)).last()
    assert entry.changes == {"出席者数（米沢市）": [None, "参加（人数不明）"]}
    secretariat = make_user("secretariat")
    with pytest.raises(ConflictError):  # the form showed "no record": someone changed it
        record_attendance(gx, secretariat, counts={yonezawa.pk: 3}, seen={yonezawa.pk: None})
    with pytest.raises(RenkeiError, match="0以上の整数か「参加」"):
        record_attendance(gx, secretariat, counts={yonezawa.pk: -1}, seen={yonezawa.pk: TOOK_PART})
    assert Attendance.objects.get(activity=gx, organisation=yonezawa).count is None


def test_totals_and_members_by_kind_are_the_secretariats(year, make_user):
    set_state(year, FiscalYearState.RUNNING)
    zeb = activity("ZEB導入セミナー")
    secretariat = make_user("secretariat")
    with pytest.raises(PermissionDenied):
        record_attendance_totals(
            zeb,
            make_user("member", "062022"),
            total=3,
            composition={},
            seen_total=2,
            seen_composition={},
        )
    changes = record_attendance_totals(
        zeb,
        secretariat,
        total=3,
        composition={"city": 1, "town": 1},
        seen_total=2,
        seen_composition={},
    )
    assert changes == {
        "出席者数（合計）": [2, 3],
        "出席した構成市町の数（市）": [None, 1],
        "出席した構成市町の数（町）": [None, 1],
    }
    zeb.refresh_from_db()
    assert known_attendance(zeb).phrase("置賜") == "置賜1市1町 3名"
    with pytest.raises(ConflictError):  # a form opened before the change above
        record_attendance_totals(
            zeb, secretariat, total=4, composition={}, seen_total=2, seen_composition={}
        )
    with pytest.raises(RenkeiError, match="市は3団体です。4団体とは"):
        record_attendance_totals(
            zeb,
            secretariat,
            total=3,
            composition={"city": 4},
            seen_total=3,
            seen_composition={"city": 1, "town": 1},
        )
    record_attendance_totals(
        zeb,
        secretariat,
        total=None,
        composition={"town": 1},
        seen_total=3,
        seen_composition={"city": 1, "town": 1},
    )
    zeb.refresh_from_db()
    assert zeb.attendee_total is None
    assert known_attendance(zeb).phrase("置賜") == "置賜1町（人数不明）"


@pytest.mark.parametrize("state", [FiscalYearState.CLOSED, FiscalYearState.REPORTED])
def test_a_members_change_to_a_closed_year_waits_for_approval(year, make_user, state):
    set_state(year, state)
    zeb = activity("ZEB導入セミナー")
    nanyo = org("062138")
    member, secretariat = make_user("member", "062138"), make_user("secretariat")
    with pytest.raises(RenkeiError, match="理由"):
        record_attendance(zeb, member, counts={nanyo.pk: 1}, seen={nanyo.pk: None})
    saved = record_attendance(
        zeb,
        member,
        counts={nanyo.pk: 1},
        seen={nanyo.pk: None},
        reason="受講者を報告し忘れていました",
    )
    assert saved.changes == {} and len(saved.proposals) == 1
    assert not zeb.attendances.exists()  # the reported year is unchanged until approved
    # A second proposal for the same row replaces the first.
    record_attendance(zeb, member, counts={nanyo.pk: 2}, seen={nanyo.pk: None}, reason="訂正")
    proposal = AttendanceProposal.objects.get(activity=zeb, state=ProposalState.PENDING)
    assert proposal.count == 2
    with pytest.raises(PermissionDenied):
        decide_attendance_proposal(proposal, member, approve=True)
    with pytest.raises(RenkeiError, match="却下する理由"):
        decide_attendance_proposal(proposal, secretariat, approve=False)
    decide_attendance_proposal(proposal, secretariat, approve=True)
    assert Attendance.objects.get(activity=zeb, organisation=nanyo).count == 2
    entry = AuditEntry.objects.filter(model="programmes.activity", object_id=str(zeb.pk)).last()
    assert entry.user == secretariat and entry.changes == {"出席者数（南陽市）": [None, 2]}
    assert "南陽市の提案を承認" in entry.reason and "訂正" in entry.reason
    with pytest.raises(RenkeiError, match="すでに承認済みです"):
        decide_attendance_proposal(proposal, secretariat, approve=True)


def test_a_rejected_proposal_changes_nothing_and_keeps_the_comment(year, make_user):
    zeb = activity("ZEB導入セミナー")
    nanyo = org("062138")
    saved = record_attendance(
        zeb,
        make_user("member", "062138"),
        counts={nanyo.pk: 5},
        seen={nanyo.pk: None},
        reason="追加",
    )
    decided = decide_attendance_proposal(
        saved.proposals[0],
        make_user("secretariat"),
        approve=False,
        comment="受講者名簿では1名です。",
    )
    assert decided.state == ProposalState.REJECTED and decided.comment == "受講者名簿では1名です。"
    assert not zeb.attendances.exists()


def test_the_secretariat_changes_a_reported_year_directly_with_a_reason(year, make_user):
    zeb = activity("ZEB導入セミナー")
    nanyo = org("062138")
    saved = record_attendance(
        zeb, make_user("secretariat"), counts={nanyo.pk: 1}, seen={nanyo.pk: None}, reason="訂正"
    )
    assert saved.proposals == [] and zeb.attendances.get().count == 1
