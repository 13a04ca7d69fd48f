"""Splitting an event's costs across its hosts by their shares, exact to the øre.

Largest remainder (Hamilton): every host first gets its share rounded down to the øre; the
øre left over go, one each, to the hosts with the largest remainders (ties: the larger
share, then the host listed first). The parts therefore always sum to the total exactly.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

ORE = Decimal("0.01")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class SharePart:
    key: object  # whatever identifies the host (an Organisation, a name)
    share: Decimal  # per cent
    amount: Decimal


def split_amount(total: Decimal, shares: Sequence[tuple[object, Decimal]]) -> list[SharePart]:
    """``total`` (NOK, two decimals) split by ``shares`` (per cent, summing to 100)."""
    total = Decimal(total).quantize(ORE)
    if not shares:
        return []
    share_sum = sum((Decimal(s) for _k, s in shares), Decimal(0))
    if share_sum != HUNDRED:
        raise ValueError(f"Shares sum to {share_sum} %, not 100 %")
    total_ore = int(total / ORE)
    exact = [Decimal(total_ore) * Decimal(share) / HUNDRED for _key, share in shares]
    floors = [int(value.to_integral_value(rounding=ROUND_FLOOR)) for value in exact]
    left = total_ore - sum(floors)
    order = sorted(
        range(len(shares)), key=lambda i: (-(exact[i] - floors[i]), -Decimal(shares[i][1]), i)
    )
    for index in order[:left]:
        floors[index] += 1
    return [
        SharePart(key=key, share=Decimal(share), amount=Decimal(ore) * ORE)
        for (key, share), ore in zip(shares, floors, strict=True)
    ]
