"""A copy of what a seed loader added to the database, written back by later tests.

Loading FY2024 runs the year's services (validation, audit entries, the budget): about
0.4 s, paid by hundreds of tests. ``SeedCopy.load(loader)`` runs ``loader`` the first time
and keeps every row it added (by model, with its primary key); each later call inserts
those rows again with ``bulk_create`` in one transaction, then moves PostgreSQL's
sequences past them. The copy is exact (same primary keys, same field values), so a test
cannot tell the two apart — except that no signal fires for the copied rows, as none of
the seed's own rows needs one.

It falls back to the loader whenever the copy could differ from a real load: when the
first load changed a row that existed before it (only additions are copied), or when a
row with one of the copy's primary keys already exists (a test created records before it
asked for the seed).
"""

from copy import deepcopy

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction


def _models():
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _rows(model) -> dict:
    fields = [field.attname for field in model._meta.concrete_fields]
    return {row[model._meta.pk.attname]: row for row in model._base_manager.values(*fields)}


def _rows_with(model, keys: set) -> dict:
    fields = [field.attname for field in model._meta.concrete_fields]
    found = model._base_manager.filter(pk__in=sorted(keys)).values(*fields)
    return {row[model._meta.pk.attname]: row for row in found}


class SeedCopy:
    def __init__(self):
        self.added: dict | None = None  # model -> [row, ...]; None until the first load
        self.usable = True
        self.referenced: dict = {}  # model -> {pk: row} of rows outside the copy it points to
        self.result_model = None
        self.result_pk = None

    def load(self, loader):
        if self.added is None:
            return self._first_load(loader)
        if not self.usable or self._collides() or self._references_changed():
            return loader()
        with transaction.atomic():
            for model, rows in self.added.items():
                model._base_manager.bulk_create([model(**deepcopy(row)) for row in rows])
            self._move_sequences()
        return self.result_model._base_manager.get(pk=self.result_pk)

    def _first_load(self, loader):
        before = {model: _rows(model) for model in _models()}
        result = loader()
        added = {}
        for model, old in before.items():
            new = _rows(model)
            if any(new.get(pk) != row for pk, row in old.items()):
                self.usable = False  # the load changed an existing row: copy nothing
            rows = [row for pk, row in new.items() if pk not in old]
            if rows:
                added[model] = rows
        self.added = added
        self.referenced = self._referenced_rows()
        self.result_model, self.result_pk = type(result), result.pk
        return result

    def _collides(self) -> bool:
        for model, rows in self.added.items():
            keys = [row[model._meta.pk.attname] for row in rows]
            if model._base_manager.filter(pk__range=(min(keys), max(keys))).exists():
                return True
        return False

    def _referenced_rows(self) -> dict:
        """The rows outside the copy that copied rows point to (expenditure sections,
        content types, ...), as they were: the copy is usable only while they are the same."""
        keys: dict = {}
        for model, rows in self.added.items():
            for field in model._meta.concrete_fields:
                if not field.many_to_one and not field.one_to_one:
                    continue
                target = field.related_model._meta.concrete_model
                copied = {row[target._meta.pk.attname] for row in self.added.get(target, ())}
                wanted = {row[field.attname] for row in rows} - copied - {None}
                keys.setdefault(target, set()).update(wanted)
        return {target: _rows_with(target, wanted) for target, wanted in keys.items() if wanted}

    def _references_changed(self) -> bool:
        return any(
            _rows_with(target, set(rows)) != rows for target, rows in self.referenced.items()
        )

    def _move_sequences(self) -> None:
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.added))
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
