"""The report's attendance phrase, from the seed's three cases to the edges."""

import pytest

from renkei.programmes.models import Activity, Attendance
from renkei.programmes.phrases import AttendanceEntry, activity_attendance_phrase, attendance_phrase
from renkei.tenancy.models import Organisation


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
        pytest.param(CITIES + TOWNS[:4] + [other("港区", 7, "special_ward"),
                                           other("地域活性化センター", 2), UNION],
                     "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名", id="exchange"),
        pytest.param(CITIES + TOWNS + [other("置賜総合支庁", 3)],
                     "置賜3市5町、置賜総合支庁 15名", id="dx-shape"),
        pytest.param(CITIES[:1] + TOWNS, "置賜1市5町 8名", id="gx-shape"),
        pytest.param([member("高畠町", "town", 1)], "置賜1町 1名", id="one-town"),
        pytest.param([other("港区", 6, "special_ward")], "港区 6名", id="only-outsiders"),
        pytest.param([UNION], "本組合職員 2名", id="only-union"),
        pytest.param(CITIES + [UNION], "置賜3市職員及び本組合職員 9名", id="members-and-union"),
        pytest.param([member("米沢市", "city", 0), other("港区", 0)], "", id="nobody"),
        pytest.param([], "", id="empty"),
        pytest.param([member("米沢市", "city", 0), member("高畠町", "town", 4)], "置賜1町 4名",
                     id="zero-count-left-out"),
        pytest.param([member("A村", "village", 1), member("B市", "city", 1)], "置賜1市1村 2名",
                     id="cities-before-villages"),
        pytest.param([member("米沢市", "city", 1200)], "置賜1市 1,200名", id="thousands"),
    ],
)
def test_phrase(entries, expected):
    assert attendance_phrase("置賜", entries) == expected


def test_phrase_of_seed_activities(fy2024):
    phrases = {
        a.title: activity_attendance_phrase(a)
        for a in Activity.objects.filter(group__programme__fiscal_year=fy2024, attendances__isnull=False)
        .distinct()
    }
    assert phrases == {
        "交流研修": "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名",
        "自治体DX研修会": "置賜3市5町、置賜総合支庁 23名",
        "自治体GX研修会": "置賜1市5町 16名",
    }


def test_phrase_follows_the_records(fy2024):
    gx = Activity.objects.get(group__programme__fiscal_year=fy2024, title="自治体GX研修会")
    Attendance.objects.create(activity=gx, organisation=Organisation.objects.get(code="062090"),
                              count=2)
    Attendance.objects.filter(activity=gx, organisation__code="064033").delete()
    assert activity_attendance_phrase(gx) == "置賜2市4町 16名"
