"""Request-level guards that must run before anything reads the request body."""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than ``MAX_REQUEST_BYTES`` with 413,
    before the CSRF check or a form reads it (an upload is never spooled only to be
    refused). The largest legitimate body is a photo (20 MB) with its form fields."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot size
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            message = _("送信されたデータが大きすぎます（%(limit)sMBまで）。ファイルを小さくしてください。") % {
                "limit": limit // (1024 * 1024) or f"{limit / (1024 * 1024):.2f}"}
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=413)
            page = (f'<!doctype html><html lang="ja"><meta charset="utf-8">'
                    f"<title>{escape(message)}</title><p>{escape(message)}</p></html>")
            return HttpResponse(page, status=413)
        return self.get_response(request)
