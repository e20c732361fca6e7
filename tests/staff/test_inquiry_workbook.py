"""A part answered by an Excel round trip: download the pre-filled workbook, fill it in,
upload it, check the preview, save; a bad row is shown with its error and nothing is
saved."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from renkei.inquiries.models import Answer, PartStatus
from renkei.inquiries.services import create_inquiry, send_inquiry
from renkei.programmes.models import Activity, Attendance, SectionKind
from renkei.programmes.services import record_attendance
from renkei.reports.jobs import request_job
from renkei.staff.attendance_rows import saved_values
from renkei.tenancy.models import Organisation
from tests.inquiries.conftest import inquiry_data

from .conftest import YONEZAWA


@pytest.fixture
def part(year, staff, create_inquiry_year):
    """米沢市's part of a sent 照会 asking about 旅先納税 and ZEB導入セミナー, the
    initiatives of 遠隔自治体間連携事業 and two questions."""
    create_inquiry_year(year)
    secretariat = staff["secretariat"]
    inquiry = send_inquiry(create_inquiry(year, secretariat, inquiry_data(year)), secretariat)
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


def confirm(client, url, run_jobs) -> str:
    """Confirm the previewed upload; a job saves it. The job's page, once it ran."""
    asked = client.post(url, {"confirm": "1"})
    assert asked.status_code == 302 and "/reports/jobs/" in asked["Location"]
    assert run_jobs() == 1
    return client.get(asked["Location"]).content.decode()


def test_a_part_answered_by_an_excel_round_trip(client, staff, part, run_jobs):
    client.force_login(staff["member"])
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
    page = confirm(client, url, run_jobs)
    assert "行を読み込みました。" in page
    assert reverse("staff:part_detail", args=[part.pk]) in page  # back to the part
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


def test_a_part_refused_at_commit_saves_nothing_and_says_why(client, staff, part, run_jobs):
    """The secretariat changed 米沢市's attendance at 旅先納税 between the preview and the
    job: the service refuses the stale row, the job's page says why, and nothing of the
    workbook (answers, impressions) is saved."""
    client.force_login(staff["member"])
    download = client.get(reverse("staff:part_workbook", args=[part.pk]))
    upload = filled(
        download.content,
        {"旅先納税": 2, ("感想", "旅先納税"): "学びが多かった", "要望": "オンライン開催を"},
    )
    url = reverse("staff:part_upload", args=[part.pk])
    assert client.post(url, {"file": upload}).status_code == 200
    tabisaki = part.inquiry.activities.get(title="旅先納税")
    yonezawa = Organisation.objects.get(code=YONEZAWA)
    before = saved_values(tabisaki).get(yonezawa.pk)
    record_attendance(
        tabisaki,
        staff["secretariat"],
        counts={yonezawa.pk: 5},
        seen={yonezawa.pk: before},
        reason="名簿で確認",
    )
    asked = client.post(url, {"confirm": "1"})
    run_jobs()
    page = client.get(asked["Location"]).content.decode()
    assert "あなたが画面を開いた後に" in page and "保存していません。" in page
    assert not Answer.objects.filter(part=part).exists()
    assert impressions(tabisaki) is None
    assert saved_values(tabisaki)[yonezawa.pk] == 5


def test_a_bad_row_is_shown_and_nothing_is_saved(client, staff, part):
    client.force_login(staff["member"])
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


def test_another_member_cannot_upload_into_the_part(client, staff, part):
    client.force_login(staff["other_member"])
    assert client.get(reverse("staff:part_upload", args=[part.pk])).status_code == 404
    assert client.get(reverse("staff:part_workbook", args=[part.pk])).status_code == 404
    # Nor have a job save into it: the kind asks what the view asks (the own part).
    for role in ("other_member", "secretariat"):
        with pytest.raises(PermissionDenied):
            request_job(
                "part_workbook_import",
                user=staff[role],
                fiscal_year=part.inquiry.fiscal_year,
                params={"part": part.pk, "rows": []},
            )


def test_initiatives_by_excel_round_trip(client, staff, part, run_jobs):
    """New rows create initiatives led by the recipient; an edited row changes its own
    initiative through the same services; a bad row saves nothing at all."""
    client.force_login(staff["member"])
    url = reverse("staff:part_upload", args=[part.pk])
    group = part.inquiry.programmes.get().groups.get(number=3)
    book = load_workbook(
        io.BytesIO(client.get(reverse("staff:part_workbook", args=[part.pk])).content)
    )
    sheet = book.active
    header = [cell.value for cell in sheet[1]]
    column = {name: header.index(name) + 1 for name in header}
    new_row = next(
        r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == f"新規-{group.pk}"
    )
    for name, value in {
        "回答": "米沢牛フェア出展",
        "日付": "R6.11.3",
        "会場": "港区役所前",
        "内容": "米沢牛の串焼きを販売",
    }.items():
        sheet.cell(new_row, column[name]).value = value
    sheet.append([f"新規-{group.pk}", "取組", "", "上杉まつりPR", "令和6年5月3日", "", ""])
    sheet.append([f"新規-{group.pk}", "取組", "", "日付のない取組", "R6.13.40", "", ""])

    def upload():
        out = io.BytesIO()
        book.save(out)
        return SimpleUploadedFile("part.xlsx", out.getvalue())

    bad = client.post(url, {"file": upload()})
    text = bad.content.decode()
    assert bad.status_code == 400 and "日付「R6.13.40」" in text and 'name="confirm"' not in text
    assert not Activity.objects.filter(title="米沢牛フェア出展").exists()

    sheet.delete_rows(sheet.max_row)
    preview = client.post(url, {"file": upload()})
    assert preview.status_code == 200 and "米沢牛フェア出展" in preview.content.decode()
    assert not Activity.objects.filter(title="米沢牛フェア出展").exists()  # preview only
    assert "行を読み込みました。" in confirm(client, url, run_jobs)
    fair = Activity.objects.get(title="米沢牛フェア出展")
    assert [o.code for o in fair.leads()] == [YONEZAWA] and fair.group == group
    day = fair.days.get()
    assert day.date == date(2024, 11, 3) and day.venues.get().name == "港区役所前"
    assert fair.description == "米沢牛の串焼きを販売"
    assert Activity.objects.filter(title="上杉まつりPR", group=group).exists()

    # Downloaded again: the new initiative is a row of its own; its changes are saved.
    book = load_workbook(
        io.BytesIO(client.get(reverse("staff:part_workbook", args=[part.pk])).content)
    )
    sheet = book.active
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == f"R{fair.pk}")
    assert sheet.cell(row, column["日付"]).value == "令和6年11月3日"
    sheet.cell(row, column["回答"]).value = "米沢牛フェア出展 港区"
    client.post(url, {"file": upload()})
    assert "行を読み込みました。" in confirm(client, url, run_jobs)
    fair.refresh_from_db()
    assert fair.title == "米沢牛フェア出展 港区" and fair.days.get().date == date(2024, 11, 3)
