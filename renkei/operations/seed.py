"""Loading a union's year from a structured data file (the FY2024 seed is one), all or
nothing. The file holds records of several apps (tenancy, programmes, finance), so the
whole load is composed here, above them; each app loads its own part
(``programmes.loading``, ``finance.loading``)."""

from pathlib import Path

from django.db import transaction

from renkei.audit.models import AuditEntry
from renkei.audit.services import record_change
from renkei.finance.loading import load_budget
from renkei.programmes.loading import FY2024_PATH, LoadResult, load_year_records, read_year_file


def load_year_file(path: Path = FY2024_PATH, user=None) -> LoadResult:
    """Load one union's year from a JSON data file, all or nothing; a fiscal year that
    already exists is left as it is (the records may have been edited since)."""
    data = read_year_file(path)
    with transaction.atomic():
        result = load_year_records(data)
        if result.created:
            load_budget(result.fiscal_year, data["fiscal_year"].get("budget", {}))
            record_change(
                user=user,
                action=AuditEntry.Action.LOAD,
                instance=result.fiscal_year,
                union=result.union,
                changes={"source": Path(path).name},
            )
        return result
