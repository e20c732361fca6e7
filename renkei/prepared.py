"""Queries built and compiled by the ORM once per process and shape, then run with new values.

Building and compiling a query costs Django's ORM far more CPU than running its SQL on an
open connection. The public timeline and the API list read a page in six small queries of
fixed shape, so most of their render went into building the same SQL again (ADR 0013,
docs/benchmarks.md). ``Prepared`` keeps each query written once, as a QuerySet:
it builds it with stand-in values, notes where those sit among the SQL's parameters, and
from then on runs the same SQL with the real values, converting the rows as the ORM does.

    DAYS = Prepared(
        lambda v: ScheduleDay.objects.filter(activity_id__in=v.ids).values_list("id", "date")
    )
    DAYS.rows(ids=[3, 5, 8])

What a builder may do with a value (``v.name``): use it as the operand of a lookup
(``field=v.x``, ``field__in=v.ids``, ``field__lt=v.day``, ``field__range=(v.a, v.b)``) and
nothing else: no arithmetic, no slicing (LIMIT and OFFSET are written into the SQL: pass
them, like any other choice that changes the query's shape, as ``shape`` arguments, which
reach the builder after ``v``). Values are ints, dates or lists of ints; None reaches the
builder as None (it may leave that filter out) and is part of the shape. The builder
selects plain columns with ``values_list`` (no annotations); ``rows()`` returns tuples.
The query is built twice with different stand-ins: the parameters that differ are where
the values go. A builder that breaks these rules (a value missing from the parameters or
written into the SQL, SQL that changes with the values) raises at once rather than run a
wrong query.
"""

import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from itertools import count
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections

# Where the two builds' stand-ins start: within every integer field's range (a value out
# of it makes the ORM drop or short-cut the lookup) and apart from each other.
_STAND_INS = ((20_001, date(1001, 1, 1)), (20_601, date(1003, 1, 1)))
# A list's length is part of the SQL (one parameter per item): longer lists are not worth a
# plan each and run through the ORM as written.
MAX_PREPARED_LIST = 200


@dataclass(frozen=True)
class _Plan:
    sql: str
    params: tuple
    slots: tuple[tuple[int, str, int | None, bool], ...]  # (param index, name, list index, date)
    compiler: Any  # the ORM's compiler of the first build, which converts the rows; None
    # when the query matches nothing whatever the values (an empty list)

    def fill(self, values: dict, using: str) -> list:
        params = list(self.params)
        ops = connections[using].ops
        for index, name, item, is_date in self.slots:
            value = values[name] if item is None else values[name][item]
            params[index] = ops.adapt_datefield_value(value) if is_date else value
        return params


def _kind(value) -> object:
    if value is None:
        return None
    if isinstance(value, bool | datetime) or not isinstance(value, int | date | list | tuple):
        raise TypeError(f"Prepared: {type(value).__name__} is not an int, a date or a list")
    if isinstance(value, list | tuple):
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in value):
            raise TypeError("Prepared: a list value holds ints only")
        return ("list", len(value))
    return type(value).__name__


class Prepared:
    """A query of one rule, built by ``build(v, *shape)`` once per shape and database."""

    def __init__(self, build):
        self._build = build
        self._plans: dict[tuple, _Plan] = {}
        self._lock = threading.Lock()

    def rows(self, *shape, using: str = DEFAULT_DB_ALIAS, **values) -> list[tuple]:
        if any(isinstance(v, list | tuple) and len(v) > MAX_PREPARED_LIST for v in values.values()):
            return list(self._build(SimpleNamespace(**values), *shape).using(using))
        key = (
            using,
            connections[using].vendor,
            shape,
            tuple((name, _kind(value)) for name, value in sorted(values.items())),
        )
        plan = self._plans.get(key)
        if plan is None:
            plan = self._prepare(shape, values, using)
            with self._lock:
                plan = self._plans.setdefault(key, plan)
        if plan.compiler is None:
            return []
        with connections[using].cursor() as cursor:
            cursor.execute(plan.sql, plan.fill(values, using))
            fetched = cursor.fetchall()
        if plan.compiler.has_extra_select:  # columns the ordering added, as the ORM drops them
            fetched = [row[: plan.compiler.col_count] for row in fetched]
        return list(plan.compiler.results_iter(results=[fetched], tuple_expected=True))

    def _prepare(self, shape: tuple, values: dict, using: str) -> _Plan:
        # Built twice with two sets of stand-ins: the parameters that differ are the values'
        # places, those that agree are the query's own constants; the SQL must not differ.
        first, second = (self._compile(shape, values, using, base) for base in _STAND_INS)
        if first is None or second is None:
            return _Plan("", (), (), None)
        (sql, params, where, compiler), (sql_b, params_b, where_b, _c) = first, second
        if sql != sql_b or len(params) != len(params_b):
            raise ValueError("Prepared: the query's SQL depends on its values; pass them as shape")
        slots, seen = [], set()
        for index, (a, b) in enumerate(zip(params, params_b, strict=True)):
            if a == b:
                continue
            if where.get(a) is None or where.get(a) != where_b.get(b):
                raise ValueError(f"Prepared: parameter {index} is not one of the values")
            name, item, is_date = where[a]
            slots.append((index, name, item, is_date))
            seen.add(name)
        missing = sorted(set(values) - seen - {n for n, v in values.items() if v is None})
        if missing:
            raise ValueError(f"Prepared: value(s) {missing} not passed as parameters")
        return _Plan(sql, tuple(params), tuple(slots), compiler)

    def _compile(self, shape: tuple, values: dict, using: str, base: tuple[int, date]):
        """(SQL, parameters, stand-in as a parameter -> (name, list index, is a date),
        compiler) of a build with stand-ins counted from ``base``; None if it matches
        nothing whatever the values."""
        serial = count()
        ops = connections[using].ops
        where: dict[object, tuple[str, int | None, bool]] = {}

        def stand_in(name: str, value, item: int | None = None):
            if value is None:
                return None
            if isinstance(value, list | tuple):
                return [stand_in(name, x, i) for i, x in enumerate(value)]
            n = next(serial)
            if isinstance(value, date):
                day = base[1] + timedelta(days=n)
                where[ops.adapt_datefield_value(day)] = (name, item, True)
                return day
            where[base[0] + n] = (name, item, False)
            return base[0] + n

        stand_ins = SimpleNamespace(**{n: stand_in(n, v) for n, v in values.items()})
        queryset = self._build(stand_ins, *shape)
        query = queryset.query
        if query.extra_select or query.annotation_select or not query.values_select:
            raise ValueError("Prepared: select plain columns with values_list()")
        compiler = query.get_compiler(using)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:
            return None
        return sql, params, where, compiler
