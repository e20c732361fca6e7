"""Budget and settlement (収支決算書): income and expenditure lines in integer yen.

Expenditure is classified by the statutory section (節) of 地方自治法施行規則; the
classification changed in FY2020, so each section carries the fiscal years it is valid
for. Totals and the difference are computed from the lines, never stored.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from renkei.programmes.models import FiscalYear
from renkei.tenancy.querysets import RestrictedQuerySet


def normalise_section_name(name: str) -> str:
    """Fold the printed variants of a section name (負担金、補助及び交付金 / 負担金補助及び交付金)."""
    folded = unicodedata.normalize("NFKC", name).replace("填", "塡")
    return "".join(ch for ch in folded if ch not in "、,，・ 　")


class ExpenditureSection(models.Model):
    """A statutory expenditure section (節), valid for a range of fiscal years."""

    number = models.PositiveSmallIntegerField(_("節番号"))
    name = models.CharField(_("節"), max_length=50)
    first_fiscal_year = models.PositiveSmallIntegerField(_("適用開始年度（西暦）"))
    last_fiscal_year = models.PositiveSmallIntegerField(
        _("適用終了年度（西暦）"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("歳出の節")
        verbose_name_plural = _("歳出の節")
        ordering = ["-first_fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["first_fiscal_year", "number"], name="section_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number:02d} {self.name}"

    @classmethod
    def for_year(cls, fiscal_year: int):
        return cls.objects.filter(first_fiscal_year__lte=fiscal_year).filter(
            Q(last_fiscal_year__isnull=True) | Q(last_fiscal_year__gte=fiscal_year)
        )

    @classmethod
    def find(cls, fiscal_year: int, printed_name: str):
        """The section a printed name (負担金, 使用料 …) stands for in that year, or None."""
        wanted = normalise_section_name(printed_name)
        sections = list(cls.for_year(fiscal_year))
        for section in sections:
            if normalise_section_name(section.name) == wanted:
                return section
        prefixed = [s for s in sections if normalise_section_name(s.name).startswith(wanted)]
        return prefixed[0] if len(prefixed) == 1 else None


class Direction(models.TextChoices):
    INCOME = "income", _("収入")
    EXPENDITURE = "expenditure", _("支出")


class BudgetLine(models.Model):
    """One line of the budget and settlement: budgeted and settled amounts in yen."""

    union_path = "fiscal_year__union"  # how a record reaches its union (tenancy.permissions)

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="budget_lines", verbose_name=_("年度")
    )
    direction = models.CharField(_("収支"), max_length=20, choices=Direction.choices)
    section = models.ForeignKey(
        ExpenditureSection, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("節")
    )
    section_label = models.CharField(
        _("区分の表記"), max_length=50, blank=True, help_text=_("例: 負担金（空欄なら節の名称）")
    )
    item = models.CharField(_("項目"), max_length=100)
    budgeted = models.BigIntegerField(_("予算額（円）"), null=True, blank=True)
    settled = models.BigIntegerField(_("決算額（円）"), default=0)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("順序"), default=0)
    # The reserve (予備費) is an expenditure line without a section: it is never spent
    # directly, only used for other lines (予備費充用).
    is_reserve = models.BooleanField(_("予備費"), default=False)
    # Optimistic locking: services compare the version a form was loaded with, then bump it.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("予算・決算の行")
        verbose_name_plural = _("予算・決算の行")
        ordering = ["fiscal_year", "direction", "order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(settled__gte=0),
                name="budgetline_settled_nonnegative",
                violation_error_message=_("決算額は0円以上で入力してください。"),
            ),
            models.CheckConstraint(
                condition=Q(budgeted__isnull=True) | Q(budgeted__gte=0),
                name="budgetline_budgeted_nonnegative",
                violation_error_message=_("予算額は0円以上で入力してください。"),
            ),
            models.CheckConstraint(
                condition=Q(direction="income", section__isnull=True) | Q(direction="expenditure"),
                name="budgetline_income_has_no_section",
                violation_error_message=_("収入の行には節を指定しません。"),
            ),
            models.CheckConstraint(
                condition=Q(is_reserve=False) | Q(direction="expenditure", section__isnull=True),
                name="budgetline_reserve_is_sectionless_expenditure",
                violation_error_message=_("予備費は節のない支出の行です。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.item} {self.settled:,}円"

    @property
    def label(self) -> str:
        if self.section_label:
            return self.section_label
        if self.is_reserve:
            return str(_("予備費"))
        return self.section.name if self.section else ""

    def clean(self):
        if self.direction == Direction.EXPENDITURE and self.section is None and not self.is_reserve:
            raise ValidationError({"section": _("支出の行には節を選んでください。")})
        if self.section and self.fiscal_year_id:
            year = self.fiscal_year.year
            last = self.section.last_fiscal_year
            if self.section.first_fiscal_year > year or (last is not None and last < year):
                raise ValidationError(
                    {
                        "section": _("この節（%(section)s）は%(year)s年度には使えません。")
                        % {"section": self.section, "year": year}
                    }
                )


class BudgetAmendment(models.Model):
    """A supplementary budget (補正予算) voted by the council: its number, the date of the
    decision and, in its lines, the amount added to (or taken from) each budget line."""

    union_path = "fiscal_year__union"  # how a record reaches its union (tenancy.permissions)

    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.CASCADE,
        related_name="budget_amendments",
        verbose_name=_("年度"),
    )
    number = models.PositiveSmallIntegerField(_("補正の号数"))
    decided_on = models.DateField(_("議決日"))
    decided_by = models.CharField(_("議決機関"), max_length=100)
    reason = models.CharField(_("理由"), max_length=300)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("補正予算")
        verbose_name_plural = _("補正予算")
        ordering = ["fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "number"], name="amendment_unique_number"
            )
        ]

    def __str__(self) -> str:
        return str(_("第%(n)s号補正") % {"n": self.number})


class AmendmentLine(models.Model):
    """The amount one amendment adds to one line (negative for a reduction, 減額補正)."""

    union_path = (
        "amendment__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    )

    amendment = models.ForeignKey(
        BudgetAmendment, on_delete=models.CASCADE, related_name="lines", verbose_name=_("補正予算")
    )
    # RESTRICT: a line with an amendment is not deleted alone (the services refuse it with
    # a message), but goes with its year; likewise transfers and activities' allocations.
    line = models.ForeignKey(
        BudgetLine, on_delete=models.RESTRICT, related_name="amendments", verbose_name=_("予算の行")
    )
    amount = models.BigIntegerField(_("補正額（円）"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("補正予算の行")
        verbose_name_plural = _("補正予算の行")
        constraints = [
            models.UniqueConstraint(fields=["amendment", "line"], name="amendment_line_once")
        ]

    def __str__(self) -> str:
        return f"{self.amendment} {self.line.item} {self.amount:,}円"


class TransferKind(models.TextChoices):
    TRANSFER = "transfer", _("流用")
    RESERVE = "reserve", _("予備費充用")


class BudgetTransfer(models.Model):
    """A move of budget between two expenditure lines of one year: a transfer (流用) or a
    use of the reserve (予備費充用, always from the reserve line)."""

    union_path = "fiscal_year__union"  # how a record reaches its union (tenancy.permissions)

    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.CASCADE,
        related_name="budget_transfers",
        verbose_name=_("年度"),
    )
    kind = models.CharField(_("種類"), max_length=20, choices=TransferKind.choices)
    source = models.ForeignKey(
        BudgetLine,
        on_delete=models.RESTRICT,
        related_name="transfers_out",
        verbose_name=_("流用元"),
    )
    target = models.ForeignKey(
        BudgetLine, on_delete=models.RESTRICT, related_name="transfers_in", verbose_name=_("流用先")
    )
    amount = models.BigIntegerField(_("金額（円）"))
    decided_on = models.DateField(_("決定日"))
    decided_by = models.CharField(_("決定者"), max_length=100)
    reason = models.CharField(_("理由"), max_length=300)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("流用・予備費充用")
        verbose_name_plural = _("流用・予備費充用")
        ordering = ["fiscal_year", "decided_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="transfer_amount_positive",
                violation_error_message=_("金額は1円以上で入力してください。"),
            ),
            models.CheckConstraint(
                condition=~Q(source=models.F("target")), name="transfer_between_two_lines"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount:,}円"


class Expense(models.Model):
    """One payment (支出) charged to an expenditure line; 支出済額 is the sum of a line's
    expenses. The parts paid for activities (``allocations``) sum exactly to the amount."""

    union_path = "line__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)

    # The services refuse to delete a line with expenses; the year's deletion takes both.
    line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="expenses", verbose_name=_("予算の行")
    )
    spent_on = models.DateField(_("支出日"))
    payee = models.CharField(_("支払先"), max_length=200)
    amount = models.BigIntegerField(_("金額（円）"))
    purpose = models.CharField(_("目的・内容"), max_length=300)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("支出")
        verbose_name_plural = _("支出")
        ordering = ["line", "spent_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="expense_amount_positive",
                violation_error_message=_("金額は1円以上で入力してください。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.spent_on} {self.payee} {self.amount:,}円"


class ExpenseAllocation(models.Model):
    """The part of an expense that paid for one activity."""

    union_path = (
        "expense__line__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    )

    expense = models.ForeignKey(
        Expense, on_delete=models.CASCADE, related_name="allocations", verbose_name=_("支出")
    )
    activity = models.ForeignKey(
        "programmes.Activity",
        on_delete=models.RESTRICT,
        related_name="expense_allocations",
        verbose_name=_("活動"),
    )
    amount = models.BigIntegerField(_("金額（円）"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("支出の活動別内訳")
        verbose_name_plural = _("支出の活動別内訳")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount_positive"),
            models.UniqueConstraint(fields=["expense", "activity"], name="allocation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.activity} {self.amount:,}円"


def voucher_upload_to(voucher: "Voucher", filename: str) -> str:
    return f"vouchers/{voucher.expense_id}/{filename}"


class Voucher(models.Model):
    """A voucher (証憑: receipt, invoice) of an expense: a PDF kept as uploaded or an image
    re-encoded as JPEG, stored privately and served only through the staff screens."""

    union_path = (
        "expense__line__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    )

    expense = models.ForeignKey(
        Expense, on_delete=models.CASCADE, related_name="vouchers", verbose_name=_("支出")
    )
    file = models.FileField(_("ファイル"), upload_to=voucher_upload_to, max_length=300)
    original_name = models.CharField(_("元のファイル名"), max_length=200)
    content_type = models.CharField(_("種類"), max_length=50)
    size = models.PositiveIntegerField(_("大きさ（バイト）"))
    sha256 = models.CharField(max_length=64)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("証憑")
        verbose_name_plural = _("証憑")
        ordering = ["expense", "pk"]

    def __str__(self) -> str:
        return self.original_name


# Members' shares (分担金・負担金) and grants (補助金・助成金): kept with the year's money.


class SharingRule(models.Model):
    """How the members share the union's cost in one fiscal year: the amount to share,
    split into a part shared equally (均等割) and a part shared by population (人口割) in
    the ratio of two integer weights (30 : 70 is 30 % equally). The shares themselves are
    computed (``renkei.finance.shares``), never stored or typed."""

    union_path = "fiscal_year__union"  # how a record reaches its union (tenancy.permissions)

    fiscal_year = models.OneToOneField(
        FiscalYear, on_delete=models.CASCADE, related_name="sharing_rule", verbose_name=_("年度")
    )
    title = models.CharField(_("名称"), max_length=100, help_text=_("例: 広域連携事業費分担金"))
    total = models.BigIntegerField(_("負担総額（円）"))
    equal_weight = models.PositiveIntegerField(_("均等割の割合"))
    population_weight = models.PositiveIntegerField(_("人口割の割合"))
    due_on = models.DateField(_("納期限"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("負担金の算定方法")
        verbose_name_plural = _("負担金の算定方法")
        constraints = [
            models.CheckConstraint(
                condition=Q(total__gte=0),
                name="sharingrule_total_nonnegative",
                violation_error_message=_("負担総額は0円以上で入力してください。"),
            ),
            models.CheckConstraint(
                condition=Q(equal_weight__gt=0) | Q(population_weight__gt=0),
                name="sharingrule_some_weight",
                violation_error_message=_(
                    "均等割と人口割の割合の少なくとも一方を1以上にしてください。"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.total:,}円"


class PopulationFigure(models.Model):
    """A member's population for a year's sharing rule, with where it comes from (例:
    住民基本台帳) and the date it refers to."""

    union_path = "fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    # Member staff see only their own organisation's figure (tenancy.permissions.scope).
    own_organisation_path = "organisation"

    fiscal_year = models.ForeignKey(
        FiscalYear,
        on_delete=models.CASCADE,
        related_name="population_figures",
        verbose_name=_("年度"),
    )
    organisation = models.ForeignKey(
        "tenancy.Organisation", on_delete=models.PROTECT, verbose_name=_("構成団体")
    )
    population = models.PositiveIntegerField(_("人口（人）"))
    source = models.CharField(_("出典"), max_length=200)
    reference_date = models.DateField(_("基準日"))

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("構成団体の人口")
        verbose_name_plural = _("構成団体の人口")
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "organisation"], name="population_once_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.population:,}人"


class Grant(models.Model):
    """A grant (補助金・助成金) applied for in a year: the amount applied for and, once
    decided, the amount granted (unknown until then, never 0)."""

    union_path = "fiscal_year__union"  # how a record reaches its union (tenancy.permissions)

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="grants", verbose_name=_("年度")
    )
    grantor = models.CharField(_("交付団体"), max_length=200)
    purpose = models.CharField(_("名称・目的"), max_length=300)
    applied_on = models.DateField(_("申請日"))
    applied_amount = models.BigIntegerField(_("申請額（円）"))
    decided_on = models.DateField(_("交付決定日"), null=True, blank=True)
    granted_amount = models.BigIntegerField(_("交付決定額（円）"), null=True, blank=True)
    note = models.CharField(_("備考"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("補助金・助成金")
        verbose_name_plural = _("補助金・助成金")
        ordering = ["fiscal_year", "applied_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applied_amount__gte=0),
                name="grant_applied_nonnegative",
                violation_error_message=_("申請額は0円以上で入力してください。"),
            ),
            models.CheckConstraint(
                condition=Q(granted_amount__isnull=True) | Q(granted_amount__gte=0),
                name="grant_granted_nonnegative",
                violation_error_message=_("交付決定額は0円以上で入力してください。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grantor} {self.purpose}"


class RevenueKind(models.TextChoices):
    ASSESSED = "assessed", _("調定")
    RECEIVED = "received", _("収入")
    WRITTEN_OFF = "written_off", _("不納欠損")


class RevenueRecord(models.Model):
    """One revenue event of an income line: an assessment (調定), a receipt (収入) or a
    write-off (不納欠損). A line's 調定額, 収入済額 and 不納欠損額 are the sums of its
    records (``renkei.finance.revenue``); 収入未済額 follows from them."""

    union_path = "line__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)

    line = models.ForeignKey(
        BudgetLine,
        on_delete=models.CASCADE,
        related_name="revenue_records",
        verbose_name=_("予算の行"),
    )
    kind = models.CharField(_("種類"), max_length=20, choices=RevenueKind.choices)
    recorded_on = models.DateField(_("日付"))
    payer = models.CharField(_("納入者"), max_length=200)
    amount = models.BigIntegerField(_("金額（円）"))
    note = models.CharField(_("備考"), max_length=300, blank=True)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("収入の記録")
        verbose_name_plural = _("収入の記録")
        ordering = ["line", "recorded_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="revenue_amount_positive",
                violation_error_message=_("金額は1円以上で入力してください。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.recorded_on} {self.payer} {self.amount:,}円"


class Carryover(models.Model):
    """The part of an expenditure line's budget carried into the next year (翌年度繰越額:
    繰越明許費, 事故繰越), recorded at settlement; 不用額 is what is left after it."""

    union_path = "line__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)

    line = models.OneToOneField(
        BudgetLine,
        on_delete=models.CASCADE,
        related_name="carryover",
        verbose_name=_("予算の行"),
    )
    amount = models.BigIntegerField(_("翌年度繰越額（円）"))
    reason = models.CharField(_("理由"), max_length=300)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("翌年度繰越")
        verbose_name_plural = _("翌年度繰越")
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="carryover_amount_nonnegative",
                violation_error_message=_("翌年度繰越額は0円以上で入力してください。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.line.item} {self.amount:,}円"
