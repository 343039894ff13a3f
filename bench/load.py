"""Sustained load of many simulated agents against 2 server workers on PostgreSQL.

Each simulated agent does what a GLPI Agent does on every run: a ``contact`` exchange, then its
inventory, full the first time and partial (a changed software list) afterwards. ``wrk`` (C, on
this machine) holds ``--agents`` connections, each playing one agent's sequence of requests
(contact, full, contact, partial, contact, partial...), for ``--duration`` seconds against
``mutuparc server --workers 2`` on a private, durable PostgreSQL cluster (fsync and
synchronous_commit on); then the same requests against
the reference, ``bench/bare_app.py`` (decompress and parse, nothing stored) under the same
uvicorn and workers.

Printed: inventories/s and contacts/s sustained, p50/p99 latency of a request, errors (non-2xx
and socket errors), and the server's rate as a share of the reference's.

    python bench/load.py [--agents 200] [--duration 30] [--workers 2] [--machines 2000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from common import databases  # first: it puts the project on sys.path
from ingest import EXAMPLES, Result, machine, partial, prepare, run_wrk, start_bare, write_bodies

from tests.support.live import start_server
from tests.utils import make_enrolment_token, make_member

THREADS = 2
AGENT_TIMEOUT = 60  # seconds: GLPI Agent waits (its --timeout defaults to 180 s) rather than wrk's 2 s


def agent_requests(machines: int, rounds: int) -> list[dict]:  # type: ignore[type-arg]
    """The requests of every agent in the order wrk's threads will send them (see bodies.lua:
    thread t sends items t, t+THREADS...): each thread plays its machines' runs in turn."""
    base = json.loads((EXAMPLES / "computer_1.json").read_text())
    base_partial = json.loads((EXAMPLES / "computer_1_partial_softs.json").read_text())
    per_thread: list[list[dict]] = [[] for _ in range(THREADS)]  # type: ignore[type-arg]
    for run in range(rounds):
        for n in range(machines):
            full = machine(base, n)
            contact = {"action": "contact", "deviceid": full["deviceid"], "name": "GLPI-Agent", "version": "1.11",
                       "enabled-tasks": ["inventory"], "installed-tasks": ["inventory"]}  # fmt: skip
            per_thread[n % THREADS] += [contact, full if run == 0 else partial(base_partial, n)]
    length = min(len(items) for items in per_thread)
    return [per_thread[k % THREADS][k // THREADS] for k in range(length * THREADS)]


def show(name: str, result: Result, reference: Result | None = None) -> None:
    share = f"  ({result.rate / reference.rate:.0%} of the reference)" if reference else ""
    print(f"{name:<32} {result.rate / 2:7.1f} inventories/s {result.rate / 2:7.1f} contacts/s  "
          f"p50 {result.p50:>8}  p99 {result.p99:>8}  errors {result.errors}{share}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=200, help="simultaneous agents (wrk connections)")
    parser.add_argument("--machines", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="mutuparc-load-"))
    bodies = workdir / "agents.bin"
    count = len(write_bodies(bodies, agent_requests(args.machines, rounds=4)))
    print(f"{args.agents} agents at once, {args.machines} machines, {count} requests in the cycle, "
          f"{args.duration} s, {args.workers} workers, PostgreSQL")  # fmt: skip
    try:
        for url in databases("postgresql", durable=True):
            prepare(url)
            from server.core.config import Settings
            from server.core.db import make_engine

            engine = make_engine(Settings(database_url=url, _env_file=None))
            token = make_enrolment_token(engine, make_member(engine, "Servon"))
            engine.dispose()
            server = start_server(url, workdir / "server.log", workers=args.workers)
            try:
                served = run_wrk(f"{server.url}/t/{token}", bodies, duration=args.duration, connections=args.agents,
                                 threads=THREADS, name="server", timeout=AGENT_TIMEOUT)  # fmt: skip
            finally:
                server.stop()
            if served.errors:  # say what went wrong: the server's last complaints
                log_lines = (workdir / "server.log").read_text(errors="replace").splitlines()
                print("server log (last lines):", *log_lines[-8:], sep="\n  ")
            bare, bare_url = start_bare(args.workers, workdir / "bare.log")
            try:
                reference = run_wrk(bare_url, bodies, duration=args.duration, connections=args.agents,
                                    threads=THREADS, name="bare", timeout=AGENT_TIMEOUT)  # fmt: skip
            finally:
                bare.terminate()
                bare.wait()
            show("mutuparc server (PostgreSQL)", served, reference)
            show("reference: bare decode endpoint", reference)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
