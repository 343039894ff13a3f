"""Splitting an amount between members, with the two rounding conventions the DSIT may choose.

- ``percent``: what the seeds' tables do. Each member's percentage is rounded half-up to two
  decimals, then applied to the amount, rounded half-up to the cent. The parts may not add up
  to the amount (39 161 € split by GB gives 39 160.99 €).
- ``largest_remainder``: exact. Each member gets the floor of its exact share in cents; the
  cents left go one by one to the largest remainders (ties: the larger weight, then the key
  order), so the parts always add up to the amount.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TypeVar

K = TypeVar("K", bound=Hashable)
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


class Rounding(StrEnum):
    PERCENT = "percent"
    LARGEST_REMAINDER = "largest_remainder"


def half_up(value: Decimal, places: Decimal = CENT) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class Share:
    weight: Decimal  # the member's key value (tickets, GB...)
    percent: Decimal  # as shown: 2 decimals in percent mode, exact-ish (4 decimals) otherwise
    amount: Decimal  # to the cent


def pro_rata(amount: Decimal, weights: Mapping[K, Decimal], rounding: Rounding) -> dict[K, Share]:
    """``amount`` split by ``weights``; members of weight 0 get nothing and are left out."""
    positive = {k: Decimal(w) for k, w in weights.items() if w and Decimal(w) > 0}
    total = sum(positive.values(), Decimal(0))
    if not positive:
        return {}
    if rounding is Rounding.PERCENT:
        shares = {}
        for member, weight in positive.items():
            percent = half_up(weight * HUNDRED / total)
            shares[member] = Share(weight, percent, half_up(amount * percent / HUNDRED))
        return shares
    cents = (amount / CENT).to_integral_value(rounding=ROUND_HALF_UP)
    exact = {k: cents * w / total for k, w in positive.items()}
    floors = {k: v.to_integral_value(rounding=ROUND_FLOOR) for k, v in exact.items()}
    left = int(cents - sum(floors.values()))
    order = list(positive)
    ranked = sorted(order, key=lambda k: (-(exact[k] - floors[k]), -positive[k], order.index(k)))
    for member in ranked[:left]:
        floors[member] += 1
    return {k: Share(positive[k], half_up(positive[k] * HUNDRED / total, Decimal("0.0001")), floors[k] * CENT)
            for k in order}  # fmt: skip
