"""Tenancy and the admin base sit below the audit app and announce their changes
(``renkei.changes``); the audit app records them in the same transaction. A change that
nothing records is refused with nothing saved, never lost silently."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from renkei.audit.models import AuditEntry
from renkei.audit.services import record_announced_change
from renkei.changes import changed
from renkei.tenancy.models import Union
from renkei.tenancy.services import add_union

pytestmark = pytest.mark.django_db


def new_union():
    return add_union(
        None,
        name="記録テスト連合",
        slug="log-test",
        region_name="テスト",
        members=[("293610", "川西町")],
        secretariat_username="log-test-jimukyoku",
    )


def test_a_tenancy_service_change_is_in_the_change_log():
    union = new_union().user.staff_profile.union
    entry = AuditEntry.objects.get(model="tenancy.union", object_id=str(union.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.union == union
    assert entry.changes["slug"] == "log-test"


def test_a_change_nobody_records_is_refused_and_nothing_is_saved():
    changed.disconnect(dispatch_uid="renkei-audit-announced")
    try:
        with pytest.raises(ImproperlyConfigured):
            new_union()
    finally:
        changed.connect(record_announced_change, dispatch_uid="renkei-audit-announced")
    assert not Union.objects.filter(slug="log-test").exists()
    assert not AuditEntry.objects.exists()
