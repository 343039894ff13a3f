"""Opportunistic batching: inventories that arrive while a batch is being written form the next batch.

No timer and no added latency: an inventory arriving alone is written at once; under load, the
ones that queued meanwhile are written together, in one transaction with one statement per table
instead of one per inventory. Each request waits for the commit of its own batch, so an agent is
only told "ok" once its inventory is durable. One batch at a time per worker process; items of
one source never share a batch (the second waits for the next one).
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


class Batcher:
    def __init__(self, store: Callable[[list[Item]], list[Any]], max_batch: int = MAX_BATCH) -> None:
        self._store = store
        self._max_batch = max_batch
        self._pending: deque[tuple[Item, asyncio.Future[Any]]] = deque()
        self._task: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Any:
        """Store ``item`` with whatever else is pending; returns its result (or the error to answer)."""
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._drain())
        # shield: a client that hangs up does not cancel the write others wait for.
        return await asyncio.shield(future)

    def _next_batch(self) -> list[tuple[Item, asyncio.Future[Any]]]:
        batch, keys, deferred = [], set(), []
        while self._pending and len(batch) < self._max_batch:
            item, future = self._pending.popleft()
            if item.key in keys:
                deferred.append((item, future))
            else:
                keys.add(item.key)
                batch.append((item, future))
        self._pending.extendleft(reversed(deferred))
        return batch

    async def _drain(self) -> None:
        while self._pending:
            batch = self._next_batch()
            try:
                results = await run_in_threadpool(self._store, [item for item, _ in batch])
            except Exception as exc:  # store() reports per item; this is a safety net
                log.exception("inventory batch failed")
                results = [exc] * len(batch)
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)
