"""The public timeline's index on the schedule is the programmes model's own
(``ScheduleDay.Meta.indexes``), not raw SQL of another app: after every migration the
database has the model's index and not the one portal 0001 created."""

import pytest
from django.db import connection

from renkei.programmes.models import ScheduleDay

pytestmark = pytest.mark.django_db


def indexes() -> dict[str, list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, ScheduleDay._meta.db_table)
    return {
        name: info["columns"]
        for name, info in found.items()
        if info["index"] and not info["unique"] and not info["primary_key"]
    }


def test_the_timeline_index_is_the_models():
    assert [index.name for index in ScheduleDay._meta.indexes] == ["scheduleday_date_activity"]
    found = indexes()
    assert found["scheduleday_date_activity"] == ["date", "activity_id"]
    assert "portal_scheduleday_date_activity" not in found
