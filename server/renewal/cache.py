"""The assessment of every member's assets, computed once per change and kept in each worker.

Every renewal and obsolescence report starts from the same assessment (``Assessor.assess``),
which reads every asset in service: about two seconds on 100,000 assets. It only changes when
what it reads changes, so each worker keeps the last few results, keyed by:

- **the database's assessment version**: the rows of ``assessment_version``, bumped by triggers
  (migration 0017) in the very transaction that changes what the assessment reads: the asset
  columns of ``AssessedRow`` and the lifecycle, the component tables it and the readiness read
  (BIOS, batteries, CPUs, firmwares, memory, disks, operating system), renewal policies, unit
  prices, model support, support extensions and the end-of-life catalogue and overrides. An
  unchanged inventory only sets ``last_seen``, ``updated_at`` and ``section_hashes``, which do
  not bump. Every instance reads the same rows, so every instance agrees on what is current;
- the budget date (and the staleness window the result was computed with).

The version is read in the same snapshot as the data it is computed from (PostgreSQL: a
REPEATABLE READ read-only transaction of its own; SQLite: the request's transaction, which
``BEGIN IMMEDIATE`` makes one snapshot), so a result is never stored under a version it does not
belong to. The triggers bump at commit (PostgreSQL: deferred constraint triggers, once per
transaction, on one of a few shard rows that no other committing transaction holds), so
concurrent inventories do not queue behind one counter row. ``epoch`` is drawn afresh whenever
the rows are created again (an emptied table): numbers counted again from zero never meet a
result kept from before. No rows at all (a schema built without the migration's triggers): the
version is unknown and nothing is kept.

Staleness (``not_seen``) depends on the clock, not on a change: it is applied when the result is
read, from the assets not seen within ``stale_days`` at that moment. The result kept is every
member's; a member's readers get their own items filtered from it.

To see it work: the log (``server.renewal.cache``, INFO) has a line each time an assessment is
computed (how many assets, how long, at which version, kept or not); ``stats()`` gives a
worker's hits and misses; the first report after a change takes the assessment's time, the
next ones do not.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import logging
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BigInteger, Column, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Field, Session, SQLModel

from server.assets.models import Asset
from server.assets.vocab import AssetSource
from server.core import clock

from . import catalogue
from .assess import REASONS, Assessment, Assessor

log = logging.getLogger(__name__)
SIZE = 2  # results kept per worker (budget dates at the current version): about 70 MB each at 100,000 assets


class AssessmentVersion(SQLModel, table=True):
    """One shard of the assessment version: its number of bumping transactions (see the module)."""

    __tablename__ = "assessment_version"

    shard: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    n: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    epoch: str = Field(max_length=32)


VERSION = AssessmentVersion.__table__  # type: ignore[attr-defined]
Version = tuple[tuple[int, int, str], ...]


@dataclass(frozen=True, slots=True)
class Entry:
    items: list[Assessment]  # every member's, in (member, id) order; never changed once kept
    assessor: Assessor  # its policies and tables (the session it read with is closed)
    stale: frozenset[int]  # the items marked not_seen when computed
    manual: frozenset[int]  # the manual assets with a last_seen (see seen_manual_ids)


class AssessmentCache:
    """The last ``size`` results of one worker, and one computation at a time per key."""

    def __init__(self, size: int = SIZE) -> None:
        self.size = size
        self.hits = self.misses = 0
        self._lock = threading.Lock()
        self._entries: OrderedDict[tuple[Version, Any], Entry] = OrderedDict()
        self._computing: dict[tuple[Version, Any], threading.Lock] = {}

    def get(self, version: Version | None, key: Any, compute: Callable[[], Entry], keep: bool) -> Entry:
        """The entry of ``key`` at ``version``, computed (by one thread, the others waiting) when
        missing; kept only if ``keep`` and the version is known."""
        if version is None:
            self._count(hit=False)
            return compute()
        full = (version, key)
        with self._lock:
            found = self._entries.get(full)
            if found is not None:
                self._entries.move_to_end(full)
                self.hits += 1
                return found
            gate = self._computing.setdefault(full, threading.Lock())
        with gate:
            with self._lock:
                found = self._entries.get(full)
                if found is not None:
                    self.hits += 1
                    return found
                self.misses += 1
            try:
                entry = compute()
                with self._lock:
                    newer = any(k[1] == key and _before(version, k[0]) for k in self._entries)
                    if keep and not newer:  # a slow reader of an older snapshot does not push out the current
                        for old in [k for k in self._entries if k[0] != version and not _before(version, k[0])]:
                            del self._entries[old]
                        self._entries[full] = entry
                        while len(self._entries) > self.size:
                            self._entries.popitem(last=False)
            finally:
                with self._lock:
                    self._computing.pop(full, None)
            return entry

    def _count(self, *, hit: bool) -> None:
        with self._lock:
            if hit:
                self.hits += 1
            else:
                self.misses += 1

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.hits = self.misses = 0

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return {"hits": self.hits, "misses": self.misses, "kept": [k[1] for k in self._entries]}


CACHE = AssessmentCache()


def _before(a: Version, b: Version) -> bool:
    """Whether version ``a`` comes before ``b`` of the same database (same epochs)."""
    if len(a) != len(b) or any(x[0] != y[0] or x[2] != y[2] for x, y in zip(a, b, strict=True)):
        return False
    return a != b and all(x[1] <= y[1] for x, y in zip(a, b, strict=True))


def stats() -> dict[str, Any]:
    return CACHE.stats()


def read_version(connection: Connection) -> Version | None:
    """The assessment version in this transaction's snapshot; None when no trigger ever wrote it."""
    rows = connection.execute(select(VERSION.c.shard, VERSION.c.n, VERSION.c.epoch).order_by(VERSION.c.shard))
    found = tuple((shard, n, epoch) for shard, n, epoch in rows)
    return found or None


def _committed_version(engine: Engine) -> Version | None:
    """SQLite: the version last committed, read on a connection of its own (a WAL reader is not
    held up by the request's write lock); None for a database only this process sees (memory)."""
    path = engine.url.database
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    try:
        with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)) as connection:
            rows = connection.execute("SELECT shard, n, epoch FROM assessment_version ORDER BY shard").fetchall()
    except sqlite3.Error:
        return None
    return tuple((shard, n, epoch) for shard, n, epoch in rows) or None


@contextmanager
def snapshot(session: Session) -> Iterator[Session]:
    """A session reading one snapshot, in which the version and the data agree.

    PostgreSQL: a read-only REPEATABLE READ transaction on a connection of its own (the
    request's READ COMMITTED transaction sees each statement's own snapshot). SQLite: the
    request's own transaction (one connection per process): the caller keeps a result only when
    the version it read there is the one committed (the transaction changed nothing it reads)."""
    bind = session.get_bind()
    engine = bind.engine if isinstance(bind, Connection) else bind
    if engine.dialect.name == "postgresql":
        options = {"isolation_level": "REPEATABLE READ", "postgresql_readonly": True}
        with (
            engine.connect().execution_options(**options) as connection,
            connection.begin(),
            Session(bind=connection) as reader,
        ):
            yield reader
        return
    with Session(bind=session.connection()) as reader:  # what it reads outlives the request's session
        yield reader


def seen_manual_ids(session: Session) -> frozenset[int]:
    """Manual assets with a last report (never stale): ``source`` bumps the version, so this set
    is the version's, computed with the assessment."""
    statement = select(Asset.id).where(Asset.source == AssetSource.MANUAL, Asset.last_seen.is_not(None))
    return frozenset(session.connection().execute(statement).scalars())


def stale_ids(session: Session, stale_before: dt.datetime, manual: frozenset[int]) -> frozenset[int]:
    """The assets not seen since ``stale_before`` (the assessment's rule; assets it does not
    assess may be among them). Read from the ``last_seen`` index alone: on 100,000 assets half
    of them stale, checking each one's other columns in the table took 0.3 s on SQLite."""
    rows = session.connection().execute(select(Asset.id).where(Asset.last_seen < stale_before))
    return frozenset(rows.scalars()) - manual


def _restaled(item: Assessment, stale: bool) -> Assessment:
    reasons = set(item.reasons) | {"not_seen"} if stale else set(item.reasons) - {"not_seen"}
    return dataclasses.replace(item, reasons=[r for r in REASONS if r in reasons])


@dataclass(frozen=True, slots=True)
class Result:
    items: list[Assessment]  # every member's, staleness as of now; shared: never change them
    assessor: Assessor  # bound to the caller's session (its exclusions are counted there)


def assessment(session: Session, budget_date: dt.date, stale_days: int, store: AssessmentCache | None = None) -> Result:
    """Every member's assessment for ``budget_date``, from this worker's cache (``store``: another
    instance's) when the database's version has not moved, with staleness as of now."""
    now = clock.utcnow()
    with snapshot(session) as reader:
        version = read_version(reader.connection())
        engine = reader.get_bind().engine
        keep = engine.dialect.name == "postgresql" or (version is not None and version == _committed_version(engine))

        computed = []

        def compute() -> Entry:
            computed.append(True)
            started = time.perf_counter()
            assessor = Assessor(reader, catalogue.load(reader), budget_date=budget_date, stale_days=stale_days,
                                now=now)  # fmt: skip
            items = assessor.assess()
            stale = frozenset(i.asset_id for i in items if "not_seen" in i.reasons)
            number = "unknown" if version is None else sum(v[1] for v in version)
            log.info("assessment of %d assets for %s computed in %.2f s (version %s, kept: %s)", len(items),
                     budget_date, time.perf_counter() - started, number, keep)  # fmt: skip
            return Entry(items, assessor, stale, seen_manual_ids(reader))

        entry = (store or CACHE).get(version, (budget_date, stale_days), compute, keep)
        items = entry.items
        if not computed:  # last_seen moves without a bump: who is stale now, in this snapshot
            stale = stale_ids(reader, now - dt.timedelta(days=stale_days), entry.manual)
            changed = stale ^ entry.stale  # with the stale assets not assessed: only items are looked at
            if changed:
                items = [_restaled(i, i.asset_id in stale) if i.asset_id in changed else i for i in items]
        assessor = copy.copy(entry.assessor)
        assessor.session = session
        reader.expunge_all()  # what it read (support extensions, model rows) stays readable, detached
    return Result(items, assessor)


def of_members(items: list[Assessment], member_id: int | None, member_ids: set[int] | None) -> list[Assessment]:
    """The items of one member, of the members given, or (both None) everyone's."""
    if member_id is not None:
        return [i for i in items if i.member_id == member_id]
    if member_ids is not None:
        return [i for i in items if i.member_id in member_ids]
    return items
