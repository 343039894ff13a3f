"""Every device profile against its recording, served by a real snmpsim: identified, read, mapped.

Adding a model is one YAML file and one .snmprec next to it; this test picks both up. Each
profile's ``expect`` block says what must come out of its recording (and of its variants,
``<id>_<variant>.snmprec``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import jsonschema
import pytest

from collector.profiles import load_profiles
from collector.runner import poll_all
from tests.support.snmp_agents import recordings
from wire.glpi_json import parse_sections

from .conftest import simulated

PROFILES = load_profiles()
RECORDINGS = recordings()


def _profile_of(recording: str) -> str | None:
    """A recording is its profile's (``cisco_ios``) or a variant of it (``sophos_sfos_peer``)."""
    owners = [p for p in PROFILES if recording == p or recording.startswith(f"{p}_")]
    return max(owners, key=len, default=None)


def _expectations(recording: str) -> dict[str, Any]:
    profile = PROFILES[_profile_of(recording)]  # type: ignore[index]
    if recording == profile.id:
        return profile.expect
    return profile.expect.get("variants", {}).get(recording.removeprefix(f"{profile.id}_"), {})


def test_every_profile_has_a_recording_and_every_recording_a_profile() -> None:
    assert sorted(PROFILES) == sorted(r for r in RECORDINGS if r in PROFILES), "profiles without a recording"
    assert [r for r in RECORDINGS if _profile_of(r) is None] == [], "recordings without a profile"
    for recording in RECORDINGS:
        assert _expectations(recording), f"{recording}: no expect block says what it must read"
        assert RECORDINGS[recording].parent == PROFILES[_profile_of(recording)].path.parent  # type: ignore[index, union-attr]


@pytest.fixture(scope="module")
def polled(snmpsim) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Every recording polled once, all in one run (as a collector would)."""
    config = simulated(snmpsim, *RECORDINGS)
    summary = asyncio.run(poll_all(config.targets, config, PROFILES))
    return {result.target.name: result for result in summary.results}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _matches(record: dict[str, Any], wanted: dict[str, Any]) -> bool:
    for key, value in wanted.items():
        got = record.get(key)
        if isinstance(value, list) and isinstance(got, list) and value and isinstance(value[0], dict):
            if not all(any(_matches(g, w) for g in got) for w in value):
                return False
        elif key.endswith("_bytes") and isinstance(got, int):
            if abs(got - value) >= 2**20:  # GLPI sends sizes in MB: exact to the MiB
                return False
        elif _plain(got) != value:
            return False
    return True


@pytest.mark.parametrize("recording", sorted(RECORDINGS))
def test_recording_is_identified_and_mapped(recording: str, polled: dict[str, Any], glpi_schema: dict) -> None:
    result = polled[recording]
    expect = _expectations(recording)
    assert result.status == expect.get("status", "ok"), result.message
    assert result.profile == _profile_of(recording)
    jsonschema.validate(result.inventory, glpi_schema)
    sections = parse_sections(result.inventory["content"])

    device = {k: _plain(v) for k, v in sections["network_device"].items() if v is not None}
    assert device | expect.get("fields", {}) == device, f"network_device: {device}"
    for name, count in expect.get("counts", {}).items():
        assert len(sections.get(name, [])) == count, f"{name}: {sections.get(name)}"
    for name, rows in expect.get("rows", {}).items():
        for wanted in rows:
            assert any(_matches(r, wanted) for r in sections.get(name, [])), f"{name}: no record like {wanted}"
    for name, value in expect.get("pagecounters", {}).items():  # GLPI's pagecounters section, as sent
        assert sections.get("pagecounters", {}).get(name) == value, f"pagecounters: {sections.get('pagecounters')}"
    if expect.get("battery"):
        battery = sections["batteries"][0]
        assert {k: _plain(battery[k]) for k in expect["battery"]} == expect["battery"]
    metrics = {m["name"] + (f"[{m['instance']}]" if m.get("instance") else ""): m["value"]
               for m in sections.get("mutuparc_metrics", [])}  # fmt: skip
    for name, value in expect.get("metrics", {}).items():
        assert metrics.get(name) == pytest.approx(value), f"{name}: {metrics}"
