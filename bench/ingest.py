"""Ingest throughput: full and partial inventories, concurrent clients, SQLite and PostgreSQL.

For each database, a real ``mutuparc server`` (uvicorn, N workers) receives inventories from
``wrk`` (C, low CPU, on the same machine) through the GLPI endpoint:

- full-new:    computer_1-size inventories (zlib) of machines never seen (asset creation);
- full-repeat: the same machines again, unchanged (the daily re-inventory of a quiet parc);
- partial:     GLPI-Agent partial inventories (changed software list) of known machines.

The reference is ``bench/bare_app.py``, an endpoint that only decompresses and parses, under the
same uvicorn and workers, in the same run. Then one worker's time is split in-process between
decoding and storing, to show where the time goes.

    python bench/ingest.py [--duration 10] [--workers 2] [--connections 16] [--backends sqlite,postgresql]
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


def partial(base_partial: dict, n: int) -> dict:
    inventory = copy.deepcopy(base_partial)
    content = inventory["content"]
    inventory["deviceid"] = f"pc-{n:06d}-2026-11-23-10-00-00"
    content["bios"]["ssn"] = f"SN{n:08d}"
    content["hardware"]["uuid"] = f"4c4c4544-0000-1000-8000-{n:012x}"
    content["hardware"]["name"] = f"pc-{n:06d}"
    content["softwares"].append({"name": "mise-a-jour", "version": f"1.{n}", "from": "rpm"})
    return inventory


def write_bodies(path: Path, inventories) -> int:  # type: ignore[no-untyped-def]
    count = 0
    with path.open("wb") as out:
        for inventory in inventories:
            body = zlib.compress(json.dumps(inventory).encode())
            out.write(f"{len(body):010d}".encode() + body)
            count += 1
    return count


@dataclass
class Result:
    name: str
    rate: float
    requests: int
    errors: int
    p50: str
    p99: str


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
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    workdir = Path(tempfile.mkdtemp(prefix="mutuparc-bench-"))
    base = json.loads((EXAMPLES / "computer_1.json").read_text())
    base_partial = json.loads((EXAMPLES / "computer_1_partial_softs.json").read_text())
    machines = max(2000, 900 * args.duration)
    print(
        f"preparing {machines} distinct machines (computer_1: {len(json.dumps(base)) // 1024} KB JSON, "
        f"{len(zlib.compress(json.dumps(base).encode())) // 1024} KB zlib)...",
        flush=True,
    )
    full_bodies, partial_bodies = workdir / "full.bin", workdir / "partial.bin"
    write_bodies(full_bodies, (machine(base, n) for n in range(machines)))
    write_bodies(partial_bodies, (partial(base_partial, n) for n in range(machines)))
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

    cluster = None
    profiles = {}
    try:
        for backend in args.backends.split(","):
            if backend == "postgresql":
                url = os.environ.get("MUTUPARC_BENCH_PG_URL")
                if url is None:
                    cluster = Cluster(Path(tempfile.mkdtemp(prefix="mutuparc-pg-")), free_port())
                    cluster.start()
                    url = cluster.url
            else:
                url = f"sqlite:///{workdir / 'bench.db'}"
            prepare(url)
            # SQLite has one writer: more processes only contend for its lock.
            workers = 1 if backend == "sqlite" else args.workers
            server = start_server(
                url,
                workdir / f"server-{backend}.log",
                workers=workers,
                extra_env={"MUTUPARC_KEEP_RAW_INVENTORY": "true"},
            )
            try:
                new = run_wrk(server.url, full_bodies, name="full, new machines", **wrk_options)
                stored = count_assets(url)
                repeat = run_wrk(server.url, full_bodies, name="full, unchanged machines", **wrk_options)
                part = run_wrk(server.url, partial_bodies, name="partial (software changed)", **wrk_options)
            finally:
                server.stop()
            results += [(backend, new), (backend, repeat), (backend, part)]
            distinct = min(new.requests, machines)
            print(f"{backend}: {stored} assets stored for {new.requests} requests ({distinct} distinct machines)")
            profiles[backend] = profile_one_worker(url, base)
    finally:
        if cluster:
            cluster.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"\n{args.workers} uvicorn workers (SQLite: 1), wrk {wrk_options['threads']} threads / "
        f"{args.connections} connections, {args.duration} s per run, {os.cpu_count()} CPUs\n"
    )
    print(f"{'database':<11} {'scenario':<30} {'inv/s':>9} {'requests':>9} {'errors':>7} {'p50':>9} {'p99':>9}")
    for backend, r in results:
        print(f"{backend:<11} {r.name:<30} {r.rate:>9.0f} {r.requests:>9} {r.errors:>7} {r.p50:>9} {r.p99:>9}")
    print("\nwhere the time goes (one worker, in-process, new computer_1 machines, ms per inventory):")
    for backend, split in profiles.items():
        print(
            f"  {backend:<11} decode+validate+parse {split['decode']:.2f}   store {split['store']:.2f}"
            f"   total {split['total']:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
