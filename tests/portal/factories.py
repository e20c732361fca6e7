"""Test data growth: more public activities like the seed's, for query-count tests."""

from renkei.programmes.models import Activity, Attendance, ScheduleDay, Venue, prefetch_leads
from renkei.programmes.services import set_leads


def copy_public_activities(copies: int) -> None:
    """Add ``copies`` copies of each public activity, in new sub-numbers of its group."""
    originals = list(
        Activity.objects.filter(is_public=True).prefetch_related(
            "days__venues", "pillars", prefetch_leads(), "attendances"
        )
    )
    for i in range(1, copies + 1):
        for original in originals:
            copy = Activity.objects.get(pk=original.pk)
            copy.pk = None
            copy.sub_number = 100 + i * 10 + original.group.activities.count() % 10
            while Activity.objects.filter(group=copy.group, sub_number=copy.sub_number).exists():
                copy.sub_number += 1
            copy.save()
            copy.pillars.set(original.pillars.all())
            set_leads(copy, original.leads())
            for day in original.days.all():
                new_day = ScheduleDay.objects.create(
                    activity=copy,
                    date=day.date,
                    end_date=day.end_date,
                    start_time=day.start_time,
                    end_time=day.end_time,
                    note=day.note,
                )
                Venue.objects.bulk_create(
                    Venue(day=new_day, name=v.name, municipality=v.municipality, order=v.order)
                    for v in day.venues.all()
                )
            Attendance.objects.bulk_create(
                Attendance(activity=copy, organisation=a.organisation, count=a.count)
                for a in original.attendances.all()
            )
