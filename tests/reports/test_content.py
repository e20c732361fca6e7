"""The report's content beyond the reference: photos with captions, charts, the
participation table, and a fixed number of queries whatever the number of activities.

The items, charts and table of FY2024 itself are reference tests (the seed's report);
photos and the number of queries are tried on a factory-made year."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renkei.programmes.models import Activity, ActivityGroup, GroupKind, Lecturer, Photo
from renkei.reports.data import build_report
from renkei.reports.renderers import render

from .extract import fold, pdf_text

pytestmark = pytest.mark.django_db


def items_of(report, heading):
    page = next(p.activity for p in report.pages if p.activity and p.activity.heading == heading)
    return [item.label for item in page.items]


@pytest.mark.reference
def test_items_follow_the_reference_per_activity(report):
    assert items_of(report, "交流研修") == ["テーマ", "日時", "場所", "講師", "出席者", "内容"]
    assert items_of(report, "「ふれ愛まつりだ、芝地区！」") == [
        "概要",
        "月日",
        "場所",
        "来場者",
        "内容",
    ]
    assert items_of(report, "自治体DX研修会") == ["内容", "月日", "場所", "講師", "出席者"]


def test_photos_appear_with_captions_in_every_document(
    year, create_activity, settings, tmp_path, jpeg
):
    settings.MEDIA_ROOT = tmp_path
    activity, dx = (
        create_activity(year, title=title, kind="workshop", on=date(2024, 8, 20))
        for title in ("自治体GX研修会", "自治体DX研修会")
    )
    for workshop in (activity, dx):
        Lecturer.objects.create(activity=workshop, name="置賜 太郎")
    Photo.objects.create(
        activity=activity,
        image=jpeg("gx.jpg"),
        caption="千代田クリーンセンターでの講義",
        alt_text="講師が説明する様子",
    )
    report = build_report(year)
    assert items_of(report, "自治体GX研修会")[-1] == "写真"
    assert items_of(report, "自治体DX研修会")[-1] != "写真"  # no photos, no empty heading
    html = render(report, "html").decode("utf-8")
    assert 'alt="講師が説明する様子"' in html and "data:image/jpeg;base64," in html
    assert "千代田クリーンセンターでの講義" in html
    pdf = render(report, "pdf")
    assert fold("千代田クリーンセンターでの講義") in fold(pdf_text(pdf))
    from pypdf import PdfReader

    sizes = [image.image.size for page in PdfReader(io.BytesIO(pdf)).pages for image in page.images]
    assert (480, 320) in sizes  # the stored photo itself, embedded
    import docx

    document = docx.Document(io.BytesIO(render(report, "docx")))
    # the photo, the chart of members' counts (米沢市 22) and the expenditure chart
    assert len(document.inline_shapes) == 3
    captions = [
        p.text
        for t in document.tables
        for r in t.rows
        for c in r.cells
        for p in c.paragraphs
        if p.style.name == "Caption"
    ]
    assert captions == ["千代田クリーンセンターでの講義"]


@pytest.mark.reference
def test_charts_and_participation_table(report):
    """A row for every activity with attendance recorded (the three workshops and every
    seminar session); the initiatives each member led."""
    st = report.statistics
    assert st.members[:3] == ["米沢市", "長井市", "南陽市"]
    assert st.columns == ["活動", *st.members, "その他の団体", "内訳不明", "計"]
    assert st.led.members == [3, 0, 3, 1, 0, 0, 3, 1] and st.led.total == 11
    labels = [row.label for row in st.participation]
    assert labels[0] == "交流研修" and labels[-2:] == ["自治体DX研修会", "自治体GX研修会"]
    assert "ZEB導入セミナー" in labels and len(labels) == 20
    assert ("旅費", 1_643_460) in st.expenditure_by_section
    html = render(report, "html").decode("utf-8")
    assert html.count('src="data:image/svg+xml;base64,') == 1  # no member has a known count
    assert "－: 記録なし" in html


def test_queries_do_not_grow_with_activities(year, create_activity):
    group = ActivityGroup.objects.create(
        programme=year.activity.group.programme,
        number=2,
        title="広域連携外部研修",
        kind=GroupKind.SEMINAR_SERIES,
    )
    for title in ("ZEB導入セミナー", "旅先納税セミナー"):
        create_activity(group=group, title=title, kind="external_seminar", attendee_total=2)
    with CaptureQueriesContext(connection) as before:
        build_report(year)
    for n in range(10, 20):
        Activity.objects.create(
            group=group,
            sub_number=n,
            title=f"追加セミナー{n}",
            kind="external_seminar",
            attendee_total=1,
        )
    with CaptureQueriesContext(connection) as after:
        build_report(year)
    assert len(after.captured_queries) == len(before.captured_queries)
