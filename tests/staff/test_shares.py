"""Members' shares on the staff screens: the rule and the populations entered or
imported, the table (all for the secretariat, the own share for a member), each
member's notice read back from its PDF and Word file, the spreadsheet, refusals."""

import io
from datetime import date

import docx
import pytest
from openpyxl import load_workbook

from renkei.audit.models import AuditEntry
from renkei.finance.models import PopulationFigure, SharingRule
from renkei.finance.shares import PopulationEntry, set_population_figures, set_sharing_rule
from renkei.programmes.models import FiscalYear, FiscalYearState

from .conftest import NANYO, YONEZAWA
from .helpers import POPULATIONS, pdf_text, url

# 置賜's eight members in 規約 order with made-up populations (人).


def docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def shared(year, staff):
    """The year with a rule (3,000,001 yen, 30 : 70) and every member's population."""
    set_sharing_rule(
        year,
        staff["secretariat"],
        title="広域連携事業費分担金",
        total=3_000_001,
        equal_weight=30,
        population_weight=70,
        due_on=date(2024, 5, 31),
    )
    members = list(year.union.members_in_order())
    set_population_figures(
        year,
        staff["secretariat"],
        [
            PopulationEntry(org, n, "住民基本台帳", date(2024, 1, 1))
            for org, n in zip(members, POPULATIONS, strict=True)
        ],
    )
    return year


def test_secretariat_sees_every_share_summing_to_the_total(client_as, shared):
    page = client_as("secretariat").get(url("share_list", shared.pk)).content.decode()
    assert "米沢市" in page and "白鷹町" in page
    assert "3,000,001" in page
    assert "端数の処理" in page and "規約の順" in page  # the rule is printed with the shares
    assert "30/100を均等割" in page


def test_member_sees_only_the_own_share(client_as, shared):
    response = client_as("member").get(url("share_list", shared.pk))
    page = response.content.decode()
    assert response.status_code == 200
    rows = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "米沢市" in rows and "南陽市" not in rows and "長井市" not in rows
    assert "112,500" in rows  # the own equal part; no other member's amounts
    assert rows.count("notice.pdf") == 1  # the own notice only


def test_member_gets_the_own_notice_not_another(client_as, shared, staff):
    client = client_as("member")
    own = staff["member"].staff_profile.organisation
    nanyo = staff["other_member"].staff_profile.organisation
    assert own.code == YONEZAWA and nanyo.code == NANYO
    assert client.get(url("share_notice", shared.pk, own.pk, "pdf")).status_code == 200
    assert client.get(url("share_notice", shared.pk, nanyo.pk, "pdf")).status_code == 403
    assert client.get(url("share_notice", shared.pk, nanyo.pk, "docx")).status_code == 403
    assert client.get(url("share_export", shared.pk, "xlsx")).status_code == 403


def expected_yonezawa() -> tuple[int, int]:
    """米沢市's parts worked by hand: 900,000 (3,000,001 × 30/100, rounded down) equally
    over 8 members is 112,500 each; the rest, 2,100,001, by population: 76,000 of 185,500
    people is 860,377.768…; rounding down leaves 4 yen, which go to the four largest
    fractions (.941, .881, .768 of 米沢市 and .722), so 860,378."""
    return 112_500, 860_378


def test_notice_pdf_and_word_say_the_share(client_as, shared, staff):
    client = client_as("secretariat")
    own = staff["member"].staff_profile.organisation
    equal, population = expected_yonezawa()
    pdf = client.get(url("share_notice", shared.pk, own.pk, "pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "米沢市 御中" in text
    assert f"{equal:,}円" in text
    assert "規約の順" in text.replace("\n", "").replace(" ", "")
    word = client.get(url("share_notice", shared.pk, own.pk, "docx"))
    text = docx_text(word.content)
    assert f"{equal:,}円" in text and f"{population:,}" in text
    assert "住民基本台帳" in text and "令和6年1月1日" in text


def test_shares_in_the_spreadsheet_sum_to_the_total(client_as, shared):
    response = client_as("auditor").get(url("share_export", shared.pk, "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    amounts = [row[7] for row in rows[:8]]
    assert all(isinstance(a, int) for a in amounts)
    assert sum(amounts) == 3_000_001 == rows[8][7]
    assert rows[0][:2] == ("062022", "米沢市")
    assert amounts[0] == sum(expected_yonezawa())


def test_partner_sees_no_share(client_as, shared, staff):
    client = client_as("partner")
    own = staff["member"].staff_profile.organisation
    assert client.get(url("share_list", shared.pk)).status_code == 403
    assert client.get(url("share_notice", shared.pk, own.pk, "pdf")).status_code == 403


def test_missing_population_leaves_shares_unknown_not_zero(client_as, year, staff):
    set_sharing_rule(
        year,
        staff["secretariat"],
        title="分担金",
        total=1000,
        equal_weight=1,
        population_weight=1,
    )
    page = client_as("secretariat").get(url("share_list", year.pk)).content.decode()
    assert "人口が入力されていない構成団体があるため" in page
    assert "未計算" in page
    own = staff["member"].staff_profile.organisation
    refused = client_as("secretariat").get(url("share_notice", year.pk, own.pk, "pdf"))
    assert refused.status_code == 409 and "通知書を作れません" in refused.content.decode()


def test_rule_form_refuses_bad_input_and_saves_nothing(client_as, year):
    client = client_as("secretariat")
    response = client.post(
        url("share_rule_edit", year.pk),
        {"title": "分担金", "total": "-5", "equal_weight": "0", "population_weight": "0"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "少なくとも一方を1以上" in page
    assert not SharingRule.objects.exists()
    response = client.post(
        url("share_rule_edit", year.pk),
        {"title": "分担金", "total": "1000", "equal_weight": "3", "population_weight": "7"},
    )
    assert response.status_code == 302
    rule = SharingRule.objects.get()
    entry = AuditEntry.objects.get(model="finance.sharingrule", object_id=str(rule.pk))
    assert entry.changes["total"] == [None, 1000]


def test_closed_year_refuses_a_new_rule(client_as, year):
    year.state = "closed"
    year.save(update_fields=["state"])
    response = client_as("secretariat").post(
        url("share_rule_edit", year.pk),
        {"title": "分担金", "total": "1000", "equal_weight": "3", "population_weight": "7"},
    )
    assert response.status_code == 400
    assert "決算確定済み" in response.content.decode()
    assert not SharingRule.objects.exists()


def upload(name: str, text: str, encoding: str = "utf-8"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def population_sheet(year) -> str:
    """Every member's population by its code, thousands separated, as a 住基 sheet."""
    lines = ["団体コード,団体名,人口,出典,基準日"]
    codes = [org.code for org in year.union.members_in_order()]
    lines += [
        f'{code},,"{n:,}",住民基本台帳,R6.1.1' for code, n in zip(codes, POPULATIONS, strict=True)
    ]
    return "\r\n".join(lines)


def test_populations_import_from_shift_jis_csv(client_as, year, run_jobs):
    client = client_as("secretariat")
    response = client.post(
        url("population_import", year.pk),
        {"file": upload("pop.csv", population_sheet(year), "cp932")},
    )
    assert response.status_code == 302 and "/reports/jobs/" in response["Location"]
    assert not PopulationFigure.objects.exists()  # the job saves them
    assert run_jobs() == 1
    page = client.get(response["Location"]).content.decode()
    assert "人口を8件更新しました。" in page and url("share_list", year.pk) in page
    figures = PopulationFigure.objects.filter(fiscal_year=year)
    assert sorted(f.population for f in figures) == sorted(POPULATIONS)
    assert {f.reference_date for f in figures} == {date(2024, 1, 1)}
    assert AuditEntry.objects.filter(model="finance.populationfigure").count() == 8


def test_a_population_import_refused_at_commit_saves_nothing_and_says_why(
    client_as, year, run_jobs
):
    """The year was closed between the upload and the job: the service refuses, the
    job's page says why, and no population is saved."""
    client = client_as("secretariat")
    response = client.post(
        url("population_import", year.pk), {"file": upload("pop.csv", population_sheet(year))}
    )
    FiscalYear.objects.filter(pk=year.pk).update(state=FiscalYearState.CLOSED)
    run_jobs()
    page = client.get(response["Location"]).content.decode()
    assert "決算確定済みのため、人口は登録できません。" in page
    assert not PopulationFigure.objects.exists()


def test_population_import_with_one_bad_row_saves_nothing(client_as, year):
    text = "団体名,人口,出典,基準日\r\n米沢市,76000,住民基本台帳,R6.1.1\r\n東京市,5,x,R6.1.1\r\n"
    text += "長井市,たくさん,住民基本台帳,R6.1.1\r\n"
    response = client_as("secretariat").post(
        url("population_import", year.pk), {"file": upload("pop.csv", text)}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "構成団体「東京市」が見つかりません" in page
    assert "人口「たくさん」は0以上の整数ではありません" in page
    assert not PopulationFigure.objects.exists()


def test_population_form_saves_and_logs(client_as, year):
    members = list(year.union.members_in_order())
    data = {
        f"population_{members[0].pk}": "76000",
        f"source_{members[0].pk}": "国勢調査",
        f"date_{members[0].pk}": "R2.10.1",
    }
    client = client_as("secretariat")
    assert client.post(url("population_edit", year.pk), data).status_code == 302
    figure = PopulationFigure.objects.get()
    assert (figure.population, figure.source) == (76000, "国勢調査")
    half = {f"population_{members[1].pk}": "100"}  # no source, no date
    response = client.post(url("population_edit", year.pk), half)
    assert response.status_code == 400
    assert "人口・出典・基準日をそろえて" in response.content.decode()
    assert PopulationFigure.objects.count() == 1
