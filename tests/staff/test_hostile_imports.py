"""Hostile spreadsheets on import: each is refused (or read within bounds) with a Japanese
message and a 200 page, never a 500, and nothing is saved — a garbage zip, an HTML page
named .xlsx, XXE and billion-laughs XML, a sheet declaring A1:XFD1500, an oversize or
overlong CSV, numbers in other scripts."""

import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from renkei.finance.models import BudgetLine
from renkei.staff.spreadsheet_imports import MAX_ROWS, MAX_UPLOAD_BYTES, read_table

from .helpers import xlsx

UNREADABLE = "ファイルを読み取れません"
HEADER = ["収支", "節", "項目", "予算額", "決算額", "備考"]


def with_sheet_xml(transform) -> bytes:
    """A real .xlsx whose first sheet's XML is rewritten by ``transform``."""
    source = zipfile.ZipFile(io.BytesIO(xlsx([HEADER, ["収入", "", "負担金", "1", "1", ""]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = transform(data.decode()).encode()
            target.writestr(info.filename, data)
    return out.getvalue()


def doctype(entities: str, use: str):
    def transform(xml: str) -> str:
        head, _sep, rest = xml.partition("?>")
        rest = rest.replace("<v>1</v>", f"<v>{use}</v>", 1)
        return f"{head}?><!DOCTYPE worksheet [{entities}]>{rest}"

    return transform


LAUGHS = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
HOSTILE = {
    "garbage zip": b"PK\x03\x04" + bytes(range(256)) * 20,
    "HTML named .xlsx": b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table>",
    "XXE": with_sheet_xml(doctype('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;")),
    "billion laughs": with_sheet_xml(doctype('<!ENTITY l0 "ha">' + LAUGHS, "&l9;")),
}


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_workbook_is_refused_in_japanese(client_as, year, name):
    before = BudgetLine.objects.count()
    response = client_as("secretariat").post(
        f"/staff/years/{year.pk}/budget/import/",
        {"file": SimpleUploadedFile("budget.xlsx", HOSTILE[name])},
    )
    assert response.status_code == 200
    assert UNREADABLE in response.content.decode()
    assert BudgetLine.objects.count() == before


def declared_dimension(xml: str) -> str:
    start = xml.index("<dimension")
    return xml[:start] + '<dimension ref="A1:XFD1500"/>' + xml[xml.index("/>", start) + 2 :]


def test_declared_dimension_is_not_trusted():
    """A sheet claiming A1:XFD1500 is read as the two rows it holds, no padding."""
    data = with_sheet_xml(declared_dimension)
    rows = read_table(SimpleUploadedFile("budget.xlsx", data))
    assert rows == [{"収支": "収入", "節": "", "項目": "負担金", "予算額": "1", "決算額": "1"}]


def test_oversize_file_is_refused_before_it_is_read():
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read before the size was checked")

    upload = Unreadable("big.csv", b"")
    upload.size = MAX_UPLOAD_BYTES + 1
    with pytest.raises(ValueError, match="大きすぎます"):
        read_table(upload)


def test_too_many_rows_is_refused_with_the_limit(client_as, year):
    body = ("収支,項目,決算額\n" + "収入,負担金,1\n" * (MAX_ROWS + 1)).encode()
    response = client_as("secretariat").post(
        f"/staff/years/{year.pk}/budget/import/", {"file": SimpleUploadedFile("b.csv", body)}
    )
    assert response.status_code == 200
    assert f"{MAX_ROWS}行まで" in response.content.decode()


def post_csv(client, year, body: bytes):
    return client.post(
        f"/staff/years/{year.pk}/budget/import/", {"file": SimpleUploadedFile("b.csv", body)}
    )


def test_odd_numbers_and_nul_are_row_errors(client_as, year):
    body = (
        "収支,項目,予算額,決算額\n収入,負担金,²," + "9" * 5000 + "\n収入,負担金,\x00,٣\n"
    ).encode()
    response = post_csv(client_as("secretariat"), year, body)
    assert response.status_code == 200
    assert "0以上の整数ではありません" in response.content.decode()


def test_shift_jis_csv_is_read(client_as, year):
    body = "収支,項目,決算額\n収入,負担金（①）,1200\n".encode("cp932")
    response = post_csv(client_as("secretariat"), year, body)
    assert "負担金(1)" in response.content.decode()  # NFKC-folded
