"""Open-data downloads: the event list as CSV, XLSX and JSON, and a ZIP per fiscal year."""

from django.http import Http404, HttpResponse
from django.shortcuts import render

from renkei.programmes.public import (
    fiscal_years_with_public,
    last_public_update,
    page_url,
    undated_public_activities,
)
from renkei.public_http import check_params, param_year, public_cache
from renkei.tenancy.public_site import with_union

from .bundle import current_licence, events_json, year_bundle
from .events import EventListExporter


def _exporter(request, union, year=None):
    return EventListExporter(union, year=year, url_for=lambda a: page_url(request, a))


def _download(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public_cache
@with_union
def index(request, union):
    check_params(request, set())
    return render(
        request,
        "portal/opendata.html",
        {
            "union": union,
            "years": fiscal_years_with_public(union),
            "licence": current_licence(),
            "columns": EventListExporter.columns,
            "undated_count": undated_public_activities(union).count(),
            "updated_at": last_public_update(union),
        },
    )


@public_cache
@with_union
def events_csv(request, union):
    check_params(request, {"year"})
    year = param_year(request)
    body = _exporter(request, union, year).to_csv_bytes()
    return _download(body, "text/csv; charset=utf-8", f"events-{year or 'all'}.csv")


@public_cache
@with_union
def events_xlsx(request, union):
    check_params(request, {"year"})
    year = param_year(request)
    body = _exporter(request, union, year).to_xlsx_bytes()
    return _download(
        body,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"events-{year or 'all'}.xlsx",
    )


@public_cache
@with_union
def events_json_view(request, union):
    check_params(request, {"year"})
    body = events_json(_exporter(request, union, param_year(request)))
    return HttpResponse(body, content_type="application/json; charset=utf-8")


@public_cache
@with_union
def year_zip(request, union, year):
    check_params(request, set())
    if not 1989 <= year <= 2200:
        raise Http404
    body = year_bundle(_exporter(request, union, year), year)
    return _download(body, "application/zip", f"{union.slug}-events-{year}.zip")
