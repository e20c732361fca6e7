"""Each union-owned model says how it reaches its union, and one queryset method limits
any query to what a user may see (``Model.objects.….restrict(user)``)."""

import pytest
from django.apps import apps

from renkei.programmes.models import Activity, Attendance, FiscalYear
from renkei.tenancy.permissions import is_union_owned, union_path
from renkei.tenancy.querysets import RestrictedQuerySet

pytestmark = pytest.mark.django_db

# Shared by every union of an installation: no union to reach.
SHARED = {
    "finance.expendituresection",
    "inquiries.mailoptout",
}  # a person's own mail settings, not a union's record
DOMAIN_APPS = ("programmes", "finance", "inquiries", "audit", "reports")


def domain_models():
    return [m for app in DOMAIN_APPS for m in apps.get_app_config(app).get_models()]


@pytest.mark.parametrize("model", domain_models(), ids=lambda m: m._meta.label_lower)
def test_every_domain_model_reaches_its_union_and_restricts(model, create_busy_year):
    year = create_busy_year()
    if model._meta.label_lower in SHARED:
        assert not is_union_owned(model)
        return
    assert is_union_owned(model), f"{model._meta.label} must declare union_path"
    # The path is a real lookup: every record of the year's union is found through it.
    path = union_path(model) or "pk"
    assert model.objects.filter(**{path: year.union}).count() == model.objects.count()
    assert isinstance(model.objects.all(), RestrictedQuerySet)


def test_restrict_is_the_permission_tables_scope(create_busy_year, make_user, other_union):
    year = create_busy_year()
    activities = Activity.objects.filter(group__programme__fiscal_year=year)
    total = activities.count()
    assert activities.filter(pillars__isnull=False).exists()
    assert activities.filter(pillars__isnull=True).exists()
    assert activities.restrict(make_user("secretariat", union=year.union)).count() == total
    assert activities.restrict(make_user("member", "062022", union=year.union)).count() == total
    partner = activities.restrict(make_user("partner", "131032", union=year.union))
    assert set(partner.values_list("pk", flat=True)) == set(
        activities.filter(pillars__isnull=False).values_list("pk", flat=True)
    )
    outsider = make_user("secretariat", "293610", union=other_union)
    assert not activities.restrict(outsider).exists()
    assert not Attendance.objects.restrict(outsider).exists()
    assert {year.union_id for year in FiscalYear.objects.restrict(outsider)} == {other_union.pk}
    from django.contrib.auth.models import AnonymousUser

    assert not activities.restrict(AnonymousUser()).exists()
