"""Open data, mounted under the portal at opendata/ (namespace "portal:opendata")."""

from django.urls import path

from . import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("events.csv", views.events_csv, name="events_csv"),
    path("events.xlsx", views.events_xlsx, name="events_xlsx"),
    path("events.json", views.events_json_view, name="events_json"),
    path("<int:year>.zip", views.year_zip, name="year_zip"),
]
