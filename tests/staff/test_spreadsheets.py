"""Spreadsheets: exports (CSV with BOM, XLSX, formula injection neutralised) and imports
with a preview, per-row errors and an all-or-nothing save."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from renkei.finance.models import BudgetLine
from renkei.programmes.models import Activity, Attendance

from .conftest import activity


def test_activity_csv_has_bom_and_no_formulas(client_for, fy2024):
    exhibition = activity(fy2024, "札の辻スクエア3階")
    exhibition.theme = "=HYPERLINK(\"http://evil\")"
    exhibition.save()
    response = client_for("member").get("/staff/activities/export.csv?year=2024&q=札の辻")
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    text = body.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",=HYPERLINK" not in text
    assert text.splitlines()[0].startswith("事業,項目")


def test_budget_xlsx_opens_with_the_lines(client_for, fy2024):
    response = client_for("auditor").get("/staff/budget/export.xlsx?year=2024")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [row for row in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ("収支", "区分", "項目")
    assert any(row[4] == 1643460 for row in values[1:])


def test_attendance_by_organisation_export(client_for, fy2024):
    response = client_for("auditor").get("/staff/activities/attendance.xlsx?year=2024")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    members = [m.label for m in fy2024.union.members.order_by("membership__order")]
    assert rows[0] == ("事業", "項目", "番号", "名称", "日程", *members, "その他", "合計")
    by_title = {row[3]: row for row in rows[1:]}
    activities = {a.title: a for a in Activity.objects.filter(group__programme__fiscal_year=fy2024)}
    assert by_title.keys() == activities.keys()
    for title, row in by_title.items():
        counts = activities[title].attendances.all()
        assert row[-1] == activities[title].attendance_total, title
        if counts:  # the parts add up to the total
            assert sum(n or 0 for n in row[5:-1]) == row[-1], title
    training = by_title[activity(fy2024, "交流研修").title]
    yonezawa = members.index("米沢市") + 5
    assert training[yonezawa] == Attendance.objects.get(
        activity__title=training[3], organisation__name="米沢市").count


def xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_attendance_import_preview_then_save(client_for, fy2024):
    gx = activity(fy2024, "自治体GX研修会")
    client = client_for("secretariat")
    url = f"/staff/activities/{gx.pk}/attendance/import/"
    bad = "団体,人数\n米沢市,5\n東京都庁,3\n長井市,abc\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", bad)})
    text = response.content.decode()
    assert "東京都庁" in text and "0以上の整数ではありません" in text and "何も保存していません" in text
    assert Attendance.objects.get(activity=gx, organisation__code="062022").count == 3
    good = xlsx([["団体", "人数"], ["米沢市", 5], ["064033", 2]])
    response = client.post(url, {"file": SimpleUploadedFile("a.xlsx", good)})
    assert "この内容で保存する" in response.content.decode()
    assert client.post(url, {"confirm": "1"}).status_code == 302
    counts = dict(gx.attendances.values_list("organisation__code", "count"))
    assert counts["062022"] == 5 and counts["064033"] == 2


def test_budget_import_is_all_or_nothing(client_for, fy2024):
    client = client_for("secretariat")
    url = f"/staff/years/{fy2024.pk}/budget/import/"
    before = BudgetLine.objects.filter(fiscal_year=fy2024).count()
    rows = [["収支", "節", "項目", "予算額", "決算額", "備考"],
            ["支出", "需用費", "印刷製本費", "10,000", "9800", "=1+1"],
            ["支出", "存在しない節", "x", "", "1", ""]]
    response = client.post(url, {"file": SimpleUploadedFile("b.xlsx", xlsx(rows))})
    assert "存在しない節" in response.content.decode()
    assert client.post(url, {"confirm": "1"}).status_code == 200  # nothing pending
    assert BudgetLine.objects.filter(fiscal_year=fy2024).count() == before
    response = client.post(url, {"file": SimpleUploadedFile("b.xlsx", xlsx(rows[:2]))})
    assert client.post(url, {"confirm": "1"}).status_code == 302
    line = BudgetLine.objects.get(fiscal_year=fy2024, item="印刷製本費")
    assert (line.budgeted, line.settled, line.section.name) == (10000, 9800, "需用費")
