"""Staff screens, mounted at /staff/ under the namespace ``staff``."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from .views import (
    activities,
    attendance,
    budget,
    costs,
    grants,
    history,
    home,
    inquiries,
    inquiry_parts,
    inquiry_workbooks,
    money,
    photos,
    proposals,
    report,
    settlement,
    shares,
    spreadsheets,
    users,
    years,
)

app_name = "staff"

urlpatterns = [
    path("", home.home, name="home"),
    path("login/", home.SignInView.as_view(), name="login"),
    path("logout/", home.SignOutView.as_view(), name="logout"),
    path(
        "password/set/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="staff/password_set.html", success_url=reverse_lazy("staff:login")
        ),
        name="password_set",
    ),
    path("activities/", activities.activity_list_view, name="activity_list"),
    path("activities/export.<str:fmt>", spreadsheets.activity_export, name="activity_export"),
    path(
        "activities/attendance.<str:fmt>", spreadsheets.attendance_export, name="attendance_export"
    ),
    path("activities/new/", activities.activity_create, name="activity_new"),
    path("activities/new/<int:group_pk>/", activities.activity_create, name="activity_create"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", activities.activity_delete, name="activity_delete"),
    path("activities/<int:pk>/attendance/", attendance.attendance_edit, name="attendance_edit"),
    path(
        "activities/<int:pk>/attendance/preview/",
        attendance.attendance_preview,
        name="attendance_preview",
    ),
    path(
        "activities/<int:pk>/attendance/import/",
        spreadsheets.attendance_import,
        name="attendance_import",
    ),
    path("activities/<int:pk>/photos/new/", photos.photo_upload, name="photo_upload"),
    path("activities/<int:pk>/impressions/", photos.impressions_edit, name="impressions_edit"),
    # before photo_image, whose <str:size> would take "edit", "delete" and "move"
    path("photos/<int:pk>/edit/", photos.photo_edit, name="photo_edit"),
    path("photos/<int:pk>/delete/", photos.photo_delete, name="photo_delete"),
    path("photos/<int:pk>/move/", photos.photo_move, name="photo_move"),
    path("photos/<int:pk>/<str:size>/", photos.photo_image, name="photo_image"),
    path("seminars/", attendance.seminar_attendance, name="seminars"),
    path("seminars/grid/", attendance.seminar_grid, name="seminar_grid"),
    path("attendance/proposals/", proposals.attendance_proposals, name="attendance_proposals"),
    path("budget/", budget.budget_view, name="budget"),
    path("budget/export.<str:fmt>", spreadsheets.budget_export, name="budget_export"),
    path("budget/lines/<int:pk>/", budget.budget_line_edit, name="budget_line_edit"),
    path("budget/lines/<int:pk>/delete/", budget.budget_line_delete, name="budget_line_delete"),
    path("budget/lines/<int:pk>/history/", money.line_history_view, name="budget_line_history"),
    path("budget/vouchers/<int:pk>/", money.voucher_download, name="voucher_download"),
    path("years/", years.year_list, name="year_list"),
    path("years/new/", years.year_create, name="year_create"),
    path("years/<int:pk>/", years.year_detail, name="year_detail"),
    path("years/<int:pk>/edit/", years.year_edit, name="year_edit"),
    path("years/<int:pk>/report/", report.year_report, name="year_report"),
    path("years/<int:pk>/state/", years.year_state, name="year_state"),
    path("years/<int:year_pk>/programmes/new/", years.programme_create, name="programme_create"),
    path("programmes/<int:pk>/edit/", years.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/delete/", years.programme_delete, name="programme_delete"),
    path("programmes/<int:programme_pk>/groups/new/", years.group_create, name="group_create"),
    path("groups/<int:pk>/edit/", years.group_edit, name="group_edit"),
    path("groups/<int:pk>/delete/", years.group_delete, name="group_delete"),
    path("years/<int:year_pk>/narratives/new/", years.narrative_create, name="narrative_create"),
    path("narratives/<int:pk>/edit/", years.narrative_edit, name="narrative_edit"),
    path("narratives/<int:pk>/delete/", years.narrative_delete, name="narrative_delete"),
    path("years/<int:year_pk>/budget/new/", budget.budget_line_create, name="budget_line_create"),
    path("years/<int:year_pk>/budget/import/", spreadsheets.budget_import, name="budget_import"),
    path("years/<int:year_pk>/close/", money.year_close, name="year_close"),
    path("years/<int:year_pk>/reopen/", money.year_reopen, name="year_reopen"),
    path(
        "years/<int:year_pk>/budget/amendments/new/",
        money.amendment_create,
        name="amendment_create",
    ),
    path(
        "years/<int:year_pk>/budget/transfers/new/", money.transfer_create, name="transfer_create"
    ),
    path("years/<int:year_pk>/budget/expenses/new/", money.expense_create, name="expense_create"),
    # Members' shares, grants and the cost of the work (issue 13).
    path("years/<int:year_pk>/shares/", shares.share_list, name="share_list"),
    path("years/<int:year_pk>/shares/rule/", shares.share_rule_edit, name="share_rule_edit"),
    path(
        "years/<int:year_pk>/shares/populations/",
        shares.population_edit,
        name="population_edit",
    ),
    path(
        "years/<int:year_pk>/shares/populations/import/",
        shares.population_import,
        name="population_import",
    ),
    path("years/<int:year_pk>/shares/export.<str:fmt>", shares.share_export, name="share_export"),
    path(
        "years/<int:year_pk>/shares/notices.<str:fmt>",
        shares.share_notices_all,
        name="share_notices_all",
    ),
    path(
        "years/<int:year_pk>/shares/<int:org_pk>/notice.<str:fmt>",
        shares.share_notice_download,
        name="share_notice",
    ),
    path("years/<int:year_pk>/grants/", grants.grant_list, name="grant_list"),
    path("years/<int:year_pk>/grants/new/", grants.grant_create, name="grant_create"),
    path("grants/<int:pk>/", grants.grant_edit, name="grant_edit"),
    path("grants/<int:pk>/delete/", grants.grant_delete, name="grant_delete"),
    path("years/<int:year_pk>/costs/", costs.year_costs, name="year_costs"),
    path(
        "years/<int:year_pk>/costs/seminar-fee/",
        costs.seminar_fee_create,
        name="seminar_fee_create",
    ),
    path("years/<int:year_pk>/revenue/", settlement.revenue_list, name="revenue_list"),
    path("years/<int:year_pk>/revenue/new/", settlement.revenue_create, name="revenue_create"),
    path("budget/lines/<int:pk>/carryover/", settlement.carryover_edit, name="carryover_edit"),
    path(
        "years/<int:year_pk>/money/<str:kind>.<str:fmt>",
        settlement.money_export,
        name="money_export",
    ),
    path(
        "years/<int:year_pk>/budget/changes/import/",
        settlement.changes_import,
        name="changes_import",
    ),
    path(
        "years/<int:year_pk>/budget/expenses/import/",
        settlement.expenses_import,
        name="expenses_import",
    ),
    path(
        "years/<int:year_pk>/examination.<str:fmt>",
        settlement.examination_download,
        name="examination_download",
    ),
    path("users/", users.user_list, name="users"),
    path("users/export.<str:fmt>", spreadsheets.user_export, name="user_export"),
    path("users/<int:pk>/deactivate/", users.user_deactivate, name="user_deactivate"),
    path("users/<int:pk>/revoke-token/", users.user_revoke_token, name="user_revoke_token"),
    path("inquiries/", inquiries.inquiry_list, name="inquiry_list"),
    path("inquiries/new/", inquiries.inquiry_create, name="inquiry_create"),
    path("inquiries/mail/", inquiries.mail_settings, name="mail_settings"),
    path("inquiries/<int:pk>/", inquiries.inquiry_detail, name="inquiry_detail"),
    path("inquiries/<int:pk>/edit/", inquiries.inquiry_edit, name="inquiry_edit"),
    path("inquiries/<int:pk>/export.xlsx", inquiries.inquiry_export, name="inquiry_export"),
    *(
        path(
            f"inquiries/<int:pk>/{step}/",
            inquiries.inquiry_state,
            {"step": step},
            name=f"inquiry_{step}",
        )
        for step in ("send", "extend", "close")
    ),
    path("inquiry-parts/<int:pk>/", inquiry_parts.part_detail, name="part_detail"),
    path(
        "inquiry-parts/<int:pk>/attendance/", inquiry_parts.part_attendance, name="part_attendance"
    ),
    path("inquiry-parts/<int:pk>/answers/", inquiry_parts.part_answers, name="part_answers"),
    path("inquiry-parts/<int:pk>/submit/", inquiry_parts.part_submit, name="part_submit"),
    path(
        "inquiry-parts/<int:pk>/workbook.xlsx",
        inquiry_workbooks.part_workbook,
        name="part_workbook",
    ),
    path("inquiry-parts/<int:pk>/upload/", inquiry_workbooks.part_upload, name="part_upload"),
    path("inquiry-parts/<int:pk>/decide/", inquiry_parts.part_decide, name="part_decide"),
    path(
        "inquiry-parts/<int:pk>/initiatives/new/<int:group_pk>/",
        inquiry_parts.initiative_create,
        name="initiative_create",
    ),
    path("history/", history.history_list, name="history"),
    path("history/export.<str:fmt>", spreadsheets.history_export, name="history_export"),
]
