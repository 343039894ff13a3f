"""Windows and macOS machines, replayed from recorded outputs, inventoried into the real server.

Every directory under ``recordings/<platform>/`` is a machine: its data files and an
``expected.json`` of what the DSIT must see. A new recording is picked up automatically.
"""

from __future__ import annotations

import json

import jsonschema
import pytest
from sqlalchemy import select

from agent import _macos, _windows, inventory
from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset
from server.core.db import transaction
from tests.agent.conftest import RECORDINGS, recordings
from tests.utils import make_enrolment_token, make_member, post_inventory

MACHINES = [(_windows, _windows.RecordedWindowsSources, path) for path in recordings("windows")] + [
    (_macos, _macos.RecordedMacSources, path) for path in recordings("macos")
]


def _message(module, sources):  # type: ignore[no-untyped-def]
    collected = inventory.collect(module, sources)
    return collected, inventory.build_message(inventory.glpi_content(collected), deviceid="machine-2026-11-23-10-00-00")


@pytest.mark.parametrize(("module", "source_class", "path"), MACHINES, ids=lambda v: getattr(v, "name", ""))
def test_recorded_machine_validates_against_the_glpi_schema(module, source_class, path, glpi_schema):
    expected = json.loads((path / "expected.json").read_text())
    collected, message = _message(module, source_class(path))
    jsonschema.validate(message, glpi_schema)
    assert sorted(run.section for run in collected.failed) == expected.get("skipped_sections", [])


@pytest.mark.parametrize(("module", "source_class", "path"), MACHINES, ids=lambda v: getattr(v, "name", ""))
def test_recorded_machine_becomes_the_expected_asset(client, engine, module, source_class, path):
    expected = json.loads((path / "expected.json").read_text())
    _, message = _message(module, source_class(path))
    member = make_member(engine, "Servon")
    response = post_inventory(client, message, token=make_enrolment_token(engine, member))
    assert response.status_code == 200, response.text
    with transaction(engine) as session:
        asset = session.scalars(select(Asset)).one()
        rows = {
            name: [dict(r._mapping) for r in session.execute(select(t).where(t.c.asset_id == asset.id))]
            for name, t in COMPONENT_TABLES.items()
        }
    for field, value in expected["asset"].items():
        assert getattr(asset, field) == value, field
    assert asset.os_label == expected["os_label"]
    names = sorted(s["name"] for s in rows["softwares"])
    assert names == sorted(expected["softwares"]), "software listed once each, components and updates left out"
    assert len(rows["storages"]) == expected["disks"]
    assert sorted(v["letter"] or v["mount"] for v in rows["drives"]) == sorted(expected["volumes"])
    assert len(rows["batteries"]) == expected["batteries"]
    physical = sorted({n["mac"] for n in rows["networks"] if n["mac"] and not n["virtual"]})
    assert physical == expected["macs"]
    if "memory_mb" in expected:
        assert rows["hardware"][0]["memory_mb"] == expected["memory_mb"]
    for section, count in expected.get("components", {}).items():  # what GLPI Agent also reports (issue 19)
        assert len(rows[section]) == count, section
    if "secure_boot" in expected:
        assert rows["bios"][0]["secure_boot"] == expected["secure_boot"]


def test_windows_version_comes_from_the_registry_not_product_name():
    recording = RECORDINGS / "windows" / "win11-dell-latitude-5440"
    version = _windows.windows_version(_windows.RecordedWindowsSources(recording))
    assert version["caption"] == "Microsoft Windows 11 Pro"  # the registry's ProductName says "Windows 10 Pro"
    assert (version["display_version"], version["build"]) == ("23H2", "22631.4460")


def test_windows_11_is_recognised_even_when_wmi_caption_says_10(tmp_path):
    recording = RECORDINGS / "windows" / "win11-dell-latitude-5440"
    for item in recording.rglob("*"):
        target = tmp_path / item.relative_to(recording)
        if item.is_dir():
            target.mkdir(exist_ok=True)
        else:
            target.write_bytes(item.read_bytes())
    os_file = tmp_path / "wmi" / "Win32_OperatingSystem.json"
    rows = json.loads(os_file.read_text())
    rows[0]["Caption"] = "Microsoft Windows 10 Pro"
    os_file.write_text(json.dumps(rows))
    assert _windows.windows_version(_windows.RecordedWindowsSources(tmp_path))["caption"] == "Microsoft Windows 11 Pro"
