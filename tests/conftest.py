"""Shared fixtures: the FY2024 seed, users in each role, a union of another tenant."""

import pytest

from renkei.programmes.loading import load_year_file


@pytest.fixture
def fy2024(db):
    """The FY2024 year of 置賜広域行政事務組合, loaded as `make run` loads it."""
    return load_year_file().fiscal_year
