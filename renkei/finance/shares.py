"""Members' shares (分担金・負担金): each member's part of the amount the union shares,
to the yen, summing exactly to that amount.

The rule (``SharingRule``): the amount is split into a part shared equally (均等割) and
a part shared by population (人口割) in the ratio of two integer weights. The equal part's
total is the amount × its weight ÷ both weights, rounded down to the yen; the population
part is the rest. Each part is then apportioned to the yen by the largest remainder: every
member first gets its exact part rounded down, and the yen left over go one each to the
members whose rounded-off fractions are largest, equal fractions in the order of the
union's 規約 (``Union.members_in_order``). All arithmetic is on integers and fractions,
never floats. ``ROUNDING_RULE`` states this in the words printed beside every share.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from renkei.audit.models import AuditEntry
from renkei.audit.services import record_change
from renkei.errors import RenkeiError
from renkei.programmes.models import FiscalYear
from renkei.tenancy.models import Organisation
from renkei.tenancy.permissions import Action, can, profile_of

from .budget_changes import yen
from .models import PopulationFigure, SharingRule
from .services import lock_open_year

ROUNDING_RULE = gettext_lazy(
    "端数の処理: 均等割の総額は負担総額に均等割の割合を掛けて円未満を切り捨て、残りを"
    "人口割の総額とします。均等割・人口割それぞれ、各団体の額の円未満を切り捨て、"
    "配分しきれない円は切り捨てた端数の大きい団体から1円ずつ加えます"
    "（端数が等しいときは規約の順）。各団体の負担額の合計は負担総額と1円の差もなく一致します。"
)

MAX_AMOUNT = 10**15  # 999兆円: the forms' bound


def apportion(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` yen split in proportion to ``weights`` (non-negative integers, not all 0)
    by the largest remainder: each part its exact share rounded down, then one yen more
    to the largest fractions, equal fractions in the order given. Sums to ``total``."""
    whole = sum(weights)
    if whole <= 0:
        raise ValueError("weights must not all be 0")
    exact = [Fraction(total * weight, whole) for weight in weights]
    parts = [int(share) for share in exact]  # floor: shares are never negative
    left = total - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class SplitShares:
    """The two parts' totals and each member's equal and population parts, in 規約 order."""

    equal_total: int
    population_total: int
    equal_parts: list[int]
    population_parts: list[int]

    @property
    def shares(self) -> list[int]:
        return [a + b for a, b in zip(self.equal_parts, self.population_parts, strict=True)]


def split_shares(
    total: int, equal_weight: int, population_weight: int, populations: Sequence[int | None]
) -> SplitShares:
    """Each member's share of ``total`` under the rule (see the module's docstring);
    ``populations`` in 規約 order (None where unknown: allowed only without a population
    part). Raises RenkeiError when the shares cannot be computed."""
    if not populations:
        raise RenkeiError(_("構成団体が登録されていないため、負担額を計算できません。"))
    weights = equal_weight + population_weight
    if weights <= 0:
        raise RenkeiError(_("均等割と人口割の割合の少なくとも一方を1以上にしてください。"))
    equal_total = total * equal_weight // weights
    population_total = total - equal_total
    equal_parts = apportion(equal_total, [1] * len(populations))
    if population_weight == 0:
        population_parts = [0] * len(populations)
    else:
        known = [p for p in populations if p is not None]
        if len(known) < len(populations):
            raise RenkeiError(
                _("人口が入力されていない構成団体があるため、負担額を計算できません。")
            )
        if sum(known) <= 0:
            raise RenkeiError(_("人口の合計が0人のため、人口割を計算できません。"))
        population_parts = apportion(population_total, known)
    return SplitShares(equal_total, population_total, equal_parts, population_parts)


@dataclass(frozen=True)
class MemberShare:
    """One member's share: the figure it was computed from and its two parts (None while
    the shares cannot be computed)."""

    organisation: Organisation
    figure: PopulationFigure | None
    equal_part: int | None
    population_part: int | None

    @property
    def amount(self) -> int | None:
        if self.equal_part is None or self.population_part is None:
            return None
        return self.equal_part + self.population_part


@dataclass(frozen=True)
class ShareTable:
    """A year's rule and every member's share; ``problem`` says why the shares are
    unknown (no rule, a missing population), else is empty."""

    fiscal_year: FiscalYear
    rule: SharingRule | None
    shares: list[MemberShare]
    equal_total: int | None = None
    population_total: int | None = None
    problem: str = ""

    @property
    def total(self) -> int | None:
        return self.rule.total if self.rule else None

    @property
    def computed(self) -> bool:
        return not self.problem

    def rule_text(self) -> str:
        """The rule in words, as printed with the shares."""
        if self.rule is None:
            return ""
        r = self.rule
        weights = r.equal_weight + r.population_weight
        return _(
            "算定方法: 負担総額 %(total)s円のうち、%(equal)s/%(weights)sを均等割として"
            "構成団体%(n)s団体で均等に、%(population)s/%(weights)sを人口割として人口に比例して"
            "負担します。"
        ) % {
            "total": yen(r.total),
            "equal": r.equal_weight,
            "population": r.population_weight,
            "weights": weights,
            "n": len(self.shares),
        }

    def for_organisation(self, organisation_id: int) -> MemberShare | None:
        return next((s for s in self.shares if s.organisation.pk == organisation_id), None)


def share_table(fiscal_year) -> ShareTable:
    """The year's shares for every member in 規約 order (two queries and the members)."""
    members = list(fiscal_year.union.members_in_order())
    rule = SharingRule.objects.filter(fiscal_year=fiscal_year).first()
    figures = {
        f.organisation_id: f for f in PopulationFigure.objects.filter(fiscal_year=fiscal_year)
    }

    def unknown(problem: str) -> ShareTable:
        rows = [MemberShare(org, figures.get(org.pk), None, None) for org in members]
        return ShareTable(fiscal_year, rule, rows, problem=problem)

    if rule is None:
        return unknown(_("この年度の負担金の算定方法が登録されていません。"))
    populations = [figures[org.pk].population if org.pk in figures else None for org in members]
    try:
        split = split_shares(rule.total, rule.equal_weight, rule.population_weight, populations)
    except RenkeiError as error:
        return unknown(error.message)
    rows = [
        MemberShare(org, figures.get(org.pk), equal, population)
        for org, equal, population in zip(
            members, split.equal_parts, split.population_parts, strict=True
        )
    ]
    return ShareTable(fiscal_year, rule, rows, split.equal_total, split.population_total)


def visible_shares(user, fiscal_year) -> list[MemberShare]:
    """The shares the user may see: every member's for the secretariat and auditors
    (``Action.VIEW_SHARES``), the own organisation's for a member's staff
    (``Action.VIEW_OWN_SHARE``); anyone else is refused."""
    table = share_table(fiscal_year)
    if can(user, Action.VIEW_SHARES, fiscal_year):
        return table.shares
    profile = profile_of(user)
    if profile is not None and can(user, Action.VIEW_OWN_SHARE, fiscal_year):
        own = table.for_organisation(profile.organisation_id)
        if own is not None:
            return [own]
    raise PermissionDenied


def may_see_share(user, fiscal_year, organisation_id: int) -> bool:
    """Whether the user may see this member's share and notice."""
    if can(user, Action.VIEW_SHARES, fiscal_year):
        return True
    profile = profile_of(user)
    return (
        can(user, Action.VIEW_OWN_SHARE, fiscal_year)
        and profile is not None
        and profile.organisation_id == organisation_id
    )


def _check_amount(value, label: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_AMOUNT:
        raise RenkeiError(_("%(label)sは0以上の整数で入力してください。") % {"label": label})
    return value


def set_sharing_rule(
    fiscal_year,
    user,
    *,
    title: str,
    total: int,
    equal_weight: int,
    population_weight: int,
    due_on: date | None = None,
) -> SharingRule:
    """Set (or change) the year's sharing rule; refused for a closed year; logged."""
    if not can(user, Action.EDIT_BUDGET, fiscal_year):
        raise PermissionDenied
    if not (title or "").strip():
        raise RenkeiError(_("名称を入力してください。"))
    _check_amount(total, _("負担総額"))
    _check_amount(equal_weight, _("均等割の割合"))
    _check_amount(population_weight, _("人口割の割合"))
    if equal_weight + population_weight == 0:
        raise RenkeiError(_("均等割と人口割の割合の少なくとも一方を1以上にしてください。"))
    if due_on is not None and not isinstance(due_on, date):
        raise RenkeiError(_("納期限は日付で入力してください。"))
    with transaction.atomic():
        lock_open_year(fiscal_year, _("負担金の算定方法"))
        rule = SharingRule.objects.select_for_update().filter(fiscal_year=fiscal_year).first()
        values = {
            "title": title.strip(),
            "total": total,
            "equal_weight": equal_weight,
            "population_weight": population_weight,
            "due_on": due_on,
        }
        before = {}
        if rule is None:
            rule = SharingRule(fiscal_year=fiscal_year)
            action = AuditEntry.Action.CREATE
        else:
            before = {name: getattr(rule, name) for name in values}
            action = AuditEntry.Action.UPDATE
            rule.version += 1
        for name, value in values.items():
            setattr(rule, name, value)
        rule.save()
        changes = {
            name: [_plain(before.get(name)), _plain(value)]
            for name, value in values.items()
            if before.get(name) != value
        }
        record_change(
            user=user, action=action, instance=rule, union=fiscal_year.union, changes=changes
        )
    return rule


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


@dataclass(frozen=True)
class PopulationEntry:
    """One member's population as entered or imported."""

    organisation: Organisation
    population: int
    source: str
    reference_date: date


def set_population_figures(fiscal_year, user, entries: Sequence[PopulationEntry]) -> int:
    """Record members' populations for the year, all or none; each change logged.
    Returns the number of figures that changed."""
    if not can(user, Action.EDIT_BUDGET, fiscal_year):
        raise PermissionDenied
    members = {org.pk for org in fiscal_year.union.members_in_order()}
    seen = set()
    for entry in entries:
        name = entry.organisation.label
        if entry.organisation.pk not in members:
            raise RenkeiError(_("%(org)sは本組合の構成団体ではありません。") % {"org": name})
        if entry.organisation.pk in seen:
            raise RenkeiError(_("%(org)sの人口が2回入力されています。") % {"org": name})
        seen.add(entry.organisation.pk)
        pop = entry.population
        if isinstance(pop, bool) or not isinstance(pop, int) or not 0 <= pop <= 10**9:
            raise RenkeiError(_("%(org)sの人口は0以上の整数で入力してください。") % {"org": name})
        if not (entry.source or "").strip():
            raise RenkeiError(_("%(org)sの人口の出典を入力してください。") % {"org": name})
        if not isinstance(entry.reference_date, date):
            raise RenkeiError(_("%(org)sの人口の基準日を入力してください。") % {"org": name})
    changed = 0
    with transaction.atomic():
        lock_open_year(fiscal_year, _("人口"))
        current = {
            f.organisation_id: f
            for f in PopulationFigure.objects.select_for_update().filter(fiscal_year=fiscal_year)
        }
        for entry in entries:
            changed += _save_figure(fiscal_year, user, current.get(entry.organisation.pk), entry)
    return changed


def _save_figure(fiscal_year, user, figure, entry: PopulationEntry) -> int:
    values = {
        "population": entry.population,
        "source": entry.source.strip(),
        "reference_date": entry.reference_date,
    }
    if figure is None:
        figure = PopulationFigure(fiscal_year=fiscal_year, organisation=entry.organisation)
        before, action = {}, AuditEntry.Action.CREATE
    else:
        before = {name: getattr(figure, name) for name in values}
        action = AuditEntry.Action.UPDATE
        if before == values:
            return 0
    for name, value in values.items():
        setattr(figure, name, value)
    figure.save()
    record_change(
        user=user,
        action=action,
        instance=figure,
        union=fiscal_year.union,
        changes={
            name: [_plain(before.get(name)), _plain(value)]
            for name, value in values.items()
            if before.get(name) != value
        },
    )
    return 1
