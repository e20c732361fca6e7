"""Page-number pagination without a COUNT query: a page is ``page_size`` rows fetched as
``page_size + 1`` (the extra row tells whether there is a next page), so a list costs the
same at a thousand rows as at a million. A page past the end is a 400, not an empty list."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

MAX_PAGE = 10_000
MAX_PAGE_SIZE = 200


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


class PagePagination(BasePagination):
    """``?page=N&page_size=M``; the body is ``{"page", "next", "previous", "results"}``."""

    page_size = 50

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page = _positive_int(request.query_params.get("page"), "page", 1, MAX_PAGE)
        self.size = _positive_int(
            request.query_params.get("page_size"), "page_size", self.page_size, MAX_PAGE_SIZE
        )
        start = (self.page - 1) * self.size
        rows = list(queryset[start : start + self.size + 1])
        if self.page > 1 and not rows:
            raise ValidationError({"page": [_("ページが範囲外です。")]})
        self.has_next = len(rows) > self.size
        return rows[: self.size]

    def get_paginated_response(self, data):
        url = self.request.build_absolute_uri()
        next_url = replace_query_param(url, "page", self.page + 1) if self.has_next else None
        if self.page == 1:
            previous = None
        elif self.page == 2:
            previous = remove_query_param(url, "page")
        else:
            previous = replace_query_param(url, "page", self.page - 1)
        return Response(
            {"page": self.page, "next": next_url, "previous": previous, "results": data}
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["page", "next", "previous", "results"],
            "properties": {
                "page": {"type": "integer", "minimum": 1},
                "next": {"type": "string", "format": "uri", "nullable": True},
                "previous": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": _("ページ番号（1から）"),
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
