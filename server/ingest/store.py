"""Store inventories: find or create their assets, update them, replace the sections they carry.

Who may write what: a reporter (an enrolment token's member, or nobody for inventories without
a token) finds its sources *within its own scope* (``server.assets.sources``) and writes only
assets of its own member (or, without a token, quarantined ones). A source it finds on an asset
it may not write is moved to an asset of its own, and a new source that resembles another
member's asset creates a conflict for the DSIT (``server.conflicts``) instead of touching it.

Which values an asset shows when several sources report it: ``server.ingest.precedence``. Each
source's report of a section is kept: the effective one in the component tables, the others in
``source_section``, ready to take over when the effective source stops.

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
from sqlalchemy import Connection, delete, insert, select, tuple_, update

from server.assets.components import COMPONENT_TABLES
from server.assets.history import ChangeLog
from server.assets.keys import identity_keys
from server.assets.merges import snapshot
from server.assets.metrics import AssetMetric
from server.assets.models import Asset, AssetMerge, InventorySource, SourceSection
from server.assets.sources import QUARANTINE, is_address_only, rescope
from server.assets.vocab import AssetSource, AssetType, LifecycleStatus, default_category
from server.conflicts.models import AssetConflict, ConflictKind, ConflictStatus
from server.core.clock import utcnow
from server.core.config import Settings
from server.core.db import pipelined
from server.core.errors import DomainError
from server.core.locks import lock_key
from server.printing.recording import Readings
from wire.model import Inventory
from wire.os_names import firmware_label, os_label

from . import bulk
from .auth import Reporter, resolve_reporters
from .history_rules import UNTRACKED, rules_for
from .identity import Identity, identity_of
from .precedence import identity_section, outranks
from .reconcile import Candidates, Resemblance

ASSET = Asset.__table__
SOURCE = InventorySource.__table__
MERGE = AssetMerge.__table__
DOCS = SourceSection.__table__
CONFLICT = AssetConflict.__table__
METRIC = AssetMetric.__table__
HISTORY = ChangeLog.table
IDENTITY_FIELDS = ("name", "manufacturer", "model", "serial", "uuid")
SOURCE_COLUMNS = (
    "id",
    "full_sections",
    "asset_id",
    "kind",
    "key",
    "scope",
    "agent_uuid",
    "agent_version",
    "enrolment_token_id",
    "last_inventory_id",
    "section_hashes",
    "first_seen",
    "last_seen",
    "inventory_count",
)
_ROW_BOOKKEEPING = ("id", "asset_id", "source_id")


# Statements built once: building them per call costs more than running them.
def _per_dialect(build: Any, column: Any, name: str) -> dict[bool, Any]:
    """``build(column IN :name)``, keyed by "is PostgreSQL" (see ``bulk.one_of``)."""
    return {pg: build(bulk.one_of(column, name, pg)) for pg in (False, True)}


_SOURCES_OF = _per_dialect(lambda where: select(*(SOURCE.c[n] for n in SOURCE_COLUMNS)).where(where),
                           SOURCE.c.asset_id, "ids")  # fmt: skip
_ASSETS = _per_dialect(lambda where: select(ASSET).where(where), ASSET.c.id, "ids")
# The assets that have a source with one of these device ids, and all the sources of those.
_REACHED = _per_dialect(lambda where: select(SOURCE.c.asset_id).where(where), SOURCE.c.key, "keys")
_SOURCES_REACHED = {pg: select(*(SOURCE.c[n] for n in SOURCE_COLUMNS)).where(SOURCE.c.asset_id.in_(reached))
                    for pg, reached in _REACHED.items()}  # fmt: skip
_ASSETS_REACHED = {False: select(ASSET).where(ASSET.c.id.in_(_REACHED[False])),
                   True: select(ASSET).where(ASSET.c.id.in_(_REACHED[True])).order_by(ASSET.c.id)
                   .with_for_update(key_share=True)}  # FOR NO KEY UPDATE: rows locked in id order  # fmt: skip
_ASSETS_LOCKED = select(ASSET).where(bulk.one_of(ASSET.c.id, "ids", True)).order_by(
    ASSET.c.id).with_for_update(key_share=True)  # fmt: skip
_NEW_ASSETS = insert(ASSET).returning(ASSET.c.id, sort_by_parameter_order=True)
_NEW_SOURCES = insert(SOURCE).returning(SOURCE.c.id, sort_by_parameter_order=True)
_NEW_IDS = (  # PostgreSQL: ids for new assets and sources, in one statement
    "SELECT ARRAY(SELECT nextval(pg_get_serial_sequence('asset', 'id')) FROM generate_series(1, %(assets)s)),"
    " ARRAY(SELECT nextval(pg_get_serial_sequence('inventory_source', 'id')) FROM generate_series(1, %(sources)s))"
)
_COMPONENT_ROWS = {name: _per_dialect(lambda where, t=t: select(t).where(where), t.c.asset_id, "ids")
                   for name, t in COMPONENT_TABLES.items()}  # fmt: skip
_LOCKS = "SELECT pg_advisory_xact_lock(k) FROM unnest(CAST(%(ids)s AS bigint[])) AS k ORDER BY k"


def _pg(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def section_hash(content: Any) -> str:
    try:
        canonical = orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # integers beyond 64 bits, from the lenient JSON path
        canonical = json.dumps(content, sort_keys=True, default=str).encode()
    return hashlib.sha1(canonical).hexdigest()  # noqa: S324 - change detection, not security


def archive(raw: bytes, *, is_zlib: bool) -> bytes:
    return raw if is_zlib else zlib.compress(raw, 1)


def _jsonable(value: Any) -> Any:
    """Component rows as JSON documents (dates as ISO text)."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _records(content: Any, name: str) -> Any:
    """A stored document back as records for the component table (dates parsed again)."""
    table = COMPONENT_TABLES[name]
    temporal = {c.name: c.type.python_type for c in table.columns if c.name not in _ROW_BOOKKEEPING
                and c.type.python_type in (dt.date, dt.datetime)}  # fmt: skip

    def parse(record: dict[str, Any]) -> dict[str, Any]:
        out = dict(record)
        for key, kind in temporal.items():
            if isinstance(out.get(key), str):
                out[key] = kind.fromisoformat(out[key])
        return out

    return [parse(r) for r in content] if isinstance(content, list) else parse(content)


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
    scope: str = field(init=False, default=QUARANTINE)  # set once the reporter is known

    def __post_init__(self) -> None:
        self.identity = identity_of(self.inventory)
        content = self.inventory.content
        self.hashes = {  # of what was sent, or of what was kept of it (keys the schema does not define)
            name: section_hash(content[name] if name in content else _jsonable(records))
            for name, records in self.inventory.sections.items()
            if name in COMPONENT_TABLES
        }

    @property
    def key(self) -> tuple[str, str]:
        """What makes two items of one batch the same source (never in one batch together)."""
        return (str(self.kind), self.inventory.deviceid)


@dataclass(slots=True)
class StoreResult:
    asset_id: int
    source_id: int
    created: bool = False
    merge_reason: str | None = None
    sections_written: list[str] = field(default_factory=list)
    duplicate: bool = False  # a resend of the inventory stored last: acknowledged, not applied
    conflicts: int = 0  # resemblances to assets it may not touch, recorded for the DSIT


@dataclass(slots=True)
class _Arrival:
    """A reporter with no writable source yet: where it goes is decided by create_sources."""

    item: Item
    reporter: Reporter
    detached: dict[str, Any] | None = None  # its source, found on an asset it may not write
    foreign: list[dict[str, Any]] = field(default_factory=list)  # its device id in other scopes


class _Batch:
    """What a batch will write, accumulated item by item, then flushed table by table."""

    def __init__(self, connection: Connection, now: dt.datetime, fresh_after: dt.datetime) -> None:
        self.connection = connection
        self.now = now
        self.fresh_after = fresh_after
        self.assets: dict[int, dict[str, Any]] = {}  # working copies, updated as items are planned
        self.sources_of: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)  # asset -> its sources
        self.created: set[int] = set()
        self.asset_changes: dict[int, dict[str, Any]] = defaultdict(dict)
        self.source_changes: dict[int, dict[str, Any]] = defaultdict(dict)
        # section -> asset id -> (source id, records)
        self.replaced: dict[str, dict[int, tuple[int, Any]]] = defaultdict(dict)
        self.dropped: list[tuple[str, int, int]] = []
        self.docs: dict[tuple[int, str], dict[str, Any] | None] = {}  # (source, section) -> row, None: delete
        self.metrics: list[dict[str, Any]] = []
        self.readings = Readings(now)  # printers' counters and supplies (server.printing)
        self.logs: dict[int, ChangeLog] = {}
        self.claimed: dict[int, int] = {}  # asset id -> the member that claimed it from quarantine
        self.conflicts: list[dict[str, Any]] = []
        self.locked: set[int] = set()  # assets whose rows this transaction locked (PostgreSQL)

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

    def load_sources(self, asset_ids: list[int]) -> None:
        """Every source of these assets (precedence compares them)."""
        # Assets created in this batch have no sources yet (their ids are real ones already).
        wanted = sorted(i for i in asset_ids if i not in self.sources_of and i > 0 and i not in self.created)
        if wanted:
            for row in self.connection.execute(_SOURCES_OF[_pg(self.connection)], {"ids": wanted}).mappings():
                self.sources_of[row["asset_id"]][row["id"]] = dict(row)

    # -- planning -------------------------------------------------------------------------

    def plan(self, item: Item, reporter: Reporter, source: dict[str, Any], asset: dict[str, Any]) -> StoreResult:
        inventory = item.inventory
        created = asset["id"] in self.created
        # A new asset's first values are not changes: its history starts with "created".
        log = None if created else self.log(asset["id"], item, reporter)
        self._claim(asset, reporter, log)
        challenger = {**source, "last_seen": self.now}
        hashes = dict(asset["section_hashes"] or {})
        own = dict(source["section_hashes"] or {})
        written = []
        for name, records in inventory.sections.items():
            if name not in COMPONENT_TABLES:
                continue
            digest = item.hashes[name]
            shown = hashes.get(name)
            shown_by = self.sources_of[asset["id"]].get(shown[0]) if shown and shown[0] != source["id"] else None
            takes_over = shown is None or shown[0] == source["id"] or outranks(challenger, shown_by, name,
                                                                                 self.fresh_after)  # fmt: skip
            if own.get(name) == digest and (not takes_over or shown == [source["id"], digest]):
                continue  # nothing new from this source, and what is shown stays
            own[name] = digest
            if not takes_over:  # kept apart: a source of higher precedence reports this section
                self._keep(source["id"], name, digest, records)
                continue
            if shown_by is not None:
                self._demote(asset["id"], name, shown_by)
            self._show(asset, name, source["id"], digest, records, hashes)
            written.append(name)
        if not inventory.partial:
            # A full inventory without a section means it is gone (a battery removed), for this
            # source; not a section that only partial inventories carry (GLPI Agent's database
            # task sends databases_services on its own), unless the previous full carried it too.
            carried = source.get("full_sections")
            for name in [n for n in own if n not in inventory.sections and (carried is None or n in carried)]:
                del own[name]
                self.docs[(source["id"], name)] = None
                if hashes.get(name, [None])[0] == source["id"]:
                    self._fall_back(asset, name, source["id"], hashes, log)
                    written.append(name)
        self._update_identity(asset, item, source["id"], hashes, log)
        for metric in inventory.sections.get("mutuparc_metrics") or []:
            self.metrics.append({**metric, "asset_id": asset["id"], "at": self.now})
        self.readings.add(asset, source["id"], hashes, inventory.sections)
        asset["section_hashes"] = hashes
        self.asset_changes[asset["id"]].update(section_hashes=hashes, last_seen=self.now, updated_at=self.now)
        source["section_hashes"] = own
        self._update_source(item, reporter, source)
        return StoreResult(asset["id"], source["id"], created, sections_written=written)

    def _show(self, asset: dict[str, Any], name: str, source_id: int, digest: str, records: Any,
              hashes: dict[str, Any]) -> None:  # fmt: skip
        """``records`` become what the asset shows of ``name``."""
        self.replaced[name][asset["id"]] = (source_id, records)
        hashes[name] = [source_id, digest]
        self.docs[(source_id, name)] = None
        if name in ("operatingsystem", "network_device"):
            label = os_label(records) if name == "operatingsystem" else firmware_label(records)
            if label != asset["os_label"]:
                self.change(asset, "os_label", label, None)

    def _keep(self, source_id: int, name: str, digest: str, content: Any) -> None:
        self.docs[(source_id, name)] = {"source_id": source_id, "section": name, "hash": digest,
                                        "content": _jsonable(content), "received_at": self.now}  # fmt: skip

    def _demote(self, asset_id: int, name: str, source: dict[str, Any]) -> None:
        """The section's rows of ``source`` are taken over: keep them as that source's document."""
        table = COMPONENT_TABLES[name]
        rows = self.connection.execute(
            select(table).where(table.c.asset_id == asset_id, table.c.source_id == source["id"])
        ).mappings()
        records = [{k: v for k, v in row.items() if k not in _ROW_BOOKKEEPING} for row in rows]
        if records:
            content = records if SECTIONS_MANY[name] else records[0]
            digest = (source["section_hashes"] or {}).get(name) or section_hash(_jsonable(content))
            self._keep(source["id"], name, digest, content)

    def _fall_back(self, asset: dict[str, Any], name: str, source_id: int, hashes: dict[str, Any],
                   log: ChangeLog | None) -> None:  # fmt: skip
        """The source shown for ``name`` stopped reporting it: show the next source's, or nothing."""
        others = {i: s for i, s in self.sources_of[asset["id"]].items() if i != source_id}
        kept = []
        if others:
            statement = select(DOCS).where(DOCS.c.source_id.in_(list(others)), DOCS.c.section == name)
            kept = [dict(row) for row in self.connection.execute(statement).mappings()
                    if self.docs.get((row["source_id"], name), row) is not None]  # fmt: skip
        best = None
        for doc in kept:
            if best is None or outranks(others[doc["source_id"]], others[best["source_id"]], name, self.fresh_after):
                best = doc
        if best is None:
            self.dropped.append((name, asset["id"], source_id))
            self.replaced[name].pop(asset["id"], None)
            if log is not None:
                log.add(asset["id"], name, "present", None)
            del hashes[name]
            return
        self._show(asset, name, best["source_id"], best["hash"], _records(best["content"], name), hashes)

    def _claim(self, asset: dict[str, Any], reporter: Reporter, log: ChangeLog | None) -> None:
        """A member's token claims a quarantined asset; the site comes from the token if unset."""
        if reporter.member_id is None:
            return
        if asset["member_id"] is None:
            self.change(asset, "member_id", reporter.member_id, log)
            self.claimed[asset["id"]] = reporter.member_id
            if reporter.site_id is not None:
                self.change(asset, "site_id", reporter.site_id, log)
        elif asset["site_id"] is None and reporter.site_id is not None:
            self.change(asset, "site_id", reporter.site_id, log)

    def _update_identity(self, asset: dict[str, Any], item: Item, source_id: int, hashes: dict[str, Any],
                         log: ChangeLog | None) -> None:  # fmt: skip
        """Identity fields from this source where it is the one shown for their section, or where
        the asset has none; never over a person's value or with a placeholder serial."""
        identity, manual = item.identity, set(asset.get("manual_fields") or [])

        def follows(field_name: str) -> bool:
            shown = hashes.get(identity_section(field_name, shown=hashes))
            return shown is None or shown[0] == source_id or asset[field_name] in (None, "")

        touched = False
        for name in IDENTITY_FIELDS:
            value = getattr(identity, name)
            if value is None or value == asset[name] or name in manual or not follows(name):
                continue
            # A junk serial never replaces a real one (a mainboard swap can report placeholders).
            if name == "serial" and identity.serial_key is None and asset["serial_key"] is not None:
                continue
            self.change(asset, name, value, log)
            touched = True
        # The type someone set by hand is theirs; partial inventories lack the OS to decide.
        if (
            not item.inventory.partial
            and identity.asset_type
            and identity.asset_type != asset["asset_type"]
            and "asset_type" not in manual
            and (asset["source"] != AssetSource.MANUAL or asset["asset_type"] == AssetType.OTHER)
            and follows("asset_type")
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
            "section_hashes": source["section_hashes"],
            "scope": item.scope,
        }
        if not inventory.partial:
            values["last_full_at"] = self.now
            values["full_sections"] = sorted(inventory.sections)
            if item.raw is not None:
                values["raw_inventory"], values["raw_format"] = item.raw, item.raw_format
        self.source_changes[source["id"]].update(values)

    # -- writing --------------------------------------------------------------------------

    def flush(self, *, commit: bool = False) -> None:
        """Write the batch: the stored rows of the replaced sections are read first (together, in
        one round trip on PostgreSQL), then every write goes in one round trip (pipeline mode),
        the COMMIT with them when ``commit``."""
        connection = self.connection
        sections = [
            (name, sorted(a for a in by_asset if a not in self.created)) for name, by_asset in self.replaced.items()
        ]
        reads = [(_COMPONENT_ROWS[name][_pg(connection)], {"ids": ids}) for name, ids in sections if ids]
        read = iter(bulk.read_together(connection, reads))
        changes: dict[str, _RowChanges] = {}
        for name, existing in sections:
            by_asset = self.replaced[name]
            stored: dict[int, list[dict[str, Any]]] = defaultdict(list)
            for row in next(read) if existing else ():
                stored[row["asset_id"]].append(row)
            # Only what changed is written: a new software version is one DELETE and one INSERT
            # of a row, not the whole list again.
            changes[name] = _row_changes(COMPONENT_TABLES[name], by_asset, stored)
            if existing:
                self._record_component_changes(name, existing, by_asset, stored, changes[name])
        # These read before they write (printers' last readings, known conflicts): rare.
        self.readings.flush(connection)
        self._flush_conflicts()
        with pipelined(connection):
            for name, change in changes.items():
                table = COMPONENT_TABLES[name]
                bulk.delete_ids(connection, table, change.stale)
                bulk.insert_rows(connection, table, change.rows)
            for name, asset_id, source_id in self.dropped:
                table = COMPONENT_TABLES[name]
                connection.execute(delete(table).where(table.c.asset_id == asset_id, table.c.source_id == source_id))
            for columns, rows in _by_columns(self.asset_changes):
                bulk.update_rows(connection, ASSET, rows, columns)
            for columns, rows in _by_columns(self.source_changes):
                # An inventory, not a move: count it.
                counted = ("inventory_count",) if "last_seen" in columns else ()
                bulk.update_rows(connection, SOURCE, rows, columns, counted)
            self._flush_documents()
            for member_id in set(self.claimed.values()):
                rescope(connection, sorted(a for a, m in self.claimed.items() if m == member_id), member_id)
            bulk.insert_rows(connection, METRIC, self.metrics)
            history = [row for log in self.logs.values() for row in log.rows]
            bulk.insert_rows(connection, HISTORY, history)
            if commit and _pg(connection):
                # The COMMIT in the same round trip; the caller's commit then finds nothing to do.
                connection.connection.driver_connection.commit()

    def _flush_documents(self) -> None:
        if not self.docs:
            return
        keys = sorted(self.docs)
        bulk.delete_pairs(self.connection, DOCS, ("source_id", "section"), keys)
        rows = [row for key in keys if (row := self.docs[key]) is not None]
        bulk.insert_rows(self.connection, DOCS, rows)

    def _flush_conflicts(self) -> None:
        """New resemblances become open conflicts; a pair already known is not raised again
        (an ignored pair stays ignored)."""
        if not self.conflicts:
            return
        pairs = sorted({(c["asset_id"], c["other_asset_id"]) for c in self.conflicts})
        known = set(self.connection.execute(
            select(CONFLICT.c.asset_id, CONFLICT.c.other_asset_id)
            .where(tuple_(CONFLICT.c.asset_id, CONFLICT.c.other_asset_id).in_(pairs))).all())  # fmt: skip
        fresh: dict[tuple[int, int], dict[str, Any]] = {}
        for conflict in self.conflicts:
            pair = (conflict["asset_id"], conflict["other_asset_id"])
            if pair not in known and pair not in fresh:
                fresh[pair] = conflict
        if fresh:
            self.connection.execute(insert(CONFLICT), list(fresh.values()))
        if known:
            self.connection.execute(
                update(CONFLICT)
                .where(tuple_(CONFLICT.c.asset_id, CONFLICT.c.other_asset_id).in_(sorted(known)),
                       CONFLICT.c.status == ConflictStatus.OPEN)
                .values(last_seen_at=self.now, reports=CONFLICT.c.reports + 1))  # fmt: skip

    def _record_component_changes(self, name: str, asset_ids: list[int], by_asset: dict[int, Any],
                                  old: dict[int, list[dict[str, Any]]], changes: _RowChanges) -> None:  # fmt: skip
        """History rows for what the replaced section changes on these assets (every value but
        the volatile ones; list items matched by identity), written with the batch. Lists compare
        only the rows that go and the records that come: a row kept identical matches itself."""
        if name in UNTRACKED or not any(asset_id in self.logs for asset_id in asset_ids):
            return
        rules = rules_for(name)
        for asset_id in asset_ids:
            log = self.logs.get(asset_id)
            if log is None:
                continue
            records = by_asset[asset_id][1]
            if isinstance(records, list):
                log.items(asset_id, name, changes.gone[asset_id], changes.came[asset_id], rules)
            else:
                log.record(asset_id, name, old[asset_id][0] if old[asset_id] else None, records, rules)

    # -- new reporters --------------------------------------------------------------------

    def create_sources(self, arrivals: list[_Arrival]) -> dict[tuple[str, str], tuple[dict, str | None, int]]:  # type: ignore[type-arg]
        """Sources for reporters with no writable source: attached to the asset each matches among
        those it may write, or to new assets; resemblances to the others become conflicts.

        A handful of statements for the whole batch: new assets, new sources, merges.
        """
        candidates = Candidates.fetch(self.connection, (a.item.identity for a in arrivals))
        planned: list[tuple[_Arrival, dict[str, Any], Any, list[Resemblance]]] = []
        new_assets: list[dict[str, Any]] = []
        for arrival in arrivals:
            item, reporter = arrival.item, arrival.reporter
            assessment = candidates.assess(item.identity, reporter.member_id)
            match = assessment.match
            if match is not None and match.asset["id"] < 0:  # created earlier in this batch
                asset = match.asset
            elif match is not None:
                asset = self.assets.setdefault(match.asset["id"], match.asset)
            else:
                asset = self._new_asset(item, reporter)
                new_assets.append(asset)
                asset["id"] = -len(new_assets)  # placeholder until inserted; never in the database
                candidates.add(asset, item.identity)
            # The same device id first: the most direct evidence (one conflict per pair of assets).
            planned.append((arrival, asset, match, self._same_id_elsewhere(arrival, asset) + assessment.conflicts))
        # An existing asset matched by resemblance was read without a lock: lock it, then read it
        # again, before writing to it (as _read_known does for the assets found by device id).
        self._lock_assets(sorted({a["id"] for _, a, match, _ in planned if match is not None and a["id"] > 0}))
        fresh = [(a, asset) for a, asset, _, _ in planned if a.detached is None]
        source_ids = self._new_ids(new_assets, len(fresh))
        self.load_sources([asset["id"] for _, asset, _, _ in planned])
        new_sources = self._insert_new(new_assets, fresh, source_ids)
        created: dict[tuple[str, str], tuple[dict, str | None, int]] = {}  # type: ignore[type-arg]
        merges = []
        for arrival, asset, match, conflicts in planned:
            item, reporter = arrival.item, arrival.reporter
            source = new_sources.get(id(arrival)) or self._move_source(arrival.detached, asset)  # type: ignore[arg-type]
            self.sources_of[asset["id"]][source["id"]] = source
            log = self.log(asset["id"], item, reporter)
            deviceid = item.inventory.deviceid
            if match is not None:
                merges.append({"target_id": asset["id"], "source_id": source["id"], "reason": match.reason,
                               "matched_value": match.value[:255], "actor": reporter.label, "at": self.now,
                               "snapshot": snapshot(asset), "merged_asset_id": None, "undone_at": None,
                               "undone_by": None})  # fmt: skip
                log.add(asset["id"], "merge", None, f"{item.kind} {deviceid} matched by {match.reason} ({match.value})")
            else:
                log.add(asset["id"], "created", None, f"{item.kind} {deviceid}")
            for resemblance in conflicts:
                self.conflicts.append(self._conflict(asset, reporter, resemblance))
            created[item.key] = (source, match.reason if match is not None else None, len(conflicts))
        if merges:
            self.connection.execute(insert(MERGE), merges)
        return created

    def _new_ids(self, new_assets: list[dict[str, Any]], sources: int) -> list[int] | None:
        """Give the new assets their ids. PostgreSQL: from the sequences, with the ids of
        ``sources`` new sources (returned), in one round trip; the rows are inserted later
        without RETURNING. SQLite: the assets inserted, their ids read back."""
        if _pg(self.connection):
            row = self.connection.exec_driver_sql(_NEW_IDS, {"assets": len(new_assets), "sources": sources}).one()
            for asset, asset_id in zip(new_assets, row[0], strict=True):
                self._created(asset, asset_id)
            return list(row[1])
        if new_assets:
            rows = [{k: v for k, v in a.items() if k != "id"} for a in new_assets]
            ids = [row.id for row in self.connection.execute(_NEW_ASSETS, rows)]
            for asset, asset_id in zip(new_assets, ids, strict=True):
                self._created(asset, asset_id)
        return None

    def _insert_new(self, new_assets: list[dict[str, Any]], fresh: list[tuple[_Arrival, dict[str, Any]]],
                    source_ids: list[int] | None) -> dict[int, dict[str, Any]]:  # fmt: skip
        """Insert the new sources (and on PostgreSQL the new assets, whose ids are set, in the
        same round trip); returns the new sources by ``id(arrival)``."""
        rows = [self._source_row(a.item, asset) for a, asset in fresh]
        if source_ids is None:  # SQLite: ids read back
            source_ids = [row.id for row in self.connection.execute(_NEW_SOURCES, rows)] if rows else []
        else:
            for row, source_id in zip(rows, source_ids, strict=True):
                row["id"] = source_id
            with pipelined(self.connection):
                bulk.insert_rows(self.connection, ASSET, new_assets, _all_columns(ASSET))
                bulk.insert_rows(self.connection, SOURCE, rows, _all_columns(SOURCE))
        return {id(a): {**row, "id": i} for (a, _), row, i in zip(fresh, rows, source_ids, strict=True)}

    def _created(self, asset: dict[str, Any], asset_id: int) -> None:
        asset["id"] = asset_id
        self.assets[asset_id] = asset
        self.created.add(asset_id)

    def _lock_assets(self, asset_ids: list[int]) -> None:
        wanted = [i for i in asset_ids if i not in self.locked]
        if not wanted or not _pg(self.connection):
            return
        for row in self.connection.execute(_ASSETS_LOCKED, {"ids": wanted}).mappings():
            self.assets[row["id"]].update(row)
        self.locked.update(wanted)

    def _same_id_elsewhere(self, arrival: _Arrival, asset: dict[str, Any]) -> list[Resemblance]:
        """The assets the reporter's device id already designates in scopes it may not write."""
        if is_address_only(arrival.item.inventory.deviceid):
            return []  # an address is no identity: 192.168.1.1 elsewhere is another device
        found = [*arrival.foreign, *([arrival.detached] if arrival.detached else [])]
        others = {s["asset_id"] for s in found if s["asset_id"] != asset["id"]}
        if not others:
            return []
        wanted = {"ids": sorted(others - set(self.assets))}
        for row in self.connection.execute(_ASSETS[_pg(self.connection)], wanted).mappings():
            self.assets[row["id"]] = dict(row)
        deviceid = arrival.item.inventory.deviceid
        return [Resemblance(self.assets[i], ConflictKind.DEVICEID, deviceid) for i in sorted(others)
                if self.assets[i]["merged_into_id"] is None]  # fmt: skip

    def _conflict(self, asset: dict[str, Any], reporter: Reporter, resemblance: Resemblance) -> dict[str, Any]:
        other = resemblance.asset
        return {"kind": resemblance.kind, "status": ConflictStatus.OPEN, "asset_id": asset["id"],
                "member_id": reporter.member_id, "other_asset_id": other["id"], "other_member_id": other["member_id"],
                "matched_value": resemblance.value[:255], "reporter": (reporter.label or "")[:255] or None,
                "first_seen_at": self.now, "last_seen_at": self.now, "reports": 1, "resolved_at": None,
                "resolved_by": None, "note": None}  # fmt: skip

    def _source_row(self, item: Item, asset: dict[str, Any]) -> dict[str, Any]:
        return {
            "asset_id": asset["id"],
            "kind": item.kind,
            "key": item.inventory.deviceid,
            "scope": item.scope,
            "section_hashes": {},
            "full_sections": [],
            "first_seen": self.now,
            "last_seen": self.now,
            "inventory_count": 0,
            "identity": {},
            "agent_uuid": None,
            "agent_version": None,
            "enrolment_token_id": None,
            "last_inventory_id": None,
        }

    def _move_source(self, source: dict[str, Any], asset: dict[str, Any]) -> dict[str, Any]:
        """A source found on an asset its reporter may not write moves to the reporter's asset;
        what it said there stays with that asset, its kept documents go."""
        self.sources_of[source["asset_id"]].pop(source["id"], None)
        moved = {**source, "asset_id": asset["id"], "section_hashes": {}}
        self.source_changes[source["id"]].update(asset_id=asset["id"])
        self.connection.execute(delete(DOCS).where(DOCS.c.source_id == source["id"]))
        return moved

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
            manual_fields=[],
            **{name: getattr(identity, name) for name in IDENTITY_FIELDS},
        )
        values.update(identity_keys(values))
        return values


def _row_key(values: dict[str, Any], columns: tuple[str, ...]) -> bytes:
    """A canonical form of a component row's content, to match stored rows with new records.

    Two rows with one key store the same values; a value that only looks different (an integer
    sent for a text column) makes the row rewritten, never wrongly kept."""
    content = [values.get(column) for column in columns]
    try:
        return orjson.dumps(content, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS)
    except TypeError:  # integers beyond 64 bits, from the lenient JSON path
        return json.dumps(_jsonable(content), sort_keys=True, default=str).encode()


@cache
def _content_columns(table: Any) -> tuple[str, ...]:
    return tuple(c.name for c in table.columns if c.name not in _ROW_BOOKKEEPING)


@cache
def _all_columns(table: Any) -> tuple[str, ...]:
    """Every column, the id included (new assets and sources get theirs from the sequences)."""
    return tuple(c.name for c in table.columns)


@dataclass(slots=True)
class _RowChanges:
    """What replacing assets' rows of a section takes: the ids of stored rows to delete, the rows
    to insert, and per asset the stored rows that go and the records that come (the history
    compares only those: a row kept as it is changes nothing)."""

    stale: list[int] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    gone: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    came: dict[int, list[dict[str, Any]]] = field(default_factory=dict)


def _row_changes(table: Any, by_asset: dict[int, tuple[int, Any]],
                 stored: dict[int, list[dict[str, Any]]]) -> _RowChanges:  # fmt: skip
    """Replacing each asset's rows of a section by ``by_asset``'s records. A stored row of the
    same source with the same content stays as it is (a multiset match: two identical records
    keep two rows)."""
    columns = _content_columns(table)
    out = _RowChanges()
    for asset_id, (source_id, records) in by_asset.items():
        kept: dict[bytes, list[dict[str, Any]]] = defaultdict(list)
        gone: list[dict[str, Any]] = []
        came: list[dict[str, Any]] = []
        for row in stored.get(asset_id, ()):
            if row["source_id"] == source_id:
                kept[_row_key(row, columns)].append(row)
            else:
                gone.append(row)
        for record in records if isinstance(records, list) else [records]:
            same = kept.get(_row_key(record, columns))
            if same:
                same.pop()
            else:
                came.append(record)
                out.rows.append({**record, "asset_id": asset_id, "source_id": source_id})
        gone.extend(row for rows in kept.values() for row in rows)
        out.stale.extend(row["id"] for row in gone)
        out.gone[asset_id], out.came[asset_id] = gone, came
    out.stale.sort()
    return out


SECTIONS_MANY = {name: table.c.asset_id.unique is not True for name, table in COMPONENT_TABLES.items()}


def _by_columns(changes: dict[int, dict[str, Any]]) -> list[tuple[tuple[str, ...], list[dict[str, Any]]]]:
    """Rows to update grouped by the columns they set (one executemany each), in id order.

    Every batch locks rows in id order, so that two concurrent batches cannot deadlock.
    """
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for row_id in sorted(changes):
        values = changes[row_id]
        groups[tuple(sorted(values))].append({"_id": row_id, **values})
    return list(groups.items())


def _lock_keys(items: list[Item]) -> list[int]:
    """The advisory locks that serialise the inventories of one machine (PostgreSQL; SQLite
    writes are serial anyway): its source, its serial, its UUID.

    Two agents of one machine (or one agent retrying on another worker) must not create two
    assets: whoever comes second waits, then finds what the first created. All the locks a batch
    needs are taken in one statement, in one order, before its asset rows. (Two batches can still
    deadlock when each brings a newcomer matched by MAC or name to an asset the other holds:
    ``_lock_assets`` locks those after the others; PostgreSQL breaks it and ``store_batch``
    retries, see tests/server/ingest/test_bulk_write_path.py.)
    """
    keys = set()
    for item in items:
        keys.add(f"source:{item.kind}:{item.inventory.deviceid}")
        if item.identity.serial_key:
            keys.add(f"serial:{item.identity.serial_key}")
        if item.identity.uuid_key:
            keys.add(f"uuid:{item.identity.uuid_key}")
    return sorted(lock_key(k) for k in keys)


def _read_known(
    connection: Connection, batch: _Batch, items: list[Item]
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Every source with the device id of an item, in any scope; and into ``batch``, the assets
    those sources are on with all their sources (precedence compares them). One round trip.

    On PostgreSQL the batch first takes its machines' advisory locks, then locks those asset
    rows (in id order) before reading their sources: a concurrent batch writing one of these
    assets through another source (a second agent of the machine) has committed by then, so
    what is planned here starts from what it wrote."""
    wanted = {item.key for item in items}
    keys = {"keys": sorted({deviceid for _, deviceid in wanted})}
    pg = _pg(connection)
    reads: list[tuple[Any, dict[str, Any]]] = [(_ASSETS_REACHED[pg], keys), (_SOURCES_REACHED[pg], keys)]
    if pg:
        reads.insert(0, (_LOCKS, {"ids": _lock_keys(items)}))
    *_, assets, sources = bulk.read_together(connection, reads)
    found: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    reached: dict[int, dict[int, dict[str, Any]]] = defaultdict(dict)
    for row in sources:
        reached[row["asset_id"]][row["id"]] = row
        key = (str(row["kind"]), row["key"])
        if key in wanted:
            found[key].append(row)
    batch.sources_of.update(reached)
    for row in assets:
        batch.assets[row["id"]] = row
        batch.locked.add(row["id"])
        batch.sources_of.setdefault(row["id"], {})
    return found


def _own_source(item: Item, reporter: Reporter, candidates: list[dict[str, Any]],
                members: dict[int, int | None]) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:  # fmt: skip
    """The item's own source among those with its device id (its scope; or, for a member's token,
    the quarantine's, whose asset it then claims), and the others."""
    own = next((s for s in candidates if s["scope"] == item.scope), None)
    if own is None and reporter.member_id is not None:
        own = next((s for s in candidates if s["scope"] == QUARANTINE and members.get(s["asset_id"]) is None), None)
    return own, [s for s in candidates if s is not own]


def store_inventories(connection: Connection, items: list[Item], settings: Settings, *,
                      commit: bool = False) -> list[StoreResult | DomainError]:  # fmt: skip
    """Store ``items`` (of distinct sources) in the caller's transaction; one result per item, in order.
    ``commit``: commit that transaction with the last writes (one round trip fewer; PostgreSQL).

    An item whose token is unknown or revoked gets its error and is not stored; the others are.
    """
    now = utcnow()
    batch = _Batch(connection, now, now - dt.timedelta(days=settings.stale_days))
    reporters = resolve_reporters(connection, {item.token for item in items}, settings)
    accepted = [item for item in items if not isinstance(reporters[item.token], DomainError)]
    for item in accepted:
        item.scope = reporters[item.token].scope_for(item.inventory.deviceid)  # type: ignore[union-attr]
    found = _read_known(connection, batch, accepted)
    members = {asset_id: asset["member_id"] for asset_id, asset in batch.assets.items()}

    known: dict[tuple[str, str], dict[str, Any]] = {}
    arrivals = []
    for item in accepted:
        reporter = reporters[item.token]
        assert isinstance(reporter, Reporter)
        own, foreign = _own_source(item, reporter, found.get(item.key, []), members)
        if own is not None and members.get(own["asset_id"]) in (reporter.member_id, None):
            known[item.key] = own
        else:  # unknown, or on an asset of someone else: the reporter gets an asset of its own
            arrivals.append(_Arrival(item, reporter, detached=own, foreign=foreign))
    created = batch.create_sources(arrivals) if arrivals else {}

    results: list[StoreResult | DomainError] = []
    for item in items:
        reporter = reporters[item.token]
        if isinstance(reporter, DomainError):
            results.append(reporter)
            continue
        reason, conflicts = None, 0
        if item.key in created:
            source, reason, conflicts = created[item.key]
        else:
            source = known[item.key]
            if item.inventory_id and source["last_inventory_id"] == item.inventory_id:
                results.append(StoreResult(source["asset_id"], source["id"], duplicate=True))
                continue
        result = batch.plan(item, reporter, source, batch.assets[source["asset_id"]])
        result.merge_reason, result.conflicts = reason, conflicts
        results.append(result)
    batch.flush(commit=commit)
    return results
