"""Fixtures of the finance tests: a factory-made union (米沢市 and 南陽市 its members) with
an open year with a budget, kept by record."""

import pytest

from tests.factories import budget_year


@pytest.fixture
def union(create_two_town_union):
    return create_two_town_union()


@pytest.fixture
def secretariat(union, create_user):
    return create_user("secretariat", union=union)


@pytest.fixture
def fy2025(union):
    return budget_year(union)
