"""Revenue records, a line's carry-over and the examination-form 決算書 on the staff
screens: the secretariat records and downloads; the auditors read and download; members
and partners do neither; bad input is a form error, never a 500."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from renkei.finance.models import Carryover, RevenueRecord
from tests.factories import budget_year, fresh


@pytest.fixture
def year(union):
    return budget_year(union)


def url(name, *args):
    return reverse(f"staff:{name}", args=args)


def revenue(line, kind, amount):
    return {
        "line": line.pk,
        "kind": kind,
        "recorded_on": "令和7年5月20日",
        "payer": "米沢市",
        "amount": amount,
        "note": "",
    }


def test_revenue_carryover_and_the_document(client_as, year, via_job):
    client = client_as("secretariat")
    income, travel = year.lines["income"], year.lines["travel"]
    assert (
        client.post(url("revenue_create", year.pk), revenue(income, "assessed", 650000)).status_code
        == 302
    )
    response = client.post(url("revenue_create", year.pk), revenue(income, "received", 650001))
    assert response.status_code == 400
    assert "1円超えます" in response.content.decode()
    assert (
        client.post(url("revenue_create", year.pk), revenue(income, "received", 600000)).status_code
        == 302
    )
    assert fresh(income).settled == 600000
    page = client.get(url("revenue_list", year.pk)).content.decode()
    assert "50,000" in page  # 収入未済額
    response = client.post(
        url("carryover_edit", travel.pk), {"amount": 40000, "reason": "繰越明許費"}
    )
    assert response.status_code == 302
    assert Carryover.objects.get(line=travel).amount == 40000
    response = via_job(client, url("examination_download", year.pk, "xlsx"))
    assert response["Content-Disposition"] == 'attachment; filename="examination-2025.xlsx"'
    rows = [
        list(r)
        for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
    ]
    assert ["旅費", "普通旅費", 300000, 0, 40000, 260000, None] in rows
    assert [None, "分担金", 650000, 650000, 600000, 0, 50000] in rows
    for fmt in ("pdf", "docx"):
        assert via_job(client, url("examination_download", year.pk, fmt)).status_code == 200
    assert client.get(url("examination_download", year.pk, "html")).status_code == 404


def test_bad_input_is_a_form_error(client_as, year):
    client = client_as("secretariat")
    response = client.post(
        url("revenue_create", year.pk), revenue(year.lines["income"], "received", "abc")
    )
    assert response.status_code == 400
    assert not RevenueRecord.objects.exists()
    response = client.post(
        url("carryover_edit", year.lines["travel"].pk), {"amount": -1, "reason": "x"}
    )
    assert response.status_code == 400
    assert not Carryover.objects.exists()


@pytest.mark.parametrize(
    ("role", "reads"), [("auditor", True), ("member", False), ("partner", False)]
)
def test_who_reads_and_who_records(client_as, year, role, reads):
    client = client_as(role)
    assert client.get(url("examination_download", year.pk, "pdf")).status_code == (
        200 if reads else 403
    )
    assert client.get(url("revenue_list", year.pk)).status_code == (200 if reads else 403)
    response = client.post(
        url("revenue_create", year.pk), revenue(year.lines["income"], "assessed", 1)
    )
    assert response.status_code == 403
    assert client.get(url("carryover_edit", year.lines["travel"].pk)).status_code == 403
    assert not RevenueRecord.objects.exists()


def test_another_unions_year_is_not_found(client_as, year, other_union):
    from renkei.programmes.models import FiscalYear

    theirs = FiscalYear.objects.create(union=other_union, year=2025)
    client = client_as("secretariat")
    assert client.get(url("examination_download", theirs.pk, "pdf")).status_code == 404
    assert client.get(url("revenue_list", theirs.pk)).status_code == 404
