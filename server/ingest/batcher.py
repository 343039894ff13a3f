"""Group commit: inventories that arrive while batches are being written form the next batch.

No timer and no added latency: an inventory arriving alone is written at once; under load, the
ones that queued meanwhile are written together, in one transaction with one statement per table
instead of one per inventory. Each request waits for the commit of its own batch, so an agent is
only told "ok" once its inventory is durable; one inventory the database refuses fails alone
(``AgentEndpoint.store_batch`` stores the others again without it).

Up to ``in_flight`` batches per worker process can be written at once, on their own
connections: while one waits for its commit to reach the disk (an fsync, on a durable
database), the next is planned and sent, and PostgreSQL flushes concurrent commits together. Items of one source never
share a batch nor are in two batches at once (the second waits for the first's commit), so one
machine's inventories are stored in the order they arrived.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable
from typing import Any

from starlette.concurrency import run_in_threadpool

from .store import Item

log = logging.getLogger("mutuparc.ingest")

MAX_BATCH = 64
# One batch at a time: on the 2-core machine of bench/ingest.py an fsync costs far less than a
# batch's CPU, and two batches in flight halve the batch size for more CPU per inventory (server
# 3.2 ms per partial instead of 2.2). A database whose commits wait on a slow disk gains from 2.
IN_FLIGHT = 1


class Batcher:
    def __init__(
        self, store: Callable[[list[Item]], list[Any]], max_batch: int = MAX_BATCH, in_flight: int = IN_FLIGHT
    ) -> None:
        self._store = store
        self._max_batch = max_batch
        self._in_flight = in_flight
        self._pending: deque[tuple[Item, asyncio.Future[Any]]] = deque()
        self._busy: set[tuple[str, str]] = set()  # keys of the items being written
        self._running = 0
        self.batches = 0  # batches written, and the items they held (a mean batch size to show)
        self.items = 0

    async def submit(self, item: Item) -> Any:
        """Store ``item`` with whatever else is pending; returns its result (or the error to answer)."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        self._start()
        # shield: a client that hangs up does not cancel the write others wait for.
        return await asyncio.shield(future)

    def _next_batch(self) -> list[tuple[Item, asyncio.Future[Any]]]:
        batch, keys, deferred = [], set(), []
        while self._pending and len(batch) < self._max_batch:
            item, future = self._pending.popleft()
            if item.key in keys or item.key in self._busy:
                deferred.append((item, future))
            else:
                keys.add(item.key)
                batch.append((item, future))
        self._pending.extendleft(reversed(deferred))
        return batch

    def _start(self) -> None:
        """Start batches while some are pending and fewer than ``in_flight`` are running."""
        while self._pending and self._running < self._in_flight:
            batch = self._next_batch()
            if not batch:  # everything pending waits for a batch being written
                return
            self._running += 1
            self._busy.update(item.key for item, _ in batch)
            asyncio.get_running_loop().create_task(self._write(batch))

    async def _write(self, batch: list[tuple[Item, asyncio.Future[Any]]]) -> None:
        try:
            results = await run_in_threadpool(self._store, [item for item, _ in batch])
        except Exception as exc:  # store() reports per item; this is a safety net
            log.exception("inventory batch failed")
            results = [exc] * len(batch)
        finally:
            self._running -= 1
            self._busy.difference_update(item.key for item, _ in batch)
            self.batches += 1
            self.items += len(batch)
        for (_, future), result in zip(batch, results, strict=True):
            if not future.done():
                future.set_result(result)
        self._start()
