"""Public portal, mounted at the site root with the namespace "portal"."""

from django.urls import include, path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("activities/", views.timeline, name="activity_list"),
    path("activities/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("photos/<int:pk>/<str:size>/", views.photo, name="photo"),
    path("municipalities/<str:code>/", views.municipality, name="municipality_detail"),
    path("annual-reports/", views.reports, name="report_list"),
    path("annual-reports/<int:pk>/download/", views.report_download, name="report_download"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("calendar/", views.calendar_page, name="calendar_page"),
    path("search/", views.search, name="search"),
    path("calendar.ics", views.calendar_feed, name="calendar"),
    path("calendar/pillars/<slug:pillar>.ics", views.calendar_feed, name="calendar_pillar"),
    path(
        "calendar/municipalities/<str:code>.ics", views.calendar_feed, name="calendar_municipality"
    ),
    path("opendata/", include("renkei.opendata.urls")),
]
