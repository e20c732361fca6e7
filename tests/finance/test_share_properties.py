"""Property (Hypothesis): for any population figures, ratios and totals, the members'
shares sum to the total to the yen and follow the stated rounding rule (largest
remainder, equal fractions in 規約 order), checked here with exact fractions
independently of the code under test."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from renkei.errors import RenkeiError
from renkei.finance.shares import apportion, split_shares

totals = st.integers(min_value=0, max_value=10**13)
weights = st.integers(min_value=0, max_value=1000)
populations = st.lists(st.integers(min_value=0, max_value=4_000_000), min_size=1, max_size=12)


def assert_largest_remainder(total: int, shares: list[int], parts: list[int]) -> None:
    """``parts`` is ``total`` split by ``shares`` under the stated rule."""
    whole = sum(shares)
    exact = [Fraction(total * s, whole) for s in shares]
    assert sum(parts) == total
    for part, share in zip(parts, exact, strict=True):
        assert part in (int(share), int(share) + 1)  # rounded down, or one yen more
    fractions = [share - int(share) for share in exact]
    plus = [i for i, (part, share) in enumerate(zip(parts, exact, strict=True)) if part > share]
    rest = [i for i in range(len(parts)) if i not in plus]
    for i in plus:  # a yen more only ahead of every member without one
        for j in rest:
            assert fractions[i] > fractions[j] or (fractions[i] == fractions[j] and i < j)


@settings(deadline=None)  # exact fractions over a long list are slow at times, never wrong
@given(
    total=totals,
    shares=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=60),
)
def test_apportion_follows_the_largest_remainder(total, shares):
    if sum(shares) == 0:
        with pytest.raises(ValueError, match="must not all be 0"):
            apportion(total, shares)
        return
    assert_largest_remainder(total, shares, apportion(total, shares))


@settings(deadline=None)
@given(total=totals, equal=weights, by_population=weights, people=populations)
def test_shares_sum_to_the_total_and_follow_the_rule(total, equal, by_population, people):
    if equal + by_population == 0 or (by_population and sum(people) == 0):
        with pytest.raises(RenkeiError):
            split_shares(total, equal, by_population, people)
        return
    split = split_shares(total, equal, by_population, people)
    assert sum(split.shares) == total  # to the yen
    # The equal part's total: the amount × its weight, rounded down to the yen.
    assert split.equal_total == int(Fraction(total * equal, equal + by_population))
    assert split.equal_total + split.population_total == total
    assert_largest_remainder(split.equal_total, [1] * len(people), split.equal_parts)
    if by_population:
        assert_largest_remainder(split.population_total, people, split.population_parts)
    else:
        assert split.population_parts == [0] * len(people)
    assert all(share >= 0 for share in split.shares)


def test_ties_go_in_the_order_of_the_covenant():
    """Three members of equal population share 100 yen: the first in 規約 order gets the
    yen that does not divide."""
    assert split_shares(100, 0, 1, [500, 500, 500]).shares == [34, 33, 33]
    assert split_shares(101, 1, 0, [None, None, None]).shares == [34, 34, 33]


def test_unknown_population_is_refused_only_when_needed():
    with pytest.raises(RenkeiError, match="人口が入力されていない"):
        split_shares(1000, 1, 1, [100, None])
    assert split_shares(1000, 1, 0, [None, None]).shares == [500, 500]
