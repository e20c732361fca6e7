"""Spreadsheets: exports (CSV with BOM, XLSX, formula injection neutralised) and imports
with a preview, per-row errors and an all-or-nothing save."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from renkei.finance.models import BudgetLine, ExpenditureSection
from renkei.finance.sections import ensure_sections
from renkei.programmes.attendance import TOOK_PART
from renkei.programmes.models import (
    Activity,
    Attendance,
    AttendanceProposal,
    FiscalYear,
    FiscalYearState,
)
from renkei.programmes.services import record_attendance
from renkei.tenancy.models import Organisation

from .helpers import xlsx


def attendance_header(members) -> tuple:
    """The attendance export's header: the activity's columns, one per member, the rest."""
    return (
        "事業",
        "項目",
        "番号",
        "名称",
        "日程",
        *members,
        "その他",
        "内訳不明",
        "合計",
        "出席者（報告書の表記）",
    )


def test_activity_csv_has_bom_and_no_formulas(client_as, initiative, via_job):
    exhibition = initiative
    exhibition.theme = '=HYPERLINK("http://evil")'
    exhibition.save()
    response = via_job(client_as("member"), "/staff/activities/export.csv?year=2024&q=札の辻")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert text.splitlines()[0].startswith("事業,項目")


def test_budget_xlsx_opens_with_the_lines(client_as, year, create_budget_line):
    create_budget_line(year, settled=1643460)
    response = client_as("auditor").get("/staff/budget/export.xlsx?year=2024")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("収支", "区分", "項目")
    assert any(row[4] == 1643460 for row in values[1:])


def test_attendance_by_organisation_xlsx_without_counts(
    client_as, year, training, gx, create_activity, create_attendance
):
    """Cells are counts, 「参加」 or empty; records with phrases and totals only (as
    FY2024's) credit no member with a count: what no one is credited with is 内訳不明."""
    members = [m.label for m in year.union.members_in_order()]
    create_attendance(
        create_activity(year, title="自治体DX研修会", kind="workshop"),
        dict.fromkeys(year.union.members_in_order()),
        total=30,
    )
    response = client_as("auditor").get("/staff/activities/attendance.xlsx?year=2024")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == attendance_header(members)
    by_title = {row[3]: row for row in rows[1:]}
    assert by_title.keys() == {"交流研修", "自治体GX研修会", "自治体DX研修会"}
    member_cells = slice(5, 5 + len(members))
    for title, row in by_title.items():
        assert set(row[member_cells]) <= {None, "参加"}, title  # never a number
        assert row[-2] == {"交流研修": 22, "自治体GX研修会": 16, "自治体DX研修会": 30}[title]
    training_row = by_title["交流研修"]
    assert dict(zip(members, training_row[member_cells], strict=True)) == {
        m: "参加" if m in ("南陽市", "小国町") else None for m in members
    }
    assert training_row[-4:-1] == ("参加", 22, 22)  # 港区 and others took part
    assert training_row[-1] == "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名"
    assert by_title["自治体DX研修会"][member_cells] == ("参加",) * len(members)
    gx_cells = dict(zip(members, by_title["自治体GX研修会"][member_cells], strict=True))
    assert [m for m, v in gx_cells.items() if v] == [m for m in members if m.endswith("町")]
    assert by_title["自治体GX研修会"][-3:] == (16, 16, "置賜1市5町 16名")


@pytest.mark.reference
def test_attendance_by_organisation_export(client_for, fy2024, running_year):
    """Cells are counts, 「参加」 or empty; FY2024 credits no municipality with a count (the
    reference gives only phrases and totals): what no one is credited with is 内訳不明."""
    response = client_for("auditor").get("/staff/activities/attendance.xlsx?year=2024")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    members = [m.label for m in fy2024.union.members_in_order()]
    assert rows[0] == attendance_header(members)
    by_title = {row[3]: row for row in rows[1:]}
    activities = {a.title: a for a in Activity.objects.filter(group__programme__fiscal_year=fy2024)}
    assert by_title.keys() == activities.keys()
    member_cells = slice(5, 5 + len(members))
    for title, row in by_title.items():
        assert set(row[member_cells]) <= {None, "参加"}, title  # never a number
        assert row[-2] == activities[title].attendee_total, title
    training = by_title["交流研修"]
    # Named by the reference's 取組紹介; the other members of 「3市4町」 are unnamed.
    assert dict(zip(members, training[member_cells], strict=True)) == {
        m: "参加" if m in ("南陽市", "小国町") else None for m in members
    }
    assert training[-4:] == (
        "参加",
        22,
        22,
        "置賜3市4町、港区、地域活性化センター職員及び本組合職員 22名",
    )
    assert by_title["自治体DX研修会"][member_cells] == ("参加",) * len(members)
    gx = dict(zip(members, by_title["自治体GX研修会"][member_cells], strict=True))
    assert [m for m, v in gx.items() if v] == [m for m in members if m.endswith("町")]
    assert by_title["自治体GX研修会"][-3:] == (16, 16, "置賜1市5町 16名")


def test_attendance_export_shows_counts_took_part_and_unknown_totals(
    client_as, staff, year, gx, training, create_activity, create_attendance, via_job
):
    """A count where one is recorded, 「参加」 without one, empty without a record; 合計
    「不明」 when something is recorded but no total; 内訳不明 = total − counted."""
    from renkei.programmes.services import record_attendance, record_attendance_totals
    from renkei.tenancy.models import Organisation

    iide = Organisation.objects.get(name="飯豊町")
    record_attendance(gx, staff["secretariat"], counts={iide.pk: 4}, seen={iide.pk: TOOK_PART})
    zeb = create_attendance(create_activity(year, title="ZEB導入セミナー"), total=2)
    record_attendance_totals(
        zeb, staff["secretariat"], total=None, composition={}, seen_total=2, seen_composition={}
    )
    nanyo = Organisation.objects.get(name="南陽市")
    record_attendance(
        zeb, staff["secretariat"], counts={nanyo.pk: TOOK_PART}, seen={nanyo.pk: None}
    )
    response = client_as("auditor").get("/staff/activities/attendance.csv?year=2024")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, by_title = (
        lines[0],
        {row[3]: dict(zip(lines[0], row, strict=True)) for row in lines[1:]},
    )
    assert by_title["自治体GX研修会"]["飯豊町"] == "4"
    assert by_title["自治体GX研修会"]["小国町"] == "参加"
    assert by_title["自治体GX研修会"]["米沢市"] == ""
    assert (by_title["自治体GX研修会"]["内訳不明"], by_title["自治体GX研修会"]["合計"]) == (
        "12",
        "16",
    )
    zeb_row = by_title["ZEB導入セミナー"]
    assert (zeb_row["南陽市"], zeb_row["内訳不明"], zeb_row["合計"]) == ("参加", "", "不明")
    activities = list(
        csv.reader(
            io.StringIO(
                via_job(
                    client_as("auditor"), "/staff/activities/export.csv?year=2024"
                ).content.decode("utf-8-sig")
            )
        )
    )
    totals = {row[3]: row[activities[0].index("出席者数")] for row in activities[1:]}
    assert (totals["ZEB導入セミナー"], totals["自治体GX研修会"], totals["交流研修"]) == (
        "不明",
        "16",
        "22",
    )
    assert "内訳不明" in header


def test_attendance_import_preview_then_save(client_as, gx, run_jobs):
    client = client_as("secretariat")
    url = f"/staff/activities/{gx.pk}/attendance/import/"
    bad = "団体,人数\n米沢市,5\n東京都庁,3\n長井市,abc\n白鷹町,-1\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", bad)})
    text = response.content.decode()
    assert "東京都庁" in text and "何も保存していません" in text
    assert "人数「abc」: 人数は0以上の整数か「参加」で入力してください。" in text
    assert "人数「-1」" in text
    assert not Attendance.objects.filter(activity=gx, organisation__code="062022").exists()
    good = xlsx([["団体", "人数"], ["米沢市", 5], ["064033", "参加"], ["白鷹町", "３名"]])
    response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", good)})
    assert "この内容で保存する" in response.content.decode()
    asked = client.post(url, {"confirm": "1"})
    assert asked.status_code == 302 and "/reports/jobs/" in asked["Location"]
    assert run_jobs() == 1
    page = client.get(asked["Location"]).content.decode()
    assert "3行を読み込みました。" in page and f"/staff/activities/{gx.pk}/" in page
    counts = dict(gx.attendances.values_list("organisation__name", "count"))
    assert counts["米沢市"] == 5 and counts["白鷹町"] == 3
    assert counts["飯豊町"] is None  # 064033: took part, number unknown
    gx.refresh_from_db()
    assert gx.attendee_total == 16  # the recorded total stands


def test_attendance_import_in_a_reported_year_makes_proposals(client_as, year, gx, run_jobs):
    FiscalYear.objects.filter(pk=year.pk).update(state=FiscalYearState.REPORTED)
    client = client_as("member")  # 米沢市
    url = f"/staff/activities/{gx.pk}/attendance/import/"
    page = client.post(
        url, {"file": SimpleUploadedFile("a.csv", "団体,人数\n米沢市,参加\n".encode())}
    )
    assert "事務局の承認を待ちます" in page.content.decode()
    asked = client.post(url, {"confirm": "1", "reason": "出席者名簿で確認"})
    run_jobs()
    assert "事務局の承認を待っています" in client.get(asked["Location"]).content.decode()
    assert not gx.attendances.filter(organisation__name="米沢市").exists()
    proposal = AttendanceProposal.objects.get(activity=gx)
    assert (proposal.organisation.name, proposal.value, proposal.reason) == (
        "米沢市",
        TOOK_PART,
        "出席者名簿で確認",
    )


def test_an_attendance_import_refused_at_commit_saves_nothing_and_says_why(
    client_as, staff, gx, run_jobs
):
    """米沢市's count was saved by someone else between the preview and the job: the
    service refuses the stale row (as the grid does), nothing of the file is saved and
    the job's page says why."""
    client = client_as("secretariat")
    url = f"/staff/activities/{gx.pk}/attendance/import/"
    upload = SimpleUploadedFile("a.csv", "団体,人数\n米沢市,5\n白鷹町,3\n".encode())
    assert "この内容で保存する" in client.post(url, {"file": upload}).content.decode()
    asked = client.post(url, {"confirm": "1"})
    yonezawa = Organisation.objects.get(name="米沢市")
    record_attendance(gx, staff["member"], counts={yonezawa.pk: 7}, seen={yonezawa.pk: None})
    run_jobs()
    page = client.get(asked["Location"]).content.decode()
    assert "あなたが画面を開いた後に" in page and "保存していません。" in page
    counts = dict(gx.attendances.values_list("organisation__name", "count"))
    assert counts["米沢市"] == 7 and counts["白鷹町"] is None  # nothing of the file


BUDGET_ROWS = [
    ["収支", "節", "項目", "予算額", "決算額", "備考"],
    ["支出", "需用費", "印刷製本費", "10,000", "9800", "=1+1"],
    ["支出", "存在しない節", "x", "", "1", ""],
]


def test_budget_import_is_all_or_nothing(client_as, year, run_jobs):
    ensure_sections(ExpenditureSection)
    client = client_as("secretariat")
    url = f"/staff/years/{year.pk}/budget/import/"
    before = BudgetLine.objects.filter(fiscal_year=year).count()
    response = client.post(url, {"file": SimpleUploadedFile("b.xlsx", xlsx(BUDGET_ROWS))})
    assert "存在しない節" in response.content.decode()
    assert client.post(url, {"confirm": "1"}).status_code == 200  # nothing pending
    assert BudgetLine.objects.filter(fiscal_year=year).count() == before
    response = client.post(url, {"file": SimpleUploadedFile("b.xlsx", xlsx(BUDGET_ROWS[:2]))})
    asked = client.post(url, {"confirm": "1"})
    assert asked.status_code == 302 and "/reports/jobs/" in asked["Location"]
    assert BudgetLine.objects.filter(fiscal_year=year).count() == before  # the job records
    assert run_jobs() == 1
    page = client.get(asked["Location"]).content.decode()
    assert "1行を読み込みました。" in page and f"/staff/budget/?year={year.year}" in page
    line = BudgetLine.objects.get(fiscal_year=year, item="印刷製本費")
    assert (line.budgeted, line.settled, line.section.name) == (10000, 9800, "需用費")
    assert line.order == before + 1


def test_a_budget_import_refused_at_commit_saves_nothing_and_says_why(client_as, year, run_jobs):
    """The year was closed between the preview and the job: the service refuses the
    first row, and the job's page says so; no line is added."""
    ensure_sections(ExpenditureSection)
    client = client_as("secretariat")
    url = f"/staff/years/{year.pk}/budget/import/"
    before = BudgetLine.objects.filter(fiscal_year=year).count()
    client.post(url, {"file": SimpleUploadedFile("b.xlsx", xlsx(BUDGET_ROWS[:2]))})
    asked = client.post(url, {"confirm": "1"})
    FiscalYear.objects.filter(pk=year.pk).update(state=FiscalYearState.CLOSED)
    run_jobs()
    page = client.get(asked["Location"]).content.decode()
    assert (
        "2行目: " in page and "決算確定済みです。変更するには変更の理由を入力してください。" in page
    )
    assert BudgetLine.objects.filter(fiscal_year=year).count() == before
