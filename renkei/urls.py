"""URL configuration: the admin for now; staff screens, portal and API mount here."""

from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Renkei 広域連携事業 管理"
admin.site.site_title = "Renkei 管理"
admin.site.index_title = "記録の管理"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
]
