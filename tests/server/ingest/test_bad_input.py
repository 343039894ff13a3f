"""Bad input gets a 4xx whose body names the problem; nothing is half-written; never a 500."""

from __future__ import annotations

import json
import zlib

import pytest
from sqlalchemy import func, select

from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset, InventorySource
from server.core.db import transaction
from tests.utils import answer_json, example, post_inventory


def _counts(engine) -> dict[str, int]:
    with transaction(engine) as session:
        counts = {
            "asset": session.scalar(select(func.count()).select_from(Asset)),
            "source": session.scalar(select(func.count()).select_from(InventorySource)),
        }
        for name, table in COMPONENT_TABLES.items():
            counts[name] = session.scalar(select(func.count()).select_from(table))
    return counts


def _post_raw(client, body: bytes, content_type: str = "application/x-compress-zlib"):  # type: ignore[no-untyped-def]
    return client.post("/front/inventory.php", content=body, headers={"Content-Type": content_type})


def _without(section: str, field: str | None = None) -> dict:
    inventory = example("computer_1")
    if field is None:
        del inventory[section]
    else:
        del inventory[section][field]
    return inventory


def _with_type_error() -> dict:
    inventory = example("computer_1")
    inventory["content"]["cpus"][0]["speed"] = "fast"
    return inventory


def _deep(depth: int) -> bytes:
    return (
        b'{"action":"inventory","deviceid":"x","content":{"versionclient":"v","x":'
        + b"[" * depth
        + b"]" * depth
        + b"}}"
    )


BAD_BODIES = {
    "empty body": (b"", "application/json", 400, "empty body"),
    "invalid json": (b'{"action": "inventory", ', "application/json", 400, "malformed JSON"),
    "not json nor xml": (b"hello", "application/json", 400, "neither a JSON object nor an XML document"),
    "broken zlib": (b"\x78\x9c\x01\x02garbage", "application/x-compress-zlib", 400, "invalid zlib stream"),
    "truncated zlib": (
        zlib.compress(json.dumps(example("computer_1")).encode())[:200],
        "application/x-compress-zlib",
        400,
        "truncated zlib stream",
    ),
    "declared zlib, is not": (b"\x00\x01\x02binary", "application/x-compress-zlib", 400, "not a valid zlib stream"),
    "json array": (b"[1, 2]", "application/json", 400, "neither a JSON object"),
    "invalid xml": (b"<REQUEST><QUERY>PROLOG</QUERY>", "application/xml", 400, "malformed XML"),
    "xml entity bomb": (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<REQUEST><DEVICEID>&b;</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>",
        "application/xml",
        400,
        "DOCTYPE or ENTITY",
    ),
    "xml without deviceid": (b"<REQUEST><QUERY>PROLOG</QUERY></REQUEST>", "application/xml", 400, "DEVICEID"),
    "xml wrong root": (b"<REPLY/>", "application/xml", 400, "root element must be REQUEST"),
    "xml unknown query": (
        b"<REQUEST><DEVICEID>x</DEVICEID><QUERY>SNMPQUERY</QUERY></REQUEST>",
        "application/xml",
        501,
        "SNMPQUERY",
    ),
    "deeply nested json": (_deep(100_000), "application/json", 400, ""),
}


@pytest.mark.parametrize("case", list(BAD_BODIES))
def test_bad_body_is_refused_with_reason(client, engine, case):
    body, content_type, status, reason = BAD_BODIES[case]
    response = _post_raw(client, body, content_type)
    assert response.status_code == status, response.text
    text = (
        response.content.decode(errors="replace") if b"<" in response.content[:5] else answer_json(response)["message"]
    )
    assert reason in text
    assert _counts(engine)["asset"] == 0


SCHEMA_CASES = {
    "no deviceid": (lambda: _without("deviceid"), "deviceid"),
    "no content": (lambda: _without("content"), "content"),
    "no versionclient": (lambda: _without("content", "versionclient"), "versionclient"),
    "wrong type": (_with_type_error, "content.cpus.0.speed"),
}


@pytest.mark.parametrize("case", list(SCHEMA_CASES))
def test_schema_violation_names_the_field(client, engine, case):
    build, where = SCHEMA_CASES[case]
    response = post_inventory(client, build())
    assert response.status_code == 400
    answer = answer_json(response)
    assert answer["status"] == "error" and where in answer["message"]
    assert "JSON does not validate" in answer["message"] or "required" in answer["message"]
    assert _counts(engine)["asset"] == 0


def test_decompression_bomb_is_stopped(settings, engine):
    from fastapi.testclient import TestClient

    from server.main import create_app

    small = settings.model_copy(update={"max_inventory_bytes": 1024 * 1024})
    bomb = zlib.compress(b"{" + b" " * (50 * 1024 * 1024) + b"}", 9)  # 50 MB of spaces, ~50 KB on the wire
    assert len(bomb) < 100_000
    with TestClient(create_app(small, engine)) as client:
        response = _post_raw(client, bomb)
    assert response.status_code == 413
    assert "exceeds the limit" in answer_json(response)["message"]


def test_oversized_plain_body_is_413(settings, engine):
    from fastapi.testclient import TestClient

    from server.main import create_app

    small = settings.model_copy(update={"max_inventory_bytes": 4096})
    with TestClient(create_app(small, engine)) as client:
        response = _post_raw(client, b"{" + b" " * 10_000 + b"}", "application/json")
    assert response.status_code == 413


def test_weird_values_are_cleaned_not_rejected(client, engine):
    """NUL bytes, lone surrogates, huge strings and out-of-range integers must not reach the database."""
    inventory = example("computer_1")
    softwares = inventory["content"]["softwares"]
    softwares.append({"name": "Bad\u0000Name \ud800 \x07", "version": "1.0", "filesize": 2**80})
    softwares.append({"name": "x" * 100_000, "install_date": "2019-02-31"})
    inventory["content"]["hardware"]["memory"] = -(2**70)
    response = post_inventory(client, inventory)
    assert response.status_code == 200, response.text
    table = COMPONENT_TABLES["softwares"]
    with transaction(engine) as session:
        rows = session.execute(select(table.c.name, table.c.size_bytes, table.c.install_date)).all()
    names = {r.name: r for r in rows}
    assert "BadName ? ".strip() in {n.strip() for n in names} or any(n.startswith("BadName") for n in names)
    bad = next(r for n, r in names.items() if n.startswith("BadName"))
    assert "\x00" not in bad.name and bad.size_bytes is None
    long = next(r for n, r in names.items() if n.startswith("xxx"))
    assert len(long.name) == 1024 and long.install_date is None


def test_rejected_inventory_leaves_previous_state_untouched(client, engine):
    assert post_inventory(client, example("computer_1")).status_code == 200
    before = _counts(engine)
    broken = example("computer_1")
    broken["content"]["memories"] = "not a list"
    assert post_inventory(client, broken).status_code == 400
    assert _counts(engine) == before
