"""The year's structure kept by the secretariat: opening a year (copying the programmes
and items of an earlier one), programmes, items and the report's prose — each change
logged, stale forms refused, records below never lost by a delete."""

import pytest

from renkei.audit.models import AuditEntry
from renkei.audit.services import fingerprint
from renkei.programmes.models import (
    Activity,
    ActivityGroup,
    FiscalYear,
    FiscalYearState,
    NarrativeSection,
    Programme,
)


def record_form(form_class_fields: dict, instance=None, **overrides):
    data = {
        "expected": fingerprint(instance) if instance is not None else "",
        "reason": "",
        **form_class_fields,
    }
    return {**data, **overrides}


def programme_form(programme, **overrides):
    return record_form({"number": programme.number, "name": programme.name}, programme, **overrides)


def group_form(group, **overrides):
    return record_form(
        {
            "number": group.number,
            "title": group.title,
            "short_title": group.short_title,
            "kind": group.kind,
            "provider": group.provider_id or "",
            "note": group.note,
        },
        group,
        **overrides,
    )


def narrative_form(section, **overrides):
    return record_form(
        {"key": section.key, "title": section.title, "body": section.body, "order": section.order},
        section,
        **overrides,
    )


@pytest.fixture
def structure(year, create_programme, create_activity):
    """FY2024's structure as far as these tests name it: 遠隔自治体間連携事業 with its
    交流研修 item; 研修事業 with items (1)–(7), (6) 自治体DX研修会 holding an activity and
    (7) 自治体GX研修会; the 事業概要 and まとめ prose."""
    create_programme(
        year, name="遠隔自治体間連携事業", group_title="おきたま×みなと開港プロジェクト交流研修"
    )
    programme = create_programme(year, name="研修事業", group_title="広域連携外部研修")
    titles = ["研修2", "研修3", "研修4", "研修5", "自治体DX研修会", "自治体GX研修会"]
    for number, title in enumerate(titles, start=2):
        ActivityGroup.objects.create(programme=programme, number=number, title=title)
    create_activity(group=programme.groups.get(number=6), title="自治体DX研修会")
    for order, (key, title) in enumerate([("overview", "事業概要"), ("summary", "まとめ")], 1):
        NarrativeSection.objects.create(
            fiscal_year=year, key=key, title=title, body="連携して研修を行った。", order=order
        )
    return year


@pytest.fixture
def programme(structure):
    return Programme.objects.get(fiscal_year=structure, name="研修事業")


def test_year_page_shows_programmes_items_and_prose(client_as, year, structure):
    text = client_as("member").get(f"/staff/years/{year.pk}/").content.decode()
    for fact in (
        "遠隔自治体間連携事業",
        "(1)",
        "おきたま×みなと開港プロジェクト交流研修",
        "自治体GX研修会",
        "事業概要",
        "まとめ",
    ):
        assert fact in text
    assert "事業を編集" not in text and "文章を追加" not in text  # read-only for members


@pytest.mark.parametrize("typed", ["令和7年度", "R7", "2025"])
def test_secretariat_opens_a_year_copying_the_structure(client_as, year, structure, typed):
    client = client_as("secretariat")
    response = client.post("/staff/years/new/", {"year": typed, "copy_from": year.pk})
    assert response.status_code == 302, response.content.decode()[-2000:]
    new = FiscalYear.objects.get(union=year.union, year=2025)
    assert new.state == FiscalYearState.PLANNING
    assert [
        (p.number, p.name, [(g.number, g.title, g.kind) for g in p.groups.all()])
        for p in new.programmes.all()
    ] == [
        (p.number, p.name, [(g.number, g.title, g.kind) for g in p.groups.all()])
        for p in year.programmes.all()
    ]
    assert not Activity.objects.filter(group__programme__fiscal_year=new).exists()
    entry = AuditEntry.objects.get(model="programmes.fiscalyear", object_id=str(new.pk))
    assert entry.action == "create" and "研修事業" in entry.changes["引き継いだ事業"][1]
    assert "令和7年度" in client.get("/staff/years/").content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("2024", "令和6年度（2024年度）はすでにあります。"),
        ("1900", "年度は平成元年度（1989年度）から2200年度までの間で入力してください。"),
        ("来年度", "年度として読み取れません: 来年度"),
        ("平成32年度", "平成は31年"),
    ],
)
def test_a_year_that_cannot_be_opened_says_why(client_as, year, typed, message):
    count = FiscalYear.objects.count()
    response = client_as("secretariat").post("/staff/years/new/", {"year": typed})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert FiscalYear.objects.count() == count


def test_programme_rename_is_logged(client_as, programme):
    response = client_as("secretariat").post(
        f"/staff/programmes/{programme.pk}/edit/", programme_form(programme, name="人材育成事業")
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.name == "人材育成事業"
    entry = AuditEntry.objects.get(model="programmes.programme", object_id=str(programme.pk))
    assert entry.changes == {"name": ["研修事業", "人材育成事業"]}


def test_stale_programme_form_is_refused_with_the_other_change(client_as, programme):
    client = client_as("secretariat")
    stale = programme_form(programme, name="私の変更")
    client.post(
        f"/staff/programmes/{programme.pk}/edit/", programme_form(programme, name="先の変更")
    )
    response = client.post(f"/staff/programmes/{programme.pk}/edit/", stale)
    text = response.content.decode()
    assert response.status_code == 409 and "保存していません" in text and "先の変更" in text
    programme.refresh_from_db()
    assert programme.name == "先の変更"
    # The refused form now carries the saved record's fingerprint: saving again overwrites.
    assert f'value="{fingerprint(programme)}"' in text


def test_duplicate_item_number_is_refused_and_nothing_saved(client_as, programme):
    count = ActivityGroup.objects.count()
    response = client_as("secretariat").post(
        f"/staff/programmes/{programme.pk}/groups/new/",
        {"number": 1, "title": "重複する項目", "kind": "general", "reason": ""},
    )
    assert response.status_code == 400
    assert "既に存在します" in response.content.decode()
    assert ActivityGroup.objects.count() == count


def test_new_item_takes_the_next_number_and_can_hold_activities(client_as, programme):
    client = client_as("secretariat")
    page = client.get(f"/staff/programmes/{programme.pk}/groups/new/").content.decode()
    assert 'value="8"' in page  # after (1)…(7)
    response = client.post(
        f"/staff/programmes/{programme.pk}/groups/new/",
        {
            "number": 8,
            "title": "防災研修会",
            "kind": "general",
            "note": "オンラインのみ",
            "reason": "",
        },
    )
    assert response.status_code == 302
    group = ActivityGroup.objects.get(programme=programme, number=8)
    assert group.title == "防災研修会"
    assert f"/staff/activities/new/{group.pk}/" in client.get(response["Location"]).content.decode()


def test_item_with_activities_cannot_be_deleted(client_as, programme):
    group = programme.groups.get(number=6)  # 自治体DX研修会
    response = client_as("secretariat").post(
        f"/staff/groups/{group.pk}/delete/", {"expected": fingerprint(group)}, follow=True
    )
    assert "活動が登録されています" in response.content.decode()
    assert ActivityGroup.objects.filter(pk=group.pk).exists()


def test_empty_item_is_deleted_and_logged(client_as, programme):
    group = ActivityGroup.objects.create(programme=programme, number=9, title="取りやめた研修")
    response = client_as("secretariat").post(
        f"/staff/groups/{group.pk}/delete/", {"expected": fingerprint(group)}
    )
    assert response.status_code == 302
    assert not ActivityGroup.objects.filter(pk=group.pk).exists()
    entry = AuditEntry.objects.get(model="programmes.activitygroup", object_id=str(group.pk))
    assert entry.action == "delete" and entry.changes["title"] == ["取りやめた研修", None]


def test_summary_edit_reaches_the_report(client_as, year, structure, draft_report):
    summary = NarrativeSection.objects.get(fiscal_year=year, key="summary")
    client = client_as("secretariat")
    paragraphs = len(summary.paragraphs)
    body = summary.body + "\r\n\r\n来年度は防災分野での連携も検討する。"  # as browsers send it
    response = client.post(
        f"/staff/narratives/{summary.pk}/edit/", narrative_form(summary, body=body)
    )
    assert response.status_code == 302
    summary.refresh_from_db()
    assert "\r" not in summary.body and len(summary.paragraphs) == paragraphs + 1
    report = draft_report(client, 2024, "html").content.decode()
    assert "来年度は防災分野での連携も検討する。" in report


def test_closed_year_needs_a_reason(client_as, year, structure):
    year.state = FiscalYearState.CLOSED
    year.save(update_fields=["state"])
    summary = NarrativeSection.objects.get(fiscal_year=year, key="summary")
    client = client_as("secretariat")
    url = f"/staff/narratives/{summary.pk}/edit/"
    response = client.post(url, narrative_form(summary, title="総括"))
    assert "変更の理由を入力してください" in response.content.decode()
    summary.refresh_from_db()
    assert summary.title == "まとめ"
    client.post(url, narrative_form(summary, title="総括", reason="議会の指摘により"))
    summary.refresh_from_db()
    entry = AuditEntry.objects.get(model="programmes.narrativesection", object_id=str(summary.pk))
    assert summary.title == "総括" and entry.reason == "議会の指摘により"


def test_year_state_moves_between_planning_and_running_only(client_as, year):
    client = client_as("secretariat")
    client.post(f"/staff/years/{year.pk}/state/", {"state": "planning"})
    year.refresh_from_db()
    assert year.state == FiscalYearState.PLANNING
    response = client.post(f"/staff/years/{year.pk}/state/", {"state": "closed"}, follow=True)
    assert "状態を選んでください" in response.content.decode()
    year.refresh_from_db()
    assert year.state == FiscalYearState.PLANNING


def test_hostile_text_is_inert(client_as, programme):
    client = client_as("secretariat")
    client.post(
        f"/staff/programmes/{programme.pk}/edit/",
        programme_form(programme, name="<script>alert(1)</script>"),
    )
    text = client.get(f"/staff/years/{programme.fiscal_year_id}/").content.decode()
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.mark.parametrize("extra", [0, 12])
def test_year_page_query_count_is_fixed(
    client_as, year, structure, programme, extra, django_assert_num_queries
):
    for i in range(extra):
        ActivityGroup.objects.create(programme=programme, number=20 + i, title=f"追加の項目{i}")
        Programme.objects.create(fiscal_year=year, number=10 + i, name=f"追加の事業{i}")
    client = client_as("secretariat")
    with django_assert_num_queries(10):
        client.get(f"/staff/years/{year.pk}/")
    with django_assert_num_queries(5):
        client.get("/staff/years/")


def test_item_number_zero_and_a_second_summary_are_refused_in_plain_words(
    client_as, year, structure, programme
):
    client = client_as("secretariat")
    response = client.post(
        f"/staff/programmes/{programme.pk}/groups/new/",
        {"number": 0, "title": "番号なし", "kind": "general", "reason": ""},
    )
    assert "項目の番号は1以上にしてください。" in response.content.decode()
    response = client.post(
        f"/staff/years/{year.pk}/narratives/new/",
        {"key": "summary", "title": "もう一つのまとめ", "body": "本文", "order": 9, "reason": ""},
    )
    assert "この区分の文章はこの年度にすでにあります。" in response.content.decode()
    assert not NarrativeSection.objects.filter(title="もう一つのまとめ").exists()
    assert not ActivityGroup.objects.filter(title="番号なし").exists()
