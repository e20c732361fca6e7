"""URLconf of the portal benchmark: Renkei's URLs plus the framework floor, a view that
only returns a fixed string (through the same middleware, server and workers)."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("renkei.urls")),
]
