"""Fuzzing the inventory endpoint: 10,000 hostile requests per database, nothing broken, nothing lost.

The cases (``tests/support/fuzz.py``) are malformed and truncated JSON and XML, real inventories
with values of the wrong type, huge strings, deep nesting, duplicated keys, lexical traps (NaN,
lone surrogates, invalid UTF-8), all of them also zlib/gzip compressed, mislabelled or corrupted,
and decompression bombs. A valid inventory of a new machine goes in every ten cases.

Printed per database: cases by outcome, server errors (5xx, must be 0), partial writes (a refused
case that changed a table, must be 0), valid inventories sent vs stored; and the rate of the
whole endpoint next to the reference, decoding the same bodies alone in this process.

    python bench/fuzz_ingest.py [--cases 10000] [--backends sqlite,postgresql] [--seed N]
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import random
import time

from common import databases, fresh_engine  # first: it puts the project on sys.path
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, seed, settings

from server.ingest.decode import decode
from server.main import create_app
from tests.support.fuzz import FuzzCase, FuzzHarness, hostile_requests
from tests.utils import make_enrolment_token, make_member
from wire.errors import WireError


def fuzz(url: str, cases: int, chosen_seed: int) -> bool:
    app_settings, engine = fresh_engine(url)
    token = make_enrolment_token(engine, make_member(engine, "Servon"))
    decode_seconds = 0.0
    started = time.perf_counter()
    with TestClient(create_app(app_settings, engine)) as client:
        harness = FuzzHarness(client, engine, token)

        @seed(chosen_seed)
        @settings(max_examples=cases, deadline=None, database=None, phases=["generate"],
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        @given(hostile_requests)
        def send(case: FuzzCase) -> None:
            nonlocal decode_seconds
            before = time.perf_counter()
            with contextlib.suppress(WireError, ValueError):
                decode(case.body, case.content_type, app_settings.max_inventory_bytes)
            decode_seconds += time.perf_counter() - before
            harness.send(case)
            if harness.report.cases % 1000 == 0:
                print(f"  {harness.report.cases} cases...", flush=True)

        send()
    elapsed = time.perf_counter() - started
    report = harness.report
    stored = harness.valid_stored()
    print(f"{engine.dialect.name}: {report.line()}")
    print(f"  valid inventories: {report.valid_sent} sent, {stored} stored")
    print(f"  endpoint (HTTP in process + database): {report.cases / elapsed:.0f} cases/s; "
          f"reference, decoding alone: {report.cases / decode_seconds:.0f} cases/s")  # fmt: skip
    for failure in report.failures[:20]:
        print(f"  FAILURE {failure}")
    engine.dispose()
    return not report.failures and stored == report.valid_sent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--seed", type=int, default=None, help="replay a run (printed at the start)")
    args = parser.parse_args()
    chosen_seed = args.seed if args.seed is not None else random.randrange(2**32)
    print(f"seed {chosen_seed}, {args.cases} cases per database")
    logging.disable(logging.WARNING)  # every refused case is logged at INFO/WARNING
    ok = all([fuzz(url, args.cases, chosen_seed) for url in databases(args.backends)])
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
