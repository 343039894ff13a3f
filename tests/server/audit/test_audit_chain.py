"""The audit chain: every change through the API or the pages, with who, which token and what;
append-only in the database; ``verify`` names a changed, deleted or truncated row."""

from __future__ import annotations

import json
import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from server.audit.chain import append, verify
from server.audit.export import verify_file
from server.audit.protection import lifted
from server.core.config import Settings
from server.core.db import make_engine
from tests.server.web.test_csrf import form_token
from tests.utils import make_member, make_user


def _events(client, admin, **params) -> list[dict]:  # type: ignore[no-untyped-def]
    answer = client.get("/api/v1/audit/events", headers=admin, params={"limit": 1000, **params})
    assert answer.status_code == 200, answer.text
    return answer.json()["data"]


def test_api_changes_are_recorded_with_actor_token_and_masked_secrets(client, engine, admin):
    member = client.post("/api/v1/members", headers=admin, json={"name": "Redon"}).json()
    client.patch(f"/api/v1/members/{member['id']}", headers=admin, json={"population": 2400})
    credential = {"member_id": member["id"], "name": "switches", "version": "2c", "community": "s3cr3t-comm"}
    assert client.post("/api/v1/snmp-credentials", headers=admin, json=credential).status_code == 201
    client.get("/api/v1/members", headers=admin)  # reads are not changes
    assert client.post("/api/v1/members", headers=admin, json={"name": "Redon"}).status_code == 409  # refused

    events = _events(client, admin)
    assert [e["action"] for e in events] == [
        "POST /api/v1/snmp-credentials",
        "PATCH /api/v1/members/{member_id}",
        "POST /api/v1/members",
    ]
    assert {e["actor"] for e in events} == {"admin"}
    assert all(e["via"].startswith("api token ") for e in events)
    patch = json.loads(events[1]["details"])
    assert patch["body"] == {"population": 2400} and patch["path_params"] == {"member_id": str(member["id"])}
    assert events[1]["member_id"] == member["id"]
    stored_credential = json.loads(events[0]["details"])["body"]
    assert stored_credential["community"] == "***" and "s3cr3t-comm" not in events[0]["details"]
    assert [e["seq"] for e in events] == [3, 2, 1]


def test_only_admins_read_the_chain(client, engine, admin):
    member = make_member(engine, "Servon")
    reader = make_user(engine, "lecteur", role="member_reader", member_id=member)
    technician = make_user(engine, "tech", role="technician")
    for headers in (reader, technician):
        assert client.get("/api/v1/audit/events", headers=headers).status_code == 403
        assert client.get("/api/v1/audit/export", headers=headers).status_code == 403


def test_sign_ins_are_recorded(client, engine):
    make_user(engine, "marie", role="admin", password="correct horse")
    client.post(
        "/login",
        data={"username": "marie", "password": "wrong", "csrf_token": form_token(client)},
        follow_redirects=False,
    )
    client.post(
        "/login",
        data={"username": "marie", "password": "correct horse", "csrf_token": form_token(client)},
        follow_redirects=False,
    )
    admin = make_user(engine, "auditor", role="admin")
    events = _events(client, admin)
    assert [(e["action"], e["actor"], e["via"]) for e in events] == [
        ("login", "marie", "web login"),
        ("login failed", "marie", "web login"),
    ]


def test_the_database_refuses_to_update_or_delete_rows(engine):
    with engine.begin() as connection:
        append(connection, actor="a", via="test", action="x", details={})
    for statement in ("UPDATE audit_event SET actor = 'mallory'", "DELETE FROM audit_event"):
        with pytest.raises(DBAPIError, match="append-only"), engine.begin() as connection:
            connection.execute(text(statement))


def _chain_of(engine, length: int) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    with engine.begin() as connection:
        for number in range(length):
            row = append(connection, actor="dsit", via="test", action="PATCH /x", details={"n": number}, member_id=1)
    return row["seq"], row["hash"]


def _tamper(engine, statement: str) -> None:  # type: ignore[no-untyped-def]
    # What someone holding the database's owner password could still do: lift the triggers.
    with engine.begin() as connection, lifted(connection):
        connection.execute(text(statement))


def _verify(engine, head=None):  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return verify(connection, head)


def test_verify_names_changed_deleted_and_truncated_rows(engine):
    head = _chain_of(engine, 6)
    report = _verify(engine, head)
    assert report.ok and report.rows == 6 and (report.head_seq, report.head_hash) == head

    _tamper(engine, """UPDATE audit_event SET details = '{"n": 99}' WHERE seq = 2""")
    assert _verify(engine).problems == ["row 2: its content was changed after it was written"]

    _tamper(engine, "DELETE FROM audit_event WHERE seq = 4")
    assert "rows 4 to 4 are missing (deleted)" in _verify(engine).problems

    _tamper(engine, "DELETE FROM audit_event WHERE seq = 6")
    assert not _verify(engine, head).ok
    assert "the chain ends at row 5: rows after it, up to 6, were deleted" in _verify(engine, head).problems


def test_a_rewritten_chain_is_caught_by_the_earlier_head(engine):
    """Recomputing every hash after an edit makes a consistent chain: only the head kept outside
    the database (printed by verify, in every export) shows it."""
    head = _chain_of(engine, 3)
    _tamper(engine, "DELETE FROM audit_event")
    _chain_of(engine, 3)
    assert _verify(engine).ok
    assert _verify(engine, head).problems == [
        f"row 3 is not the one recorded earlier (expected hash {head[1][:16]}...)"
    ]


def test_export_verifies_on_its_own_and_catches_an_edited_file(client, engine, admin, tmp_path):
    _chain_of(engine, 4)
    for fmt, suffix in (("csv", ".csv"), ("jsonl", ".jsonl")):
        answer = client.get("/api/v1/audit/export", headers=admin, params={"format": fmt})
        assert answer.status_code == 200
        path = tmp_path / f"audit{suffix}"
        path.write_bytes(answer.content)
        assert verify_file(path).ok and verify_file(path).rows == 4
        quote = b'\\"' if fmt == "jsonl" else b'""'  # a JSON string in JSON, or in CSV
        path.write_bytes(answer.content.replace(b"{%sn%s:2}" % (quote, quote), b"{%sn%s:7}" % (quote, quote)))
        assert verify_file(path).problems == ["row 3: its content was changed after it was written"]
    api = client.get("/api/v1/audit/verify", headers=admin).json()
    assert api["ok"] and api["rows"] == 4


def test_concurrent_writers_keep_one_unbroken_chain(db):
    """Two server instances append at once: the chain lock (advisory on PostgreSQL, the write lock
    on SQLite) keeps sequence numbers contiguous and every hash linked."""
    engines = [make_engine(Settings(database_url=db.url, _env_file=None)) for _ in range(4)]
    errors: list[BaseException] = []

    def writer(engine, number: int) -> None:  # type: ignore[no-untyped-def]
        try:
            for step in range(25):
                with engine.begin() as connection:
                    append(connection, actor=f"w{number}", via="test", action="x", details={"step": step})
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(engine, n)) for n, engine in enumerate(engines)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert errors == []
    report = _verify(db.engine)
    assert report.ok, report.problems
    assert report.rows == 100
