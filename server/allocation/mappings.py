"""Storage mappings: which member the volumes, shares, datastores and hosted VMs belong to (the
storage GB and hosted VMs keys), written the same way by the API and the pages.

A mapping is checked when it is written: its member and asset exist, the asset is a NAS, SAN,
server, hypervisor or VM, a tag or shell pattern is not a path, and no other mapping has the same
kind, pattern and asset (two would compete for the same volumes). Mappings are not a year's: a
closed year keeps the GB frozen at its closure whatever the mappings become.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlmodel import Session

from server.assets.models import Asset
from server.core.errors import Conflict, Invalid
from server.tenancy.models import Member

from .keys import STORAGE_TYPES, Measurer, Volume
from .models import MappingKind, StorageMapping
from .schemas import MappingIn


def save(session: Session, mapping: StorageMapping | None, mapping_in: MappingIn) -> StorageMapping:
    """Create (``mapping`` None) or replace a mapping; 422 naming the field, 409 for a duplicate."""
    if session.get(Member, mapping_in.member_id) is None:
        raise Invalid(f"member_id: no member {mapping_in.member_id}")
    pattern = mapping_in.pattern.strip()
    if not pattern:
        raise Invalid("pattern: empty")
    if mapping_in.asset_id is not None:
        asset = session.get(Asset, mapping_in.asset_id)
        if asset is None:
            raise Invalid(f"asset_id: no asset {mapping_in.asset_id}")
        if asset.asset_type not in STORAGE_TYPES:
            raise Invalid(f"asset_id: {asset.name or asset.id} is a {asset.asset_type}, not a NAS, SAN, server, "
                          "hypervisor or VM")  # fmt: skip
    if mapping_in.kind == MappingKind.TAG and any(c in pattern for c in " /*?["):
        raise Invalid(f"pattern: {pattern!r} is not a tag (a single word, no path or wildcard)")
    twin = session.scalars(
        select(StorageMapping).where(
            StorageMapping.kind == mapping_in.kind,
            StorageMapping.pattern == pattern,
            StorageMapping.asset_id.is_(None) if mapping_in.asset_id is None  # type: ignore[union-attr]
            else StorageMapping.asset_id == mapping_in.asset_id,
        )
    ).first()  # fmt: skip
    if twin is not None and (mapping is None or twin.id != mapping.id):
        raise Conflict(f"pattern: {pattern!r} is mapped already (mapping {twin.id})")
    values = {**mapping_in.model_dump(), "pattern": pattern, "kind": str(mapping_in.kind)}
    if mapping is None:
        mapping = StorageMapping(**values)
    else:
        for name, value in values.items():
            setattr(mapping, name, value)
    session.add(mapping)
    session.flush()
    return mapping


def matched(session: Session, stale_days: int, now: dt.datetime | None = None) -> dict[int | None, list[Volume]]:
    """Mapping id -> the volumes and guests it gives to its member today (None: unmapped ones)."""
    measurer = Measurer(session, stale_days, now=now)
    found: dict[int | None, list[Volume]] = {}
    for volume in [*measurer.volumes, *(g for g in measurer.guests if not g.used_bytes)]:
        found.setdefault(volume.mapping_id, []).append(volume)
    return found
