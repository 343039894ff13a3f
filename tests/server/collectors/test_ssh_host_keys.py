"""SSH host keys pinned on the server: trusted on first use per member, a different key for a pinned
device is a conflict (the pin is kept), malformed lists are refused, members' pins are separate."""

from __future__ import annotations

import base64
import hashlib

import paramiko
import pytest

from tests.utils import make_enrolment_token, make_member, make_user, post_inventory

PATH = "/api/v1/collector/host-keys"


@pytest.fixture(scope="module")
def two_keys() -> tuple[str, str]:
    return paramiko.ECDSAKey.generate().get_base64(), paramiko.ECDSAKey.generate().get_base64()


def _sync(client, token: str, keys: list[dict[str, str]]):  # type: ignore[no-untyped-def]
    message = {"action": "collector_host_keys", "collector": "collecteur-dc", "keys": keys}
    return post_inventory(client, message, path=PATH, headers={"X-Mutuparc-Token": token})


def test_first_use_is_pinned_and_a_changed_key_is_a_conflict(client, engine, two_keys) -> None:  # type: ignore[no-untyped-def]
    first, second = two_keys
    servon, chalifert = make_member(engine, "Servon"), make_member(engine, "Chalifert")
    servon_token = make_enrolment_token(engine, servon, kind="collector")
    chalifert_token = make_enrolment_token(engine, chalifert, kind="collector")
    key = {"host": "10.20.0.11", "key_type": "ecdsa-sha2-nistp256", "key": first}

    answer = _sync(client, servon_token, [key])
    assert answer.status_code == 200, answer.text
    assert (answer.json()["keys"], answer.json()["conflicts"]) == ([key], [])

    changed = _sync(client, servon_token, [{**key, "key": second}]).json()
    assert changed["keys"] == [key]  # the pin is kept
    (conflict,) = changed["conflicts"]
    assert conflict["host"] == "10.20.0.11" and conflict["pinned"] != conflict["reported"]

    # Another member's collector pins its own device at the same private address.
    other = _sync(client, chalifert_token, [{**key, "key": second}]).json()
    assert (other["keys"], other["conflicts"]) == ([{**key, "key": second}], [])

    admin = make_user(engine, "dsit", role="admin")
    listed = client.get("/api/v1/ssh-host-keys", params={"member_id": servon}, headers=admin).json()
    assert listed["count"] == 1 and listed["data"][0]["collector"] == "collecteur-dc"
    digest = base64.b64encode(hashlib.sha256(base64.b64decode(first)).digest()).decode().rstrip("=")
    assert listed["data"][0]["fingerprint"] == f"SHA256:{digest}"

    # The device was replaced: the DSIT forgets its key, the next one is trusted on first use.
    assert client.delete(f"/api/v1/ssh-host-keys/{listed['data'][0]['id']}", headers=admin).status_code == 204
    assert _sync(client, servon_token, [{**key, "key": second}]).json()["conflicts"] == []


@pytest.mark.parametrize("keys", [[{"host": "10.0.0.1", "key_type": "ssh-rsa", "key": "abc"}],  # not base64
                                  [{"host": "10.0.0.1", "key_type": "ssh rsa;", "key": "AAAA"}],
                                  [{"host": "", "key_type": "ssh-rsa", "key": "AAAA"}], "not a list"])  # fmt: skip
def test_malformed_lists_are_refused_with_422(client, engine, keys) -> None:  # type: ignore[no-untyped-def]
    token = make_enrolment_token(engine, make_member(engine, "Servon"), kind="collector")
    answer = _sync(client, token, keys)
    assert answer.status_code == 422, answer.text


def test_only_collector_tokens_sync_and_readers_see_no_keys(client, engine, two_keys) -> None:  # type: ignore[no-untyped-def]
    servon = make_member(engine, "Servon")
    agent_token = make_enrolment_token(engine, servon, kind="agent")
    assert _sync(client, agent_token, []).status_code == 403
    reader = make_user(engine, "lecteur", role="member_reader", member_id=servon)
    assert client.get("/api/v1/ssh-host-keys", headers=reader).status_code == 403
