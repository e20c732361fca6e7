"""URL configuration: the admin for now; staff screens, portal and API mount here."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Renkei 広域連携事業 管理"
admin.site.site_title = "Renkei 管理"
admin.site.index_title = "記録の管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/", include("renkei.staff.urls")),
    path("reports/", include("renkei.reports.urls")),
    path("api/", include("renkei.api.urls")),
    # The public portal owns the site root; keep it last so the paths above win.
    path("", include("renkei.portal.urls")),
]
