"""The union's change history page (secretariat and auditors): only the own union's
entries, filters (和暦 or ISO dates, user, kind, operation, words), pages with a fixed
number of queries, links to the records, and the CSV / Excel export."""

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from renkei.audit.models import AuditEntry
from renkei.audit.services import fingerprint, record_change
from renkei.finance.models import BudgetLine
from renkei.programmes.models import NarrativeSection

HISTORY = "/staff/history/"
TOKYO = ZoneInfo("Asia/Tokyo")


def entry(user, instance, *, at=None, reason="", changes=None, action="update"):
    """One change-log entry of ``instance``'s union, dated ``at`` (Tokyo time) if given."""
    from renkei.tenancy.permissions import union_of

    made = record_change(
        user=user,
        action=action,
        instance=instance,
        union=union_of(instance),
        reason=reason,
        changes=changes,
    )
    if at is not None:
        AuditEntry.objects.filter(pk=made.pk).update(at=at.replace(tzinfo=TOKYO))
    return made


@pytest.fixture
def history(year, initiative, other_union, staff, create_budget_line):
    """Three entries of the union on either side of a Tokyo midnight, one of another union;
    the year has two budget lines."""
    exhibition = initiative
    line = create_budget_line(year)
    create_budget_line(year, section=7, item="講師謝礼", budgeted=100000)
    return {
        "activity": entry(
            staff["member"],
            exhibition,
            at=datetime(2025, 3, 11, 23, 30),
            reason="会場の変更",
            changes={"title": ["旧会場の展示", "札の辻の展示"]},
        ),
        "line": entry(
            staff["secretariat"],
            line,
            at=datetime(2025, 3, 12, 0, 30),
            reason="決算の訂正",
            changes={"settled": [1000, 1200]},
        ),
        "year": entry(
            staff["secretariat"],
            year,
            at=datetime(2024, 4, 1, 9, 0),
            action="state",
            changes={"state": ["planning", "running"]},
        ),
        "foreign": entry(
            None,
            other_union.fiscal_years.get(),
            reason="他組合の理由",
            changes={"state": ["planning", "running"]},
        ),
        "exhibition": exhibition,
        "budget_line": line,
    }


def test_auditor_reads_the_union_history_newest_first(client_as, history):
    response = client_as("auditor").get(HISTORY)
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [row.at for row in rows] == sorted((row.at for row in rows), reverse=True)
    text = response.content.decode()
    assert text.index("決算の訂正") < text.index("会場の変更")  # 0:30 on the 12th first
    first = next(row for row in rows if row.reason == "会場の変更")
    assert (first.date_label, first.time_label) == ("令和7年3月11日", "23:30")
    assert first.kind == "活動" and first.action == "変更"
    assert "旧会場の展示 → 札の辻の展示" in text  # the changed field, old → new
    assert [(c.label, c.old, c.new) for c in first.changes] == [
        ("名称", "旧会場の展示", "札の辻の展示")
    ]


def test_another_unions_entries_never_appear(client_as, history, other_union, make_user, via_job):
    outsider = make_user("secretariat", union=other_union, username="outsider")
    history["foreign"].user = outsider
    history["foreign"].save()
    for role in ("secretariat", "auditor"):
        client = client_as(role)
        page = client.get(HISTORY).content.decode()
        export = via_job(client, "/staff/history/export.csv").content.decode("utf-8-sig")
        for text in (page, export):
            assert "他組合の理由" not in text and "テスト広域連合" not in text
            assert "outsider" not in text
    form = client.get(HISTORY).context["form"]
    assert outsider not in form.fields["user"].queryset
    # choosing the other union's user is refused, not answered with its entries
    response = client.get(HISTORY, {"user": outsider.pk})
    assert "他組合の理由" not in response.content.decode()
    assert response.context["form"].errors["user"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"date_from": "R7.3.12", "date_to": "2025-12-31"}, {"決算の訂正"}),  # 和暦, Tokyo days
        ({"date_to": "2025-03-11"}, {"会場の変更", ""}),
        ({"date_from": "令和7年3月11日", "date_to": "令和7年3月11日"}, {"会場の変更"}),
        ({"model": "finance.budgetline"}, {"決算の訂正"}),
        ({"action": "state", "date_to": "2024-04-30"}, {""}),
        ({"q": "会場"}, {"会場の変更"}),  # words in the reason
        ({"q": "札の辻スクエア"}, {"会場の変更"}),  # words in the record
    ],
)
def test_filters(client_as, history, query, expected):
    response = client_as("auditor").get(HISTORY, query)
    assert response.context["form"].is_valid()
    assert {row.reason for row in response.context["rows"]} == expected


def test_user_filter(client_as, history, staff):
    response = client_as("secretariat").get(HISTORY, {"user": staff["member"].pk})
    assert {row.reason for row in response.context["rows"]} == {"会場の変更"}


def test_invalid_period_is_reported_in_japanese(client_as, history):
    response = client_as("auditor").get(HISTORY, {"date_from": "R7.3.12", "date_to": "R7.3.1"})
    assert "期間の終わりが始まりより前になっています" in response.content.decode()
    response = client_as("auditor").get(HISTORY, {"date_from": "いつか", "q": "会場"})
    assert response.status_code == 200 and response.context["form"].errors["date_from"]
    assert {row.reason for row in response.context["rows"]} == {"会場の変更"}


def test_records_link_to_their_staff_pages(client_as, history):
    exhibition, line = history["exhibition"], history["budget_line"]
    rows = {row.reason: row for row in client_as("auditor").get(HISTORY).context["rows"]}
    assert rows["会場の変更"].url == f"/staff/activities/{exhibition.pk}/"
    assert rows["決算の訂正"].url == "/staff/budget/?year=2024"  # auditors cannot edit lines
    assert rows[""].url is None
    rows = {row.reason: row for row in client_as("secretariat").get(HISTORY).context["rows"]}
    assert rows["決算の訂正"].url == f"/staff/budget/lines/{line.pk}/"


def test_pages_keep_the_filters(client_as, initiative, staff):
    exhibition = initiative
    for i in range(55):
        entry(staff["secretariat"], exhibition, reason=f"一括 {i}")
    client = client_as("auditor")
    first = client.get(HISTORY, {"q": "一括"})
    assert len(first.context["rows"]) == 50 and first.context["page"].paginator.count == 55
    assert 'href="?q=%E4%B8%80%E6%8B%AC&amp;page=2"' in first.content.decode()
    second = client.get(HISTORY, {"q": "一括", "page": 2})
    assert [row.reason for row in second.context["rows"]] == [f"一括 {i}" for i in range(4, -1, -1)]


@pytest.mark.parametrize("extra", [0, 30])
def test_history_query_count_is_fixed(client_as, history, staff, django_assert_num_queries, extra):
    """The first page holds every kind of entry, however many there are: the union's
    creation (naming its organisation) and its six users', the three of ``history``,
    then the extra ones, older."""
    lines = list(BudgetLine.objects.filter(fiscal_year=history["budget_line"].fiscal_year))
    older = datetime(2024, 1, 1, 9, 0)
    for i in range(extra):
        entry(staff["member"], history["exhibition"], at=older, reason=f"追加 {i}")
        entry(
            staff["secretariat"], lines[i % len(lines)], at=older, changes={"note": ["", f"注 {i}"]}
        )
    client = client_as("auditor")
    with django_assert_num_queries(12):
        response = client.get(HISTORY)
    assert len(response.context["rows"]) == min(50, 1 + 6 + 3 + 2 * extra)


def test_export_query_count_does_not_grow_with_the_entries(
    year, staff, create_budget_line, create_programme
):
    """The export names the records entries refer to by id — budget lines (whose name
    reads their section), programmes (their year), unions (their organisation) — with
    one query per kind of record, however many entries and records: 3 entries or 30."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from renkei.programmes.models import ActivityGroup
    from renkei.staff.history_queries import history_entries
    from renkei.staff.spreadsheet_exports import HistoryExporter

    create_budget_line(year)
    create_budget_line(year, section=7, item="講師謝礼", budgeted=100000)
    create_programme(year)
    create_programme(year, name="研修事業")
    lines = list(BudgetLine.objects.filter(fiscal_year=year))
    groups = list(ActivityGroup.objects.filter(programme__fiscal_year=year))
    kinds = [
        ("finance.expense", lambda i: {"line": lines[i % len(lines)].pk, "amount": i}),
        ("programmes.activitygroup", lambda i: {"programme": groups[i % len(groups)].programme_id}),
        ("programmes.fiscalyear", lambda i: {"union": [None, year.union_id]}),
    ]

    def add(start, stop):
        AuditEntry.objects.bulk_create(
            AuditEntry(
                union=year.union,
                user=staff["secretariat"],
                action="update",
                model=label,
                object_id=str(i),
                object_repr=f"記録 {i}",
                changes=changes(i),
            )
            for i in range(start, stop)
            for label, changes in [kinds[i % len(kinds)]]
        )

    def export() -> tuple[int, bytes]:
        with CaptureQueriesContext(connection) as queries:
            made = HistoryExporter(history_entries(staff["auditor"], {"q": "記録"})).to_csv_bytes()
        return len(queries.captured_queries), made

    add(0, 3)
    few, made = export()
    assert made.decode("utf-8-sig").count("記録 ") == 3
    add(3, 30)
    many, made = export()
    text = made.decode("utf-8-sig")
    assert text.count("記録 ") == 30 and "（削除済み）" not in text
    assert few == many


def test_export_is_filtered_and_neutralises_formulas(client_as, history, staff, via_job):
    entry(
        staff["secretariat"],
        history["exhibition"],
        reason='=HYPERLINK("http://evil")',
        changes={"title": ["a", "@SUM(1)"]},
    )
    client = client_as("auditor")
    response = via_job(client, "/staff/history/export.csv?model=programmes.activity")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="history.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["日時", "日付", "時刻", "利用者"]
    reasons = [row[8] for row in rows[1:]]
    assert reasons == ['\'=HYPERLINK("http://evil")', "会場の変更"]  # newest first, activities
    assert rows[2][9] == "名称: 旧会場の展示 → 札の辻の展示"
    book = load_workbook(io.BytesIO(via_job(client, "/staff/history/export.xlsx").content))
    values = list(book.active.iter_rows(values_only=True))
    assert values[1][8] == '\'=HYPERLINK("http://evil")'
    assert not any(str(cell).startswith("=") for row in values for cell in row if cell)


def test_menu_links_history_for_who_may_read_it(client_as, staff, year):
    for role, shown in (
        ("secretariat", True),
        ("auditor", True),
        ("member", False),
        ("partner", False),
    ):
        page = client_as(role).get("/staff/").content.decode()
        assert ('href="/staff/history/"' in page) is shown, role


def test_secretariat_exports_the_users(client_as, staff, other_union, make_user):
    make_user("secretariat", union=other_union, username="outsider")
    client = client_as("secretariat")
    response = client.get("/staff/users/export.csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "ユーザー名",
        "氏名",
        "メールアドレス",
        "所属",
        "役割",
        "状態",
        "最終ログイン",
    ]
    names = {row[0] for row in rows[1:]}
    assert staff["auditor"].username in names and "outsider" not in names
    book = load_workbook(io.BytesIO(client.get("/staff/users/export.xlsx").content))
    assert book.active.cell(row=1, column=1).value == "ユーザー名"


def test_record_history_names_fields_in_japanese_and_keeps_plain_values_whole(client_as, year):
    # the entry a load from a data file writes on its year (renkei.operations.seed)
    record_change(
        user=None,
        action=AuditEntry.Action.LOAD,
        instance=year,
        union=year.union,
        changes={"source": "fy2024.json"},
    )
    summary = NarrativeSection.objects.create(
        fiscal_year=year, key="summary", title="まとめ", body="一年の交流を振り返る。", order=1
    )
    client = client_as("secretariat")
    text = client.get(f"/staff/years/{year.pk}/").content.decode()
    assert "fy2024.json" not in text  # the load's source file is bookkeeping
    assert "f → y" not in text
    client.post(
        f"/staff/narratives/{summary.pk}/edit/",
        {
            "key": summary.key,
            "title": "総括",
            "body": summary.body,
            "order": summary.order,
            "expected": fingerprint(summary),
        },
    )
    text = client.get(f"/staff/narratives/{summary.pk}/edit/").content.decode()
    assert "見出し</span>: まとめ → 総括" in text


def test_long_text_change_is_shown_where_it_differs():
    from renkei.staff.history_queries import Change

    body = "あ" * 200
    old, new = Change("本文", body, body + "来年度も続ける。").excerpts()
    assert new.endswith("来年度も続ける。") and new.startswith("…") and len(new) <= 82
    assert old.startswith("…") and old.endswith("あ")
    assert Change("見出し", "まとめ", "総括").excerpts() == ("まとめ", "総括")
    assert Change("", None, "fy2024.json").excerpts() == (None, "fy2024.json")
