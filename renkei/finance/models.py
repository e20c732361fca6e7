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
    # Optimistic locking: services compare the version a form was loaded with, then bump it.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("予算・決算の行")
        verbose_name_plural = _("予算・決算の行")
        ordering = ["fiscal_year", "direction", "order"]
        constraints = [
            models.CheckConstraint(condition=Q(settled__gte=0), name="budgetline_settled_nonnegative",
                                   violation_error_message=_("決算額は0円以上で入力してください。")),
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
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.item} {self.settled:,}円"

    @property
    def label(self) -> str:
        if self.section_label:
            return self.section_label
        return self.section.name if self.section else ""

    def clean(self):
        if self.direction == Direction.EXPENDITURE and self.section is None:
            raise ValidationError({"section": _("支出の行には節を選んでください。")})
        if self.section and self.fiscal_year_id:
            year = self.fiscal_year.year
            last = self.section.last_fiscal_year
            if self.section.first_fiscal_year > year or (last is not None and last < year):
                raise ValidationError(
                    {"section": _("この節（%(section)s）は%(year)s年度には使えません。")
                     % {"section": self.section, "year": year}}
                )
