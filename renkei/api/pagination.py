"""Keyset pagination of the API's lists, in ``pk`` order, with no COUNT query.

A page is read as ``page_size + 1`` rows after (or before) a key, so any page costs the same
at a thousand rows as at a million, deep pages included, and rows added or removed
elsewhere never shift a page. ``next`` and ``previous`` are links with a ``cursor``:

- ``cursor=a<id>``: the rows after the activity ``<id>`` (the next page);
- ``cursor=b<id>``: the rows before it (the previous page).

The first pages can still be asked for by number (``page``, up to ``MAX_PAGE``; an
OFFSET that small is cheap) for clients written before the cursor; every link the API
gives is a cursor, except ``previous`` from a numbered page.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from renkei.forms import ascii_int

MAX_PAGE = 10
MAX_PAGE_SIZE = 200
# The largest id a database row can have (64-bit).
MAX_KEY = 2**63 - 1
PARAMS = {"page", "page_size", "cursor"}


def _positive_int(raw, name: str, default: int, maximum: int) -> int:
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: [_("整数で指定してください。")]}) from None
    if not 1 <= value <= maximum:
        raise ValidationError(
            {name: [_("1から%(max)dまでの整数で指定してください。") % {"max": maximum}]}
        )
    return value


@dataclass(frozen=True)
class Window:
    """Which rows a request asks for: ``size`` rows after ``after`` or before ``before``
    (cursor), or from ``offset`` (page number ``page``)."""

    size: int
    page: int | None = None
    after: int | None = None
    before: int | None = None

    @property
    def offset(self) -> int:
        return ((self.page or 1) - 1) * self.size

    @classmethod
    def of(cls, request, default_size: int) -> "Window":
        """The window a request's ``page``, ``page_size`` and ``cursor`` ask for; a 400 in
        Japanese for anything else."""
        params = request.query_params
        size = _positive_int(params.get("page_size"), "page_size", default_size, MAX_PAGE_SIZE)
        cursor = params.get("cursor")
        if cursor is None:
            page = params.get("page")
            if page not in (None, "") and ascii_int(page) is not None and int(page) > MAX_PAGE:
                raise ValidationError(
                    {
                        "page": [
                            _(
                                "ページ番号は%(max)dまでです。その先は next のURL（cursor）"
                                "で取得してください。"
                            )
                            % {"max": MAX_PAGE}
                        ]
                    }
                )
            return cls(size, page=_positive_int(page, "page", 1, MAX_PAGE))
        if "page" in params:
            raise ValidationError({"cursor": [_("cursor と page は同時に指定できません。")]})
        direction, key = cursor[:1], ascii_int(cursor[1:])
        if direction not in ("a", "b") or key is None or not 0 <= key <= MAX_KEY:
            raise ValidationError(
                {
                    "cursor": [
                        _(
                            "cursor が正しくありません。next・previous のURLをそのまま使ってください。"
                        )
                    ]
                }
            )
        return cls(size, after=key) if direction == "a" else cls(size, before=key)

    def rows(self, queryset):
        """The window's rows plus one (which tells whether there are more), in the order
        they are read: ``pk`` ascending, or descending before a cursor ``b``."""
        if self.after is not None:
            return queryset.filter(pk__gt=self.after).order_by("pk")[: self.size + 1]
        if self.before is not None:
            return queryset.filter(pk__lt=self.before).order_by("-pk")[: self.size + 1]
        return queryset.order_by("pk")[self.offset : self.offset + self.size + 1]

    def keys_up_to_end(self, queryset):
        """The keys of the rows from the first one the window may show to its end (plus
        one), in the order ``rows`` reads them: enough to merge several queries' keys."""
        if self.page is not None:
            return queryset.order_by("pk").values_list("pk", flat=True)[
                : self.offset + self.size + 1
            ]
        return self.rows(queryset.values_list("pk", flat=True))


class KeysetPagination(BasePagination):
    """``?page_size=M`` and ``?cursor=…`` (or ``?page=N`` up to ``MAX_PAGE``); the body is
    ``{"page", "next", "previous", "results"}`` (``page``: null on a cursor page)."""

    page_size = 50

    def window(self, request) -> Window:
        if getattr(self, "_request", None) is not request:
            self._request, self._window = request, Window.of(request, self.page_size)
        return self._window

    def paginate_queryset(self, queryset, request, view=None):
        window = self.window(request)
        rows = list(window.rows(queryset))
        more = len(rows) > window.size
        rows = rows[: window.size]
        if window.before is not None:
            rows.reverse()
        if window.page is not None and window.page > 1 and not rows:
            raise ValidationError({"page": [_("ページが範囲外です。")]})
        self.links = self._links(request, window, rows, more)
        return rows

    def _links(self, request, window: Window, rows: list, more: bool) -> tuple:
        url = remove_query_param(remove_query_param(request.build_absolute_uri(), "page"), "cursor")

        def key(row):
            return row["id"] if isinstance(row, dict) else row.pk

        def cursor(text):
            return replace_query_param(url, "cursor", text)

        after = cursor(f"a{key(rows[-1])}") if rows else None
        before = cursor(f"b{key(rows[0])}") if rows else None
        if window.before is not None:
            return after, before if more else None
        if window.after is not None:
            return after if more else None, before
        previous = None
        if window.page and window.page > 1:
            previous = replace_query_param(url, "page", window.page - 1) if window.page > 2 else url
        return after if more else None, previous

    def get_paginated_response(self, data):
        window = self._window
        next_url, previous = self.links
        return Response(
            {"page": window.page, "next": next_url, "previous": previous, "results": data}
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["page", "next", "previous", "results"],
            "properties": {
                "page": {
                    "type": "integer",
                    "minimum": 1,
                    "nullable": True,
                    "description": _("ページ番号（cursor で取得したページでは null）"),
                },
                "next": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": _("次のページのURL（cursor 付き）。最後のページでは null"),
                },
                "previous": {
                    "type": "string",
                    "format": "uri",
                    "nullable": True,
                    "description": _("前のページのURL。最初のページでは null"),
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": _(
                    "ページの位置。next・previous のURLに入っている値をそのまま使います"
                    "（a<ID>: そのIDより後、b<ID>: そのIDより前）"
                ),
                "schema": {"type": "string", "pattern": "^[ab][0-9]{1,18}$"},
            },
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": _("ページ番号（1から%(max)dまで。cursor とは同時に指定できません）")
                % {"max": MAX_PAGE},
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": _("1ページの件数"),
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
