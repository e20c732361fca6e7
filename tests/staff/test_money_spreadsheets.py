"""A year's money to and from a municipal finance system: budget lines, amendments and
transfers, expenses exported (Excel, Shift_JIS CSV) in the layout their import reads, so
that export → import → export gives the same files; a Shift_JIS file with a bad row shows
the row and a Japanese message in the preview and saves nothing."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from renkei.finance.budget_changes import record_amendment, record_transfer
from renkei.finance.expenses import Allocation, record_expense
from renkei.finance.models import (
    AmendmentLine,
    BudgetLine,
    BudgetTransfer,
    Expense,
    ExpenseAllocation,
    TransferKind,
)
from renkei.programmes.models import (
    Activity,
    ActivityGroup,
    FiscalYear,
    FiscalYearState,
    Programme,
)
from renkei.reports.models import ReportJob
from tests.factories import DAY, budget_year

KINDS = ("lines", "changes", "expenses")


def url(name, *args):
    return reverse(f"staff:{name}", args=args)


def activities_of(year):
    group = ActivityGroup.objects.create(
        programme=Programme.objects.create(fiscal_year=year, number=1, name="交流事業"),
        number=1,
        title="研修",
    )
    return [
        Activity.objects.create(group=group, sub_number=n, title=title, kind="other")
        for n, title in enumerate(("視察研修", "交流会"), start=1)
    ]


@pytest.fixture
def source(union, staff):
    user = staff["secretariat"]
    year = budget_year(union)
    lines = year.lines
    one, two = activities_of(year)
    record_amendment(
        year,
        user,
        number=1,
        decided_on=DAY,
        decided_by="組合議会",
        reason="研修の追加",
        amounts={lines["supplies"]: 20000, lines["fees"]: -10000},
    )
    record_transfer(
        year,
        user,
        kind=TransferKind.TRANSFER,
        source=lines["travel"],
        target=lines["supplies"],
        amount=50000,
        decided_on=DAY,
        decided_by="管理者",
        reason="消耗品の不足",
    )
    record_transfer(
        year,
        user,
        kind=TransferKind.RESERVE,
        source=lines["reserve"],
        target=lines["fees"],
        amount=5000,
        decided_on=DAY,
        decided_by="管理者",
        reason="講師の追加",
    )
    record_expense(
        lines["supplies"],
        user,
        spent_on=DAY,
        payee="株式会社置賜文具",
        amount=50000,
        purpose="研修資料",
        allocations=[Allocation(one, 30000), Allocation(two, 20000)],
    )
    record_expense(
        lines["travel"], user, spent_on=DAY, payee="@置賜交通", amount=12000, purpose="=視察"
    )
    return year


@pytest.fixture
def target(other_union, make_user):
    """FY2025 of another union, with activities numbered as the source's, and a client
    signed in as its secretariat (``target.client``)."""
    year = FiscalYear.objects.create(union=other_union, year=2025, state=FiscalYearState.RUNNING)
    activities_of(year)
    year.client = Client()
    year.client.force_login(make_user("secretariat", union=other_union))
    return year


@pytest.fixture
def export(via_job):
    """``export(client, year, kind, fmt)``: the sheet's bytes, made by its job."""

    def made(client, year, kind, fmt):
        response = via_job(client, url("money_export", year.pk, kind, fmt))
        assert response.status_code == 200
        return response.content

    return made


def load(client, year, name, data, filename, run_jobs):
    """Preview the file, confirm it; its rows are then recorded by a job."""
    response = client.post(url(name, year.pk), {"file": SimpleUploadedFile(filename, data)})
    assert response.status_code == 200
    assert "row-error" not in response.content.decode(), response.content.decode()
    response = client.post(url(name, year.pk), {"confirm": "1", "reason": "移行"})
    assert response.status_code == 302, response.content.decode()
    if "/reports/jobs/" in response["Location"]:
        run_jobs()
        page = client.get(response["Location"]).content.decode()
        assert re.search(r"\d+(件|行)を読み込みました。", page) and "一覧へ戻る" in page, page


def sheet(data):
    return [list(r) for r in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_import_round_trip(client_as, source, target, fmt, export, run_jobs):
    own, client = client_as("secretariat"), target.client
    files = {kind: export(own, source, kind, fmt) for kind in KINDS}
    if fmt == "csv":
        text = files["lines"].decode("cp932")  # Shift_JIS as 財務会計 systems write it
        assert text.startswith("収支,節,区分の表記,項目,予算額,決算額,備考\r\n")
        assert "支出,予備費,,予備費,50000,0," in text
    for kind, name in zip(
        KINDS, ("budget_import", "changes_import", "expenses_import"), strict=True
    ):
        load(client, target, name, files[kind], f"{kind}.{fmt}", run_jobs)
    again = {kind: export(client, target, kind, fmt) for kind in KINDS}
    for kind in KINDS:
        if fmt == "csv":
            assert again[kind] == files[kind], kind
        else:
            assert sheet(again[kind]) == sheet(files[kind]), kind
    assert AmendmentLine.objects.filter(line__fiscal_year=target).count() == 2
    assert BudgetTransfer.objects.filter(fiscal_year=target).count() == 2
    # Text that looks like a formula is exported behind an apostrophe and read back as is.
    assert Expense.objects.get(line__fiscal_year=target, amount=12000).purpose == "=視察"
    split = Expense.objects.get(line__fiscal_year=target, amount=50000)
    assert sorted(
        ExpenseAllocation.objects.filter(expense=split).values_list("amount", flat=True)
    ) == [20000, 30000]
    for line in BudgetLine.objects.filter(fiscal_year=target):
        theirs = BudgetLine.objects.get(fiscal_year=source, item=line.item)
        assert (line.budgeted, line.settled, line.is_reserve) == (
            theirs.budgeted,
            theirs.settled,
            theirs.is_reserve,
        )


def test_a_shift_jis_file_with_a_bad_row(client_as, source):
    client = client_as("secretariat")
    rows = [
        "種類,号数,決定日,決定者,理由,区分,項目,金額,流用元区分,流用元項目",
        "流用,,令和7年8月1日,管理者,会議の追加,需用費,消耗品費,10000,旅費,普通旅費",
        "流用,,令和7年8月1日,管理者,会議の追加,需用費,消耗品費,１０，０００,旅費,特別旅費",
        "補正,2,2025-13-01,組合議会,増額,需用費,消耗品費,△5000,,",
    ]
    data = ("\r\n".join(rows) + "\r\n").encode("cp932")
    path = url("changes_import", source.pk)
    response = client.post(path, {"file": SimpleUploadedFile("henkou.csv", data)})
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('class="row-error"') == 2
    assert "流用元「旅費 特別旅費」に当たる行がこの年度にありません。" in page
    assert "決定日「2025-13-01」" in page
    assert "会議の追加" in page  # the good row is shown, decoded from Shift_JIS
    before = BudgetTransfer.objects.count()
    assert client.post(path, {"confirm": "1"}).status_code == 200  # nothing pending
    assert BudgetTransfer.objects.count() == before


def test_a_refused_row_undoes_the_rows_before_it(client_as, source, run_jobs):
    """All or nothing: the second transfer would leave 旅費 below its spending."""
    client = client_as("secretariat")
    rows = [
        "種類,号数,決定日,決定者,理由,区分,項目,金額,流用元区分,流用元項目",
        "流用,,R7.8.1,管理者,追加,需用費,消耗品費,10000,旅費,普通旅費",
        "流用,,R7.8.2,管理者,追加,需用費,消耗品費,240000,旅費,普通旅費",
    ]
    data = ("\r\n".join(rows) + "\r\n").encode("cp932")
    path = url("changes_import", source.pk)
    client.post(path, {"file": SimpleUploadedFile("henkou.csv", data)})
    before = BudgetTransfer.objects.count()
    asked = client.post(path, {"confirm": "1"})
    assert BudgetTransfer.objects.count() == before  # the request recorded nothing
    run_jobs()
    job = ReportJob.objects.get()
    assert job.kind == "changes_import" and job.status == "failed"
    assert "3行目: " in client.get(asked["Location"]).content.decode()
    assert BudgetTransfer.objects.count() == before


def test_text_shift_jis_cannot_hold_is_refused_with_its_cell(client_as, source, export, via_job):
    client = client_as("secretariat")
    Expense.objects.filter(line__fiscal_year=source).update(payee="𠮷野家")
    assert via_job(client, url("money_export", source.pk, "expenses", "csv")).status_code == 404
    job = ReportJob.objects.get()
    assert job.status == "failed"
    page = client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert "2行目の「支払先」にShift_JISで表せない文字（𠮷）があります" in page
    assert export(client, source, "expenses", "xlsx")  # Excel holds it


@pytest.mark.parametrize(("role", "status"), [("auditor", 200), ("member", 403), ("partner", 403)])
def test_who_exports_and_imports(client_as, source, role, status):
    client = client_as(role)
    assert client.get(url("money_export", source.pk, "expenses", "xlsx")).status_code == status
    assert client.post(url("money_export", source.pk, "expenses", "xlsx")).status_code == (
        302 if status == 200 else 403
    )
    assert client.get(url("expenses_import", source.pk)).status_code == 403
