"""``GET /assets/{id}/counters``: an asset's page counters, pages per month and supply levels."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Query

from server.api.deps import ScopeDep, SessionDep
from server.assets import crud

from . import service
from .schemas import AssetCounters

router = APIRouter(tags=["assets"])


@router.get("/assets/{asset_id}/counters", response_model=AssetCounters)
def asset_counters(
    asset_id: int,
    session: SessionDep,
    scope: ScopeDep,
    since: Annotated[dt.datetime | None, Query(description="default: 11 months ago, 1st of the month")] = None,
    until: Annotated[dt.datetime | None, Query(description="excluded; default: now")] = None,
    counter: Annotated[str | None, Query(max_length=30, description="only this counter's points")] = None,
    limit: Annotated[int, Query(ge=1, le=10000, description="points at most (the newest)")] = 2000,
) -> AssetCounters:
    """Readings of the asset's page counters (a new series each time a counter went down), the
    pages printed per month, and the supplies' levels (UTC months and times)."""
    crud.get_asset(session=session, scope=scope, asset_id=asset_id)  # 404 beyond the scope
    found = service.asset_counters(session, asset_id, since, until, counter=counter, limit=limit)
    return AssetCounters.model_validate(found, from_attributes=True)
