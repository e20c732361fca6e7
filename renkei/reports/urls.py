"""Report downloads and issuing, mounted under reports/ with the namespace "reports"."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("jobs/<int:pk>/", views.ReportJobView.as_view(), name="job"),
    path("jobs/<int:pk>/status/", views.ReportJobStatusView.as_view(), name="job_status"),
    path("jobs/<int:pk>/file/", views.ReportJobFileView.as_view(), name="job_file"),
    path("jobs/<int:pk>/retry/", views.ReportJobRetryView.as_view(), name="job_retry"),
    path("<int:year>/issue/", views.ReportIssueView.as_view(), name="issue"),
    path("<int:year>/<str:format>/", views.ReportDownloadView.as_view(), name="download"),
    path(
        "<int:year>/<str:format>/v<int:version>/",
        views.IssuedReportDownloadView.as_view(),
        name="issued_download",
    ),
]
