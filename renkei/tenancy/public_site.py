"""The union the installation's public site serves, and the view decorator that hands it
to the public pages and downloads (portal, open data)."""

from functools import wraps

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext as _

from renkei.public_http import BadQuery, bad_request, per_version

from .models import Union


def portal_union() -> Union | None:
    """The union whose portal this installation serves: ``RENKEI_PORTAL_UNION`` (a slug),
    else the first union. Read once per public data version (``per_version``): every
    public page and API request asks for it, and any write to a union bumps the version."""
    slug = getattr(settings, "RENKEI_PORTAL_UNION", "")

    def read() -> Union | None:
        unions = Union.objects.select_related("organisation")
        return unions.filter(slug=slug).first() if slug else unions.order_by("pk").first()

    return per_version(f"portal-union:{slug}", read)


def with_union(view):
    """Pass the portal's union to the view; 404 while no union exists; 400 on BadQuery."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        union = portal_union()
        if union is None:
            raise Http404(_("公開する組合がありません。"))
        try:
            return view(request, union, *args, **kwargs)
        except BadQuery as error:
            return bad_request(request, str(error))

    return wrapper
