"""Ingest throughput: full and partial inventories, concurrent clients, SQLite and PostgreSQL.

For each database, a real ``mutuparc server`` (uvicorn, N workers) receives inventories from
``wrk`` (C, low CPU, on the same machine) through the GLPI endpoint:

- full, new machines:       computer_1-size inventories (zlib) of machines never seen (asset creation);
- full, unchanged machines: after a warm-up that stores *every* machine of the body file, the same
  inventories again (the daily re-inventory of a quiet parc: no request creates anything);
- partial (software changed): GLPI-Agent partial inventories of stored machines, each body a new
  software version for its machine, so every request until the file wraps is a real change.

Before any run, 500 other machines are stored and analysed (a live parc, not an empty database).
After the warm-up, ``VACUUM ANALYZE`` and a checkpoint (``settle``): what autovacuum would do in
the minutes after a bulk load, not charged to the timed runs. CPU per request is printed for the
server's processes, all of PostgreSQL's, and its client backends alone (the rest is autovacuum,
checkpoints and the WAL writer).

PostgreSQL runs durable (``fsync`` and ``synchronous_commit`` on, as in production);
``--backends postgresql-nodurable`` adds the same figures on a cluster with both off, labelled.
SQL statements per request come from ``pg_stat_statements`` (BEGIN, COMMIT and pings included).

The reference is ``bench/bare_app.py``, an endpoint that only decompresses and parses, under the
same uvicorn and workers, in the same run. Then one worker's time is split in-process between
decoding and storing, to show where the time goes.

    python bench/ingest.py [--duration 10] [--workers 2] [--connections 16]
                           [--backends sqlite,postgresql,postgresql-nodurable]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from tests.support.live import start_server  # noqa: E402
from tests.support.pgcluster import Cluster, free_port  # noqa: E402

EXAMPLES = PROJECT / "vendor" / "glpi-inventory" / "examples"
LUA = Path(__file__).with_name("bodies.lua")
SEEDED, SEEDED_FROM = 500, 800_000  # machines stored before any timed run


def machine(base: dict, n: int) -> dict:
    """computer_1 as machine number ``n``: its own deviceid, serial, UUID, name and MACs."""
    inventory = copy.deepcopy(base)
    content = inventory["content"]
    inventory["deviceid"] = f"pc-{n:06d}-2026-11-23-10-00-00"
    content["bios"]["ssn"] = f"SN{n:08d}"
    content["hardware"]["uuid"] = f"4c4c4544-0000-1000-8000-{n:012x}"
    content["hardware"]["name"] = f"pc-{n:06d}"
    for i, network in enumerate(content.get("networks", [])):
        if network.get("mac") and network["mac"] != "00:00:00:00:00:00":
            network["mac"] = f"00:1b:{(n >> 16) & 255:02x}:{(n >> 8) & 255:02x}:{n & 255:02x}:{i:02x}"
    return inventory


def partial(base_partial: dict, n: int, round_: int = 0) -> dict:
    """A partial inventory of machine ``n`` whose software list differs from every other round's."""
    inventory = copy.deepcopy(base_partial)
    content = inventory["content"]
    inventory["deviceid"] = f"pc-{n:06d}-2026-11-23-10-00-00"
    content["bios"]["ssn"] = f"SN{n:08d}"
    content["hardware"]["uuid"] = f"4c4c4544-0000-1000-8000-{n:012x}"
    content["hardware"]["name"] = f"pc-{n:06d}"
    content["softwares"].append({"name": "mise-a-jour", "version": f"1.{n}.{round_}", "from": "rpm"})
    return inventory


def write_bodies(path: Path, inventories) -> list[bytes]:  # type: ignore[no-untyped-def]
    """The file wrk's bodies.lua reads (length-prefixed bodies); returns the bodies."""
    bodies = []
    with path.open("wb") as out:
        for inventory in inventories:
            body = zlib.compress(json.dumps(inventory).encode())
            out.write(f"{len(body):010d}".encode() + body)
            bodies.append(body)
    return bodies


@dataclass
class Result:
    name: str
    rate: float
    requests: int
    errors: int
    p50: str
    p99: str
    statements: float | None = None  # SQL statements per request (PostgreSQL)
    commits: float | None = None  # transactions per request (PostgreSQL): below 1 is group commit
    server_ms: float = 0.0  # CPU milliseconds per request of the server's processes
    database_ms: float = 0.0  # and of the database's (PostgreSQL)
    backend_ms: float = 0.0  # of which its client backends (the rest: autovacuum, checkpoints, WAL writer)


def run_wrk(url: str, bodies: Path, *, duration: int, connections: int, threads: int, name: str,
            timeout: int = 2) -> Result:  # fmt: skip
    """``timeout``: seconds before wrk gives up on a request and counts a socket error."""
    command = [
        "wrk",
        "--timeout",
        f"{timeout}s",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{duration}s",
        "--latency",
        "-s",
        str(LUA),
        f"{url}/front/inventory.php",
        "--",
        str(bodies),
        str(threads),
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors_match = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    errors = int(errors_match.group(1)) if errors_match else 0
    if socket_errors:
        errors += sum(int(x) for x in re.findall(r"\d+", socket_errors.group(1)))
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE).group(1)
    return Result(name, rate, requests, errors, p50, p99)


def start_bare(workers: int, log: Path):  # type: ignore[no-untyped-def]
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.bare_app:app",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=PROJECT, stdout=out, stderr=subprocess.STDOUT)
    time.sleep(2.5)
    return process, f"http://127.0.0.1:{port}"


def count_assets(url: str) -> int:
    from sqlalchemy import create_engine, text

    from server.core.config import Settings

    engine = create_engine(Settings(database_url=url, _env_file=None).database_url)
    with engine.connect() as connection:
        return connection.execute(text("SELECT count(*) FROM asset")).scalar_one()


def prepare(url: str) -> None:
    from sqlalchemy import text

    from server import migrations
    from server.core.config import Settings
    from server.core.db import make_engine

    engine = make_engine(Settings(database_url=url, _env_file=None))
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrations.upgrade(engine)
    engine.dispose()


STATEMENTS = (
    "SELECT coalesce(sum(calls), 0), coalesce(sum(calls) FILTER (WHERE query = 'COMMIT'), 0)"
    " FROM pg_stat_statements WHERE query NOT ILIKE '%pg_stat_statements%'"
)


def enable_statement_counts(url: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_stat_statements"))
    engine.dispose()


def statements_since_reset(url: str | None, *, reset: bool) -> tuple[int, int]:
    """Statements and commits since the last reset (PostgreSQL only); ``reset`` starts a new count.

    A multi-row statement counts once; an ``executemany`` of n rows counts n (pipelined: its
    rows share round trips). Commits per request show the group commit: 0.1 is ten
    inventories per transaction."""
    if url is None or not url.startswith("postgresql"):
        return 0, 0
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        statements, commits = connection.execute(text(STATEMENTS)).one()
        if reset:
            connection.execute(text("SELECT pg_stat_statements_reset()"))
    engine.dispose()
    return int(statements), int(commits)


def warm_up(url: str, bodies: list[bytes], batch: int = 64, token: str | None = None) -> None:
    """Store every machine in-process, in batches, so that no timed request creates one
    (``token``: the enrolment token the timed requests use, so that they find these machines)."""
    from server.core.config import Settings
    from server.core.db import make_engine
    from server.ingest.endpoint import AgentEndpoint, Pending

    settings = Settings(database_url=url, keep_raw_inventory=True, _env_file=None)
    engine = make_engine(settings)
    endpoint = AgentEndpoint(settings, engine)
    for start in range(0, len(bodies), batch):
        pending = [
            endpoint.prepare(body, "application/x-compress-zlib", token, None) for body in bodies[start : start + batch]
        ]
        items = [p.item for p in pending if isinstance(p, Pending)]
        results = endpoint.store_batch(items)
        bad = [r for r in results if isinstance(r, BaseException)]
        assert not bad and len(items) == len(pending), bad[:1]
    engine.dispose()


def settle(url: str) -> None:
    """After the warm-up's bulk load, what autovacuum does in the minutes that follow (VACUUM
    ANALYZE, then a checkpoint), done before the timed runs instead of during them: they
    measure the steady state of a stored parc, not the vacuum of the warm-up's own rows."""
    if not url.startswith("postgresql"):
        return
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text("VACUUM ANALYZE"))
        connection.execute(text("CHECKPOINT"))
    engine.dispose()


def tree_cpu(pids: list[int]) -> float:
    """CPU seconds (user + system, exited children included) of these processes and their
    descendants: on a machine shared with other work, CPU per request is the figure that does
    not depend on what else runs."""
    parents: dict[int, int] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(entry.name)] = int(fields[1])
        times[int(entry.name)] = sum(int(f) for f in fields[11:15]) / tick
    wanted, total = set(pids), 0.0
    for pid in times:
        ancestor = pid
        while ancestor and ancestor not in wanted:
            ancestor = parents.get(ancestor, 0)
        if ancestor:
            total += times[pid]
    return total


def backends_cpu(postmaster: list[int]) -> float:
    """CPU seconds of PostgreSQL's client backends (the connections' own work, without the
    autovacuum, checkpointer and WAL writer beside them). Backends live as long as the server's
    pooled connections, so their own counters cover the whole run."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            title = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        # A backend's title names its client: "postgres: user db 127.0.0.1(port) ..."
        if int(fields[1]) in postmaster and "127.0.0.1(" in title:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def postmaster_pid(cluster: Cluster | None) -> list[int]:
    if cluster is None:
        return []
    return [int((cluster.data / "postmaster.pid").read_text().split()[0])]


def scenario(server_url: str, counted: str | None, bodies: Path, name: str, wrk_options: dict,  # type: ignore[type-arg]
             cpu_of: tuple[list[int], list[int]] = ([], [])) -> Result:  # fmt: skip
    """One wrk run, with the SQL statements it cost per request when ``counted`` is a PostgreSQL
    URL, and the CPU time of the server's processes and the database's (``cpu_of``) per request."""
    statements_since_reset(counted, reset=True)
    server_cpu, database_cpu, backend_cpu = tree_cpu(cpu_of[0]), tree_cpu(cpu_of[1]), backends_cpu(cpu_of[1])
    result = run_wrk(server_url, bodies, name=name, **wrk_options)
    requests = max(result.requests, 1)
    result.server_ms = (tree_cpu(cpu_of[0]) - server_cpu) / requests * 1000
    result.database_ms = (tree_cpu(cpu_of[1]) - database_cpu) / requests * 1000
    result.backend_ms = (backends_cpu(cpu_of[1]) - backend_cpu) / requests * 1000
    if counted:
        statements, commits = statements_since_reset(counted, reset=False)
        result.statements = statements / max(result.requests, 1)
        result.commits = commits / max(result.requests, 1)
    return result


def profile_one_worker(url: str, base: dict, count: int = 400) -> dict[str, float]:
    """Milliseconds per inventory spent decoding vs storing, in one process (no HTTP)."""
    from server.core.config import Settings
    from server.core.db import make_engine
    from server.ingest.decode import decode
    from server.ingest.endpoint import AgentEndpoint

    settings = Settings(database_url=url, _env_file=None)
    endpoint = AgentEndpoint(settings, make_engine(settings))
    bodies = [zlib.compress(json.dumps(machine(base, 900_000 + n)).encode()) for n in range(count)]
    started = time.perf_counter()
    for body in bodies:
        decode(body, "application/x-compress-zlib", settings.max_inventory_bytes)
    decoding = time.perf_counter() - started
    started = time.perf_counter()
    for body in bodies:
        answer, _ = endpoint.handle(body, "application/x-compress-zlib", None, None)
        assert answer.status == 200, answer.body
    total = time.perf_counter() - started
    return {
        "decode": decoding / count * 1000,
        "store": (total - decoding) / count * 1000,
        "total": total / count * 1000,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--machines", type=int, default=0, help="distinct machines (default: from --duration)")
    parser.add_argument("--scenarios", default="new,unchanged,partial", help="which server runs (comma-separated)")
    parser.add_argument("--no-profile", action="store_true", help="skip the in-process split of one worker's time")
    args = parser.parse_args()
    wanted = set(args.scenarios.split(","))
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="mutuparc-bench-"))
    base = json.loads((EXAMPLES / "computer_1.json").read_text())
    base_partial = json.loads((EXAMPLES / "computer_1_partial_softs.json").read_text())
    # Enough machines that "new" never wraps round to a stored one at the goal's 300 /s.
    machines = args.machines or max(2000, 400 * args.duration)
    rounds = 4  # partial bodies per machine: "partial" requests are changes until the file wraps
    print(
        f"preparing {machines} distinct machines (computer_1: {len(json.dumps(base)) // 1024} KB JSON, "
        f"{len(zlib.compress(json.dumps(base).encode())) // 1024} KB zlib)...",
        flush=True,
    )
    full_bodies, partial_bodies = workdir / "full.bin", workdir / "partial.bin"
    fulls = write_bodies(full_bodies, (machine(base, n) for n in range(machines)))
    write_bodies(partial_bodies, (partial(base_partial, n, r) for r in range(rounds) for n in range(machines)))
    wrk_options = {"duration": args.duration, "connections": args.connections, "threads": 2}
    results: list[tuple[str, Result]] = []

    bare, bare_url = start_bare(args.workers, workdir / "bare.log")
    try:
        results.append(("reference", run_wrk(bare_url, full_bodies, name="bare decode+parse (full)", **wrk_options)))
        results.append(
            ("reference", run_wrk(bare_url, partial_bodies, name="bare decode+parse (partial)", **wrk_options))
        )
    finally:
        bare.terminate()
        bare.wait()

    profiles = {}
    notes = []
    try:
        for backend in args.backends.split(","):
            cluster = None
            if backend.startswith("postgresql"):
                url = os.environ.get("MUTUPARC_BENCH_PG_URL")
                if url is None:
                    durable = backend == "postgresql"
                    cluster = Cluster(Path(tempfile.mkdtemp(prefix="mutuparc-pg-")), free_port(), durable=durable,
                                      settings=("shared_preload_libraries=pg_stat_statements",))  # fmt: skip
                    cluster.start()
                    url = cluster.url
            else:
                url = f"sqlite:///{workdir / 'bench.db'}"
            try:
                prepare(url)
                # A parc already there (machines numbered apart from the bodies'), analysed: new
                # machines arrive into a live database, not an empty one whose first plans (the
                # foreign-key checks' among them) assume empty tables until autovacuum's analyse.
                seeded = (machine(base, SEEDED_FROM + n) for n in range(SEEDED))
                warm_up(url, [zlib.compress(json.dumps(inventory).encode()) for inventory in seeded])
                settle(url)
                counted = url if backend.startswith("postgresql") else None
                if counted:
                    enable_statement_counts(url)
                # SQLite has one writer: more processes only contend for its lock.
                workers = 1 if backend == "sqlite" else args.workers
                server = start_server(
                    url,
                    workdir / f"server-{backend}.log",
                    workers=workers,
                    extra_env={"MUTUPARC_KEEP_RAW_INVENTORY": "true"},
                )
                runs: list[Result] = []
                cpu_of = ([server.process.pid], postmaster_pid(cluster))
                try:
                    if "new" in wanted:
                        runs.append(
                            scenario(server.url, counted, full_bodies, "full, new machines", wrk_options, cpu_of)
                        )
                        notes.append(f"{backend}: new run created {count_assets(url) - SEEDED} assets for "
                                     f"{runs[-1].requests} requests ({machines} distinct bodies)")  # fmt: skip
                    warm_up(url, fulls)  # every machine stored before the "unchanged" and "partial" runs
                    settle(url)
                    stored = count_assets(url)
                    if "unchanged" in wanted:
                        runs.append(
                            scenario(server.url, counted, full_bodies, "full, unchanged machines", wrk_options, cpu_of)
                        )
                    if "partial" in wanted:
                        part = scenario(
                            server.url, counted, partial_bodies, "partial (software changed)", wrk_options, cpu_of
                        )
                        runs.append(part)
                        notes.append(f"{backend}: partial requests that were changes: "
                                     f"{min(part.requests, machines * rounds)} of {part.requests}")  # fmt: skip
                    notes.append(f"{backend}: {stored} assets stored after warm-up, {count_assets(url)} at the end")
                finally:
                    server.stop()
                results += [(backend, run) for run in runs]
                if not args.no_profile:
                    profiles[backend] = profile_one_worker(url, base)
            finally:
                if cluster:
                    cluster.stop()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"\n{args.workers} uvicorn workers (SQLite: 1), wrk {wrk_options['threads']} threads / "
        f"{args.connections} connections, {args.duration} s per run, {os.cpu_count()} CPUs\n"
        "postgresql: durable (fsync, synchronous_commit on); postgresql-nodurable: both off\n"
    )
    header = f"{'database':<21} {'scenario':<30} {'inv/s':>9} {'requests':>9} {'errors':>7} {'p50':>9} {'p99':>9}"
    print(
        header + f" {'SQL/req':>8} {'tx/req':>7} {'% bare':>7} {'CPU ms/req: server':>19} {'db':>5} {'(backends)':>10}"
    )
    bare_rates = {r.name: r.rate for backend, r in results if backend == "reference"}
    for backend, r in results:
        reference = bare_rates["bare decode+parse (partial)" if "partial" in r.name else "bare decode+parse (full)"]
        share = "" if backend == "reference" else f"{100 * r.rate / reference:.1f}"
        sql = "" if r.statements is None else f"{r.statements:.1f}"
        commits = "" if r.commits is None else f"{r.commits:.2f}"
        print(
            f"{backend:<21} {r.name:<30} {r.rate:>9.0f} {r.requests:>9} {r.errors:>7} {r.p50:>9} {r.p99:>9}"
            f" {sql:>8} {commits:>7} {share:>7}"
            + ("" if backend == "reference" else f" {r.server_ms:>19.2f} {r.database_ms:>5.2f} {r.backend_ms:>10.2f}")
        )
    print()
    for note in notes:
        print(note)
    print("\nwhere the time goes (one worker, in-process, new computer_1 machines, ms per inventory):")
    for backend, split in profiles.items():
        print(
            f"  {backend:<21} decode+validate+parse {split['decode']:.2f}   store {split['store']:.2f}"
            f"   total {split['total']:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
