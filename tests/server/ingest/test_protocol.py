"""The agent endpoint answers as GLPI 10 does (agent-protocol.md section 4), on all its URLs."""

from __future__ import annotations

import zlib

import pytest
from sqlalchemy import select

from server.accounts.models import EnrolmentToken
from server.assets.models import Asset
from server.core.db import transaction
from tests.utils import answer_json, encode, example, make_enrolment_token, make_member, make_site, post_inventory

PROLOG = b"""<?xml version="1.0" encoding="UTF-8" ?>
<REQUEST>
  <DEVICEID>vm-2026-11-23-08-47-58</DEVICEID>
  <QUERY>PROLOG</QUERY>
  <TOKEN>12345678</TOKEN>
</REQUEST>
"""
CONTACT = {
    "action": "contact",
    "deviceid": "vm-2026-11-23-08-48-31",
    "enabled-tasks": ["inventory", "netdiscovery"],
    "installed-tasks": ["collect", "deploy", "inventory", "netdiscovery"],
    "name": "GLPI-Agent",
    "version": "1.12-dev",
}


def test_xml_prolog_without_agent_id_gets_xml_send(client):
    response = client.post("/", content=zlib.compress(PROLOG), headers={"Content-Type": "application/x-compress-zlib"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-compress-zlib"
    assert response.content[:2] == b"\x78\x9c"  # the only zlib header FusionInventory recognises
    reply = zlib.decompress(response.content)
    assert b"<RESPONSE>SEND</RESPONSE>" in reply and b"<PROLOG_FREQ>24</PROLOG_FREQ>" in reply


def test_xml_prolog_with_glpi_agent_id_gets_json(client):
    response = client.post(
        "/",
        content=zlib.compress(PROLOG),
        headers={
            "Content-Type": "application/x-compress-zlib",
            "GLPI-Agent-ID": "3a8d5f6e-aa00-11ef-8000-0242ac120002",
        },
    )
    assert answer_json(response) == {"status": "ok", "expiration": 24}


def test_plain_xml_prolog_gets_plain_xml(client):
    response = client.post("/", content=PROLOG, headers={"Content-Type": "application/xml"})
    assert response.headers["content-type"].startswith("application/xml")
    assert b"<RESPONSE>SEND</RESPONSE>" in response.content


def test_contact_asks_for_inventory_and_disables_other_tasks(client):
    response = post_inventory(client, CONTACT, path="/")
    answer = answer_json(response)
    assert answer["status"] == "ok" and answer["expiration"] == 24
    assert answer["tasks"]["inventory"]["server"] == "glpi"
    assert answer["disabled"] == ["netdiscovery"]


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/front/inventory.php",
        "/plugins/glpiinventory/",
        "/marketplace/glpiinventory/",
        "/plugins/glpiinventory/front/communication.php",
        "/plugins/fusioninventory/",
    ],
)
def test_inventory_accepted_on_every_glpi_url(client, engine, path):
    response = post_inventory(client, example("computer_1"), path=path)
    assert answer_json(response) == {"status": "ok", "expiration": 24}
    with transaction(engine) as session:
        assert session.scalars(select(Asset)).one().serial == "640HP72"


@pytest.mark.parametrize("encoding", ["zlib", "gzip", "plain"])
def test_inventory_in_every_encoding_answered_in_kind(client, encoding):
    response = post_inventory(client, example("computer_1"), encoding=encoding)
    expected_type = {
        "zlib": "application/x-compress-zlib",
        "gzip": "application/x-compress-gzip",
        "plain": "application/json",
    }[encoding]
    assert response.headers["content-type"] == expected_type
    assert answer_json(response) == {"status": "ok", "expiration": 24}


def test_enrolment_token_in_url_assigns_member_and_site(client, engine):
    member = make_member(engine, "Chevry-Cossigny")
    site = make_site(engine, member, "Mairie")
    token = make_enrolment_token(engine, member, site_id=site)
    post_inventory(client, example("computer_1"), token=token)
    with transaction(engine) as session:
        asset = session.scalars(select(Asset)).one()
        used = session.scalars(select(EnrolmentToken)).one().last_used_at
    assert (asset.member_id, asset.site_id) == (member, site)
    assert used is not None


@pytest.mark.parametrize("how", ["header", "bearer", "tag"])
def test_enrolment_token_in_header_or_tag(client, engine, how):
    member = make_member(engine, "Servon")
    token = make_enrolment_token(engine, member)
    inventory = example("computer_1")
    headers = {}
    if how == "header":
        headers["X-Mutuparc-Token"] = token
    elif how == "bearer":
        headers["Authorization"] = f"Bearer {token}"
    else:
        inventory["tag"] = token
    assert post_inventory(client, inventory, headers=headers).status_code == 200
    with transaction(engine) as session:
        assert session.scalars(select(Asset)).one().member_id == member


def test_without_token_inventory_goes_to_quarantine(client, engine):
    assert post_inventory(client, example("computer_1")).status_code == 200
    with transaction(engine) as session:
        assert session.scalars(select(Asset)).one().member_id is None


def test_unknown_token_is_refused_with_clear_json(client, engine):
    response = post_inventory(client, example("computer_1"), token="mpe_not-a-real-token")
    assert response.status_code == 401
    assert answer_json(response) == {"status": "error", "message": "unknown enrolment token", "expiration": 24}
    with transaction(engine) as session:
        assert session.scalars(select(Asset)).all() == []


def test_revoked_token_is_refused(client, engine, admin):
    member = make_member(engine, "Varennes-Jarcy")
    token = make_enrolment_token(engine, member)
    with transaction(engine) as session:
        token_id = session.scalars(select(EnrolmentToken.id)).one()
    assert client.post(f"/api/v1/enrolment-tokens/{token_id}/revoke", headers=admin).status_code == 200
    response = post_inventory(client, example("computer_1"), token=token)
    assert response.status_code == 403
    assert "revoked" in answer_json(response)["message"]


def test_bad_url_token_refused_at_prolog(client):
    response = client.post("/t/mpe_bogus/", content=PROLOG, headers={"Content-Type": "application/xml"})
    assert response.status_code == 401
    assert b"<ERROR>unknown enrolment token</ERROR>" in response.content


def test_reject_mode_refuses_anonymous_inventories(settings, engine):
    from fastapi.testclient import TestClient

    from server.main import create_app

    strict = settings.model_copy(update={"anonymous_inventory": "reject"})
    with TestClient(create_app(strict, engine)) as client:
        response = post_inventory(client, example("computer_1"))
    assert response.status_code == 401
    assert "enrolment token is required" in answer_json(response)["message"]


def test_unsupported_action_is_501(client):
    response = post_inventory(client, {"action": "netdiscovery", "deviceid": "x"}, path="/")
    assert response.status_code == 501
    assert "netdiscovery" in answer_json(response)["message"]


def test_get_is_refused_politely(client):
    response = client.get("/front/inventory.php")
    assert response.status_code == 405
    assert answer_json(response)["status"] == "error"


def test_encode_helper_matches_agents():
    body, content_type = encode({"a": 1})
    assert content_type == "application/x-compress-zlib" and zlib.decompress(body) == b'{"a": 1}'
