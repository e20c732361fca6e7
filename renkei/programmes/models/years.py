"""Plans, fiscal years, programmes, groups of activities and the partnership project."""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from renkei import wareki
from renkei.tenancy.models import Organisation, Union
from renkei.tenancy.querysets import RestrictedQuerySet


class Plan(models.Model):
    """A multi-year plan the union's cooperation work sits under."""

    union_path = "union"  # how a record reaches its union (tenancy.permissions)

    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="plans")
    name = models.CharField(_("計画名"), max_length=200)
    first_fiscal_year = models.PositiveSmallIntegerField(_("計画期間（初年度・西暦）"))
    last_fiscal_year = models.PositiveSmallIntegerField(_("計画期間（最終年度・西暦）"))
    adopted_in = models.CharField(
        _("策定時期"), max_length=50, blank=True, help_text=_("例: 平成25年3月")
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("計画")
        verbose_name_plural = _("計画")
        ordering = ["union", "first_fiscal_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_fiscal_year__gte=F("first_fiscal_year")),
                name="plan_period_ordered",
                violation_error_message=_("計画の最終年度が初年度より前です。"),
            ),
            models.UniqueConstraint(fields=["union", "name"], name="plan_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def period_label(self) -> str:
        return (
            f"{wareki.format_fiscal_year(self.first_fiscal_year)}から"
            f"{wareki.format_fiscal_year(self.last_fiscal_year)}"
        )


class FiscalYearState(models.TextChoices):
    PLANNING = "planning", _("計画中")
    RUNNING = "running", _("実施中")
    CLOSED = "closed", _("決算確定")
    REPORTED = "reported", _("報告済み")


class FiscalYear(models.Model):
    """A union's fiscal year (April to March), named by its starting calendar year."""

    union_path = "union"  # how a record reaches its union (tenancy.permissions)

    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="fiscal_years")
    year = models.PositiveSmallIntegerField(_("年度（西暦）"), help_text=_("令和6年度は 2024"))
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("計画")
    )
    state = models.CharField(
        _("状態"), max_length=20, choices=FiscalYearState.choices, default=FiscalYearState.PLANNING
    )
    report_title = models.CharField(
        _("報告書の表題"),
        max_length=200,
        blank=True,
        help_text=_("空欄なら「令和6年度 組合名 広域連携事業報告書」"),
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("年度")
        verbose_name_plural = _("年度")
        ordering = ["union", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["union", "year"], name="fiscalyear_unique"),
            models.CheckConstraint(
                condition=Q(year__gte=1989) & Q(year__lte=2200),
                name="fiscalyear_year_range",
                violation_error_message=_(
                    "年度は平成元年度（1989年度）から2200年度までの間で入力してください。"
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{wareki.format_fiscal_year(self.year)}（{self.year}年度）"

    @property
    def start(self):
        return wareki.fiscal_year_bounds(self.year)[0]

    @property
    def end(self):
        return wareki.fiscal_year_bounds(self.year)[1]

    @property
    def title(self) -> str:
        return self.report_title or (
            f"{wareki.format_fiscal_year(self.year)} {self.union} 広域連携事業報告書"
        )


class NarrativeSection(models.Model):
    """Prose the secretariat writes for the report (事業概要, 広域連携外部研修の概要, まとめ)."""

    union_path = "fiscal_year__union"  # how a record reaches its union (tenancy.permissions)

    class Key(models.TextChoices):
        OVERVIEW = "overview", _("事業概要")
        EXTERNAL_TRAINING = "external_training", _("広域連携外部研修の概要")
        SUMMARY = "summary", _("まとめ")
        OTHER = "other", _("その他")

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="narratives", verbose_name=_("年度")
    )
    key = models.CharField(_("区分"), max_length=30, choices=Key.choices)
    title = models.CharField(_("見出し"), max_length=100)
    body = models.TextField(_("本文"), help_text=_("段落は空行で区切ります。"))
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("報告書の文章")
        verbose_name_plural = _("報告書の文章")
        ordering = ["fiscal_year", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "key"],
                condition=~Q(key="other"),
                name="narrative_unique_key",
                violation_error_message=_(
                    "この区分の文章はこの年度にすでにあります。"
                    "区分「その他」のほかは、1年度に1つです。"
                ),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def paragraphs(self) -> list[str]:
        text = self.body.replace("\r\n", "\n").replace("\r", "\n")
        return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


class Programme(models.Model):
    """A numbered programme (事業) of a fiscal year, e.g. 遠隔自治体間連携事業."""

    union_path = "fiscal_year__union"  # how a record reaches its union (tenancy.permissions)

    fiscal_year = models.ForeignKey(
        FiscalYear, on_delete=models.CASCADE, related_name="programmes", verbose_name=_("年度")
    )
    number = models.PositiveSmallIntegerField(_("番号"))
    name = models.CharField(_("事業名"), max_length=100)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("事業")
        verbose_name_plural = _("事業")
        ordering = ["fiscal_year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "number"], name="programme_unique_number"
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="programme_number_positive",
                violation_error_message=_("事業の番号は1以上にしてください。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.fiscal_year.year} {self.name}"


class GroupKind(models.TextChoices):
    GENERAL = "general", _("一般")
    SEMINAR_SERIES = "seminar_series", _("外部研修（セミナーシリーズ）")


class ActivityGroup(models.Model):
    """A numbered item of a programme — "(1)…" in the report — holding one or more
    activities (①, ② … when more than one). A seminar series is a group of sessions."""

    union_path = (
        "programme__fiscal_year__union"  # how a record reaches its union (tenancy.permissions)
    )

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="groups", verbose_name=_("事業")
    )
    number = models.PositiveSmallIntegerField(_("番号"), help_text=_("報告書の (1)、(2) …"))
    title = models.CharField(_("項目名"), max_length=200)
    short_title = models.CharField(
        _("内容欄の見出し"),
        max_length=200,
        blank=True,
        help_text=_("例: 地方創生セミナー アドバンス（空欄なら項目名）"),
    )
    kind = models.CharField(
        _("種別"), max_length=20, choices=GroupKind.choices, default=GroupKind.GENERAL
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("実施団体"),
        related_name="+",
    )
    note = models.CharField(
        _("注記"), max_length=100, blank=True, help_text=_("例: オンラインのみ")
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("事業項目")
        verbose_name_plural = _("事業項目")
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="group_unique_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="group_number_positive",
                violation_error_message=_("項目の番号は1以上にしてください。"),
            ),
        ]

    def __str__(self) -> str:
        return f"({self.number}){self.title}"

    @property
    def heading(self) -> str:
        return self.short_title or self.title


class PartnershipProject(models.Model):
    """A long-running initiative with a partner, e.g. おきたま×みなと開港プロジェクト."""

    union_path = "union"  # how a record reaches its union (tenancy.permissions)

    union = models.ForeignKey(Union, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField(_("プロジェクト名"), max_length=200)
    partner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, verbose_name=_("連携先"), related_name="+"
    )
    since_fiscal_year = models.PositiveSmallIntegerField(_("開始年度（西暦）"))
    concept = models.TextField(_("概要"))
    image_text = models.TextField(
        _("事業イメージ"), blank=True, help_text=_("1行に1文。報告書の「事業イメージ」欄。")
    )

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("連携プロジェクト")
        verbose_name_plural = _("連携プロジェクト")
        constraints = [
            models.UniqueConstraint(fields=["union", "name"], name="project_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Pillar(models.Model):
    """One of a project's pillars (ひと・もの・こと)."""

    union_path = "project__union"  # how a record reaches its union (tenancy.permissions)

    project = models.ForeignKey(
        PartnershipProject, on_delete=models.CASCADE, related_name="pillars"
    )
    key = models.SlugField(_("識別名"), max_length=20, help_text=_("例: hito"))
    name = models.CharField(_("名称"), max_length=20)
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("柱（ひと・もの・こと）")
        verbose_name_plural = _("柱（ひと・もの・こと）")
        ordering = ["project", "order"]
        constraints = [models.UniqueConstraint(fields=["project", "key"], name="pillar_unique_key")]

    def __str__(self) -> str:
        return self.name


class PillarLine(models.Model):
    """A line of work under a pillar (the report's 実施事業 table)."""

    union_path = "pillar__project__union"  # how a record reaches its union (tenancy.permissions)

    pillar = models.ForeignKey(Pillar, on_delete=models.CASCADE, related_name="lines")
    text = models.CharField(_("実施事業"), max_length=300)
    order = models.PositiveSmallIntegerField(_("順序"), default=0)

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        verbose_name = _("実施事業")
        verbose_name_plural = _("実施事業")
        ordering = ["pillar", "order"]

    def __str__(self) -> str:
        return self.text

    def clean(self):
        if not self.text.strip():
            raise ValidationError({"text": _("実施事業を入力してください。")})
