"""URL configuration: the admin, staff screens, reports, portal, open data and the API."""

from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from renkei import health

admin.site.site_header = _("Renkei 広域連携事業 管理")
admin.site.site_title = _("Renkei 管理")
admin.site.index_title = _("記録の管理")

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("staff/", include("renkei.staff.urls")),
    path("reports/", include("renkei.reports.urls")),
    path("api/", include("renkei.api.urls")),
    # The public portal owns the site root; keep it last so the paths above win.
    path("", include("renkei.portal.urls")),
]
