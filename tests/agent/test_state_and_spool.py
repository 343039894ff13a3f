from __future__ import annotations

import datetime as dt
import json
import zlib

from agent.spool import Spool
from agent.state import ServerState, load_identity
from agent.transport import TransportError, is_retryable

NOW = dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC)
WEEK = dt.timedelta(days=7)
CONTENT = {
    "hardware": {"name": "pc"},
    "bios": {"ssn": "X1"},
    "cpus": [{"name": "cpu"}],
    "softwares": [{"name": "a"}],
    "versionclient": "v",
}


def test_identity_is_created_once(tmp_path):
    first = load_identity(tmp_path, "pc-2026-11-23-10-00-00")
    again = load_identity(tmp_path, "pc-2030-01-01-00-00-00")
    assert again == first and first.deviceid == "pc-2026-11-23-10-00-00"


def test_full_then_partial_with_changed_sections_only(tmp_path):
    state = ServerState.load(tmp_path, "http://server/")
    sent, partial, hashes = state.plan(CONTENT, now=NOW, full_every=WEEK)
    assert not partial and sent == CONTENT
    state.sent(hashes, partial=partial, now=NOW)
    changed = {**CONTENT, "softwares": [{"name": "a"}, {"name": "b"}]}
    state = ServerState.load(tmp_path, "http://server/")  # as the next run does
    sent, partial, _ = state.plan(changed, now=NOW + dt.timedelta(days=1), full_every=WEEK)
    assert partial and set(sent) == {"softwares", "bios", "hardware", "versionclient"}


def test_full_again_when_due_forced_refused_or_a_section_disappeared(tmp_path):
    state = ServerState.load(tmp_path, "http://server/")
    _, _, hashes = state.plan(CONTENT, now=NOW, full_every=WEEK)
    state.sent(hashes, partial=False, now=NOW)
    assert not state.plan(CONTENT, now=NOW + WEEK, full_every=WEEK)[1]
    assert not state.plan(CONTENT, now=NOW, full_every=WEEK, force_full=True)[1]
    without_cpus = {k: v for k, v in CONTENT.items() if k != "cpus"}
    assert not state.plan(without_cpus, now=NOW, full_every=WEEK)[1]
    state.refused()
    assert not ServerState.load(tmp_path, "http://server/").plan(CONTENT, now=NOW, full_every=WEEK)[1]


def test_spool_delivers_oldest_first_and_stops_at_a_retryable_failure(tmp_path):
    spool = Spool(tmp_path)
    for n in range(3):
        spool.add({"n": n}, f"id-{n}")
    delivered = []

    def send(message, inventory_id):  # type: ignore[no-untyped-def]
        if message["n"] == 1:
            raise TransportError("server answered 503", status=503)
        delivered.append(inventory_id)

    result = spool.flush(send, is_retryable)
    assert delivered == ["id-0"] and result.remaining == 2 and len(spool) == 2
    result = spool.flush(lambda m, i: delivered.append(i), is_retryable)
    assert delivered == ["id-0", "id-1", "id-2"] and result.delivered == 2 and len(spool) == 0


def test_refused_inventories_are_set_aside_not_retried(tmp_path):
    spool = Spool(tmp_path)
    spool.add({"n": 0}, "bad")
    spool.add({"n": 1}, "good")
    delivered = []

    def send(message, inventory_id):  # type: ignore[no-untyped-def]
        if inventory_id == "bad":
            raise TransportError("server answered 400: JSON does not validate", status=400, retryable=False)
        delivered.append(inventory_id)

    result = spool.flush(send, is_retryable)
    assert (result.delivered, result.rejected, delivered) == (1, 1, ["good"])
    assert len(list((tmp_path / "rejected").iterdir())) == 1


def test_spool_is_bounded_and_its_files_are_self_contained(tmp_path):
    spool = Spool(tmp_path, max_items=3)
    dropped = [spool.add({"n": n}, f"id-{n}")[1] for n in range(5)]
    assert dropped == [0, 0, 0, 1, 1] and len(spool) == 3
    first = spool.files()[0]
    assert json.loads(zlib.decompress(first.read_bytes()))["inventory_id"] == "id-2"
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind
