"""A bounded on-disk queue of inventories waiting for their server.

Each inventory is one file (zlib JSON with its idempotency id), written atomically and fsynced,
named so that they sort oldest first. Delivery stops at the first failure that retrying can fix
(server down, 5xx) and keeps the order; an inventory the server refuses as invalid (4xx) is set
aside in ``rejected/`` for a human to look at, not retried forever. When the queue is full, the
oldest inventory is dropped and the next one is sent in full, so that nothing is lost for good.
"""

from __future__ import annotations

import itertools
import json
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._log import log
from .state import write_atomically

SUFFIX = ".json.z"
_sequence = itertools.count()


@dataclass
class Spooled:
    path: Path
    inventory_id: str
    message: dict[str, Any]


@dataclass
class FlushResult:
    delivered: int = 0
    rejected: int = 0
    remaining: int = 0
    error: str | None = None


class Spool:
    def __init__(self, directory: Path, *, max_items: int = 50, max_bytes: int = 100 * 2**20) -> None:
        self.directory = directory
        self.max_items = max_items
        self.max_bytes = max_bytes

    def files(self) -> list[Path]:
        if not self.directory.exists():
            return []
        return sorted(p for p in self.directory.iterdir() if p.name.endswith(SUFFIX))

    def __len__(self) -> int:
        return len(self.files())

    def add(self, message: dict[str, Any], inventory_id: str) -> tuple[Path, int]:
        """Queue ``message``; returns its file and how many old inventories had to be dropped."""
        path = self._write(self.directory, message, inventory_id)
        dropped = 0
        files = self.files()
        while len(files) > self.max_items or (len(files) > 1 and sum(f.stat().st_size for f in files) > self.max_bytes):
            oldest = files.pop(0)
            log.warning("spool full: dropping the oldest inventory %s", oldest.name)
            oldest.unlink(missing_ok=True)
            dropped += 1
        return path, dropped

    def keep_rejected(self, message: dict[str, Any], inventory_id: str) -> Path:
        """File a message the server refused in ``rejected/``, for a person to look at."""
        return self._write(self.directory / "rejected", message, inventory_id)

    @staticmethod
    def _write(directory: Path, message: dict[str, Any], inventory_id: str) -> Path:
        body = zlib.compress(json.dumps({"inventory_id": inventory_id, "message": message}).encode())
        path = directory / f"{time.time_ns():020d}-{next(_sequence):06d}{SUFFIX}"
        write_atomically(path, body)
        return path

    def read(self, path: Path) -> Spooled:
        data = json.loads(zlib.decompress(path.read_bytes()))
        return Spooled(path, data["inventory_id"], data["message"])

    def flush(
        self, send: Callable[[dict[str, Any], str], Any], is_retryable: Callable[[Exception], bool]
    ) -> FlushResult:
        """Deliver queued inventories oldest first with ``send(message, inventory_id)``."""
        result = FlushResult()
        files = self.files()
        for index, path in enumerate(files):
            try:
                item = self.read(path)
            except (OSError, ValueError, KeyError) as exc:
                log.error("unreadable spooled inventory %s set aside: %s", path.name, exc)
                self._set_aside(path)
                result.rejected += 1
                continue
            try:
                send(item.message, item.inventory_id)
            except Exception as exc:  # noqa: BLE001 - classified just below, never swallowed
                if is_retryable(exc):
                    result.error = str(exc)
                    result.remaining = len(files) - index
                    return result
                log.error("server refused spooled inventory %s: %s", path.name, exc)
                self._set_aside(path)
                result.rejected += 1
                continue
            path.unlink(missing_ok=True)
            result.delivered += 1
        return result

    def _set_aside(self, path: Path) -> None:
        rejected = self.directory / "rejected"
        rejected.mkdir(parents=True, exist_ok=True)
        path.replace(rejected / path.name)
