"""What the benchmarks share: medians of timed runs, and a fresh database per backend.

``databases()`` yields a URL per backend asked for: a SQLite file, or a private PostgreSQL
cluster started for the run (the one the tests use) and removed after it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parents[1]
if str(PROJECT) not in sys.path:
    sys.path.insert(0, str(PROJECT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from server import migrations  # noqa: E402
from server.core.config import Settings  # noqa: E402
from server.core.db import make_engine  # noqa: E402
from tests.support.pgcluster import Cluster, free_port  # noqa: E402


def timed(function: Callable[[], Any], runs: int) -> tuple[float, Any]:
    """Median wall time of ``runs`` calls, and the last result."""
    times, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def databases(backends: str, *, durable: bool = False) -> Iterator[str]:
    """A database URL per comma-separated backend (``sqlite``, ``postgresql``), cleaned up after.

    ``durable``: PostgreSQL with fsync and synchronous_commit on, as in production (the ingest
    benchmarks); the parc benchmarks only read, and load their data faster without."""
    work = Path(tempfile.mkdtemp(prefix="mutuparc-bench-"))
    try:
        for backend in backends.split(","):
            if backend == "postgresql":  # its own folder: the postgres user cannot enter ``work``
                cluster = Cluster(Path(tempfile.mkdtemp(prefix="mutuparc-pg-")), free_port(), durable=durable)
                cluster.start()
                try:
                    yield cluster.url
                finally:
                    cluster.stop()
                    shutil.rmtree(cluster.directory, ignore_errors=True)
            else:
                yield f"sqlite:///{work / 'bench.db'}"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def fresh_engine(url: str) -> tuple[Settings, Engine]:
    """Settings and an engine on an empty, migrated database."""
    settings = Settings(database_url=url, _env_file=None)
    engine = make_engine(settings)
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    migrations.upgrade(engine)
    return settings, engine


def analyze(engine: Engine) -> None:
    """Planner statistics after a bulk load, as an operator would run (PostgreSQL's autovacuum
    only gets to it later; reports planned without statistics are 30 times slower)."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("ANALYZE"))


def main(doc: str | None, measure: Callable[[str, int, int, int], None]) -> int:
    """The command line the parc benchmarks share: ``measure(url, members, assets, runs)`` per backend."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=100)
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    for url in databases(args.backends):
        measure(url, args.members, args.assets, args.runs)
    return 0


def insert_communes(connection: Any, count: int, now: dt.datetime) -> list[int]:
    """``count`` communes (Commune 000, 001...), their ids in order."""
    from sqlalchemy import insert, select

    from server.tenancy.models import Member

    communes = [{"name": f"Commune {i:03d}", "kind": "commune", "population": 500 + 97 * i,
                 "subscribed_services": [], "created_at": now} for i in range(count)]  # fmt: skip
    connection.execute(insert(Member), communes)
    return list(connection.execute(select(Member.id).order_by(Member.id)).scalars())


def insert_in_batches(connection: Any, table: Any, rows: list[dict[str, Any]], size: int = 10_000) -> None:
    from sqlalchemy import insert

    for start in range(0, len(rows), size):
        connection.execute(insert(table), rows[start : start + size])
