"""How a member's amount in a pool was computed, in words a member can check with a calculator:
the key's value and total, the share with enough decimals, the rounding mode and its difference,
the population tier and the audit deduction."""

from __future__ import annotations

from decimal import Decimal

from server import i18n
from server.core import catalogue

from . import pricing
from .models import PoolModel
from .rounding import HUNDRED, Rounding, Share, half_up
from .statements import PoolResult

WORDS = catalogue.by_language("allocation.explain")


def number(value: Decimal | int, lang: str) -> str:
    """A decimal with all its significant places (at least none), French or English."""
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",") if lang == "fr" else text


def percent(value: Decimal, lang: str) -> str:
    """A percentage with the decimals it was computed with (2 in percent mode, 4 otherwise)."""
    text = f"{Decimal(value):f}"
    return text.replace(".", ",") if lang == "fr" else text


def money(value: Decimal, lang: str) -> str:
    return i18n.format_amount(value, lang)


def explain(result: PoolResult, member_id: int, lang: str) -> str:
    """One line: how the member's share of the pool was computed (and why a measured value was overridden)."""
    line = _computation(result, member_id, lang)
    if member_id in result.overrides:
        line += WORDS.get(lang, WORDS["fr"])["override"].format(reason=result.overrides[member_id])
    elif result.basis is not None and result.basis.other_day(result.pool.year):
        line += f" ; {result.basis.describe(lang, result.pool.year)}"  # not the year's own measurement
    return line


def _computation(result: PoolResult, member_id: int, lang: str) -> str:
    words = WORDS.get(lang, WORDS["fr"])
    pool, share = result.pool, result.allocation.shares[member_id]
    unit = result.key_unit or ""
    if pool.model is PoolModel.PER_UNIT:
        return words["per_unit"].format(value=number(share.weight, lang), unit=unit,
                                        price=money(Decimal(pool.unit_price or 0), lang),
                                        share=money(share.amount, lang))  # fmt: skip
    if pool.model is PoolModel.POPULATION_TIERS:
        return _tiers(result, member_id, share, lang)
    total = sum((s.weight for s in result.allocation.shares.values()), Decimal(0))
    amount = Decimal(pool.amount or 0)
    diff = money(amount - result.allocation.total, lang)
    common = {"value": number(share.weight, lang), "total": number(total, lang), "unit": unit,
              "amount": money(amount, lang), "share": money(share.amount, lang)}  # fmt: skip
    if pool.rounding is Rounding.PERCENT:
        exact = half_up(share.weight * HUNDRED / total, Decimal("0.000001")) if total else Decimal(0)
        line = words["pro_rata"].format(exact=number(exact, lang), percent=percent(share.percent, lang), **common)
    else:
        exact = half_up(amount * share.weight / total, Decimal("0.0001")) if total else Decimal(0)
        line = words["exact"].format(exact=number(exact, lang), **common)
    return f"{line} ({words[pool.rounding].format(diff=diff)})"


def _tiers(result: PoolResult, member_id: int, share: Share, lang: str) -> str:
    words = WORDS.get(lang, WORDS["fr"])
    parameters = result.pool.parameters or {}
    population = int(share.weight)
    tier = pricing.tier_for(pricing.tiers_from(parameters.get("tiers", [])), population)
    if tier is None:  # refused when the pool is written; kept readable if data changed since
        return ""
    rate = Decimal(str(parameters.get("per_inhabitant", 0))) + tier.per_inhabitant
    gross = half_up(tier.fixed + rate * population)
    high = words["under"].format(n=number(tier.maximum, lang)) if tier.maximum is not None else words["no_upper"]
    line = words["tier"].format(population=number(population, lang), low=number(tier.minimum, lang), high=high,
                                fixed=money(tier.fixed, lang), rate=money(rate, lang),
                                gross=money(gross, lang))  # fmt: skip
    if member_id in [int(m) for m in parameters.get("deduct_for", [])]:
        audit = pricing.tiered_amount(pricing.tiers_from(parameters.get("deduct_tiers", [])), population) or Decimal(0)
        line += words["audit"].format(audit=money(audit, lang), share=money(share.amount, lang))
    return line
