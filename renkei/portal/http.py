"""Query parameters of the portal's own pages, read strictly (400 with a Japanese
message, never 500). The helpers the open-data downloads share are in
``renkei.public_http``."""

from django.utils.translation import gettext as _

from renkei.programmes.models import Pillar
from renkei.public_http import BadQuery

from .selectors import Cursor


def param_pillar(request, project) -> Pillar | None:
    key = request.GET.get("pillar", "")
    if key == "":
        return None
    pillars = {p.key: p for p in project.pillars.all()} if project else {}
    if key not in pillars:
        raise BadQuery(_("柱の指定が正しくありません。"))
    return pillars[key]


def param_member(request, members) -> object | None:
    code = request.GET.get("municipality", "")
    if code == "":
        return None
    found = next((m for m in members if m.code == code), None)
    if found is None:
        raise BadQuery(_("市町の指定が正しくありません（全国地方公共団体コード6桁）。"))
    return found


def param_cursor(request) -> Cursor | None:
    raw = request.GET.get("cursor", "")
    if raw == "":
        return None
    try:
        return Cursor.parse(raw)
    except ValueError:
        raise BadQuery(
            _("ページの指定が正しくありません。最初のページから開き直してください。")
        ) from None
