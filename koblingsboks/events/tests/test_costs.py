"""Largest-remainder split: exact to the øre, whatever the shares."""

import random
from decimal import Decimal

import pytest

from koblingsboks.events.costs import split_amount


def test_one_ore_goes_to_the_largest_remainder():
    parts = split_amount(
        Decimal("100.00"),
        [("a", Decimal("33.33")), ("b", Decimal("33.33")), ("c", Decimal("33.34"))],
    )
    assert [p.amount for p in parts] == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


def test_ties_go_to_the_larger_share_then_the_first():
    parts = split_amount(Decimal("0.01"), [("a", Decimal("50")), ("b", Decimal("50"))])
    assert [p.amount for p in parts] == [Decimal("0.01"), Decimal("0.00")]
    parts = split_amount(Decimal("0.02"), [("a", Decimal("40")), ("b", Decimal("60"))])
    assert [p.amount for p in parts] == [Decimal("0.01"), Decimal("0.01")]


def test_random_splits_always_sum_to_the_total():
    rng = random.Random(6)
    for _ in range(500):
        n = rng.randint(1, 6)
        cuts = sorted(rng.randint(0, 10000) for _ in range(n - 1))
        bounds = [0, *cuts, 10000]
        shares = [Decimal(bounds[i + 1] - bounds[i]) / 100 for i in range(n)]
        total = Decimal(rng.randint(0, 10_000_000)) / 100
        parts = split_amount(total, list(enumerate(shares)))
        assert sum(p.amount for p in parts) == total
        for part in parts:  # never more than one øre from the exact share
            assert abs(part.amount - total * part.share / 100) < Decimal("0.01")


def test_shares_not_summing_to_100_are_refused():
    with pytest.raises(ValueError):
        split_amount(Decimal("10"), [("a", Decimal("50")), ("b", Decimal("49.99"))])
