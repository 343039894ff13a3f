"""Conflict queries: the list the DSIT works through, with both assets of each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from server.assets.models import Asset
from server.tenancy.models import Member

from .models import AssetConflict, ConflictKind, ConflictStatus
from .schemas import ConflictAsset, ConflictPublic


def list_statement(*, status: ConflictStatus | None, kind: ConflictKind | None, member_id: int | None) -> Any:
    statement = select(AssetConflict)
    if status is not None:
        statement = statement.where(AssetConflict.status == status)
    if kind is not None:
        statement = statement.where(AssetConflict.kind == kind)
    if member_id is not None:
        statement = statement.where(
            (AssetConflict.member_id == member_id) | (AssetConflict.other_member_id == member_id)
        )
    return statement.order_by(AssetConflict.id.desc())  # type: ignore[union-attr]


def public(session: Session, conflicts: list[AssetConflict]) -> list[ConflictPublic]:
    """The conflicts with both of their assets (two queries whatever the number)."""
    ids = {c.asset_id for c in conflicts} | {c.other_asset_id for c in conflicts}
    assets = {a.id: a for a in session.scalars(select(Asset).where(Asset.id.in_(ids)))} if ids else {}  # type: ignore[union-attr]
    names = dict(session.execute(select(Member.id, Member.name)).all())

    def side(asset_id: int) -> ConflictAsset:
        asset = assets[asset_id]
        return ConflictAsset(id=asset.id, name=asset.name, member_id=asset.member_id, member=names.get(asset.member_id),
                             asset_type=str(asset.asset_type), manufacturer=asset.manufacturer, model=asset.model,
                             serial=asset.serial, last_seen=asset.last_seen)  # type: ignore[arg-type]  # fmt: skip

    return [ConflictPublic(**c.model_dump(), asset=side(c.asset_id), other_asset=side(c.other_asset_id))
            for c in conflicts]  # fmt: skip


def count_statement(status: ConflictStatus) -> Any:
    return select(func.count()).where(AssetConflict.status == status)
