"""Printers sending inventories at chosen moments: the readings take the time the server stores them."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from server.core.clock import utcnow
from tests.utils import example, make_enrolment_token, make_member, make_user, post_inventory

PASSWORD = "motdepasse-2026"


def printer(total: int | None, *, deviceid: str = "COPIEUR-SERVON", serial: str = "SDFSDF9874",
            toner: str | None = "85", **counters: int) -> dict[str, Any]:  # fmt: skip
    """GLPI Agent's network inventory of printer_2 (a Canon), with these counters and toner level."""
    inventory = copy.deepcopy(example("printer_2"))
    inventory["deviceid"] = deviceid
    content = inventory["content"]
    content["network_device"]["serial"] = serial
    content["network_device"]["name"] = deviceid
    content["pagecounters"] = {"total": total, **counters} if total is not None else dict(counters)
    content["cartridges"] = [{"tonerblack": toner}, {"wastetoner": "OK"}] if toner is not None else []
    return inventory


@pytest.fixture
def send(client, monkeypatch):  # type: ignore[no-untyped-def]
    """``send(inventory, token, at)``: the inventory stored as if it arrived at ``at`` (UTC)."""

    def sending(inventory: dict[str, Any], token: str, at: dt.datetime | None = None) -> None:
        monkeypatch.setattr("server.ingest.store.utcnow", (lambda: at) if at is not None else utcnow)
        answer = post_inventory(client, inventory, token=token)
        assert answer.status_code == 200, answer.text

    return sending


@pytest.fixture
def parc(engine):  # type: ignore[no-untyped-def]
    """Two members with a collector token each, the DSIT (API and web) and each member's reader."""
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    make_user(engine, "dsit", role="admin", password=PASSWORD)
    make_user(engine, "maire-chevry", role="member_reader", member_id=chevry, password=PASSWORD)
    return {
        "servon": servon,
        "chevry": chevry,
        "servon_token": make_enrolment_token(engine, servon, kind="collector"),
        "chevry_token": make_enrolment_token(engine, chevry, kind="collector"),
        "admin": make_user(engine, "api", role="admin"),
        "chevry_reader": make_user(engine, "lecteur-chevry", role="member_reader", member_id=chevry),
        "servon_reader": make_user(engine, "lecteur-servon", role="member_reader", member_id=servon),
    }


def when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def only_asset(client, headers: dict[str, str], name: str) -> int:  # type: ignore[no-untyped-def]
    found = [a for a in client.get("/api/v1/assets", headers=headers).json()["data"] if a["name"] == name]
    assert len(found) == 1, found
    return found[0]["id"]
