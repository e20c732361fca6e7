"""``renkei.prepared.Prepared``: a query built once per shape gives, for any values, the
rows the ORM gives for the same QuerySet, and a builder it cannot serve safely is refused."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.prepared import MAX_PREPARED_LIST, Prepared
from renkei.programmes.models import Activity, ScheduleDay


def public_days(v, newest_first: bool):
    """A query of the timeline's kind: a union, an optional date range, a list of ids,
    a constant of its own (is_public=True) and a datetime column to convert."""
    days = ScheduleDay.objects.filter(
        activity__is_public=True, activity__group__programme__fiscal_year__union=v.union
    )
    if v.first is not None:
        days = days.filter(date__range=(v.first, v.last))
    if v.ids is not None:
        days = days.filter(activity_id__in=v.ids)
    return days.order_by("-date" if newest_first else "date", "pk").values_list(
        "activity_id", "date", "activity__title", "activity__updated_at"
    )


@pytest.fixture
def two_unions(create_union, create_year, create_activity):
    """Two unions with public activities on several days, and one private activity."""
    made = {}
    for name in ("A", "B"):
        year = create_year(create_union(), 2024)
        made[name] = year.union
        for day in (date(2024, 5, 1), date(2024, 9, 1), date(2025, 2, 1)):
            create_activity(year, title=f"{name} {day}", on=day, is_public=True)
        create_activity(year, title=f"{name} private", on=date(2024, 9, 2), is_public=False)
    return made


def test_the_rows_are_the_orms_for_every_value_and_shape(two_unions):
    from types import SimpleNamespace

    query = Prepared(public_days)
    some = list(Activity.objects.filter(title__startswith="B").values_list("pk", flat=True))[:2]
    cases = [
        {"union": two_unions["A"].pk, "first": None, "last": None, "ids": None},
        {"union": two_unions["B"].pk, "first": None, "last": None, "ids": None},
        {
            "union": two_unions["A"].pk,
            "first": date(2024, 6, 1),
            "last": date(2025, 3, 31),
            "ids": None,
        },
        {
            "union": two_unions["B"].pk,
            "first": date(2024, 4, 1),
            "last": date(2024, 9, 30),
            "ids": None,
        },
        {"union": two_unions["B"].pk, "first": None, "last": None, "ids": some},
        {"union": two_unions["A"].pk, "first": None, "last": None, "ids": some},  # none of A's
    ]
    for newest_first in (True, False):
        for values in cases:
            expected = list(public_days(SimpleNamespace(**values), newest_first))
            assert query.rows(newest_first, **values) == expected
    # Each union saw its own activities only, and the dates came back as dates.
    a_rows = query.rows(True, union=two_unions["A"].pk, first=None, last=None, ids=None)
    assert [title for _id, _d, title, _u in a_rows] == [
        "A 2025-02-01",
        "A 2024-09-01",
        "A 2024-05-01",
    ]
    assert all(isinstance(day, date) for _id, day, _t, _u in a_rows)
    assert query.rows(False, union=two_unions["A"].pk, first=None, last=None, ids=some) == []


def test_one_query_a_run_and_an_empty_list_none(two_unions):
    query = Prepared(public_days)
    values = {"union": two_unions["A"].pk, "first": None, "last": None}
    query.rows(True, ids=None, **values)
    with CaptureQueriesContext(connection) as queries:
        query.rows(True, ids=None, **values)
        assert query.rows(True, ids=[], **values) == []
    assert len(queries) == 1


def test_a_long_list_goes_through_the_orm_with_the_same_rows(two_unions):
    query = Prepared(public_days)
    ids = list(Activity.objects.values_list("pk", flat=True)) + list(
        range(10**6, 10**6 + MAX_PREPARED_LIST)
    )
    values = {"union": two_unions["B"].pk, "first": None, "last": None}
    assert [row[2] for row in query.rows(False, ids=ids, **values)] == [
        "B 2024-05-01",
        "B 2024-09-01",
        "B 2025-02-01",
    ]


def test_a_builder_that_computes_with_a_value_is_refused(two_unions):
    with pytest.raises(ValueError, match="not one of the values|SQL depends"):
        Prepared(lambda v: Activity.objects.filter(pk=v.pk + 1).values_list("pk")).rows(pk=1)


def test_a_builder_that_slices_with_a_value_is_refused(two_unions):
    with pytest.raises(ValueError, match="SQL depends|not passed"):
        Prepared(lambda v: Activity.objects.order_by("pk").values_list("pk")[: v.n]).rows(n=2)


def test_a_value_the_builder_leaves_out_is_refused(two_unions):
    with pytest.raises(ValueError, match=r"\['unused'\] not passed"):
        Prepared(lambda v: Activity.objects.filter(pk=v.pk).values_list("pk")).rows(pk=1, unused=2)


def test_model_instances_and_other_values_are_refused(two_unions):
    query = Prepared(lambda v: Activity.objects.filter(pk=v.pk).values_list("pk"))
    for wrong in (True, "1", 1.0, Activity.objects.first()):
        with pytest.raises(TypeError):
            query.rows(pk=wrong)
    with pytest.raises(ValueError, match="values_list"):
        Prepared(lambda v: Activity.objects.filter(pk=v.pk)).rows(pk=1)
