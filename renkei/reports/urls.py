"""Report downloads and issuing, mounted under reports/ with the namespace "reports"."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("<int:year>/issue/", views.ReportIssueView.as_view(), name="issue"),
    path("<int:year>/<str:format>/", views.ReportDownloadView.as_view(), name="download"),
    path(
        "<int:year>/<str:format>/v<int:version>/",
        views.IssuedReportDownloadView.as_view(),
        name="issued_download",
    ),
]
