"""The admin's permission table: every admin URL (for every registered model: the list,
the list under each filter, add, change, delete, history; the index, the app pages and
the autocomplete) for the secretariats of two unions, a member, a partner, an auditor and
an anonymous visitor
— no access, nothing of either union shown, nothing changed by a POST — and for an
operator, who gets every page the admin offers. The URLs come from
``admin.site._registry``, so a newly registered model is covered without editing here."""

from urllib.parse import urlencode

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token

from renkei.audit.models import AuditEntry
from renkei.opendata.models import PublishedId
from renkei.programmes.models import Activity, ActivityGroup, FiscalYear, Programme, ScheduleDay
from renkei.reports.jobs import request_report
from renkei.reports.models import IssuedReport
from renkei.tenancy.models import Organisation
from renkei.tenancy.permissions import is_union_owned, union_path
from tests.conftest import PASSWORD

# What an admin does not offer even to an operator: records written once and kept.
NOT_OFFERED = {
    "audit.auditentry": {"add", "delete"},
    "reports.issuedreport": {"add", "delete"},
    "opendata.publishedid": {"add", "delete"},
    "django_tasks_database.dbtaskresult": {"add", "delete"},  # the queue, read-only
}
OKITAMA_MARKERS = ("置賜", "交流研修", "米沢市")
KAWANISHI_MARKERS = ("テスト広域連合", "川西町の夏まつり交流", "川西町")


@pytest.fixture
def two_unions(create_busy_year, other_union, operator, make_user):
    """A factory-made 置賜 union with a busy year (``create_busy_year``: records of every
    kind the screens show) and a second union added by ``add_union`` with a year, an
    activity, and one record of each kind neither has yet (issued report, published ID,
    token, group, ...)."""
    year_a = create_busy_year()
    okitama = year_a.union
    year_b = FiscalYear.objects.get(union=other_union, year=2024)
    programme = Programme.objects.create(fiscal_year=year_b, number=1, name="川西町交流事業")
    group = ActivityGroup.objects.create(programme=programme, number=1, title="夏の交流")
    activity_b = Activity.objects.create(
        group=group, sub_number=1, title="川西町の夏まつり交流", kind="event"
    )
    ScheduleDay.objects.create(activity=activity_b, date="2024-08-03")
    for year in (year_a, year_b):
        IssuedReport.objects.create(
            fiscal_year=year,
            format="html",
            version=1,
            file="x.html",
            sha256="0" * 64,
            size=1,
            data={},
        )
    PublishedId.objects.create(activity=activity_b, title_kana="かわにしまちのなつまつり")
    Token.objects.create(user=operator)
    Group.objects.create(name="運用担当")
    make_user("auditor", union=okitama)
    request_report(
        year_a,
        "html",
        user=make_user("secretariat", username="asks", union=okitama),
        edition="internal",
    )
    return okitama, other_union


def instances(model, unions):
    """One record of the model in the first union and one in the second union where it
    has one (the shared catalogues: the first record)."""
    manager = model._default_manager.order_by("pk")
    if not is_union_owned(model):
        return [manager.first()]
    path = union_path(model) or "pk"
    first, second = (manager.filter(**{path: union.pk}).first() for union in unions)
    return [first] + ([second] if second else [])


def filter_queries(model_admin, operator) -> list[str]:
    """For each list filter, the query string of its first choice other than "all"."""
    request = RequestFactory().get("/")
    request.user = operator
    changelist = model_admin.get_changelist_instance(request)
    queries = []
    for spec in changelist.filter_specs:
        choices = [c["query_string"] for c in spec.choices(changelist) if not c["selected"]]
        queries.append(
            choices[0]
            if choices
            else "?" + urlencode(dict.fromkeys(spec.expected_parameters(), "1"))
        )
    assert len(queries) == len(model_admin.list_filter)
    return queries


def admin_urls(unions, operator) -> list[tuple[str, str]]:
    """(action, URL) for every page of the admin."""
    urls = [("index", reverse("admin:index"))]
    for app_label in {m._meta.app_label for m in admin.site._registry}:
        urls.append(("index", reverse("admin:app_list", args=[app_label])))
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        urls.append(("view", changelist))
        urls += [("view", changelist + query) for query in filter_queries(model_admin, operator)]
        urls.append(("add", reverse("admin:{}_{}_add".format(*info))))
        for obj in instances(model, unions):
            assert obj is not None, f"no {model._meta.label} to try the admin's pages on"
            for action in ("change", "delete", "history"):
                urls.append((action, reverse(f"admin:{info[0]}_{info[1]}_{action}", args=[obj.pk])))
        for field in model_admin.autocomplete_fields:
            urls.append(
                (
                    "view",
                    reverse("admin:autocomplete")
                    + "?"
                    + urlencode({"app_label": info[0], "model_name": info[1], "field_name": field}),
                )
            )
    return urls


def test_every_admin_url_is_covered(two_unions, operator):
    urls = [url for _action, url in admin_urls(two_unions, operator)]
    for model in admin.site._registry:
        assert any(f"/{model._meta.app_label}/{model._meta.model_name}/" in u for u in urls)
    assert any("/programmes/activity/?" in u and "lead_organisations" in u for u in urls)
    assert len(urls) > 100


@pytest.mark.parametrize(
    "who", ["secretariat_a", "secretariat_b", "member", "partner", "auditor_a", "anonymous"]
)
def test_no_one_but_operators_gets_in(client, two_unions, operator, make_user, who):
    okitama, kawanishi = two_unions
    users = {
        "secretariat_a": lambda: make_user("secretariat", union=okitama),
        "secretariat_b": lambda: kawanishi.staffprofile_set.get().user,
        "member": lambda: make_user("member", "062022", union=okitama),
        "partner": lambda: make_user("partner", "131032", union=okitama),
        "auditor_a": lambda: okitama.staffprofile_set.get(role="auditor").user,
        "anonymous": lambda: None,
    }
    user = users[who]()
    if user is not None:
        client.force_login(user)
    names = {"before": Organisation.objects.order_by("pk").values_list("name", flat=True)}
    entries = AuditEntry.objects.count()
    failures = []
    for action, url in admin_urls(two_unions, operator):
        responses = [client.get(url)]
        if action in ("change", "delete"):
            responses.append(client.post(url, {"name": "書き換え", "post": "yes"}))
        for response in responses:
            text = response.content.decode(errors="replace")
            refused = response.status_code == 403 or (
                response.status_code == 302 and response["Location"].startswith("/admin/login/")
            )
            leaked = [m for m in OKITAMA_MARKERS + KAWANISHI_MARKERS if m in text]
            if not refused or leaked:
                failures.append(
                    (response.request["REQUEST_METHOD"], url, response.status_code, leaked)
                )
    assert failures == []
    assert AuditEntry.objects.count() == entries
    assert list(Organisation.objects.order_by("pk").values_list("name", flat=True)) == list(
        names["before"]
    )
    assert Activity.objects.filter(title="川西町の夏まつり交流").exists()
    login_page = client.get(reverse("admin:index"), follow=True).content.decode()
    assert not [m for m in OKITAMA_MARKERS + KAWANISHI_MARKERS if m in login_page]


@pytest.mark.slow
def test_operator_gets_every_page_offered(client, two_unions, operator):
    client.login(username=operator.username, password=PASSWORD)
    failures = []
    for action, url in admin_urls(two_unions, operator):
        label = ".".join(url.split("/")[2:4])
        expected = 403 if action in NOT_OFFERED.get(label, ()) else 200
        status = client.get(url).status_code
        if status != expected:
            failures.append((url, status, expected))
    assert failures == []
