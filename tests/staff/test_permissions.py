"""Every role × page/action, including another municipality's and another union's
records: the expected status, never a leak."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from renkei.finance.models import (
    BudgetLine,
    Direction,
    ExpenditureSection,
    Expense,
    Grant,
    PopulationFigure,
    SharingRule,
    Voucher,
)
from renkei.programmes.models import (
    Activity,
    ActivityGroup,
    GroupKind,
    NarrativeSection,
    Programme,
)
from renkei.programmes.services import set_leads
from renkei.reports.models import IssuedReport
from renkei.tenancy.models import Organisation
from tests.factories import MINATO, NANYO, OGUNI, YONEZAWA, budget_year, partnership_union

from .helpers import assert_case, made_once, make_photo, other_union_with_year, staff_user, users_of

ROLES = ("secretariat", "member", "partner", "auditor")


@pytest.fixture(scope="class")
def objects(django_db_setup, django_db_blocker, tmp_path_factory):
    """The table's records, made once for the class in a transaction that is rolled back
    after its last test; each test runs in a savepoint inside it (pytest-django's ``db``),
    so what one row changes or deletes is gone before the next."""
    media = tmp_path_factory.mktemp("media")
    with made_once(django_db_blocker, media):
        yield build_objects() | {"media": media}


@pytest.fixture(autouse=True)
def own_media_root(settings, objects):
    settings.MEDIA_ROOT = objects["media"]


@pytest.fixture
def client_as(client, objects):
    """``client_as("member")``: signed in as that role's user of the class's union."""

    def sign_in(role):
        client.force_login(objects["staff"][role])
        return client

    return sign_in


def build_objects() -> dict:
    """A union made with the factories (no seed): its running year with a budget, the
    activities each row is about, money, photos and issued reports, and another union's
    records of each kind."""
    union = partnership_union()
    year = budget_year(union)  # FY2025, running
    yonezawa, nanyo, oguni = (
        Organisation.objects.get(code=code) for code in (YONEZAWA, NANYO, OGUNI)
    )
    users = users_of(union)
    group = ActivityGroup.objects.create(
        programme=Programme.objects.create(fiscal_year=year, number=1, name="交流事業"),
        number=1,
        title="連携の取組",
    )
    seminars = ActivityGroup.objects.create(
        programme=Programme.objects.create(fiscal_year=year, number=2, name="研修事業"),
        number=1,
        title="外部研修",
        kind=GroupKind.SEMINAR_SERIES,
        provider=union.provider,
    )
    pillars = union.pillars
    own = activity_in(group, "米沢市の展示", "exhibition", [pillars["mono"]], leads=[yonezawa])
    other = activity_in(
        group, "ワーケーション", "workation", [pillars["hito"]], leads=[nanyo, oguni]
    )
    festival = activity_in(
        group, "まつり出展", "festival_booth", [pillars["koto"]], organiser=union.branch
    )
    other_union = other_union_with_year()
    year2 = other_union.fiscal_years.get()
    foreign_group = ActivityGroup.objects.create(
        programme=Programme.objects.create(fiscal_year=year2, number=1, name="他組合の事業"),
        number=1,
        title="他組合の項目",
    )
    return {
        "staff": users,
        "year": year,
        "own": own,  # 米沢市's initiative
        "other": other,  # 南陽市・小国町
        "festival": festival,  # organised by 港区's branch
        "training": activity_in(
            group, "交流研修", "exchange_training", [pillars["hito"]], organiser=union.organisation
        ),
        "seminar": activity_in(
            seminars, "旅先納税", "external_seminar", [], organiser=union.provider
        ),
        "line": year.lines["income"],
        "foreign": Activity.objects.create(group=foreign_group, title="他組合の活動", kind="other"),
        "foreign_line": BudgetLine.objects.create(
            fiscal_year=year2, direction=Direction.INCOME, item="他組合の収入", settled=1
        ),
        "foreign_year": year2,
        "voucher": voucher_of(year.lines["travel"]),
        "foreign_voucher": voucher_of(
            BudgetLine.objects.create(
                fiscal_year=year2,
                direction=Direction.EXPENDITURE,
                item="他組合の支出",
                budgeted=10,
                section=ExpenditureSection.for_year(2024).first(),
            )
        ),
        "narrative": NarrativeSection.objects.create(
            fiscal_year=year, key=NarrativeSection.Key.OVERVIEW, title="事業概要", body="交流。"
        ),
        **money_objects(year, year2),
        "colleague": users["other_member"].staff_profile,
        "foreign_user": staff_user("member", other_union.members.get(), other_union).staff_profile,
        **photo_objects(own, other, festival, foreign_group),
        **{f"issued_{edition}": issued_report(year, edition) for edition in ("public", "internal")},
    }


def activity_in(group, title, kind, pillars, *, leads=(), organiser=None) -> Activity:
    activity = Activity.objects.create(
        group=group,
        sub_number=group.activities.count() + 1,
        title=title,
        kind=kind,
        organiser=organiser,
    )
    activity.pillars.set(pillars)
    set_leads(activity, leads)
    return activity


def photo_objects(own, other, festival, foreign_group) -> dict:
    """Photos: 米沢市's on its own initiative, 港区's at its festival, 南陽市's on another
    municipality's activity, another union's; and two to delete."""
    yonezawa, nanyo, minato = (
        Organisation.objects.get(code=code) for code in (YONEZAWA, NANYO, MINATO)
    )
    foreign = Activity.objects.create(
        group=foreign_group, sub_number=2, kind="other", title="他組合の写真のある活動"
    )
    return {
        "photo": make_photo(own, yonezawa, "米沢市の写真"),
        "partner_photo": make_photo(festival, minato, "港区の写真"),
        "other_photo": make_photo(other, nanyo, "南陽市の写真"),
        "foreign_photo": make_photo(
            foreign, foreign_group.programme.fiscal_year.union.members.get(), "他組合の写真"
        ),
        "doomed_photo": make_photo(own, yonezawa, "削除する米沢市の写真"),
        "other_doomed_photo": make_photo(other, nanyo, "削除する南陽市の写真"),
    }


def money_objects(fiscal_year, foreign_year) -> dict:
    """A sharing rule with every member's population, and a grant, in each union."""
    SharingRule.objects.create(
        fiscal_year=fiscal_year, title="分担金", total=1000, equal_weight=1, population_weight=1
    )
    members = list(fiscal_year.union.members_in_order())  # 米沢市 first
    for n, org in enumerate(members, start=1):
        PopulationFigure.objects.create(
            fiscal_year=fiscal_year,
            organisation=org,
            population=1000 * n,
            source="住民基本台帳",
            reference_date="2024-01-01",
        )
    grant = Grant.objects.create(
        fiscal_year=fiscal_year,
        grantor="県",
        purpose="助成",
        applied_on=f"{fiscal_year.year}-04-01",
        applied_amount=1,
    )
    foreign = Grant.objects.create(
        fiscal_year=foreign_year,
        grantor="他組合の県",
        purpose="他組合の助成",
        applied_on="2024-04-01",
        applied_amount=1,
    )
    return {
        "own_org": members[0],  # 米沢市, the member user's
        "nanyo": Organisation.objects.get(code=NANYO),
        "grant": grant,
        "foreign_grant": foreign,
    }


def issued_report(fiscal_year, edition):
    report = IssuedReport(
        fiscal_year=fiscal_year,
        format="html",
        edition=edition,
        version=1,
        sha256=hashlib.sha256(b"<p>report</p>").hexdigest(),
        size=13,
        data={},
    )
    report.file.save(f"report-{edition}.html", ContentFile(b"<p>report</p>"), save=False)
    report.save()
    return report


def voucher_of(line):
    """A voucher stored as the expense service stores one (files reach their place only
    after a commit, which the test's transaction never makes)."""
    expense = Expense.objects.create(
        line=line, spent_on="2024-06-01", payee="他組合の支払先", amount=1, purpose="x"
    )
    voucher = Voucher(
        expense=expense,
        original_name="r.pdf",
        content_type="application/pdf",
        size=13,
        sha256=hashlib.sha256(b"%PDF-1.4 %%EOF").hexdigest(),
    )
    voucher.file.save("r.pdf", ContentFile(b"%PDF-1.4 %%EOF"), save=False)
    voucher.save()
    return voucher


def report_url(name, *args, edition=""):
    return reverse(f"reports:{name}", args=args) + (f"?edition={edition}" if edition else "")


def url(name, *args):
    return reverse(f"staff:{name}", args=args)


# (label, method, url builder, expected status per role in ROLES order)
TABLE = [
    ("home", "get", lambda o: url("home"), (200, 200, 200, 200)),
    ("activity list", "get", lambda o: url("activity_list"), (200, 200, 200, 200)),
    ("activity export csv", "get", lambda o: url("activity_export", "csv"), (200, 200, 200, 200)),
    ("activity export xlsx", "get", lambda o: url("activity_export", "xlsx"), (200, 200, 200, 200)),
    (
        "attendance export csv",
        "get",
        lambda o: url("attendance_export", "csv"),
        (200, 200, 200, 200),
    ),
    (
        "attendance export other format",
        "get",
        lambda o: url("attendance_export", "pdf"),
        (404, 404, 404, 404),
    ),
    ("own initiative", "get", lambda o: url("activity_detail", o["own"].pk), (200, 200, 200, 200)),
    (
        "seminar page",
        "get",
        lambda o: url("activity_detail", o["seminar"].pk),
        (200, 200, 404, 200),
    ),
    (
        "edit own initiative",
        "get",
        lambda o: url("activity_edit", o["own"].pk),
        (200, 200, 403, 403),
    ),
    (
        "edit other municipality's",
        "get",
        lambda o: url("activity_edit", o["other"].pk),
        (200, 403, 403, 403),
    ),
    (
        "save other municipality's",
        "post",
        lambda o: url("activity_edit", o["other"].pk),
        (400, 403, 403, 403),
    ),
    (
        "edit partner's festival",
        "get",
        lambda o: url("activity_edit", o["festival"].pk),
        (200, 403, 200, 403),
    ),
    ("edit seminar", "get", lambda o: url("activity_edit", o["seminar"].pk), (200, 403, 404, 403)),
    (
        "delete activity page",
        "get",
        lambda o: url("activity_delete", o["own"].pk),
        (200, 403, 403, 403),
    ),
    (
        "create activity",
        "get",
        lambda o: url("activity_create", o["own"].group_id),
        (200, 403, 403, 403),
    ),
    ("attendance", "get", lambda o: url("attendance_edit", o["training"].pk), (200, 200, 200, 403)),
    (
        "attendance import",
        "get",
        lambda o: url("attendance_import", o["training"].pk),
        (200, 200, 200, 403),
    ),
    (
        "attendance preview",
        "get",
        lambda o: url("attendance_preview", o["training"].pk),
        (200, 200, 200, 403),
    ),
    ("attendance proposals", "get", lambda o: url("attendance_proposals"), (200, 403, 403, 403)),
    (
        "attendance proposal decision",
        "post",
        lambda o: url("attendance_proposals"),
        (404, 403, 403, 403),
    ),  # the secretariat's POST names no proposal of its union
    ("photo upload", "get", lambda o: url("photo_upload", o["own"].pk), (200, 200, 200, 403)),
    ("photo edit", "get", lambda o: url("photo_edit", o["photo"].pk), (200, 200, 403, 403)),
    ("photo edit save", "post", lambda o: url("photo_edit", o["photo"].pk), (400, 400, 403, 403)),
    ("photo move", "post", lambda o: url("photo_move", o["photo"].pk), (400, 400, 403, 403)),
    (
        "photo delete page",
        "get",
        lambda o: url("photo_delete", o["photo"].pk),
        (200, 200, 403, 403),
    ),
    (
        "photo delete",
        "post",
        lambda o: url("photo_delete", o["doomed_photo"].pk),
        (302, 302, 403, 403),
    ),
    (
        "partner's photo edit",
        "get",
        lambda o: url("photo_edit", o["partner_photo"].pk),
        (200, 403, 200, 403),
    ),
    (
        "partner's photo move",
        "post",
        lambda o: url("photo_move", o["partner_photo"].pk),
        (400, 403, 400, 403),
    ),
    (
        "other municipality's photo edit",
        "get",
        lambda o: url("photo_edit", o["other_photo"].pk),
        (200, 403, 403, 403),
    ),
    (
        "other municipality's photo save",
        "post",
        lambda o: url("photo_edit", o["other_photo"].pk),
        (400, 403, 403, 403),
    ),
    (
        "other municipality's photo move",
        "post",
        lambda o: url("photo_move", o["other_photo"].pk),
        (400, 403, 403, 403),
    ),
    (
        "other municipality's photo delete",
        "post",
        lambda o: url("photo_delete", o["other_doomed_photo"].pk),
        (302, 403, 403, 403),
    ),
    (
        "other union's photo edit",
        "get",
        lambda o: url("photo_edit", o["foreign_photo"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's photo save",
        "post",
        lambda o: url("photo_edit", o["foreign_photo"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's photo move",
        "post",
        lambda o: url("photo_move", o["foreign_photo"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's photo delete",
        "post",
        lambda o: url("photo_delete", o["foreign_photo"].pk),
        (404, 404, 404, 404),
    ),
    ("impressions", "get", lambda o: url("impressions_edit", o["own"].pk), (200, 200, 200, 403)),
    ("seminars", "get", lambda o: url("seminars"), (200, 200, 200, 403)),
    # The budget is the union's: the partner sees neither its lines nor their export.
    ("budget", "get", lambda o: url("budget"), (200, 200, 403, 200)),
    ("budget export", "get", lambda o: url("budget_export", "xlsx"), (200, 200, 403, 200)),
    ("budget line", "get", lambda o: url("budget_line_edit", o["line"].pk), (200, 403, 403, 403)),
    (
        "budget line save",
        "post",
        lambda o: url("budget_line_edit", o["line"].pk),
        (200, 403, 403, 403),
    ),
    (
        "budget line delete",
        "post",
        lambda o: url("budget_line_delete", o["line"].pk),
        (302, 403, 403, 403),
    ),
    (
        "budget line new",
        "get",
        lambda o: url("budget_line_create", o["year"].pk),
        (200, 403, 403, 403),
    ),
    ("budget import", "get", lambda o: url("budget_import", o["year"].pk), (200, 403, 403, 403)),
    ("close year", "post", lambda o: url("year_close", o["year"].pk), (302, 403, 403, 403)),
    (
        "close year confirmation",
        "get",
        lambda o: url("year_close", o["year"].pk),
        (200, 403, 403, 403),
    ),
    ("reopen year", "get", lambda o: url("year_reopen", o["year"].pk), (200, 403, 403, 403)),
    (
        "reopen year without reason",
        "post",
        lambda o: url("year_reopen", o["year"].pk),
        (200, 403, 403, 403),
    ),
    (
        "voucher download",
        "get",
        lambda o: url("voucher_download", o["voucher"].pk),
        (200, 403, 403, 200),
    ),
    (
        "budget line history",
        "get",
        lambda o: url("budget_line_history", o["line"].pk),
        (200, 403, 403, 200),
    ),
    ("amendment new", "get", lambda o: url("amendment_create", o["year"].pk), (200, 403, 403, 403)),
    (
        "amendment save",
        "post",
        lambda o: url("amendment_create", o["year"].pk),
        (200, 403, 403, 403),
    ),
    ("transfer new", "get", lambda o: url("transfer_create", o["year"].pk), (200, 403, 403, 403)),
    ("transfer save", "post", lambda o: url("transfer_create", o["year"].pk), (200, 403, 403, 403)),
    ("expense new", "get", lambda o: url("expense_create", o["year"].pk), (200, 403, 403, 403)),
    ("expense save", "post", lambda o: url("expense_create", o["year"].pk), (200, 403, 403, 403)),
    # Members' shares: the secretariat and auditors see all, a member its own only.
    ("shares", "get", lambda o: url("share_list", o["year"].pk), (200, 200, 403, 200)),
    (
        "shares export",
        "get",
        lambda o: url("share_export", o["year"].pk, "xlsx"),
        (200, 403, 403, 200),
    ),
    (
        "shares export other format",
        "get",
        lambda o: url("share_export", o["year"].pk, "pdf"),
        (404, 404, 404, 404),
    ),
    (
        "own share notice pdf",
        "get",
        lambda o: url("share_notice", o["year"].pk, o["own_org"].pk, "pdf"),
        (200, 200, 403, 200),
    ),
    (
        "own share notice docx",
        "get",
        lambda o: url("share_notice", o["year"].pk, o["own_org"].pk, "docx"),
        (200, 200, 403, 200),
    ),
    (
        "another member's notice",
        "get",
        lambda o: url("share_notice", o["year"].pk, o["nanyo"].pk, "pdf"),
        (200, 403, 403, 200),
    ),
    (
        "sharing rule",
        "get",
        lambda o: url("share_rule_edit", o["year"].pk),
        (200, 403, 403, 403),
    ),
    (
        "sharing rule save without fields",
        "post",
        lambda o: url("share_rule_edit", o["year"].pk),
        (400, 403, 403, 403),
    ),
    (
        "populations",
        "get",
        lambda o: url("population_edit", o["year"].pk),
        (200, 403, 403, 403),
    ),
    (
        "population import",
        "get",
        lambda o: url("population_import", o["year"].pk),
        (200, 403, 403, 403),
    ),
    (
        "population import without a file",
        "post",
        lambda o: url("population_import", o["year"].pk),
        (400, 403, 403, 403),
    ),
    ("grants", "get", lambda o: url("grant_list", o["year"].pk), (200, 200, 200, 200)),
    ("grant new", "get", lambda o: url("grant_create", o["year"].pk), (200, 403, 403, 403)),
    (
        "grant save without fields",
        "post",
        lambda o: url("grant_create", o["year"].pk),
        (400, 403, 403, 403),
    ),
    ("grant edit", "get", lambda o: url("grant_edit", o["grant"].pk), (200, 403, 403, 403)),
    (
        "grant delete without reason",
        "post",
        lambda o: url("grant_delete", o["grant"].pk),
        (400, 403, 403, 403),
    ),
    ("costs", "get", lambda o: url("year_costs", o["year"].pk), (200, 200, 200, 200)),
    (
        "seminar fee",
        "get",
        lambda o: url("seminar_fee_create", o["year"].pk),
        (200, 403, 403, 403),
    ),
    (
        "seminar fee save without fields",
        "post",
        lambda o: url("seminar_fee_create", o["year"].pk),
        (400, 403, 403, 403),
    ),
    (
        "other union's shares",
        "get",
        lambda o: url("share_list", o["foreign_year"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's notice",
        "get",
        lambda o: url("share_notice", o["foreign_year"].pk, o["own_org"].pk, "pdf"),
        (404, 404, 404, 404),
    ),
    (
        "other union's sharing rule",
        "post",
        lambda o: url("share_rule_edit", o["foreign_year"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's grants",
        "get",
        lambda o: url("grant_list", o["foreign_year"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's grant",
        "post",
        lambda o: url("grant_edit", o["foreign_grant"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's grant delete",
        "post",
        lambda o: url("grant_delete", o["foreign_grant"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's costs",
        "get",
        lambda o: url("year_costs", o["foreign_year"].pk),
        (404, 404, 404, 404),
    ),
    ("users", "get", lambda o: url("users"), (200, 403, 403, 403)),
    ("users export csv", "get", lambda o: url("user_export", "csv"), (200, 403, 403, 403)),
    ("users export xlsx", "get", lambda o: url("user_export", "xlsx"), (200, 403, 403, 403)),
    (
        "revoke a user's API token",
        "post",
        lambda o: url("user_revoke_token", o["colleague"].pk),
        (302, 403, 403, 403),
    ),
    # The report: partners have the public edition (joint work), not the internal one.
    (
        "report draft, default edition",
        "get",
        lambda o: report_url("download", o["year"].year, "html"),
        (200, 200, 200, 200),
    ),
    (
        "report draft, public",
        "get",
        lambda o: report_url("download", o["year"].year, "html", edition="public"),
        (200, 200, 200, 200),
    ),
    (
        "report draft, internal",
        "get",
        lambda o: report_url("download", o["year"].year, "html", edition="internal"),
        (200, 200, 403, 200),
    ),
    (
        "issued report, public",
        "get",
        lambda o: report_url("issued_download", o["year"].year, "html", 1, edition="public"),
        (200, 200, 200, 200),
    ),
    (
        "issued report, internal",
        "get",
        lambda o: report_url("issued_download", o["year"].year, "html", 1, edition="internal"),
        (200, 200, 403, 200),
    ),
    (
        "report draft, settlement workbook",
        "get",
        lambda o: report_url("download", o["year"].year, "xlsx", edition="public"),
        (200, 200, 403, 200),
    ),
    ("year's report page", "get", lambda o: url("year_report", o["year"].pk), (200, 200, 200, 200)),
    (
        "issue from the year's report page",
        "post",
        lambda o: url("year_report", o["year"].pk),
        (400, 403, 403, 403),
    ),  # the secretariat's empty POST names no format: the form says so
    (
        "other union's report page",
        "get",
        lambda o: url("year_report", o["foreign_year"].pk),
        (404, 404, 404, 404),
    ),
    ("history", "get", lambda o: url("history"), (200, 403, 403, 200)),
    ("history export csv", "get", lambda o: url("history_export", "csv"), (200, 403, 403, 200)),
    ("history export xlsx", "get", lambda o: url("history_export", "xlsx"), (200, 403, 403, 200)),
    ("years", "get", lambda o: url("year_list"), (200, 200, 200, 200)),
    ("year page", "get", lambda o: url("year_detail", o["year"].pk), (200, 200, 200, 200)),
    ("new year", "get", lambda o: url("year_create"), (200, 403, 403, 403)),
    ("year settings", "get", lambda o: url("year_edit", o["year"].pk), (200, 403, 403, 403)),
    ("year state", "post", lambda o: url("year_state", o["year"].pk), (302, 403, 403, 403)),
    ("new programme", "get", lambda o: url("programme_create", o["year"].pk), (200, 403, 403, 403)),
    (
        "programme save",
        "post",
        lambda o: url("programme_edit", o["own"].group.programme_id),
        (200, 403, 403, 403),
    ),
    (
        "new item",
        "get",
        lambda o: url("group_create", o["own"].group.programme_id),
        (200, 403, 403, 403),
    ),
    ("item edit", "get", lambda o: url("group_edit", o["own"].group_id), (200, 403, 403, 403)),
    ("item delete", "post", lambda o: url("group_delete", o["own"].group_id), (302, 403, 403, 403)),
    (
        "narrative edit",
        "get",
        lambda o: url("narrative_edit", o["narrative"].pk),
        (200, 403, 403, 403),
    ),
    (
        "narrative delete",
        "post",
        lambda o: url("narrative_delete", o["narrative"].pk),
        (302, 403, 403, 403),
    ),
    (
        "other union's year page",
        "get",
        lambda o: url("year_detail", o["foreign_year"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's programme",
        "post",
        lambda o: url("programme_edit", o["foreign"].group.programme_id),
        (404, 404, 404, 404),
    ),
    (
        "other union's item delete",
        "post",
        lambda o: url("group_delete", o["foreign"].group_id),
        (404, 404, 404, 404),
    ),
    (
        "other union's activity",
        "get",
        lambda o: url("activity_detail", o["foreign"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's activity edit",
        "post",
        lambda o: url("activity_edit", o["foreign"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's attendance",
        "post",
        lambda o: url("attendance_edit", o["foreign"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's attendance preview",
        "get",
        lambda o: url("attendance_preview", o["foreign"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's budget line",
        "post",
        lambda o: url("budget_line_edit", o["foreign_line"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's activity delete",
        "post",
        lambda o: url("activity_delete", o["foreign"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's budget line delete",
        "post",
        lambda o: url("budget_line_delete", o["foreign_line"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's year close",
        "post",
        lambda o: url("year_close", o["foreign_year"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's year close confirmation",
        "get",
        lambda o: url("year_close", o["foreign_year"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's year reopen",
        "post",
        lambda o: url("year_reopen", o["foreign_year"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's voucher",
        "get",
        lambda o: url("voucher_download", o["foreign_voucher"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's budget line history",
        "get",
        lambda o: url("budget_line_history", o["foreign_line"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's amendment",
        "post",
        lambda o: url("amendment_create", o["foreign_year"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's transfer",
        "post",
        lambda o: url("transfer_create", o["foreign_year"].pk),
        (404, 404, 404, 404),
    ),
    (
        "other union's expense",
        "post",
        lambda o: url("expense_create", o["foreign_year"].pk),
        (404, 404, 404, 404),
    ),
    ("other union's year", "get", lambda o: url("home") + "?year=1999", (404, 404, 404, 404)),
    (
        "other union's user's API token",
        "post",
        lambda o: url("user_revoke_token", o["foreign_user"].pk),
        (404, 404, 404, 404),
    ),
    # Deleting the festival takes its photos, which other rows use: each test rolls back.
    (
        "delete partner's festival",
        "post",
        lambda o: (
            url("activity_delete", o["festival"].pk),
            {"version": version_now(o["festival"]), "reason": "重複登録"},
        ),
        (302, 403, 403, 403),
    ),
]


def version_now(activity) -> int:
    return Activity.objects.get(pk=activity.pk).version


def request_args(target) -> tuple:
    """A row builds a URL, or (URL, POST data) where the request needs a lock token."""
    return target if isinstance(target, tuple) else (target,)


CASES = [pytest.param(role, row, id=f"{role}-{row[0]}") for row in TABLE for role in ROLES]


@pytest.mark.usefixtures("db")
class TestPermissionTable:
    """One test per role and row, each with its own id
    (``test_permission[member-delete partner's festival]``) and independent of the others'
    order: the records are made once for the class and every test's changes are rolled
    back (NetBox's ``utilities/testing/views.py``: one case per test)."""

    @pytest.mark.parametrize(("role", "row"), CASES)
    def test_permission(self, client_as, objects, role, row):
        label, method, build, expected = row
        status = expected[ROLES.index(role)]
        response = getattr(client_as(role), method)(*request_args(build(objects)))
        assert_case(response, status)

    @pytest.mark.parametrize("row", TABLE, ids=[row[0] for row in TABLE])
    def test_anonymous_is_sent_to_sign_in(self, client, objects, row):
        _label, method, build, _expected = row
        response = getattr(client, method)(*request_args(build(objects)))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("staff:login"))

    def test_deactivated_user_sees_nothing(self, client, objects):
        member = objects["staff"]["member"]
        member.is_active = False
        member.save()
        client.force_login(member)
        assert client.get(url("activity_detail", objects["own"].pk)).status_code in (302, 403, 404)
