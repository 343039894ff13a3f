"""The pool form of the pages, read into the API's ``PoolIn`` (same checks, same messages)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import ValidationError

from server.core.errors import Invalid
from server.core.tabular import parse_decimal

from .models import CostPool, PoolModel
from .schemas import PoolIn


def _decimal(text: str | None, field: str) -> str | None:
    text = (text or "").strip().replace("€", "")
    if not text:
        return None
    try:
        return str(parse_decimal(text))
    except ValueError as exc:
        raise Invalid(f"{field}: {exc}") from None


def _ids(values: Iterable[str]) -> list[int]:
    return [int(v) for v in values if v.strip().isdigit()]


def tiers_from_text(text: str, field: str) -> list[dict[str, Any]]:
    """``min;max;fixed;per_inhabitant`` a line (max empty: no upper bound) -> the tiers' JSON."""
    tiers = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        cells = [c.strip() for c in line.split(";")]
        if len(cells) < 3:
            raise Invalid(f"{field}, ligne {number} : min;max;fixe attendus, pas {line!r}")
        tier: dict[str, Any] = {"min": _decimal(cells[0], field) or "0", "max": _decimal(cells[1], field),
                                "fixed": _decimal(cells[2], field)}  # fmt: skip
        if len(cells) > 3 and cells[3]:
            tier["per_inhabitant"] = _decimal(cells[3], field)
        tiers.append({k: (int(float(v)) if k in ("min", "max") and v is not None else v) for k, v in tier.items()})
    return tiers


def tiers_to_text(tiers: Iterable[Mapping[str, Any]]) -> str:
    return "\n".join(
        ";".join(
            str(t.get(k) if t.get(k) is not None else "") for k in ("min", "max", "fixed", "per_inhabitant")
        ).rstrip(";")
        for t in tiers
    )


def pool_in(form: Any) -> PoolIn:
    """The submitted form as a ``PoolIn``; an invalid field -> 422 naming it."""
    model = form.get("model") or PoolModel.PRO_RATA.value
    data: dict[str, Any] = {
        "year": form.get("year"),
        "name": (form.get("name") or "").strip(),
        "position": form.get("position") or 0,
        "model": model,
        "key_code": form.get("key_code") or None,
        "rounding": form.get("rounding") or "percent",
        "advanced_by_id": form.get("advanced_by_id") or None,
        "members": _ids(form.getlist("members")),
        "exclude": _ids(form.getlist("exclude")),
        "note": (form.get("note") or "").strip() or None,
    }
    if model == PoolModel.PRO_RATA:
        data["amount"] = _decimal(form.get("amount"), "amount")
    elif model == PoolModel.PER_UNIT:
        data["unit_price"] = _decimal(form.get("unit_price"), "unit_price")
    elif model == PoolModel.POPULATION_TIERS:
        data["key_code"] = data["key_code"] or "population"
        data["parameters"] = {
            "tiers": tiers_from_text(form.get("tiers") or "", "tiers"),
            "per_inhabitant": _decimal(form.get("per_inhabitant"), "per_inhabitant") or "0",
            "deduct_tiers": tiers_from_text(form.get("deduct_tiers") or "", "deduct_tiers"),
            "deduct_for": _ids(form.getlist("deduct_for")),
        }
    try:
        return PoolIn.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'pool'}: {error['msg']}" for error in exc.errors()
        )
        raise Invalid(problems) from None


def form_values(pool: CostPool | None, year: int, model: str) -> dict[str, Any]:
    """What the form shows: the pool's values, or a new pool's defaults."""
    if pool is None:
        return {"year": year, "model": model, "name": "", "position": 0, "key_code": "", "amount": "",
                "unit_price": "", "advanced_by_id": None, "rounding": "percent", "members": [], "exclude": [],
                "note": "", "tiers": "", "per_inhabitant": "", "deduct_tiers": "", "deduct_for": []}  # fmt: skip
    parameters = pool.parameters or {}
    return {"year": pool.year, "model": pool.model.value, "name": pool.name, "position": pool.position,
            "key_code": pool.key_code or "", "amount": pool.amount if pool.amount is not None else "",
            "unit_price": pool.unit_price if pool.unit_price is not None else "",
            "advanced_by_id": pool.advanced_by_id, "rounding": pool.rounding.value, "members": pool.members or [],
            "exclude": pool.exclude or [], "note": pool.note or "",
            "tiers": tiers_to_text(parameters.get("tiers", [])), "per_inhabitant": parameters.get("per_inhabitant", ""),
            "deduct_tiers": tiers_to_text(parameters.get("deduct_tiers", [])),
            "deduct_for": parameters.get("deduct_for", [])}  # fmt: skip
