"""Group commit (issue 26): inventories that arrive together share transactions, each answered
once its own is committed; one refused inventory fails alone; one machine's inventories are
stored in the order they came, never two of them at once."""

from __future__ import annotations

import asyncio
import copy
import json
import threading
import zlib

from sqlalchemy import func, select

from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset
from server.core.errors import DomainError
from server.ingest.batcher import IN_FLIGHT
from server.ingest.endpoint import AgentEndpoint, Pending
from server.ingest.store import StoreResult
from tests.utils import example

MACHINES = 24
SOFTWARE = COMPONENT_TABLES["softwares"]


def _body(n: int, version: str = "1.0", partial: bool = False) -> bytes:
    inventory = copy.deepcopy(example("computer_1_partial_softs" if partial else "computer_1"))
    content = inventory["content"]
    inventory["deviceid"] = f"group-{n:03d}-2026-12-07-10-00-00"
    content["bios"]["ssn"] = f"GROUP{n:05d}"
    content["hardware"]["uuid"] = f"00000000-0000-4000-9000-{n:012d}"
    content["hardware"]["name"] = f"group-{n:03d}"
    content["softwares"].append({"name": "ordre", "version": version})
    return zlib.compress(json.dumps(inventory).encode())


class _Counting:
    """The endpoint's own store, counting batches and the largest number written at once."""

    def __init__(self, endpoint: AgentEndpoint) -> None:
        self.store = endpoint.store_batch
        self.sizes: list[int] = []
        self.running = self.most = 0
        self.keys: set[tuple[str, str]] = set()  # sources being written
        self.overlaps = 0  # a source in two batches at once
        self.lock = threading.Lock()

    def __call__(self, items):  # type: ignore[no-untyped-def]
        keys = {item.key for item in items}
        with self.lock:
            self.sizes.append(len(items))
            self.running += 1
            self.most = max(self.most, self.running)
            self.overlaps += len(keys & self.keys)
            self.keys |= keys
        try:
            return self.store(items)
        finally:
            with self.lock:
                self.running -= 1
                self.keys -= keys


def _submit_all(endpoint: AgentEndpoint, bodies: list[tuple[bytes, str | None]]) -> list:  # type: ignore[type-arg]
    prepared = [endpoint.prepare(body, "application/x-compress-zlib", token, None) for body, token in bodies]
    assert all(isinstance(p, Pending) for p in prepared)

    async def run() -> list:  # type: ignore[type-arg]
        return await asyncio.gather(*(endpoint.batcher.submit(p.item) for p in prepared))

    return asyncio.run(run())


def test_concurrent_inventories_share_transactions_and_each_is_stored(db, settings) -> None:  # type: ignore[no-untyped-def]
    endpoint = AgentEndpoint(settings, db.engine)
    counting = _Counting(endpoint)
    endpoint.batcher._store = counting
    # A bad token among them: refused alone, the others stored.
    bodies = [(_body(n), "mpe_not-a-token" if n == 5 else None) for n in range(MACHINES)]
    results = _submit_all(endpoint, bodies)

    assert isinstance(results[5], DomainError) and results[5].status in (401, 403)
    stored = [r for i, r in enumerate(results) if i != 5]
    assert all(isinstance(r, StoreResult) and r.created for r in stored)
    assert sum(counting.sizes) == MACHINES
    assert len(counting.sizes) < MACHINES  # shared transactions: fewer batches than inventories
    assert max(counting.sizes) > 1
    assert counting.most <= IN_FLIGHT
    with db.engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(Asset)).scalar_one() == MACHINES - 1


def test_one_machine_is_stored_in_order_and_never_twice_at_once(db, settings) -> None:  # type: ignore[no-untyped-def]
    endpoint = AgentEndpoint(settings, db.engine)
    _submit_all(endpoint, [(_body(n), None) for n in range(4)])
    counting = _Counting(endpoint)
    endpoint.batcher._store = counting
    endpoint.batcher._in_flight = 2  # two batches at once: still never one machine in both
    # Five partials of machine 0 in a row, among others: each a batch of its own, in order.
    bodies = [(_body(0, f"2.{k}", partial=True), None) for k in range(5)] + [
        (_body(n, "3.0", partial=True), None) for n in (1, 2, 3)
    ]
    results = _submit_all(endpoint, bodies)
    assert all(isinstance(r, StoreResult) for r in results)
    assert len({r.asset_id for r in results[:5]}) == 1
    assert len(counting.sizes) >= 5
    assert counting.overlaps == 0
    with db.engine.connect() as connection:
        versions = connection.execute(
            select(SOFTWARE.c.version).where(SOFTWARE.c.asset_id == results[0].asset_id, SOFTWARE.c.name == "ordre")
        ).scalars()
        assert list(versions) == ["2.4"]  # the last one sent is the one kept
