"""Store inventories: find or create their assets, update them, replace the sections they carry.

Built for throughput, this module stores a *batch* of inventories in one transaction with a
fixed number of statements per table, whatever the batch size (SQLAlchemy Core with statements
built once, not the ORM); a batch of one is the simple case. Sections whose content is
unchanged since the last inventory from the same source are not rewritten, so the daily full
inventory of a quiet PC costs its share of a read and two updates.

The caller owns the transaction: either the whole batch is stored, or nothing is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zlib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, delete, insert, select, text, update

from server.assets.components import COMPONENT_TABLES
from server.assets.history import ChangeLog
from server.assets.keys import identity_keys
from server.assets.merges import snapshot
from server.assets.metrics import AssetMetric
from server.assets.models import Asset, AssetMerge, InventorySource
from server.assets.vocab import AssetSource, AssetType, LifecycleStatus, default_category
from server.core.clock import utcnow
from server.core.config import Settings
from server.core.errors import DomainError
from server.core.locks import lock_key
from wire.model import Inventory
from wire.os_names import firmware_label, os_label

from .auth import Reporter, resolve_reporters
from .history_rules import LABELS, TRACKED_FIELDS
from .identity import Identity, identity_of
from .reconcile import Candidates

ASSET = Asset.__table__
SOURCE = InventorySource.__table__
MERGE = AssetMerge.__table__
IDENTITY_FIELDS = ("name", "manufacturer", "model", "serial", "uuid")
SOURCE_COLUMNS = (
    "id",
    "asset_id",
    "kind",
    "key",
    "agent_uuid",
    "agent_version",
    "enrolment_token_id",
    "last_inventory_id",
)

# Statements built once: building them per call costs more than running them.
_KNOWN_SOURCES = select(*(SOURCE.c[name] for name in SOURCE_COLUMNS)).where(
    SOURCE.c.key.in_(bindparam("keys", expanding=True))
)
_ASSETS = select(ASSET).where(ASSET.c.id.in_(bindparam("ids", expanding=True)))
_NEW_ASSETS = insert(ASSET).returning(ASSET.c.id, sort_by_parameter_order=True)
_NEW_SOURCES = insert(SOURCE).returning(SOURCE.c.id, sort_by_parameter_order=True)
_COMPONENT_INSERTS = {name: insert(table) for name, table in COMPONENT_TABLES.items()}
_COMPONENT_ROWS = {
    name: select(t).where(t.c.asset_id.in_(bindparam("ids", expanding=True))) for name, t in COMPONENT_TABLES.items()
}
_COMPONENT_DELETES = {
    name: delete(t).where(t.c.asset_id.in_(bindparam("ids", expanding=True))) for name, t in COMPONENT_TABLES.items()
}
_LOCKS = text("SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(:ids AS bigint[])) AS k ORDER BY k")


@cache
def _asset_update(columns: tuple[str, ...]) -> Any:
    return update(ASSET).where(ASSET.c.id == bindparam("_id")).values({c: bindparam(c) for c in columns})


@cache
def _source_update(columns: tuple[str, ...]) -> Any:
    values = {c: bindparam(c) for c in columns}
    return (
        update(SOURCE)
        .where(SOURCE.c.id == bindparam("_id"))
        .values({**values, "inventory_count": SOURCE.c.inventory_count + 1})
    )


def section_hash(content: Any) -> str:
    try:
        canonical = orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # integers beyond 64 bits, from the lenient JSON path
        canonical = json.dumps(content, sort_keys=True, default=str).encode()
    return hashlib.sha1(canonical).hexdigest()  # noqa: S324 - change detection, not security


def archive(raw: bytes, *, is_zlib: bool) -> bytes:
    return raw if is_zlib else zlib.compress(raw, 1)


@dataclass(slots=True)
class Item:
    """One inventory to store, with what the batch needs to know about it.

    Built in the request's thread: identity and section hashes are computed there, in parallel
    with other requests, not in the batch.
    """

    inventory: Inventory
    token: str | None = None
    kind: AssetSource = AssetSource.AGENT
    agent_uuid: str | None = None
    raw: bytes | None = None  # the body to archive (full inventories), zlib-compressed
    raw_format: str = "json"
    inventory_id: str | None = None  # idempotency key sent by the agent
    identity: Identity = field(init=False)
    hashes: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.identity = identity_of(self.inventory)
        content = self.inventory.content
        self.hashes = {
            name: section_hash(content.get(name)) for name in self.inventory.sections if name in COMPONENT_TABLES
        }

    @property
    def key(self) -> tuple[str, str]:
        return (str(self.kind), self.inventory.deviceid)


@dataclass(slots=True)
class StoreResult:
    asset_id: int
    source_id: int
    created: bool = False
    merge_reason: str | None = None
    sections_written: list[str] = field(default_factory=list)
    duplicate: bool = False  # a resend of the inventory stored last: acknowledged, not applied


class _Batch:
    """What a batch will write, accumulated item by item, then flushed table by table."""

    def __init__(self, connection: Connection, now: dt.datetime) -> None:
        self.connection = connection
        self.now = now
        self.assets: dict[int, dict[str, Any]] = {}  # working copies, updated as items are planned
        self.created: set[int] = set()
        self.asset_changes: dict[int, dict[str, Any]] = defaultdict(dict)
        self.source_changes: dict[int, dict[str, Any]] = {}
        # section -> asset id -> (source id, records)
        self.replaced: dict[str, dict[int, tuple[int, Any]]] = defaultdict(dict)
        self.dropped: list[tuple[str, int, int]] = []
        self.metrics: list[dict[str, Any]] = []
        self.logs: dict[int, ChangeLog] = {}

    def log(self, asset_id: int, item: Item, reporter: Reporter) -> ChangeLog:
        """The history of one asset in this batch (the first reporter of the batch signs it)."""
        if asset_id not in self.logs:
            self.logs[asset_id] = ChangeLog(source=str(item.kind), actor=reporter.label, at=self.now)
        return self.logs[asset_id]

    def change(self, asset: dict[str, Any], column: str, value: Any, log: ChangeLog | None) -> None:
        if log is not None:
            log.add(asset["id"], column, asset[column], value)
        asset[column] = value
        self.asset_changes[asset["id"]][column] = value

    # -- planning -------------------------------------------------------------------------

    def plan(self, item: Item, reporter: Reporter, source: dict[str, Any], asset: dict[str, Any]) -> StoreResult:
        inventory = item.inventory
        created = asset["id"] in self.created
        # A new asset's first values are not changes: its history starts with "created".
        log = None if created else self.log(asset["id"], item, reporter)
        self._assign_member(asset, reporter, log)
        self._update_identity(asset, item.identity, inventory, log)
        hashes = dict(asset["section_hashes"] or {})
        written = []
        for name, records in inventory.sections.items():
            if name not in COMPONENT_TABLES:
                continue
            digest = [source["id"], item.hashes[name]]
            if hashes.get(name) == digest:
                continue
            self.replaced[name][asset["id"]] = (source["id"], records)
            hashes[name] = digest
            written.append(name)
            if name in ("operatingsystem", "network_device"):
                label = os_label(records) if name == "operatingsystem" else firmware_label(records)
                if label != asset["os_label"]:
                    self.change(asset, "os_label", label, None)
        if not inventory.partial:
            # A full inventory without a section means it is gone (a battery removed), for this source.
            for name in [n for n, (src, _) in hashes.items() if src == source["id"] and n not in inventory.sections]:
                self.dropped.append((name, asset["id"], source["id"]))
                self.replaced[name].pop(asset["id"], None)
                if log is not None:
                    log.add(asset["id"], name, "present", None)
                del hashes[name]
                written.append(name)
        for metric in inventory.sections.get("mutuparc_metrics") or []:
            self.metrics.append({**metric, "asset_id": asset["id"], "at": self.now})
        asset["section_hashes"] = hashes
        self.asset_changes[asset["id"]].update(section_hashes=hashes, last_seen=self.now, updated_at=self.now)
        self._update_source(item, reporter, source)
        return StoreResult(asset["id"], source["id"], created, sections_written=written)

    def _assign_member(self, asset: dict[str, Any], reporter: Reporter, log: ChangeLog | None) -> None:
        """The enrolment token says whose machine it is: claim it from quarantine or move it."""
        if reporter.member_id is None:
            return
        if asset["member_id"] != reporter.member_id:
            self.change(asset, "member_id", reporter.member_id, log)
            if asset["site_id"] != reporter.site_id:
                self.change(asset, "site_id", reporter.site_id, log)
        elif asset["site_id"] is None and reporter.site_id is not None:
            self.change(asset, "site_id", reporter.site_id, log)

    def _update_identity(
        self, asset: dict[str, Any], identity: Identity, inventory: Inventory, log: ChangeLog | None
    ) -> None:
        touched = False
        for name in IDENTITY_FIELDS:
            value = getattr(identity, name)
            if value is None or value == asset[name]:
                continue
            # A junk serial never replaces a real one (a mainboard swap can report placeholders).
            if name == "serial" and identity.serial_key is None and asset["serial_key"] is not None:
                continue
            self.change(asset, name, value, log)
            touched = True
        # The type of an asset someone set by hand is theirs; partial inventories lack the OS to decide.
        if (
            not inventory.partial
            and identity.asset_type
            and identity.asset_type != asset["asset_type"]
            and (asset["source"] != AssetSource.MANUAL or asset["asset_type"] == AssetType.OTHER)
        ):
            self.change(asset, "asset_type", AssetType(identity.asset_type), log)
        if touched:
            for column, value in identity_keys(asset).items():
                self.change(asset, column, value, None)

    def _update_source(self, item: Item, reporter: Reporter, source: dict[str, Any]) -> None:
        inventory = item.inventory
        agent_uuid = item.agent_uuid or source["agent_uuid"]
        values: dict[str, Any] = {
            "last_seen": self.now,
            "identity": item.identity.as_dict(),
            "agent_uuid": agent_uuid[:64] if agent_uuid else None,
            "agent_version": (inventory.version_client or source["agent_version"] or "")[:100] or None,
            "enrolment_token_id": reporter.token_id or source["enrolment_token_id"],
            "last_inventory_id": (item.inventory_id or "")[:64] or None,
        }
        if not inventory.partial:
            values["last_full_at"] = self.now
            if item.raw is not None:
                values["raw_inventory"], values["raw_format"] = item.raw, item.raw_format
        self.source_changes[source["id"]] = values

    # -- writing --------------------------------------------------------------------------

    def flush(self) -> None:
        connection = self.connection
        for name, by_asset in self.replaced.items():
            existing = sorted(asset_id for asset_id in by_asset if asset_id not in self.created)
            if existing:
                self._record_component_changes(name, existing, by_asset)
                connection.execute(_COMPONENT_DELETES[name], {"ids": existing})
            rows = []
            for asset_id, (source_id, records) in by_asset.items():
                for record in records if isinstance(records, list) else [records]:
                    rows.append({**record, "asset_id": asset_id, "source_id": source_id})
            if rows:
                connection.execute(_COMPONENT_INSERTS[name], rows)
        for name, asset_id, source_id in self.dropped:
            table = COMPONENT_TABLES[name]
            connection.execute(delete(table).where(table.c.asset_id == asset_id, table.c.source_id == source_id))
        for columns, rows in _by_columns(self.asset_changes):
            connection.execute(_asset_update(columns), rows)
        for columns, rows in _by_columns(self.source_changes):
            connection.execute(_source_update(columns), rows)
        if self.metrics:
            connection.execute(insert(AssetMetric.__table__), self.metrics)
        history = [row for log in self.logs.values() for row in log.rows]
        if history:
            connection.execute(insert(ChangeLog.table), history)

    def _record_component_changes(self, name: str, asset_ids: list[int], by_asset: dict[int, Any]) -> None:
        old: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for row in self.connection.execute(_COMPONENT_ROWS[name], {"ids": asset_ids}).mappings():
            old[row["asset_id"]].append(dict(row))
        for asset_id in asset_ids:
            log = self.logs.get(asset_id)
            if log is None:
                continue
            records = by_asset[asset_id][1]
            if isinstance(records, list):
                label = LABELS[name]
                log.items(asset_id, name, map(label, old[asset_id]), map(label, records))
            elif name in TRACKED_FIELDS:
                before = old[asset_id][0] if old[asset_id] else {}
                log.fields(asset_id, f"{name}.", before, records, TRACKED_FIELDS[name])

    # -- new reporters --------------------------------------------------------------------

    def create_sources(self, unknown: list[tuple[Item, Reporter]]) -> dict[tuple[str, str], tuple[dict, str | None]]:  # type: ignore[type-arg]
        """Sources for reporters never seen: attached to the asset each matches, or to new assets.

        Three statements for the whole batch: new assets, new sources, merges.
        """
        candidates = Candidates.fetch(self.connection, (item.identity for item, _ in unknown))
        targets: list[tuple[Item, Reporter, dict[str, Any], Any]] = []
        new_assets: list[dict[str, Any]] = []
        for item, reporter in unknown:
            match = candidates.match(item.identity, reporter.member_id)
            if match is not None and match.asset["id"] < 0:  # created earlier in this batch
                asset = match.asset
            elif match is not None:
                asset = self.assets.setdefault(match.asset["id"], match.asset)
            else:
                asset = self._new_asset(item, reporter)
                new_assets.append(asset)
                asset["id"] = -len(new_assets)  # placeholder until inserted; never in the database
                candidates.add(asset, item.identity)
            targets.append((item, reporter, asset, match))
        if new_assets:
            rows = [{k: v for k, v in a.items() if k != "id"} for a in new_assets]
            ids = [row.id for row in self.connection.execute(_NEW_ASSETS, rows)]
            for asset, asset_id in zip(new_assets, ids, strict=True):
                asset["id"] = asset_id
                self.assets[asset_id] = asset
                self.created.add(asset_id)
        source_rows = [
            {
                "asset_id": asset["id"],
                "kind": item.kind,
                "key": item.inventory.deviceid,
                "first_seen": self.now,
                "last_seen": self.now,
                "inventory_count": 0,
                "identity": {},
                "agent_uuid": None,
                "agent_version": None,
                "enrolment_token_id": None,
                "last_inventory_id": None,
            }
            for item, _, asset, _ in targets
        ]
        source_ids = [row.id for row in self.connection.execute(_NEW_SOURCES, source_rows)]
        created: dict[tuple[str, str], tuple[dict, str | None]] = {}  # type: ignore[type-arg]
        merges = []
        for (item, reporter, asset, match), source_row, source_id in zip(targets, source_rows, source_ids, strict=True):
            source = {**source_row, "id": source_id}
            log = self.log(asset["id"], item, reporter)
            deviceid = item.inventory.deviceid
            if match is not None:
                merges.append(
                    {
                        "target_id": asset["id"],
                        "source_id": source_id,
                        "reason": match.reason,
                        "matched_value": match.value[:255],
                        "actor": reporter.label,
                        "at": self.now,
                        "snapshot": snapshot(asset),
                        "merged_asset_id": None,
                        "undone_at": None,
                        "undone_by": None,
                    }
                )
                log.add(asset["id"], "merge", None, f"{item.kind} {deviceid} matched by {match.reason} ({match.value})")
            else:
                log.add(asset["id"], "created", None, f"{item.kind} {deviceid}")
            created[item.key] = (source, match.reason if match is not None else None)
        if merges:
            self.connection.execute(insert(MERGE), merges)
        return created

    def _new_asset(self, item: Item, reporter: Reporter) -> dict[str, Any]:
        identity, now = item.identity, self.now
        asset_type = AssetType(identity.asset_type or "other")
        values: dict[str, Any] = {column.name: None for column in ASSET.columns if column.name != "id"}
        values.update(
            member_id=reporter.member_id,
            site_id=reporter.site_id,
            asset_type=asset_type,
            category=default_category(asset_type),
            source=item.kind,
            first_seen=now,
            last_seen=now,
            created_at=now,
            updated_at=now,
            lifecycle_status=LifecycleStatus.IN_SERVICE,
            section_hashes={},
            **{name: getattr(identity, name) for name in IDENTITY_FIELDS},
        )
        values.update(identity_keys(values))
        return values


def _by_columns(changes: dict[int, dict[str, Any]]) -> list[tuple[tuple[str, ...], list[dict[str, Any]]]]:
    """Rows to update grouped by the columns they set (one executemany each), in id order.

    Every batch locks rows in id order, so that two concurrent batches cannot deadlock.
    """
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row_id in sorted(changes):
        values = changes[row_id]
        groups[tuple(sorted(values))].append({"_id": row_id, **values})
    return list(groups.items())


def _lock(connection: Connection, items: list[Item]) -> None:
    """Serialise first inventories of one machine (PostgreSQL; SQLite writes are serial anyway).

    Two agents of one machine (or one agent retrying on another worker) must not create two
    assets: whoever comes second waits here, then finds what the first created. All the locks a
    batch needs are taken in one statement, in one order, so that batches cannot deadlock.
    """
    if connection.dialect.name != "postgresql":
        return
    keys = set()
    for item in items:
        keys.add(f"source:{item.kind}:{item.inventory.deviceid}")
        if item.identity.serial_key:
            keys.add(f"serial:{item.identity.serial_key}")
        if item.identity.uuid_key:
            keys.add(f"uuid:{item.identity.uuid_key}")
    ids = sorted(lock_key(k) for k in keys)
    connection.execute(_LOCKS, {"ids": ids})


def _known_sources(connection: Connection, items: list[Item]) -> dict[tuple[str, str], dict[str, Any]]:
    wanted = {item.key for item in items}
    rows = connection.execute(_KNOWN_SOURCES, {"keys": sorted({deviceid for _, deviceid in wanted})}).mappings()
    sources = {(str(row["kind"]), row["key"]): dict(row) for row in rows}
    return {key: source for key, source in sources.items() if key in wanted}


def store_inventories(connection: Connection, items: list[Item], settings: Settings) -> list[StoreResult | DomainError]:
    """Store ``items`` (of distinct sources) in the caller's transaction; one result per item, in order.

    An item whose token is unknown or revoked gets its error and is not stored; the others are.
    """
    batch = _Batch(connection, utcnow())
    reporters = resolve_reporters(connection, {item.token for item in items}, settings)
    accepted = [item for item in items if not isinstance(reporters[item.token], DomainError)]
    sources = _known_sources(connection, accepted)
    unknown = [item for item in accepted if item.key not in sources]
    if unknown:
        _lock(connection, unknown)
        sources.update(_known_sources(connection, unknown))  # created meanwhile by a concurrent batch?
        unknown = [item for item in unknown if item.key not in sources]
    asset_ids = sorted({source["asset_id"] for source in sources.values()})
    if asset_ids:
        for row in connection.execute(_ASSETS, {"ids": asset_ids}).mappings():
            batch.assets[row["id"]] = dict(row)
    created = batch.create_sources([(item, reporters[item.token]) for item in unknown]) if unknown else {}

    results: list[StoreResult | DomainError] = []
    for item in items:
        reporter = reporters[item.token]
        if isinstance(reporter, DomainError):
            results.append(reporter)
            continue
        reason = None
        if item.key in created:
            source, reason = created[item.key]
        else:
            source = sources[item.key]
            if item.inventory_id and source["last_inventory_id"] == item.inventory_id:
                results.append(StoreResult(source["asset_id"], source["id"], duplicate=True))
                continue
        result = batch.plan(item, reporter, source, batch.assets[source["asset_id"]])
        result.merge_reason = reason
        results.append(result)
    batch.flush()
    return results
