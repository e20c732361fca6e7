"""Fuzz: every URL of the staff screens (as the secretariat and as member staff), the
portal and the API, each query parameter and each form field it offers, with hostile
values — huge, negative and Unicode-digit numbers, control characters, NUL, very long
text, HTML, SQL-looking text, non-UTF-8 percent-encodings, empty — and never a 500.

The URLs come from the URLconf (a new route is fuzzed without editing this file; one
whose arguments cannot be filled fails until KWARGS learns them). Fields are found by
reading each page's forms (``html.parser``), so a new field is fuzzed too. The requests
are bounded (one per hostile value per form, all fields at once), well under a minute.
Run alone: ``pytest tests/core/test_fuzz.py``; on PostgreSQL through
``scripts/with_postgres.py`` (NUL in text is its classic 500)."""

from html.parser import HTMLParser
from urllib.parse import quote, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from renkei.finance.models import BudgetLine
from renkei.programmes.models import (
    ActivityGroup,
    FiscalYearState,
    NarrativeSection,
)

HOSTILE = [
    "9223372036854775808",
    "-1",
    "²",
    "٢٠٢٤",
    "\x00",
    "a\x0b\x1f\x7f",
    "x" * 5000,
    "<script>alert(1)</script>\"'",
    "1' OR '1'='1'; --",
    "",
    "R99.13.45",
    "0",
]
# Posted to every form, all its fields at once.
POSTED = [v for v in HOSTILE if v not in ("0", "٢٠٢٤", "R99.13.45")]
# Each query parameter alone gets these (percent-encoded).
SHARPEST = [quote(v) for v in ("²", "9223372036854775808", "\x00", "-1")]
# Raw (already percent-encoded) query strings and bodies that are not UTF-8.
RAW = ["%ff%fe", "%c3%28", "%00"]
QUERY_NAMES = {
    "year",
    "page",
    "page_size",
    "cursor",
    "q",
    "pillar",
    "municipality",
    "kind",
    "programme",
    "user",
    "model",
    "action",
    "date_from",
    "date_to",
    "format",
}
# Routes that render a whole report or bundle (seconds each): only their arguments are
# fuzzed, with values that cannot name a real year.
# Parameters every portal and API page is tried with alone (staff pages: year, and the
# fields of their filter forms).
SINGLES = {"year", "page", "page_size", "cursor"}
SLOW = {"reports:download", "reports:issue", "reports:issued_download", "portal:opendata:year_zip"}
SKIP = {"staff:logout", "admin"}
SHARDS = 4  # the staff routes are fuzzed in four tests per role  # signing out ends the fuzzing session; admin: its own tests


def routes(resolver=None, prefix="", namespace=""):
    """(name with namespace, converter names by argument) of every named route."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = ":".join(part for part in (namespace, entry.namespace) if part)
            if ns == "admin":
                continue
            yield from routes(entry, prefix, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = {k: type(v).__name__ for k, v in entry.pattern.converters.items()}
            yield (f"{namespace}:{entry.name}" if namespace else entry.name), converters


def objects(year, make_user):
    """One record of each kind the routes take, from a factory-made busy year
    (``create_busy_year``) and what this adds: a photo, a grant, a sent 照会."""
    from tests.staff.helpers import make_photo

    exhibition = year.exhibition
    photo = make_photo(exhibition, exhibition.lead_organisations.first())
    group = ActivityGroup.objects.filter(programme__fiscal_year=year).first()
    return {
        "activity": exhibition.pk,
        "public": year.training.pk,
        "photo": photo.pk,
        "line": BudgetLine.objects.filter(fiscal_year=year).first().pk,
        "year": year.pk,
        "programme": group.programme_id,
        "group": group.pk,
        "narrative": NarrativeSection.objects.filter(fiscal_year=year).first().pk,
        # one to deactivate
        "profile": make_user("member", "062138", union=year.union).staff_profile.pk,
        **inquiry_objects(year, make_user),
        **money_objects(year),
    }


def money_objects(year) -> dict:
    """A grant, and 米沢市 (whose share notice the fuzzing member may download)."""
    from datetime import date

    from renkei.finance.models import Grant

    grant = Grant.objects.create(
        fiscal_year=year,
        grantor="県",
        purpose="助成",
        applied_on=date(2024, 4, 1),
        applied_amount=1,
    )
    return {"grant": grant.pk, "org": year.union.members_in_order().first().pk}


def inquiry_objects(year, make_user) -> dict:
    """A sent 照会 asking 米沢市 (the fuzzing member's organisation) among others."""
    from renkei.inquiries.services import create_inquiry, send_inquiry
    from tests.inquiries.conftest import inquiry_data

    secretariat = make_user("secretariat", union=year.union, username="fuzz-inquiry-secretariat")
    inquiry = send_inquiry(create_inquiry(year, secretariat, inquiry_data(year)), secretariat)
    return {
        "inquiry": inquiry.pk,
        "part": inquiry.parts.get(organisation__code="062022").pk,
        "inquiry_group": year.programmes.get(number=1).groups.first().pk,
    }


def kwargs_for(name: str, converters: dict, objs: dict) -> dict:
    """Real arguments for a route, from the busy year's records."""
    by_name = {
        "staff:photo_edit": "photo",
        "staff:photo_delete": "photo",
        "staff:photo_move": "photo",
        "staff:photo_image": "photo",
        "staff:budget_line_edit": "line",
        "staff:budget_line_delete": "line",
        "staff:carryover_edit": "line",
        "staff:year_detail": "year",
        "staff:year_edit": "year",
        "staff:year_state": "year",
        "staff:programme_edit": "programme",
        "staff:programme_delete": "programme",
        "staff:group_edit": "group",
        "staff:group_delete": "group",
        "staff:narrative_edit": "narrative",
        "staff:narrative_delete": "narrative",
        "staff:user_deactivate": "profile",
        "portal:activity_detail": "public",
        "api:activity_detail": "public",
        **{
            f"staff:inquiry_{n}": "inquiry"
            for n in ("detail", "edit", "export", "send", "extend", "close")
        },
        **{
            f"staff:part_{n}": "part"
            for n in ("detail", "attendance", "answers", "submit", "decide", "workbook", "upload")
        },
        "staff:initiative_create": "part",
        "staff:grant_edit": "grant",
        "staff:grant_delete": "grant",
    }
    values = {
        "fmt": "xlsx",
        "size": "thumb",
        "uidb64": "MQ",
        "token": "x-y",
        "code": "062022",
        "pillar": "hito",
        "group_pk": objs["group"],
        "year_pk": objs["year"],
        "org_pk": objs["org"],
        "programme_pk": objs["programme"],
        "year": 2024,
        "format": "nothing",
        "version": 1,
        "kind": "expenses",
    }
    kwargs = {}
    for arg in converters:
        if arg == "pk":
            kwargs[arg] = objs[by_name.get(name, "activity")]
        else:
            kwargs[arg] = values[arg]
    return kwargs


class Forms(HTMLParser):
    """The forms of a page: method, action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.current = {
                "method": (attrs.get("method") or "get").lower(),
                "action": attrs.get("action") or "",
                "fields": {},
            }
            self.forms.append(self.current)
        elif tag in ("input", "select", "textarea") and self.current and attrs.get("name"):
            kind = attrs.get("type", tag) if tag == "input" else tag
            if attrs["name"] != "csrfmiddlewaretoken":
                self.current["fields"][attrs["name"]] = kind

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


def page_forms(response) -> list[dict]:
    if "text/html" not in response.get("Content-Type", ""):
        return []
    parser = Forms()
    parser.feed(response.content.decode("utf-8", "replace"))
    return parser.forms


class Fuzzer:
    def __init__(self, client):
        self.client, self.failures, self.requests = client, [], 0

    def check(self, response, what):
        self.requests += 1
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {what}")

    def get(self, url, what=None):
        response = self.client.get(url)
        self.check(response, what or f"GET {url}")
        return response

    def post(self, url, data, what):
        self.check(self.client.post(url, data), what)

    def query(self, path, names, singles=()):
        """Every name at once with each hostile value, then each of ``singles`` alone (a
        page refusing unknown names would otherwise never read the others)."""
        for value in HOSTILE:
            query = "&".join(f"{n}={quote(value)}" for n in sorted(names))
            self.get(f"{path}?{query}", f"GET {path} ?{sorted(names)}={value[:20]!r}")
        for raw in RAW:
            self.get(f"{path}?" + "&".join(f"{n}={raw}" for n in sorted(names)))
        for name in sorted(singles):
            for value in (*SHARPEST, *RAW):
                self.get(f"{path}?{name}={value}", f"GET {path}?{name}={value[:20]!r}")

    def forms(self, path, response, method=None):
        for form in page_forms(response)[:6]:
            action = urlsplit(form["action"]).path or path
            if form["method"] == "get":
                self.query(action, set(form["fields"]) | {"year"}, singles=form["fields"])
                continue
            for value in POSTED:
                data = {
                    name: (
                        SimpleUploadedFile("x.xlsx", value.encode()) if kind == "file" else value
                    )
                    for name, kind in form["fields"].items()
                }
                self.post(action, data, f"POST {action} all={value[:20]!r}")
            self.check(
                self.client.generic(
                    "POST",
                    action,
                    "&".join(f"{n}=%ff%fe" for n in form["fields"]) or "x=%ff",
                    content_type="application/x-www-form-urlencoded",
                ),
                f"POST {action} %ff",
            )


def fuzz_route(fuzzer, name, converters, objs, *, deep: bool):
    # The route's own arguments: past 64 bits, zero (int converters match digits only).
    ints = [arg for arg, conv in converters.items() if conv == "IntConverter"]
    for bad in ("9223372036854775808", "18446744073709551616", "0"):
        kwargs = {**kwargs_for(name, converters, objs), **dict.fromkeys(ints, bad)}
        if ints:
            fuzzer.get(reverse(name, kwargs=kwargs))
    strings = [arg for arg, conv in converters.items() if conv == "StringConverter"]
    if strings:
        kwargs = {**kwargs_for(name, converters, objs), **dict.fromkeys(strings, "%ff\u200b²")}
        fuzzer.get(reverse(name, kwargs=kwargs))
    if name in SLOW or not deep:
        return
    path = reverse(name, kwargs=kwargs_for(name, converters, objs))
    response = fuzzer.get(path)
    fuzzer.query(path, QUERY_NAMES, singles={"year"} if name.startswith("staff:") else SINGLES)
    fuzzer.forms(path, response)


@pytest.fixture
def running(create_busy_year):
    """A factory-made running FY2024 with records of every kind (``create_busy_year``)."""
    return create_busy_year(state=FiscalYearState.RUNNING)


def all_routes():
    return [(name, conv) for name, conv in routes() if name not in SKIP]


def test_every_route_has_arguments_to_fill(running, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the photo objects() makes
    objs = objects(running, make_user)
    for name, converters in all_routes():
        reverse(name, kwargs=kwargs_for(name, converters, objs))


def staff_routes(shard: int) -> list:
    """Every SHARDS-th staff route from ``shard``: the routes split into SHARDS tests, so
    parallel runs (``make test-fast``) share them out."""
    return [(n, c) for n, c in all_routes() if n.startswith("staff:")][shard::SHARDS]


@pytest.mark.slow
@pytest.mark.parametrize("shard", range(SHARDS))
@pytest.mark.parametrize("role", ["secretariat", "member"])
def test_staff_screens_never_answer_500(
    client, make_user, running, settings, tmp_path, role, shard
):
    settings.MEDIA_ROOT = tmp_path
    objs = objects(running, make_user)
    user = make_user(role, "062022" if role == "member" else None, union=running.union)
    client.raise_request_exception = False
    fuzzer = Fuzzer(client)
    shard_routes = staff_routes(shard)
    for name, converters in shard_routes:
        client.force_login(user)
        fuzz_route(fuzzer, name, converters, objs, deep=True)
    print(f"{role}, shard {shard}: {fuzzer.requests} requests, {len(shard_routes)} routes")
    # The pages' forms were found and driven: far more requests than routes.
    assert fuzzer.requests > 10 * len(shard_routes)
    assert not fuzzer.failures, f"{len(fuzzer.failures)} of {fuzzer.requests}: " + "\n".join(
        fuzzer.failures[:40]
    )


@pytest.mark.slow
def test_portal_and_api_never_answer_500(client, make_user, running):
    objs = objects(running, make_user)
    client.raise_request_exception = False
    fuzzer = Fuzzer(client)
    for name, converters in all_routes():
        if name.startswith("staff:"):
            continue
        fuzz_route(fuzzer, name, converters, objs, deep=True)
    # The API's write, signed in, with hostile JSON and hostile raw bodies.
    client.force_login(make_user("secretariat", union=running.union))
    url = reverse("api:activity_attendance", args=[objs["activity"]])
    for value in [*HOSTILE, 2**64, -(2**63), None, [], {}, 1.5, True]:
        body = {
            "counts": [{"organisation": value, "count": value, "previous": value}],
            "reason": value,
        }
        fuzzer.check(client.put(url, body, content_type="application/json"), f"PUT {value!r:.20}")
    for raw in (b"{", b"\x00", b"\xff\xfe", b'{"counts": "' + b"x" * 100000 + b'"}', b"[]"):
        fuzzer.check(
            client.generic("PUT", url, raw, content_type="application/json"),
            f"PUT raw {raw[:10]!r}",
        )
    for value in HOSTILE:
        fuzzer.post(
            reverse("api:token"),
            {"username": value, "password": value},
            f"POST token {value[:20]!r}",
        )
    assert not fuzzer.failures, f"{len(fuzzer.failures)} of {fuzzer.requests}: " + "\n".join(
        fuzzer.failures[:40]
    )
