"""Guessing is slowed down: failed sign-ins and refused API tokens answer 429 after a few tries."""

from __future__ import annotations

from server.accounts.throttle import MAX_PER_CLIENT, MAX_PER_USERNAME
from tests.utils import make_user


def _sign_in(client, password: str):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"username": "marie", "password": password}, follow_redirects=False)


def test_too_many_failed_sign_ins_lock_the_username(client, engine):
    make_user(engine, "marie", role="admin", password="correct horse")
    for _ in range(MAX_PER_USERNAME):
        assert _sign_in(client, "wrong").status_code == 401
    locked = _sign_in(client, "correct horse")  # even the right password waits now
    assert locked.status_code == 429
    assert locked.headers["retry-after"] == "900"
    assert "réessayez dans 15 minutes" in locked.text


def test_a_correct_sign_in_after_a_few_mistakes_works(client, engine):
    make_user(engine, "marie", role="admin", password="correct horse")
    for _ in range(MAX_PER_USERNAME - 1):
        _sign_in(client, "wrong")
    assert _sign_in(client, "correct horse").status_code == 303


def test_too_many_bad_api_tokens_block_the_client(client, engine):
    good = make_user(engine, "dsit", role="admin")
    for number in range(MAX_PER_CLIENT):
        answer = client.get("/api/v1/members", headers={"Authorization": f"Bearer mpa_guess{number}"})
        assert answer.status_code == 401
    blocked = client.get("/api/v1/members", headers=good)
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0
    assert "too many failed attempts" in blocked.json()["detail"]
