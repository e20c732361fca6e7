"""The FY2024 seed copied back (tests/seed_copy.py) is the seed: the same rows as a real
load, stamped with the time of the copy as a load then would be, and records created
after it get fresh primary keys on either database."""

import pytest
from django.db import transaction
from django.utils import timezone

from renkei.operations.seed import load_year_file
from renkei.programmes.models import Activity, FiscalYear
from tests.seed_copy import SeedCopy, _models, _rows

pytestmark = pytest.mark.reference  # the seed copy against real loads of the FY2024 file


def stamped(model) -> list[str]:
    """The fields a save stamps with the time (auto_now, auto_now_add)."""
    return [
        field.attname
        for field in model._meta.concrete_fields
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
    ]


def everything() -> tuple[dict, list]:
    """Every row without its time stamps, and the time stamps."""
    rows, stamps = {}, []
    for model in _models():
        times = stamped(model)
        rows[model._meta.label] = {
            pk: {k: v for k, v in row.items() if k not in times} for pk, row in _rows(model).items()
        }
        stamps += [row[k] for row in _rows(model).values() for k in times]
    return rows, stamps


def test_the_copy_holds_the_same_rows_as_a_real_load(db):
    copy, loads = SeedCopy(), []

    def loader():
        loads.append(1)
        return load_year_file().fiscal_year

    with transaction.atomic():
        loaded = copy.load(loader)
        real, _stamps = everything()
        transaction.set_rollback(True)
    started = timezone.now()
    with transaction.atomic():
        copied = copy.load(loader)
        rows, stamps = everything()
        assert rows == real
        assert stamps and min(stamps) >= started
        assert isinstance(copied, FiscalYear) and copied.pk == loaded.pk
        # The sequences moved past the copied rows: a new record takes a free key.
        group = copied.programmes.first().groups.first()
        assert Activity.objects.create(
            group=group, sub_number=99, title="新しい活動", kind="other"
        ).pk
        transaction.set_rollback(True)
    assert loads == [1]  # the second time was the copy
