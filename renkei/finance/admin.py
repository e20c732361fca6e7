"""Admin for budget and settlement lines, with the statement's totals shown."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from renkei.programmes.admin import FiscalYearAdmin
from renkei.programmes.models import FiscalYear
from renkei.tenancy.admin_base import AuditedAdmin

from .models import BudgetLine, ExpenditureSection


@admin.register(ExpenditureSection)
class ExpenditureSectionAdmin(AuditedAdmin):
    list_display = ["__str__", "first_fiscal_year", "last_fiscal_year"]
    list_filter = ["first_fiscal_year"]


@admin.register(BudgetLine)
class BudgetLineAdmin(AuditedAdmin):
    list_display = [
        "fiscal_year",
        "direction",
        "label",
        "item",
        "budgeted_yen",
        "settled_yen",
        "note",
    ]
    list_filter = ["fiscal_year__year", "direction", "section"]

    @admin.display(description=_("予算額（円）"), ordering="budgeted")
    def budgeted_yen(self, obj):
        return "—" if obj.budgeted is None else f"{obj.budgeted:,}"

    @admin.display(description=_("決算額（円）"), ordering="settled")
    def settled_yen(self, obj):
        return f"{obj.settled:,}"


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    fields = [
        "direction",
        "section",
        "section_label",
        "item",
        "budgeted",
        "settled",
        "note",
        "order",
    ]
    extra = 0


class FiscalYearWithBudgetAdmin(FiscalYearAdmin):
    """The fiscal year's admin page with its budget lines. The finance app adds them to the
    programmes app's page, since programmes, the lower app, may not import finance."""

    inlines = [*FiscalYearAdmin.inlines, BudgetLineInline]


admin.site.unregister(FiscalYear)
admin.site.register(FiscalYear, FiscalYearWithBudgetAdmin)
