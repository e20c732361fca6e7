"""Attendance as the records know it: the report's phrase from the seed's three cases to
the edges, the total and the part of it no organisation is credited with (内訳不明)."""

import pytest

from renkei.programmes.attendance import (
    TOOK_PART,
    AttendanceEntry,
    KnownAttendance,
    activity_attendance_phrase,
    known_attendance,
    parse_attendance_value,
)
from renkei.programmes.models import Activity, Attendance
from renkei.tenancy.models import Organisation


def attendance_phrase(region, entries, composition=(), total=None) -> str:
    return KnownAttendance(tuple(entries), tuple(composition), total).phrase(region)


def member(label, kind, count):
    return AttendanceEntry(label=label, kind=kind, count=count, is_member=True)


def other(label, count, kind="other"):
    return AttendanceEntry(label=label, kind=kind, count=count)


UNION = AttendanceEntry(label="置賜広域行政事務組合", kind="union", count=2, is_union=True)
CITIES = [member("米沢市", "city", 3), member("長井市", "city", 2), member("南陽市", "city", 2)]
TOWNS = [member(name, "town", 1) for name in ("高畠町", "川西町", "小国町", "白鷹町", "飯豊町")]


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        pytest.param(
            CITIES
            + TOWNS[:4]
            + [other("港区", 7, "special_ward"), other("地域活性化センター", 2), UNION],
            "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名",
            id="exchange",
        ),
        pytest.param(
            CITIES + TOWNS + [other("置賜総合支庁", 3)],
            "置賜3市5町、置賜総合支庁 15名",
            id="dx-shape",
        ),
        pytest.param(CITIES[:1] + TOWNS, "置賜1市5町 8名", id="gx-shape"),
        pytest.param([member("高畠町", "town", 1)], "置賜1町 1名", id="one-town"),
        pytest.param([other("港区", 6, "special_ward")], "港区 6名", id="only-outsiders"),
        pytest.param([UNION], "本組合職員 2名", id="only-union"),
        pytest.param(CITIES + [UNION], "置賜3市職員及び本組合職員 9名", id="members-and-union"),
        pytest.param([member("米沢市", "city", 0), other("港区", 0)], "", id="nobody"),
        pytest.param([], "", id="empty"),
        pytest.param(
            [member("米沢市", "city", 0), member("高畠町", "town", 4)],
            "置賜1町 4名",
            id="zero-count-left-out",
        ),
        pytest.param(
            [member("A村", "village", 1), member("B市", "city", 1)],
            "置賜1市1村 2名",
            id="cities-before-villages",
        ),
        pytest.param([member("米沢市", "city", 1200)], "置賜1市 1,200名", id="thousands"),
    ],
)
def test_phrase(entries, expected):
    assert attendance_phrase("置賜", entries) == expected


@pytest.mark.reference  # the FY2024 records give the reference's phrases
def test_phrase_of_seed_activities(fy2024):
    phrases = {
        a.title: activity_attendance_phrase(a)
        for a in Activity.objects.filter(
            group__programme__fiscal_year=fy2024, attendances__isnull=False
        ).distinct()
    }
    assert phrases == {
        "交流研修": "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名",
        "自治体DX研修会": "置賜3市5町、置賜総合支庁 23名",
        "自治体GX研修会": "置賜1市5町 16名",
    }


def test_phrase_follows_the_records(
    create_member_union, create_year, create_activity, create_attendance
):
    """A workshop recorded as the GX one is: the five towns took part (no counts), one city
    and five towns by kind, 16 in all; then the records change."""
    union = create_member_union()
    towns = [m for m in union.members_in_order() if m.kind == "town"]
    gx = create_activity(create_year(union, 2024), title="研修会", kind="workshop")
    create_attendance(gx, dict.fromkeys(towns), total=16, by_kind={"city": 1, "town": 5})
    assert activity_attendance_phrase(gx) == "置賜1市5町 16名"
    gx.compositions.all().delete()
    Attendance.objects.create(
        activity=gx, organisation=Organisation.objects.get(code="062090"), count=2
    )
    Attendance.objects.filter(activity=gx, organisation__code="064033").delete()
    assert activity_attendance_phrase(gx) == "置賜1市4町 16名"


def took_part(label, kind, is_member=True):
    return AttendanceEntry(label=label, kind=kind, count=None, is_member=is_member)


@pytest.mark.parametrize(
    ("entries", "composition", "total", "expected"),
    [
        pytest.param(
            [
                other("港区", None, "special_ward"),
                other("地域活性化センター", None),
                AttendanceEntry(label="組合", kind="union", count=None, is_union=True),
            ],
            [("city", 3), ("town", 4)],
            22,
            "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名",
            id="exchange-as-the-reference-gives-it",
        ),
        pytest.param(
            [took_part(n, "town") for n in "ABCDE"],
            [("city", 1), ("town", 5)],
            16,
            "置賜1市5町 16名",
            id="gx-towns-named-city-not",
        ),
        pytest.param(
            [took_part("米沢市", "city")],
            [("city", 3)],
            None,
            "置賜3市（人数不明）",
            id="no-total-stays-unknown",
        ),
        pytest.param(
            [member("米沢市", "city", 3)],
            [("city", 3)],
            None,
            "置賜3市（人数不明）",
            id="a-count-is-not-the-total-when-others-are-unnamed",
        ),
        pytest.param(
            [member("米沢市", "city", 3), member("長井市", "city", 2)],
            [("city", 1)],
            None,
            "置賜2市 5名",
            id="named-members-more-than-the-composition",
        ),
        pytest.param([], [], 7, "7名", id="only-a-total"),
        pytest.param(
            [took_part("港区", "special_ward", is_member=False)],
            [],
            None,
            "港区（人数不明）",
            id="took-part-without-count",
        ),
    ],
)
def test_phrase_as_known(entries, composition, total, expected):
    assert attendance_phrase("置賜", entries, composition, total) == expected


def test_a_partial_breakdown_never_replaces_the_recorded_total():
    """南陽市 enters its count (1) for a session whose total (2) the secretariat recorded:
    the total stays 2, one person is 内訳不明."""
    known = KnownAttendance((member("南陽市", "city", 1),), (), 2)
    assert known.total == 2 and known.counted == 1 and known.unattributed == 1
    assert known.phrase("置賜") == "置賜1市 2名"
    assert not known.exceeds_total
    too_many = KnownAttendance((member("南陽市", "city", 3),), (), 2)
    assert too_many.total == 2 and too_many.exceeds_total and too_many.unattributed == 0


def test_complete_counts_give_the_total_and_unknown_stays_unknown():
    complete = KnownAttendance((member("米沢市", "city", 3), member("高畠町", "town", 1)))
    assert complete.is_complete and complete.total == 4 and complete.unattributed == 0
    partial = KnownAttendance((member("米沢市", "city", 3), took_part("高畠町", "town")))
    assert not partial.is_complete and partial.total is None and partial.unattributed is None
    unnamed = KnownAttendance((member("米沢市", "city", 3),), (("city", 2),))
    assert unnamed.unnamed_members == 1 and unnamed.total is None


@pytest.mark.reference  # how the FY2024 records hold the reference's attendance
def test_seed_attendance_credits_no_municipality_with_a_count(fy2024):
    """The reference gives the three workshops only a phrase and a total."""
    for activity in Activity.objects.filter(group__programme__fiscal_year=fy2024):
        known = known_attendance(activity)
        assert known.counted == 0, activity.title
        assert known.total == activity.attendee_total, activity.title


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("", None),
        ("  ", None),
        (None, None),
        ("3", 3),
        ("３", 3),
        ("3名", 3),
        (" 12 ", 12),
        ("0", 0),
        ("参加", TOOK_PART),
        ("○", TOOK_PART),
        (4, 4),
        (2.0, 2),
    ],
)
def test_values_as_people_type_them(text, value):
    assert parse_attendance_value(text) == value


@pytest.mark.parametrize("text", ["-1", "three", "1.5", "3人以上", True, -2, 1.5])
def test_values_refused_with_a_message(text):
    with pytest.raises(ValueError, match="0以上の整数か「参加」"):
        parse_attendance_value(text)
