"""JSON API, mounted under api/ with the namespace "api"."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"

urlpatterns = [
    path("activities/", views.ActivityListView.as_view(), name="activity_list"),
    path("activities/<int:pk>/", views.ActivityDetailView.as_view(), name="activity_detail"),
    path(
        "activities/<int:pk>/attendance/",
        views.AttendanceView.as_view(),
        name="activity_attendance",
    ),
    path("municipalities/", views.MunicipalityListView.as_view(), name="municipality_list"),
    path("token/", views.TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
    # Anything else under api/ answers in the API's error shape, not with an HTML page.
    re_path(r"^.*$", views.not_found),
]
