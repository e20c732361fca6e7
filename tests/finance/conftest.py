"""Fixtures of the finance tests: an open year with a budget, kept by record."""

import pytest

from tests.factories import budget_year


@pytest.fixture
def secretariat(make_user, fy2024):
    return make_user("secretariat")


@pytest.fixture
def fy2025(fy2024):
    return budget_year(fy2024.union)
