"""The event list in the national format: CSV, XLSX, JSON and the per-year ZIP."""

import csv
import io
import json
import zipfile
from datetime import date, time

import pytest
from openpyxl import load_workbook

from renkei.errors import RenkeiError
from renkei.exporters import Column, Exporter, neutralise
from renkei.opendata.events import EVENT_COLUMNS
from renkei.opendata.models import PublishedId
from renkei.programmes.models import Activity, ScheduleDay, Venue

REQUIRED = [c.name for c in EVENT_COLUMNS if c.required]


def read_csv(response) -> tuple[list[str], list[dict]]:
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    text = body.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader)
    return header, [dict(zip(header, row, strict=True)) for row in reader]


def day(activity, on, start, end, venue, municipality=None, **fields):
    held = ScheduleDay.objects.create(
        activity=activity, date=on, start_time=time(*start), end_time=time(*end)
    )
    Venue.objects.create(day=held, name=venue, municipality=municipality, **fields)


@pytest.fixture
def public_activities(create_member_union, create_year, create_activity):
    """FY2024 of a union with 置賜's members: three public activities with dates (the event
    list needs one, tests/portal/test_undated.py), in order of pk — 交流研修 (11 March
    2025 13:30–17:00 at 長井市役所, 12 March 09:00–15:30), a workshop on 15 June 2024 and
    a booth on 20 March 2025, the last published — and a private one with a date."""
    from renkei.tenancy.models import Organisation

    union = create_member_union()
    year = create_year(union, 2024)
    nagai, nanyo = (Organisation.objects.get(code=code) for code in ("062090", "062138"))
    training = create_activity(
        year, title="交流研修", kind="exchange_training", is_public=True, purpose="職員の交流"
    )
    day(training, date(2025, 3, 11), (13, 30), (17, 0), "長井市役所", nagai)
    day(training, date(2025, 3, 12), (9, 0), (15, 30), "長井市役所", nagai)
    group = training.group
    workshop = create_activity(group=group, title="公開の研修会", kind="workshop", is_public=True)
    day(workshop, date(2024, 6, 15), (10, 0), (12, 0), "えくぼプラザ", nanyo)
    private = create_activity(group=group, title="非公開の視察", kind="inspection_visit")
    day(private, date(2024, 9, 1), (10, 0), (11, 0), "えくぼプラザ", nanyo)
    booth = create_activity(group=group, title="物産展", kind="festival_booth", is_public=True)
    day(booth, date(2025, 3, 20), (10, 0), (16, 0), "芝公園", address="東京都港区芝公園")
    return [training, workshop, booth]


def test_csv_has_standard_header_and_required_columns_filled(client, public_activities):
    header, rows = read_csv(client.get("/opendata/events.csv?year=2024"))
    assert header == [c.name for c in EVENT_COLUMNS]
    assert header[:3] == ["全国地方公共団体コード", "ID", "地方公共団体名"]
    assert sorted(r["イベント名"] for r in rows) == sorted(
        a.display_heading for a in public_activities
    )
    for row in rows:
        empty = [name for name in REQUIRED if not row[name].strip()]
        assert not empty, (row["イベント名"], empty)
    training = next(r for r in rows if r["イベント名"] == "交流研修")
    assert (training["開始日"], training["終了日"]) == ("2025-03-11", "2025-03-12")
    assert (training["開始時間"], training["終了時間"]) == ("13:30", "15:30")
    assert "3月12日 09:00～15:30" in training["開始日時特記事項"]
    assert training["イベント名_カナ"] == "コウリュウケンシュウ"
    assert "山形県長井市" in training["住所"].split(";")
    assert training["URL"].endswith(f"/activities/{public_activities[0].pk}/")


def test_unpublished_activities_never_leave_the_system(
    client, create_two_town_union, create_year, create_activity
):
    year = create_year(create_two_town_union(), 2024)
    create_activity(year, title="公開の研修会", on=date(2024, 6, 15), is_public=True)
    private = create_activity(year, title="非公開の研修会", on=date(2024, 7, 1))
    body = client.get("/opendata/events.csv").content.decode("utf-8-sig")
    assert private.title not in body
    private.is_public = True
    private.save()
    assert private.title in client.get("/opendata/events.csv").content.decode("utf-8-sig")


def test_ids_are_stable_and_never_reused(client, public_activities):
    _h, first = read_csv(client.get("/opendata/events.csv"))
    ids = {r["イベント名"]: r["ID"] for r in first}
    _h, again = read_csv(client.get("/opendata/events.csv"))
    assert {r["イベント名"]: r["ID"] for r in again} == ids
    public_activities[-1].delete()  # the activity with the highest published ID (the latest)
    newcomer = Activity.objects.filter(is_public=False, days__isnull=False).first()
    newcomer.is_public = True
    newcomer.save()
    _h, after = read_csv(client.get("/opendata/events.csv"))
    new_id = next(r["ID"] for r in after if r["イベント名"] == newcomer.display_heading)
    assert new_id not in ids.values()
    with pytest.raises(RenkeiError):
        PublishedId.objects.first().delete()


def test_zip_validates_with_frictionless(client, public_activities, tmp_path):
    from frictionless import Package

    response = client.get("/opendata/2024.zip")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert set(archive.namelist()) == {
            "events.csv",
            "events.json",
            "datapackage.json",
            "README.md",
        }
        archive.extractall(tmp_path)
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "ライセンス" in readme and "CC-BY-4.0" in readme
    report = Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    fields = package["resources"][0]["schema"]["fields"]
    assert [f["name"] for f in fields] == [c.name for c in EVENT_COLUMNS]
    assert len(json.loads((tmp_path / "events.json").read_text())["items"]) == len(
        public_activities
    )


def test_zip_reports_a_broken_file(client, public_activities, tmp_path):
    """The validation above can fail: a date in the wrong format is caught."""
    from frictionless import Package

    with zipfile.ZipFile(io.BytesIO(client.get("/opendata/2024.zip").content)) as archive:
        archive.extractall(tmp_path)
    csv_path = tmp_path / "events.csv"
    csv_path.write_bytes(csv_path.read_bytes().replace(b"2024-06-15", b"R6.6.15", 1))
    assert not Package(str(tmp_path / "datapackage.json")).validate().valid


def test_json_carries_licence_and_rows(client, public_activities, settings):
    settings.RENKEI_OPEN_DATA_LICENCE = "PDL-1.0"
    body = client.get("/opendata/events.json").json()
    assert body["license"]["name"] == "PDL-1.0"
    assert body["columns"] == [c.name for c in EVENT_COLUMNS]
    assert len(body["items"]) == len(public_activities)
    assert "公共データ利用規約" in client.get("/opendata/").content.decode()


def test_xlsx_has_the_same_rows(client, public_activities):
    response = client.get("/opendata/events.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [c.name for c in EVENT_COLUMNS]
    assert len(rows) == 1 + len(public_activities)


class _Evil(Exporter):
    columns = (Column("a"), Column("b", type="integer"))

    def rows(self):
        yield {"a": '=HYPERLINK("http://x")', "b": -3}
        yield {"a": "@SUM(1)", "b": None}
        yield {"a": "+1", "b": 2}
        yield {"a": "-1", "b": 0}
        yield {"a": "普通の文字", "b": 1}


def test_formula_injection_is_neutralised_in_csv_and_xlsx():
    text = _Evil().to_csv_bytes().decode("utf-8-sig")
    assert [line.split(",")[0] for line in text.split("\r\n")[1:-1]] == [
        '"\'=HYPERLINK(""http://x"")"',
        "'@SUM(1)",
        "'+1",
        "'-1",
        "普通の文字",
    ]
    assert ",-3\r\n" in text  # numbers stay numbers
    sheet = load_workbook(io.BytesIO(_Evil().to_xlsx_bytes())).active
    cell = sheet["A2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")
    assert neutralise(None) == ""


@pytest.mark.parametrize("query", ["year=abc", "year=20245", "year=1800", "colour=red"])
def test_bad_parameters_get_400_in_japanese(client, create_two_town_union, query):
    create_two_town_union()
    response = client.get(f"/opendata/events.csv?{query}")
    assert response.status_code == 400
    assert "指定" in response.content.decode()


def test_unknown_year_zip_is_404(client, create_two_town_union, create_year):
    create_year(create_two_town_union(), 2024)
    assert client.get("/opendata/99999.zip").status_code == 404
