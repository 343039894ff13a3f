"""The SSH drivers against public CLI outputs they were not written from (ntc-templates' test
corpus, see corpus/README.md): each output replayed through the replay server in place of our own
recording of that command, the device inventoried end to end, and what reaches the message scored
against the corpus' expected values, per platform: facts, members, MAC entries, neighbours."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from collector.ssh.connection import SshCredential, SshTarget
from collector.ssh.drivers.fortinet import MODEL_VERSION
from collector.ssh.inventory import mac_text
from collector.ssh.parsing import port_name
from collector.ssh.runner import inventory_all
from tests.collector.ssh.test_hpe_aruba import PROCURVE_BANNER
from tests.support.ssh_replay import ReplayDevice, recordings
from wire.glpi_json import parse_sections

CORPUS = Path(__file__).parent / "corpus"
KINDS = ("facts", "members", "macs", "neighbours")
NOT_A_PORT = {"cpu", "router", "switch", "drop", "self", "sup-eth1", ""}
# corpus folder -> (the command the driver sends, what its expected values are scored on)
SAMPLES = {
    ("cisco_ios", "show_version"): ("show version", ("facts", "members")),
    ("cisco_ios", "show_inventory"): ("show inventory", ("members",)),
    ("cisco_ios", "show_mac-address-table"): ("show mac address-table", ("macs",)),
    ("cisco_ios", "show_lldp_neighbors_detail"): ("show lldp neighbors detail", ("neighbours",)),
    ("cisco_ios", "show_cdp_neighbors_detail"): ("show cdp neighbors detail", ("neighbours",)),
    ("hp_procurve", "show_system"): ("show system", ("facts", "members")),
    ("hp_procurve", "show_mac-address"): ("show mac-address", ("macs",)),
    ("hp_procurve", "show_lldp_info_remote-device"): ("show lldp info remote-device", ("neighbours",)),
    ("aruba_aoscx", "show_system"): ("show system", ("facts",)),
    ("aruba_aoscx", "show_module"): ("show module", ("members",)),
    ("aruba_aoscx", "show_mac-address-table"): ("show mac-address-table", ("macs",)),
    ("aruba_aoscx", "show_lldp_neighbors-info_detail"): ("show lldp neighbor-info detail", ("neighbours",)),
    ("fortinet", "get_system_status"): ("get system status", ("facts",)),
    ("fortinet", "get_system_ha_status"): ("get system ha status", ("members",)),
}
FACT_FIELDS = {  # message field <- corpus field, per platform
    "cisco_ios": {"name": "hostname", "firmware": "version", "serial": "serial", "model": "hardware"},
    "hp_procurve": {"name": "name", "firmware": "software_version", "serial": "serial"},
    "aruba_aoscx": {"name": "hostname", "firmware": "version", "serial": "serial", "model": "product"},
    "fortinet": {"name": "hostname", "serial": "serial_number", "firmware": "version", "model": "version"},
}


def _first(value: Any) -> str:
    return str((value[0] if value else "") if isinstance(value, list) else (value or "")).strip()


def expected(platform: str, kinds: tuple[str, ...], rows: list[dict[str, Any]]) -> dict[str, set[Any]]:
    """What the corpus says a message must carry, as comparable items per kind."""
    found: dict[str, set[Any]] = defaultdict(set)
    for kind in kinds:
        if kind == "facts" and rows:
            row = rows[0]
            for field, key in FACT_FIELDS[platform].items():
                value = _first(row.get(key))
                if platform == "fortinet" and key == "version":
                    version = MODEL_VERSION.match(value)
                    value = (version["version"] if field == "firmware" else version["model"]) if version else ""
                if value:
                    found["facts"].add((field, value))
        elif kind == "members":
            for row in rows:
                if platform == "cisco_ios":
                    serials = row["serial"] if "serial" in row else [row.get("sn")]
                elif platform == "fortinet":
                    serials = [row.get(f"ha_{role}_unit_serial") for role in ("master", "slave")]
                else:  # AOS-CX modules; ArubaOS-Switch member blocks
                    serials = [row.get("serial")] if platform == "aruba_aoscx" or row.get("member_id") else []
                found["members"] |= {s for s in (serials or []) if s}
        elif kind == "macs":
            for row in rows:
                port = port_name(_first(row.get("destination_port") or row.get("port")))
                mac = mac_text(row.get("destination_address") or row.get("mac_address"))
                if mac and not int(mac[:2], 16) & 1 and port.lower() not in NOT_A_PORT:
                    found["macs"].add((port, mac))
        elif kind == "neighbours":
            for row in rows:
                local = port_name(row.get("local_interface") or row.get("local_port"))
                name = row.get("neighbor_name") or row.get("neighbor") or row.get("neighbor_port_id")
                if local and name:
                    found["neighbours"].add((local, name))
    return found


def carried(message: dict[str, Any]) -> dict[str, set[Any]]:
    """The same items, as the message carries them."""
    sections = parse_sections(message["content"])
    device = sections["network_device"]
    sent: dict[str, set[Any]] = defaultdict(set)
    sent["facts"] = {(k, str(v)) for k, v in device.items() if v is not None}  # type: ignore[union-attr]
    sent["members"] = {c["serial"] for c in sections.get("network_components") or [] if c.get("serial")}  # type: ignore[union-attr]
    for port in sections.get("network_ports") or []:  # type: ignore[union-attr]
        for connection in port.get("connections") or []:
            if "mac" in connection:
                sent["macs"].add((port["name"], connection["mac"]))
            for name in (connection.get("sysname"), connection.get("ifdescr")):
                if name:
                    sent["neighbours"].add((port["name"], name))
    return sent


def samples() -> Iterator[tuple[str, str, Path]]:
    for (platform, folder), (command, _) in SAMPLES.items():
        for raw in sorted((CORPUS / platform / folder).glob("*.raw")):
            if raw.with_suffix(".yml").exists():
                yield platform, command, raw


def test_the_corpus_is_carried_in_the_messages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """One replayed device per sample (our recordings, that command's output from the corpus),
    inventoried concurrently as a collector run does."""
    runs = []
    for platform, command, raw in samples():
        outputs = recordings(platform) | {command: raw.read_text("utf-8", "replace")}
        device = ReplayDevice(f"corpus-{platform}", outputs, exec_commands=platform == "fortinet",
                              banner=PROCURVE_BANNER if platform == "hp_procurve" else "")  # fmt: skip
        runs.append((platform, raw, device.start()))
    try:
        results = inventory_all([(SshTarget("127.0.0.1", device.port, driver=platform, timeout=5),
                                  SshCredential("admin", "cisco")) for platform, _, device in runs],
                                tmp_path / "known_hosts", concurrency=12)  # fmt: skip
    finally:
        for _, _, device in runs:
            device.stop()
    score: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    lost: list[str] = []
    for (platform, raw, _), result in zip(runs, results, strict=True):
        kinds = SAMPLES[(platform, raw.parent.name)][1]
        rows = yaml.safe_load(raw.with_suffix(".yml").read_text("utf-8"))["parsed_sample"] or []
        wanted = expected(platform, kinds, rows)
        sent = carried(result.inventory) if result.inventory else {}
        for kind in kinds:
            hits = wanted.get(kind, set()) & sent.get(kind, set())
            score[(platform, kind)][0] += len(hits)
            score[(platform, kind)][1] += len(wanted.get(kind, set()))
            for item in sorted(wanted.get(kind, set()) - hits, key=str)[:3]:
                lost.append(f"{platform} {raw.name} {kind}: {item} ({result.status} {result.message[:80]})")
    table = _table(score)
    with capsys.disabled():
        print("\n" + table + ("\nnot carried (first ones):\n  " + "\n  ".join(lost[:30]) if lost else ""))
    for kind in ("facts", "members", "macs", "neighbours"):
        found = sum(v[0] for (_, k), v in score.items() if k == kind)
        total = sum(v[1] for (_, k), v in score.items() if k == kind)
        assert total and found / total >= 0.95, f"{kind}: {found}/{total}\n{table}\n" + "\n".join(lost)


def _table(score: dict[tuple[str, str], list[int]]) -> str:
    platforms = sorted({p for p, _ in score})
    lines = ["SSH corpus (ntc-templates outputs, replayed): carried in the message / expected",
             f"{'platform':<13}" + "".join(f"{kind:>18}" for kind in KINDS)]  # fmt: skip
    for platform in [*platforms, "all"]:
        cells = []
        for kind in KINDS:
            found, total = ((sum(v[0] for (p, k), v in score.items() if k == kind),
                             sum(v[1] for (p, k), v in score.items() if k == kind)) if platform == "all"
                            else score.get((platform, kind), [0, 0]))  # fmt: skip
            cells.append(f"{found}/{total} {100 * found / total:5.1f}%" if total else "-")
        lines.append(f"{platform:<13}" + "".join(f"{cell:>18}" for cell in cells))
    return "\n".join(lines)


def test_every_sample_folder_is_scored() -> None:
    assert sum(1 for _ in samples()) >= 50
    for platform, folder in SAMPLES:
        assert re.match(r"^[a-z_]+$", platform) and (CORPUS / platform / folder).is_dir(), folder
