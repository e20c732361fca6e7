"""The timeline filtered by a municipality: "led or attended" is two keyset queries merged
in ``selectors.timeline``; the merge must keep the order, page without gaps and list an
activity both led and attended once."""

from renkei.portal import selectors as s
from renkei.programmes import public
from renkei.programmes.models import Activity, Attendance
from renkei.tenancy.public_site import portal_union
from tests.factories import copy_public_activities


def expected(union, organisation) -> list[int]:
    keys = []
    for activity in public.public_activities(union).prefetch_related(
        "days", "lead_organisations", "attendances"
    ):
        days = sorted(d.date for d in activity.days.all())
        took_part = organisation in activity.lead_organisations.all() or any(
            a.organisation_id == organisation.pk for a in activity.attendances.all()
        )
        if days and took_part:
            keys.append((days[0], activity.pk))
    return [pk for _date, pk in sorted(keys, reverse=True)]


def test_municipality_timeline_merges_led_and_attended_in_order(public_year, create_count):
    union = portal_union()
    members = public.members(union)  # 米沢市, 南陽市
    for title, member in [
        ("交流研修", members[0]),
        ("交流研修", members[1]),
        ("港区連携自治体ワーケーション促進事業", members[1]),
        ("自治体DX研修会", members[0]),
        ("ZEB導入セミナー", members[0]),  # private: on no timeline
    ]:
        create_count(public_year.by_title[title], member, 5)
    copy_public_activities(3)
    attended = Attendance.objects.filter(
        activity__is_public=True, organisation__in=members
    ).select_related("activity")
    first, other = attended[0], attended.exclude(activity=attended[0].activity)[0]
    first.activity.lead_organisations.add(first.organisation)  # led and attended
    other.activity.lead_organisations.add(members[-1])  # led only
    both = 0
    for member, limit in ((m, n) for m in members for n in (1, 2, 3, 5, 20)):
        want = expected(union, member)
        got, cursor = [], None
        for _page in range(len(want) + 1):
            page, cursor = s.timeline(union, organisation_id=member.pk, cursor=cursor, limit=limit)
            got += [a.pk for a in page]
            if cursor is None:
                break
        assert got == want, (member.name, limit)
        both += Activity.objects.filter(
            pk__in=got, lead_organisations=member, attendances__organisation=member
        ).count()
    assert both  # the activity led and attended by one member came once, in order
