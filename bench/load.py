"""Sustained load of many simulated agents against 2 server workers on PostgreSQL.

Each simulated agent does what a GLPI Agent does on every run: a ``contact`` exchange, then its
inventory, full the first time and partial (a changed software list) afterwards, each with its
idempotency key. The agents (asyncio + httpx, in this process) run for ``--duration`` seconds
against ``mutuparc server --workers 2`` on a private PostgreSQL cluster; then the same agents
against the reference, ``bench/bare_app.py`` (decompress and parse, nothing stored) under the
same uvicorn and workers.

Printed: inventories/s sustained, contacts/s, p50/p99 latency of an inventory, errors.

    python bench/load.py [--agents 200] [--duration 30] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import statistics
import tempfile
import time
import uuid
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from common import databases  # first: it puts the project on sys.path
from ingest import EXAMPLES, machine, partial, prepare, start_bare

from tests.support.live import start_server
from tests.utils import make_enrolment_token, make_member

ZLIB = {"Content-Type": "application/x-compress-zlib"}


@dataclass
class Tally:
    inventories: int = 0
    contacts: int = 0
    errors: dict[str, int] = field(default_factory=dict)
    latencies: list[float] = field(default_factory=list)

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1


async def agent(client: httpx.AsyncClient, url: str, number: int, bodies: tuple[bytes, bytes, bytes],
                deadline: float, tally: Tally) -> None:  # fmt: skip
    contact, full, changed = bodies
    first = True
    while time.monotonic() < deadline:
        try:
            answer = await client.post(url, content=contact, headers=ZLIB)
            if answer.status_code != 200:
                tally.error(f"contact {answer.status_code}")
                continue
            tally.contacts += 1
            started = time.perf_counter()
            headers = {**ZLIB, "X-Mutuparc-Inventory-Id": str(uuid.uuid4()), "GLPI-Agent-ID": f"agent-{number}"}
            answer = await client.post(url, content=full if first else changed, headers=headers)
            if answer.status_code == 200:
                tally.latencies.append(time.perf_counter() - started)
                tally.inventories += 1
                first = False
            else:
                tally.error(f"inventory {answer.status_code}")
        except httpx.HTTPError as exc:
            tally.error(type(exc).__name__)


async def drive(url: str, agents: int, duration: float) -> tuple[Tally, float]:
    base = json.loads((EXAMPLES / "computer_1.json").read_text())
    base_partial = json.loads((EXAMPLES / "computer_1_partial_softs.json").read_text())
    tally = Tally()
    limits = httpx.Limits(max_connections=agents, max_keepalive_connections=agents)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        jobs = []
        for n in range(agents):
            full = machine(base, n)
            contact = {"action": "contact", "deviceid": full["deviceid"], "name": "GLPI-Agent", "version": "1.11",
                       "enabled-tasks": ["inventory"], "installed-tasks": ["inventory"]}  # fmt: skip
            bodies = tuple(zlib.compress(json.dumps(x).encode()) for x in (contact, full, partial(base_partial, n)))
            jobs.append((n, bodies))
        started = time.monotonic()
        await asyncio.gather(*(agent(client, url, n, b, started + duration, tally) for n, b in jobs))
        return tally, time.monotonic() - started


def report(name: str, tally: Tally, elapsed: float) -> None:
    latencies = sorted(tally.latencies)
    p50 = statistics.median(latencies) * 1000 if latencies else float("nan")
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan")
    errors = sum(tally.errors.values())
    print(f"{name:<34} {tally.inventories / elapsed:8.1f} inventories/s  {tally.contacts / elapsed:8.1f} contacts/s  "
          f"p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  errors {errors} {tally.errors or ''}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="mutuparc-load-"))
    try:
        for url in databases("postgresql"):
            prepare(url)
            from server.core.config import Settings
            from server.core.db import make_engine

            engine = make_engine(Settings(database_url=url, _env_file=None))
            token = make_enrolment_token(engine, make_member(engine, "Servon"))
            engine.dispose()
            server = start_server(url, workdir / "server.log", workers=args.workers)
            try:
                tally, elapsed = asyncio.run(drive(f"{server.url}/t/{token}/front/inventory.php", args.agents,
                                                   args.duration))  # fmt: skip
            finally:
                server.stop()
            print(f"{args.agents} agents, {args.duration:.0f} s, {args.workers} workers, PostgreSQL")
            report("mutuparc server (PostgreSQL)", tally, elapsed)
            bare, bare_url = start_bare(args.workers, workdir / "bare.log")
            try:
                tally, elapsed = asyncio.run(drive(f"{bare_url}/front/inventory.php", args.agents, args.duration))
            finally:
                bare.terminate()
                bare.wait()
            report("reference: bare decode endpoint", tally, elapsed)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
