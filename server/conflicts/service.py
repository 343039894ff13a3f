"""Resolving a conflict: what the DSIT decides about an inventory that resembled an asset it
could not touch. Every resolution is in both assets' history (and, through the API or the pages,
in the audit chain).

- ``move``: the device changed member. The matched asset moves to the reporter's member (its
  sources follow), and the record the reports went to is merged into it: one asset, its history
  kept, updated from now on by the new member's agents.
- ``merge``: one machine, already in the right member (a suspected duplicate, or an inventory
  without a token of a member's machine): the record the reports went to is merged into the
  matched one. (A machine that reports without a token stays in quarantine until it has its
  member's enrolment token.)
- ``ignore``: two machines; the pair is never raised again.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlmodel import Session

from server.assets import crud as assets
from server.assets.history import ChangeLog
from server.assets.merges import merge_assets
from server.assets.models import Asset
from server.core.clock import utcnow
from server.core.errors import Conflict, Invalid, NotFound

from .models import AssetConflict, ConflictAction, ConflictStatus

OUTCOME = {ConflictAction.MOVE: ConflictStatus.MOVED, ConflictAction.MERGE: ConflictStatus.MERGED,
           ConflictAction.IGNORE: ConflictStatus.IGNORED}  # fmt: skip


def _live(session: Session, asset_id: int) -> Asset:
    asset = session.get(Asset, asset_id)
    if asset is None or asset.merged_into_id is not None:
        raise Conflict(f"asset {asset_id} no longer exists on its own (merged or deleted): ignore this conflict")
    return asset


def resolve(session: Session, conflict: AssetConflict, action: ConflictAction, actor: str,
            note: str | None = None) -> AssetConflict:  # fmt: skip
    if conflict.status != ConflictStatus.OPEN:
        raise Conflict(f"conflict {conflict.id} is already resolved ({conflict.status})")
    if action is not ConflictAction.IGNORE:
        reported, matched = _live(session, conflict.asset_id), _live(session, conflict.other_asset_id)
        if action is ConflictAction.MOVE:
            if reported.member_id is None:
                raise Invalid("an inventory sent without a token cannot take an asset from its member: "
                              "merge it (same machine) or ignore it")  # fmt: skip
            if matched.member_id != reported.member_id:
                assets.update_asset(session=session, asset=matched, changes={"member_id": reported.member_id},
                                    actor=actor)  # fmt: skip
        elif reported.member_id is None:  # a quarantined record: it joins the member's asset
            assets.update_asset(session=session, asset=reported, changes={"member_id": matched.member_id},
                                actor=actor)  # fmt: skip
        elif reported.member_id != matched.member_id:
            raise Invalid("these assets belong to two members: move the asset (the device changed member) "
                          "or ignore the conflict (two devices)")  # fmt: skip
        merge_assets(session=session, target=matched, other=reported, actor=actor, live=True)
        follow_merge(session, merged=reported.id, into=matched.id, actor=actor)
    conflict.status = OUTCOME[action]
    conflict.resolved_at, conflict.resolved_by, conflict.note = utcnow(), actor, note
    log = ChangeLog(source="conflict", actor=actor, at=conflict.resolved_at)
    for asset_id in (conflict.asset_id, conflict.other_asset_id):
        log.add(asset_id, "conflict", f"conflict {conflict.id} ({conflict.kind})", str(conflict.status))
    log.flush(session)
    session.add(conflict)
    session.flush()
    return conflict


def follow_merge(session: Session, *, merged: int, into: int, actor: str) -> None:
    """Open conflicts of a record merged into another now concern that other; a conflict between
    the two (the same machine) is settled by the merge."""
    opened = session.scalars(select(AssetConflict).where(
        AssetConflict.status == ConflictStatus.OPEN,
        or_(AssetConflict.asset_id == merged, AssetConflict.other_asset_id == merged))).all()  # fmt: skip
    for conflict in opened:
        pair = tuple(into if side == merged else side for side in (conflict.asset_id, conflict.other_asset_id))
        if pair[0] == pair[1] or _pair_taken(session, conflict.id, pair):  # the same machine now, or said already
            conflict.status, conflict.resolved_at, conflict.resolved_by = ConflictStatus.MERGED, utcnow(), actor
            conflict.note = f"settled by the merge of asset {merged} into asset {into}"
        else:
            conflict.asset_id, conflict.other_asset_id = pair
        session.flush()


def _pair_taken(session: Session, conflict_id: int, pair: tuple[int, int]) -> bool:
    return session.scalar(select(AssetConflict.id).where(
        AssetConflict.id != conflict_id, AssetConflict.asset_id == pair[0],
        AssetConflict.other_asset_id == pair[1])) is not None  # fmt: skip


def get(session: Session, conflict_id: int) -> AssetConflict:
    found = session.get(AssetConflict, conflict_id)
    if found is None:
        raise NotFound(f"conflict {conflict_id} not found")
    return found
