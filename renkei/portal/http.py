"""Query parameters of the portal's own pages, read strictly (400 with a Japanese
message, never 500). The helpers the open-data downloads share are in
``renkei.public_http``."""

import unicodedata
from datetime import date

from django.utils.translation import gettext as _

from renkei.forms import ascii_int
from renkei.programmes.models import Pillar
from renkei.programmes.search import MAX_QUERY_LENGTH, MAX_TERMS, query_terms
from renkei.public_http import BadQuery
from renkei.tenancy.models import Organisation

from .selectors import Cursor


def param_pillar(request, project) -> Pillar | None:
    key = request.GET.get("pillar", "")
    if key == "":
        return None
    pillars = {p.key: p for p in project.pillars.all()} if project else {}
    if key not in pillars:
        raise BadQuery(_("柱の指定が正しくありません。"))
    return pillars[key]


def param_member(request, members) -> Organisation | None:
    code = request.GET.get("municipality", "")
    if code == "":
        return None
    found = next((m for m in members if m.code == code), None)
    if found is None:
        raise BadQuery(_("市町の指定が正しくありません（全国地方公共団体コード6桁）。"))
    return found


def param_cursor(request, name: str = "cursor") -> Cursor | None:
    raw = request.GET.get(name, "")
    if raw == "":
        return None
    try:
        return Cursor.parse(raw)
    except ValueError:
        raise BadQuery(
            _("ページの指定が正しくありません。最初のページから開き直してください。")
        ) from None


def param_month(request) -> date | None:
    """``month=2024-11``: the first day of that month."""
    raw = request.GET.get("month", "")
    if raw == "":
        return None
    year, _sep, number = raw.partition("-")
    year, number = ascii_int(year), ascii_int(number)
    if year is None or number is None or not 1989 <= year <= 2200 or not 1 <= number <= 12:
        raise BadQuery(_("月は「2024-11」のように西暦の年と月で指定してください。"))
    return date(year, number, 1)


def param_page(request) -> int:
    raw = request.GET.get("page", "")
    if raw == "":
        return 1
    number = ascii_int(raw)
    if number is None or not 1 <= number <= 1000:
        raise BadQuery(_("ページの指定が正しくありません。最初のページから開き直してください。"))
    return number


def param_query(request) -> str:
    """The search words (``q``), within a length and number of words a person types."""
    query = request.GET.get("q", "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise BadQuery(
            _("検索する言葉は%(limit)s文字までにしてください。") % {"limit": MAX_QUERY_LENGTH}
        )
    if any(unicodedata.category(character) == "Cc" for character in query):
        # A control character (NUL among them, which PostgreSQL refuses) is never typed.
        raise BadQuery(_("検索する言葉に使えない文字が含まれています。"))
    if len(query_terms(query)) > MAX_TERMS:
        raise BadQuery(_("検索する言葉は%(limit)s個までにしてください。") % {"limit": MAX_TERMS})
    return query
