"""Seed 001 annexe 5 indicators ("maintien opérationnel et gestion de l'obsolescence") and the
REEN / AGEC reuse ratio of retired equipment."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from server.assets.models import Asset, AssetChange, AssetDocument, AssetStatusChange
from server.assets.vocab import DocumentKind, LifecycleStatus

from .assess import Assessment

OBSOLETE = frozenset({"overdue", "os_eol", "firmware_eol", "model_eos"})
REUSE = frozenset({LifecycleStatus.REUSED, LifecycleStatus.DONATED})
REEN_TARGET = 0.5  # 50 % of retired equipment reused from 2025
REEN_MAX_AGE_YEARS = 10  # equipment over 10 years is outside the target


def indicators(assessments: list[Assessment], on: dt.date | None = None) -> dict[str, Any]:
    """Obsolete counts, average age per type and member, OS/firmware versions in use. An OS or
    firmware counts as unsupported when its support has ended on ``on`` (the budget date; default today),
    not when it will end during the plan year."""
    on = on or dt.date.today()
    obsolete = sum(1 for a in assessments if OBSOLETE & set(a.reasons))
    ages: dict[tuple[Any, str], list[float]] = defaultdict(list)
    versions: Counter[str] = Counter()
    for item in assessments:
        if item.age_years is not None:
            ages[(item.member_id, item.asset_type)].append(item.age_years)
        if item.eol is not None:
            versions[f"{item.eol.title} {item.eol.label}"] += 1
        elif item.os_label:
            versions[item.os_label.split(" build ")[0]] += 1
    by_member: dict[Any, dict[str, float]] = defaultdict(dict)
    for (member, asset_type), values in ages.items():
        by_member[member][asset_type] = round(sum(values) / len(values), 1)
    dated = [a.age_years for a in assessments if a.age_years is not None]
    return {
        "assets": len(assessments),
        "obsolete": obsolete,
        "unsupported_os_or_firmware": sum(1 for a in assessments if a.eol is not None and a.eol.unsupported_by(on)),
        "estimated_ages": sum(1 for a in assessments if a.estimated),
        "average_age": round(sum(dated) / len(dated), 1) if dated else None,
        "average_age_by_member_and_type": {str(k): v for k, v in by_member.items()},
        "versions": dict(versions.most_common()),
    }


def changes(session: Session, since: dt.datetime, until: dt.datetime, member_ids: set[int] | None) -> int:
    """Number of changes recorded on assets over the period (inventory, edits, statuses)."""
    statement = select(func.count()).select_from(AssetChange).join(Asset, Asset.id == AssetChange.asset_id)
    statement = statement.where(AssetChange.at >= since, AssetChange.at < until)
    if member_ids is not None:
        statement = statement.where(Asset.member_id.in_(member_ids))
    return session.scalar(statement) or 0


def reen(session: Session, year: int, member_ids: set[int] | None) -> dict[str, Any]:
    """Retired equipment of ``year``: share reused or donated vs recycled (REEN: 50 % reused from
    2025, equipment over 10 years at retirement excluded), and recycling certificates missing."""
    start, end = dt.datetime(year, 1, 1, tzinfo=dt.UTC), dt.datetime(year + 1, 1, 1, tzinfo=dt.UTC)
    finals = (LifecycleStatus.REUSED, LifecycleStatus.DONATED, LifecycleStatus.RECYCLED)
    statement = (
        select(AssetStatusChange.asset_id, AssetStatusChange.to_status, AssetStatusChange.at, Asset)
        .join(Asset, Asset.id == AssetStatusChange.asset_id)
        .where(AssetStatusChange.to_status.in_(finals), AssetStatusChange.at >= start, AssetStatusChange.at < end)
        .order_by(AssetStatusChange.at)
    )
    if member_ids is not None:
        statement = statement.where(Asset.member_id.in_(member_ids))
    last: dict[int, tuple[LifecycleStatus, dt.datetime, Asset]] = {}
    for asset_id, status, at, asset in session.execute(statement):
        last[asset_id] = (status, at, asset)  # the final disposition of the year
    certified = set(session.scalars(select(AssetDocument.asset_id).where(
        AssetDocument.kind == DocumentKind.RECYCLING_CERTIFICATE, AssetDocument.asset_id.in_(list(last)))))  # fmt: skip
    reused = recycled = excluded = 0
    missing = []
    for asset_id, (status, at, asset) in last.items():
        if status == LifecycleStatus.RECYCLED and asset_id not in certified:
            missing.append({"asset_id": asset_id, "name": asset.name})
        start_date = (
            asset.commissioning_date or asset.purchase_date or (asset.first_seen.date() if asset.first_seen else None)
        )
        if start_date is not None and (at.date() - start_date).days / 365.25 > REEN_MAX_AGE_YEARS:
            excluded += 1
            continue
        if status in REUSE:
            reused += 1
        else:
            recycled += 1
    counted = reused + recycled
    ratio = round(reused / counted, 4) if counted else None
    return {"year": year, "reused_or_donated": reused, "recycled": recycled, "excluded_over_10_years": excluded,
            "reuse_ratio": ratio, "target": REEN_TARGET, "target_met": None if ratio is None else ratio >= REEN_TARGET,
            "recycled_without_certificate": missing}  # fmt: skip
