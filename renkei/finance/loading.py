"""Loading a year's budget and settlement lines from a year file's data (the FY2024 seed)."""

from renkei.programmes.models import FiscalYear

from .models import BudgetLine, Direction, ExpenditureSection
from .sections import ensure_sections


def load_budget(fiscal_year: FiscalYear, spec: dict) -> None:
    """Create the year's budget lines from the file's ``budget`` (income, expenditure)."""
    lines = []
    for order, line in enumerate(spec.get("income", []), start=1):
        lines.append(
            BudgetLine(
                fiscal_year=fiscal_year,
                direction=Direction.INCOME,
                item=line["item"],
                budgeted=line.get("budgeted"),
                settled=line["settled"],
                note=line.get("note", ""),
                order=order,
            )
        )
    ensure_sections(ExpenditureSection)
    sections = {s.number: s for s in ExpenditureSection.for_year(fiscal_year.year)}
    for order, line in enumerate(spec.get("expenditure", []), start=1):
        lines.append(
            BudgetLine(
                fiscal_year=fiscal_year,
                direction=Direction.EXPENDITURE,
                section=sections[line["section"]],
                section_label=line.get("label", ""),
                item=line["item"],
                budgeted=line.get("budgeted"),
                settled=line["settled"],
                note=line.get("note", ""),
                order=order,
            )
        )
    BudgetLine.objects.bulk_create(lines)
