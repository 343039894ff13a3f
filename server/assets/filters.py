"""Asset list filters (query parameters -> SQL), shared by the list, the export and the UI."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Query
from sqlalchemy import func, or_

from .models import Asset
from .vocab import AssetSource, AssetType, Category, LifecycleStatus

SEARCHED = (Asset.name, Asset.serial, Asset.model, Asset.manufacturer, Asset.inventory_number, Asset.uuid)


@dataclass(frozen=True, slots=True)
class AssetFilter:
    member_id: int | None = None
    site_id: int | None = None
    types: tuple[str, ...] = ()
    category: str | None = None
    status: str | None = None
    source: str | None = None
    q: str | None = None
    stale: bool | None = None
    quarantine: bool | None = None

    def apply(self, statement: Any, *, stale_before: dt.datetime) -> Any:
        statement = statement.where(Asset.merged_into_id.is_(None))
        if self.member_id is not None:
            statement = statement.where(Asset.member_id == self.member_id)
        if self.site_id is not None:
            statement = statement.where(Asset.site_id == self.site_id)
        if self.types:
            statement = statement.where(Asset.asset_type.in_(self.types))
        if self.category:
            statement = statement.where(Asset.category == self.category)
        if self.status:
            statement = statement.where(Asset.lifecycle_status == self.status)
        if self.source:
            statement = statement.where(Asset.source == self.source)
        if self.q:
            needle = f"%{self.q.lower()}%"
            statement = statement.where(or_(*(func.lower(c).like(needle) for c in SEARCHED)))
        if self.stale is not None:
            is_stale = Asset.last_seen < stale_before
            statement = statement.where(is_stale if self.stale else or_(~is_stale, Asset.last_seen.is_(None)))
        if self.quarantine is not None:
            statement = statement.where(Asset.member_id.is_(None) if self.quarantine else Asset.member_id.is_not(None))
        return statement


def get_asset_filter(
    member_id: int | None = None,
    site_id: int | None = None,
    type: Annotated[list[AssetType] | None, Query(description="asset type; repeat for several")] = None,
    category: Category | None = None,
    status: LifecycleStatus | None = None,
    source: AssetSource | None = None,
    q: Annotated[str | None, Query(max_length=200, description="text in name, serial, model, maker...")] = None,
    stale: Annotated[bool | None, Query(description="not seen for the configured number of days")] = None,
    quarantine: Annotated[bool | None, Query(description="arrived without an enrolment token")] = None,
) -> AssetFilter:
    return AssetFilter(
        member_id=member_id,
        site_id=site_id,
        types=tuple(t.value for t in type or ()),
        category=category.value if category else None,
        status=status.value if status else None,
        source=source.value if source else None,
        q=q.strip() if q and q.strip() else None,
        stale=stale,
        quarantine=quarantine,
    )


AssetFilterDep = Annotated[AssetFilter, Depends(get_asset_filter)]
