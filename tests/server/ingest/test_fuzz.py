"""Fuzzed agent requests: never a 5xx, a refused body writes nothing, valid ones in between are
all stored. The full 10,000-case run is ``bench/fuzz_ingest.py``; this one is bounded for CI."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from tests.support.fuzz import FuzzCase, FuzzHarness, hostile_requests
from tests.utils import make_enrolment_token, make_member

CASES = 150


def test_fuzzed_bodies_never_break_the_ingest(client, engine):
    token = make_enrolment_token(engine, make_member(engine, "Servon"))
    harness = FuzzHarness(client, engine, token)

    @settings(max_examples=CASES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(hostile_requests)
    def send(case: FuzzCase) -> None:
        harness.send(case)

    send()
    report = harness.report
    assert report.failures == [], report.line()
    assert report.cases >= CASES
    assert report.refused > CASES // 2  # the strategies do produce hostile input
    assert report.valid_sent >= CASES // 10
    assert harness.valid_stored() == report.valid_sent
