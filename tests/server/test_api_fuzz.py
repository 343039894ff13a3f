"""Schemathesis on the OpenAPI spec: generated calls to every operation (as a DSIT admin, so
that they reach the code behind the permission checks) never get a 5xx."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings

from tests.utils import make_member, make_site, make_user

CASES = 300


def test_generated_api_calls_never_get_a_server_error(app, engine):
    admin = make_user(engine, "admin", role="admin")
    member = make_member(engine, "Servon")
    make_site(engine, member)
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    calls = 0

    @settings(max_examples=CASES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(schema.as_strategy())
    def call(case) -> None:  # type: ignore[no-untyped-def]
        nonlocal calls
        response = case.call(headers=admin)
        calls += 1
        if response.status_code >= 500:
            failures.append(f"{case.method} {case.formatted_path} {case.query} {case.body!r:.200}: "
                            f"{response.status_code} {response.text[:200]}")  # fmt: skip

    call()
    assert failures == []
    assert calls >= CASES
