"""Sustained load of many simulated agents against 2 server workers on PostgreSQL.

Each simulated agent does what a GLPI Agent does on every run: a ``contact`` exchange, then its
inventory, full the first time and partial (a changed software list) afterwards. ``wrk`` (C, on
this machine) holds ``--agents`` connections, each playing one agent's sequence of requests
(contact, full, contact, partial, contact, partial...), for ``--duration`` seconds against
``mutuparc server --workers 2`` on a private, durable PostgreSQL cluster (fsync and
synchronous_commit on); then the same requests against
the reference, ``bench/bare_app.py`` (decompress and parse, nothing stored) under the same
uvicorn and workers.

Two server runs: the parc being built (the database empty at the start: within a short run
every full inventory is a machine's first, the slowest kind), then the parc known (every
machine stored beforehand, as on any day but the first: fulls are re-inventories of known
machines, partials are changes), the same requests each time.

Printed: inventories/s and contacts/s sustained, p50/p99 latency of a request, errors (non-2xx
and socket errors), and the server's rate as a share of the reference's.

``--instances N`` starts N servers on the same cluster (and N reference servers), each with
``--workers`` workers, and splits the agents between them: the machines are dealt out to the
instances, one ``wrk`` per instance runs at the same time, and the rates are summed (p50/p99:
the worst instance's).

    python bench/load.py [--agents 200] [--duration 30] [--workers 2] [--machines 2000] [--instances 1]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from common import analyze, databases  # first: it puts the project on sys.path
from ingest import EXAMPLES, Result, machine, partial, prepare, run_wrk, start_bare, warm_up, write_bodies

from server.core.config import Settings
from server.core.db import make_engine
from tests.support.live import start_server
from tests.utils import make_enrolment_token, make_member

THREADS = 2
AGENT_TIMEOUT = 60  # seconds: GLPI Agent waits (its --timeout defaults to 180 s) rather than wrk's 2 s


def agent_requests(machines: int, rounds: int, instance: int = 0, instances: int = 1) -> list[dict]:  # type: ignore[type-arg]
    """The requests of every agent in the order wrk's threads will send them (see bodies.lua:
    thread t sends items t, t+THREADS...): each thread plays its machines' runs in turn.
    With several instances, this instance's share of the machines (every ``instances``-th)."""
    base = json.loads((EXAMPLES / "computer_1.json").read_text())
    base_partial = json.loads((EXAMPLES / "computer_1_partial_softs.json").read_text())
    per_thread: list[list[dict]] = [[] for _ in range(THREADS)]  # type: ignore[type-arg]
    for run in range(rounds):
        for k, n in enumerate(range(instance, machines, instances)):
            full = machine(base, n)
            contact = {"action": "contact", "deviceid": full["deviceid"], "name": "GLPI-Agent", "version": "1.11",
                       "enabled-tasks": ["inventory"], "installed-tasks": ["inventory"]}  # fmt: skip
            per_thread[k % THREADS] += [contact, full if run == 0 else partial(base_partial, n)]
    length = min(len(items) for items in per_thread)
    return [per_thread[k % THREADS][k // THREADS] for k in range(length * THREADS)]


def show(name: str, result: Result, reference: Result | None = None) -> None:
    share = f"  ({result.rate / reference.rate:.0%} of the reference)" if reference else ""
    print(f"{name:<32} {result.rate / 2:7.1f} inventories/s {result.rate / 2:7.1f} contacts/s  "
          f"p50 {result.p50:>8}  p99 {result.p99:>8}  errors {result.errors}{share}")  # fmt: skip


def _seconds(duration: str) -> float:
    """wrk's latency text (``812.00us``, ``1.44s``, ``2.01m``) in seconds."""
    value, unit = re.fullmatch(r"([\d.]+)([a-z]+)", duration).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}[unit]


def run_split(urls: list[str], bodies: list[Path], *, agents: int, duration: int, name: str) -> Result:
    """One wrk per instance at once, the agents shared out; the rates summed, the worst latencies."""
    shares = [agents // len(urls) + (i < agents % len(urls)) for i in range(len(urls))]
    with ThreadPoolExecutor(len(urls)) as pool:
        results = list(pool.map(lambda job: run_wrk(job[0], job[1], duration=duration, connections=job[2],
                                                     threads=THREADS, name=name, timeout=AGENT_TIMEOUT),
                                zip(urls, bodies, shares, strict=True)))  # fmt: skip
    if len(results) == 1:
        return results[0]
    return Result(name, sum(r.rate for r in results), sum(r.requests for r in results),
                  sum(r.errors for r in results), max((r.p50 for r in results), key=_seconds),
                  max((r.p99 for r in results), key=_seconds))  # fmt: skip


def serve(url: str, token: str, bodies: list[Path], workdir: Path, args: argparse.Namespace) -> Result:
    """The agents' requests against ``args.instances`` servers, for ``args.duration`` seconds."""
    servers = [start_server(url, workdir / "server.log", workers=args.workers) for _ in range(args.instances)]
    try:
        served = run_split([f"{s.url}/t/{token}" for s in servers], bodies, agents=args.agents,
                           duration=args.duration, name="server")  # fmt: skip
    finally:
        for server in servers:
            server.stop()
    if served.errors:  # say what went wrong: the server's last complaints
        log_lines = (workdir / "server.log").read_text(errors="replace").splitlines()
        print("server log (last lines):", *log_lines[-8:], sep="\n  ")
    return served


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--agents", type=int, default=200, help="simultaneous agents (wrk connections)")
    parser.add_argument("--machines", type=int, default=2000)
    parser.add_argument("--duration", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--instances", type=int, default=1, help="servers on the same cluster, agents split")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="mutuparc-load-"))
    bodies = [workdir / f"agents-{i}.bin" for i in range(args.instances)]
    count = sum(len(write_bodies(path, agent_requests(args.machines, 4, i, args.instances)))
                for i, path in enumerate(bodies))  # fmt: skip
    print(f"{args.agents} agents at once, {args.machines} machines, {count} requests in the cycle, "
          f"{args.duration} s, {args.instances} instance(s) x {args.workers} workers, PostgreSQL")  # fmt: skip
    try:
        for url in databases("postgresql", durable=True):
            prepare(url)
            engine = make_engine(Settings(database_url=url, _env_file=None))
            token = make_enrolment_token(engine, make_member(engine, "Servon"))
            engine.dispose()
            served = serve(url, token, bodies, workdir, args)
            # The parc known: every machine stored (its agents' daily runs: a full inventory of a
            # known machine, then partials), the same requests again.
            base = json.loads((EXAMPLES / "computer_1.json").read_text())
            warm_up(url, [zlib.compress(json.dumps(machine(base, n)).encode()) for n in range(args.machines)],
                    token=token)  # fmt: skip
            analyze(make_engine(Settings(database_url=url, _env_file=None)))
            known = serve(url, token, bodies, workdir, args)
            bares = [start_bare(args.workers, workdir / "bare.log") for _ in range(args.instances)]
            try:
                reference = run_split([bare_url for _, bare_url in bares], bodies, agents=args.agents,
                                      duration=args.duration, name="bare")  # fmt: skip
            finally:
                for bare, _ in bares:
                    bare.terminate()
                    bare.wait()
            show("server, parc being built", served, reference)
            show("server, parc known", known, reference)
            show("reference: bare decode endpoint", reference)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
