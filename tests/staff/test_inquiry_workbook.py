"""A part answered by an Excel round trip: download the pre-filled workbook, fill it in,
upload it, check the preview, save; a bad row is shown with its error and nothing is
saved."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from renkei.inquiries.models import Answer, PartStatus
from renkei.inquiries.services import create_inquiry, send_inquiry
from renkei.programmes.models import Attendance, SectionKind
from tests.inquiries.conftest import inquiry_data

from .conftest import YONEZAWA


@pytest.fixture
def part(fy2024, users):
    secretariat = users["secretariat"]
    inquiry = send_inquiry(create_inquiry(fy2024, secretariat, inquiry_data(fy2024)), secretariat)
    return inquiry.parts.get(organisation__code=YONEZAWA)


def filled(workbook: bytes, answers: dict) -> SimpleUploadedFile:
    """The downloaded workbook with ``answers`` typed in: item text → answer, or
    (区分, item text) → answer for a row of one kind (an activity's 出席者数 and 感想
    rows name the same activity)."""
    book = load_workbook(io.BytesIO(workbook))
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    kind, item = header.index("区分") + 1, header.index("照会事項") + 1
    answer = header.index("回答") + 1
    for row in range(2, sheet.max_row + 1):
        text, row_kind = sheet.cell(row, item).value, sheet.cell(row, kind).value
        for key, value in answers.items():
            wanted_kind, wanted = key if isinstance(key, tuple) else (None, key)
            if wanted in text and (wanted_kind or row_kind) == row_kind:
                if wanted_kind is None and row_kind == "感想":
                    continue
                sheet.cell(row, answer).value = value
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("part.xlsx", out.getvalue())


def impressions(activity):
    section = activity.sections.filter(
        kind=SectionKind.IMPRESSIONS, organisation__code=YONEZAWA
    ).first()
    return section.lead if section else None


def test_a_part_answered_by_an_excel_round_trip(client, users, part):
    client.force_login(users["member"])
    download = client.get(reverse("staff:part_workbook", args=[part.pk]))
    assert download.status_code == 200
    upload = filled(
        download.content,
        {
            "旅先納税": 2,
            "ZEB導入": "参加",
            ("感想", "旅先納税"): "学びが多かった",
            "参加予定人数": "３",
            "要望": "オンライン開催を",
        },
    )
    url = reverse("staff:part_upload", args=[part.pk])
    preview = client.post(url, {"file": upload})
    assert preview.status_code == 200 and "学びが多かった" in preview.content.decode()
    assert not Answer.objects.filter(part=part).exists()  # a preview saves nothing
    assert client.post(url, {"confirm": "1"}).status_code == 302
    part.refresh_from_db()
    assert part.status == PartStatus.IN_PROGRESS
    tabisaki = part.inquiry.activities.get(title="旅先納税")
    assert impressions(tabisaki) == "学びが多かった"  # the organisation's 感想 of the session
    assert {a.question.text: a.value for a in part.answers.all()} == {
        "来年度の参加予定人数": Decimal("3.00"),
        "事務局への要望": "オンライン開催を",
    }
    counts = dict(
        Attendance.objects.filter(
            organisation__code=YONEZAWA, activity__in=part.inquiry.activities.all()
        ).values_list("activity__title", "count")
    )
    assert counts == {"旅先納税": 2, "ZEB導入セミナー": None}


def test_a_bad_row_is_shown_and_nothing_is_saved(client, users, part):
    client.force_login(users["member"])
    download = client.get(reverse("staff:part_workbook", args=[part.pk]))
    upload = filled(
        download.content,
        {"旅先納税": "たくさん", ("感想", "旅先納税"): "よかった", "参加予定人数": "三人"},
    )
    response = client.post(reverse("staff:part_upload", args=[part.pk]), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 400
    assert "人数は0以上の整数" in page and "数値を入力してください" in page
    assert 'name="confirm"' not in page
    part.refresh_from_db()
    assert not Answer.objects.filter(part=part).exists()
    assert impressions(part.inquiry.activities.get(title="旅先納税")) is None


def test_another_member_cannot_upload_into_the_part(client, users, part):
    client.force_login(users["other_member"])
    assert client.get(reverse("staff:part_upload", args=[part.pk])).status_code == 404
    assert client.get(reverse("staff:part_workbook", args=[part.pk])).status_code == 404
