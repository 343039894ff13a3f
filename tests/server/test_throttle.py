"""Guessing is slowed down: failed sign-ins and refused API tokens answer 429 after a few tries,
for the (user name or token prefix, address) pair that failed, with a delay that doubles."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from server.accounts.throttle import BASE_DELAY, FREE_FAILURES, WINDOW, delay
from tests.utils import make_user


def _sign_in(client, password: str):  # type: ignore[no-untyped-def]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    data = {"username": "marie", "password": password, **({"csrf_token": csrf.group(1)} if csrf else {})}
    return client.post("/login", data=data, follow_redirects=False)


def test_the_delay_doubles_up_to_the_window():
    assert delay(FREE_FAILURES - 1) == dt.timedelta(0)
    assert delay(FREE_FAILURES) == BASE_DELAY
    assert delay(FREE_FAILURES + 1) == 2 * BASE_DELAY
    assert delay(FREE_FAILURES + 100) == WINDOW


def test_too_many_failed_sign_ins_slow_the_username_down_from_that_address(client, engine):
    make_user(engine, "marie", role="admin", password="correct horse")
    for _ in range(FREE_FAILURES):
        assert _sign_in(client, "wrong").status_code == 401
    locked = _sign_in(client, "correct horse")  # even the right password waits now, from here
    assert locked.status_code == 429
    assert 0 < int(locked.headers["retry-after"]) <= BASE_DELAY.total_seconds()
    assert "réessayez dans quelques minutes" in locked.text


def test_a_correct_sign_in_after_a_few_mistakes_works(client, engine):
    make_user(engine, "marie", role="admin", password="correct horse")
    for _ in range(FREE_FAILURES - 1):
        _sign_in(client, "wrong")
    assert _sign_in(client, "correct horse").status_code == 303


def test_too_many_bad_api_tokens_block_that_token_from_the_client(client, engine):
    good = make_user(engine, "dsit", role="admin")
    bad = {"Authorization": "Bearer mpa_guessguess"}
    for _ in range(FREE_FAILURES):
        assert client.get("/api/v1/members", headers=bad).status_code == 401
    blocked = client.get("/api/v1/members", headers=bad)
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert "too many failed attempts" in blocked.json()["detail"]
    assert client.get("/api/v1/members", headers=good).status_code == 200  # another token is not slowed down


def _live_sign_in(http, url: str, password: str, forwarded_for: str):  # type: ignore[no-untyped-def]
    page = http.get(f"{url}/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    data = {"username": "marie", "password": password, **({"csrf_token": csrf.group(1)} if csrf else {})}
    return http.post(f"{url}/login", data=data, headers={"x-forwarded-for": forwarded_for}, follow_redirects=False)


@pytest.mark.parametrize(("trusted", "apart"), [("127.0.0.1", True), ("192.0.2.99", False)])
def test_behind_a_trusted_proxy_each_client_address_is_throttled_apart(db, engine, tmp_path, trusted, apart):  # type: ignore[no-untyped-def]
    """A real server behind a proxy on this host: with the proxy trusted (the default, loopback)
    a guesser at 203.0.113.7 does not lock out the DSIT at 198.51.100.2; with the proxy not
    trusted, X-Forwarded-For is ignored and everyone is the proxy's address."""
    import httpx

    from tests.support.live import start_server

    make_user(engine, "marie", role="admin", password="correct horse")
    server = start_server(db.url, tmp_path / "server.log", extra_env={"MUTUPARC_TRUSTED_PROXIES": trusted})
    try:
        with httpx.Client() as guesser, httpx.Client() as dsit:
            for _ in range(FREE_FAILURES):
                assert _live_sign_in(guesser, server.url, "wrong", "203.0.113.7").status_code == 401
            assert _live_sign_in(guesser, server.url, "correct horse", "203.0.113.7").status_code == 429
            answer = _live_sign_in(dsit, server.url, "correct horse", "198.51.100.2")
            assert answer.status_code == (303 if apart else 429)
    finally:
        server.stop()
