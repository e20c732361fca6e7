"""A fiscal year's open data as one ZIP: the event list as CSV and JSON, its data
dictionary (datapackage.json, Frictionless Data Package) and a README in Japanese."""

import io
import json
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from renkei import wareki

from .events import EventListExporter


@dataclass(frozen=True)
class Licence:
    key: str
    title: str
    url: str


LICENCES = {
    "CC-BY-4.0": Licence(
        "CC-BY-4.0",
        "クリエイティブ・コモンズ 表示 4.0 国際",
        "https://creativecommons.org/licenses/by/4.0/deed.ja",
    ),
    "PDL-1.0": Licence(
        "PDL-1.0",
        "公共データ利用規約（第1.0版）",
        "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0",
    ),
}

CSV_NAME = "events.csv"
JSON_NAME = "events.json"


def current_licence() -> Licence:
    """The licence set by ``RENKEI_OPEN_DATA_LICENCE`` (CC-BY-4.0 unless set)."""
    key = getattr(settings, "RENKEI_OPEN_DATA_LICENCE", "CC-BY-4.0")
    return LICENCES.get(key, LICENCES["CC-BY-4.0"])


def events_json(exporter: EventListExporter) -> bytes:
    """The event list as JSON: licence, column order and one object per row."""
    licence = current_licence()
    body = {
        "title": _("イベント一覧"),
        "publisher": exporter.union.organisation.name,
        "license": {"name": licence.key, "title": licence.title, "path": licence.url},
        "columns": exporter.header,
        "items": exporter.to_records(),
    }
    return json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8")


def field_schema(column) -> dict:
    field = {"name": column.name, "type": column.type, "description": column.description}
    if column.format:
        field["format"] = column.format
    # All-day activities leave the ★ time columns empty (the standard has no all-day column).
    if column.required and column.type != "time":
        field["constraints"] = {"required": True}
    return field


def datapackage(exporter: EventListExporter, year: int) -> dict:
    licence = current_licence()
    union = exporter.union.organisation.name
    return {
        "profile": "data-package",
        "name": f"{exporter.union.slug}-events-{year}",
        "title": _("%(union)s %(year)s イベント一覧")
        % {"union": union, "year": wareki.format_fiscal_year(year)},
        "licenses": [{"name": licence.key, "title": licence.title, "path": licence.url}],
        "resources": [
            {
                "name": "events",
                "path": CSV_NAME,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8-sig",
                "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
                "schema": {
                    "fields": [field_schema(c) for c in exporter.columns],
                    "primaryKey": ["ID"],
                    "missingValues": [""],
                },
            }
        ],
    }


README = """# {title}

{union}が公開する広域連携事業の活動（イベント一覧）です。

- 対象: {year_label}（{start}～{end}）の活動のうち、事務局が公開としたもので日程があるもの
- 形式: 自治体標準オープンデータセット「イベント一覧」の列構成
- ファイル:
  - events.csv: UTF-8（BOM付き）、改行 CRLF、1行目が項目名
  - events.json: 同じ内容の JSON（items の各要素が1行）
  - datapackage.json: データ辞書（Frictionless Data Package 形式。列の型と必須項目）
- 日付は西暦 YYYY-MM-DD、時刻は hh:mm（24時間）です。和暦は「備考」に添えています。
- 時刻の定めのない終日の活動は、開始時間・終了時間を空欄とし「開始日時特記事項」に記します。
- 複数日の活動は1行で、開始日に初日、終了日に最終日を記します。日ごとの時間は「開始日時特記事項」にあります。
- 複数の値は ; で区切ります。
- ID は活動ごとに固定で、一度公開したIDは別の活動に再利用しません。
- 「イベント名_カナ」は、事務局が入力した読みがなければ自動で付けた読みです。
- 表計算ソフトで数式として扱われないよう、= + - @ で始まる文字列の先頭に ' を付けています。

## 項目

{fields}

## ライセンス

{licence_title}（{licence_key}）: {licence_url}
出典を「{union}」と表示してください。
"""


def readme(exporter: EventListExporter, year: int) -> str:
    licence = current_licence()
    start, end = wareki.fiscal_year_bounds(year)
    fields = "\n".join(
        f"- {c.name}{'（必須）' if c.required else ''}: {c.type}"
        + (f" — {c.description}" if c.description else "")
        for c in exporter.columns
    )
    union = exporter.union.organisation.name
    year_label = wareki.format_fiscal_year(year)
    return README.format(
        title=_("%(union)s %(year)s イベント一覧") % {"union": union, "year": year_label},
        union=union,
        year_label=year_label,
        start=start.isoformat(),
        end=end.isoformat(),
        fields=fields,
        licence_title=licence.title,
        licence_key=licence.key,
        licence_url=licence.url,
    )


def year_bundle(exporter: EventListExporter, year: int) -> bytes:
    """The ZIP of one fiscal year (``exporter`` already limited to that year)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(CSV_NAME, exporter.to_csv_bytes())
        archive.writestr(JSON_NAME, events_json(exporter))
        archive.writestr(
            "datapackage.json",
            json.dumps(datapackage(exporter, year), ensure_ascii=False, indent=1),
        )
        archive.writestr("README.md", readme(exporter, year))
    return buffer.getvalue()
