"""The site's URLs plus one view that fails, to see the 500 page a person gets."""

from django.urls import path

from renkei.urls import urlpatterns as site


def fail(request):
    raise RuntimeError("a bug")


urlpatterns = [path("fail/", fail), *site]
