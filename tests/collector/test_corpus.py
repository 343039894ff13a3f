"""Identification scored on a corpus of real devices' recordings (tests/collector/corpus/README.md).

Every recording is polled through a real snmpsim, as a collector would in one run; each device's
expected values (written from the recording and LibreNMS's expected results, not from what the
collector reads) are compared cell by cell: type, manufacturer, model, serial, firmware, and the
family's own facts where the file gives them (``counts``: disks of a NAS...). The
score is printed per family; the test fails under the floor, a real threshold that only goes up.

A second test serves profiles' recordings with their sysObjectID changed to an enterprise nobody
knows: the standard MIBs they carry (and the vendor's private MIB) must still say what they are.
The last ones poll a real snmpd with wrong SNMPv3 credentials: each cause its own reason and message.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collector.config import CollectorConfig
from collector.profiles import load_profiles
from collector.runner import poll_all
from collector.snmp.session import Credential
from tests.conftest import need
from tests.support.snmp_agents import SnmpSimulator, recordings, snmpsim_command
from wire.glpi_json import parse_sections

from .conftest import add_target

CORPUS = Path(__file__).parent / "corpus"
CELLS = ("asset_type", "manufacturer", "model", "serial", "firmware")
FLOOR = 0.99  # share of applicable cells right, over the whole corpus (242/242 reached)
FAMILY_FLOOR = 0.97  # and in each family (every family at 100 % today)
MIN_DEVICES = 82  # the issue asks for 60 (README.md); only goes up
UNKNOWN_ENTERPRISE = "1.3.6.1.4.1.99999.1.1"
# Profiles' recordings served with an unknown sysObjectID, and what must still come out.
UNKNOWN: dict[str, dict[str, str]] = {
    "cisco_ios": {"asset_type": "switch", "model": "WS-C2960X-48FPD-L", "serial": "FOC2031X0AB"},
    "eaton_xups": {"asset_type": "ups", "model": "Eaton 9PX 6000i RT3U", "serial": "G118K32011"},
    "synology_dsm": {"asset_type": "nas", "model": "DS1821+", "serial": "2150PDN512347"},
    "printer_mib_generic": {"asset_type": "printer", "model": "TASKalfa 2554ci", "serial": "W4G8Z01234"},
}


def corpus() -> dict[str, tuple[Path, dict[str, Any]]]:
    """Every corpus device: its recording and its expected values, by name (``<family>_<file>``)."""
    found = {}
    for path in sorted(CORPUS.glob("*/*.snmprec")):
        expected = json.loads(path.with_suffix(".json").read_text("utf-8"))
        found[f"corpus_{path.parent.name}_{path.stem}"] = (path, expected)
    return found


def _unknown_enterprise(path: Path, target: Path) -> Path:
    lines = path.read_text("utf-8").splitlines()
    changed = [f"1.3.6.1.2.1.1.2.0|6|{UNKNOWN_ENTERPRISE}" if line.startswith("1.3.6.1.2.1.1.2.0|") else line
               for line in lines]  # fmt: skip
    target.write_text("\n".join(changed) + "\n", "utf-8")
    return target


@pytest.fixture(scope="module")
def polled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    need(snmpsim_command() is not None, "snmpsim is not installed (make snmpsim)")
    directory = tmp_path_factory.mktemp("unknown-enterprise")
    extra = {name: path for name, (path, _) in corpus().items()}
    shipped = recordings()
    for name in UNKNOWN:
        extra[f"unknown_{name}"] = _unknown_enterprise(shipped[name], directory / f"unknown_{name}.snmprec")
    simulator = SnmpSimulator.start(only=(), extra=extra)
    try:
        config = CollectorConfig(timeout=1.0, retries=1, deadline=60.0)  # type: ignore[call-arg]
        for name in extra:
            add_target(config, simulator.endpoints[0], name, Credential(version="2c", name=name, community=name))
        summary = asyncio.run(poll_all(config.targets, config, load_profiles()))
        yield {result.target.name: result for result in summary.results}
    finally:
        simulator.stop()


def _sections(result: Any) -> dict[str, Any]:
    assert result.inventory, f"{result.target.name}: {result.status} {result.message}"
    return parse_sections(result.inventory["content"])


def _device(result: Any) -> dict[str, Any]:
    return _sections(result)["network_device"]


def _same(got: Any, wanted: Any) -> bool:
    def norm(value: Any) -> str:
        return re.sub(r"\s+", " ", str(value or "")).strip().casefold()

    return norm(got) == norm(wanted)


def test_the_corpus_is_identified(polled: dict[str, Any], capsys: pytest.CaptureFixture[str]) -> None:
    devices = corpus()
    score: dict[str, list[int]] = {}
    misses = []
    for name, (_, expected) in sorted(devices.items()):
        device, sections = _device(polled[name]), _sections(polled[name])
        family = score.setdefault(expected["family"], [0, 0, 0])
        family[2] += 1
        cells = [(cell, device.get(cell), expected["expect"][cell]) for cell in CELLS if cell in expected["expect"]]
        cells += [(f"{section} count", len(sections.get(section) or []), count)
                  for section, count in expected.get("counts", {}).items()]  # fmt: skip
        for cell, got, wanted in cells:
            family[1] += 1
            if _same(got, wanted):
                family[0] += 1
            else:
                misses.append(f"{name}: {cell} {got!r} != {wanted!r}")
    right, applicable = sum(s[0] for s in score.values()), sum(s[1] for s in score.values())
    lines = [f"{'family':<10} {'devices':>7} {'right/applicable':>17} {'score':>6}"]
    lines += [f"{family:<10} {n:>7} {f'{r}/{a}':>17} {r / a:>6.0%}" for family, (r, a, n) in sorted(score.items())]
    lines.append(f"{'all':<10} {len(devices):>7} {f'{right}/{applicable}':>17} {right / applicable:>6.0%}")
    with capsys.disabled():
        print("\nSNMP corpus identification\n" + "\n".join(lines))
        if misses:
            print("misses:\n  " + "\n  ".join(misses))
    assert len(devices) >= MIN_DEVICES, f"{len(devices)} devices in the corpus"
    assert right / applicable >= FLOOR, "\n".join(misses)
    for family, (r, a, _) in score.items():
        assert r / a >= FAMILY_FLOOR, f"{family}: {r}/{a}"


@pytest.mark.parametrize("recording", sorted(UNKNOWN))
def test_an_unknown_enterprise_is_still_identified_by_its_mibs(recording: str, polled: dict[str, Any]) -> None:
    device = _device(polled[f"unknown_{recording}"])
    assert {k: device.get(k) for k in UNKNOWN[recording]} == UNKNOWN[recording]


# What a wrong SNMPv3 credential gives against a real net-snmp snmpd: one cause each, a one-line
# message naming the target and the credential and saying what to fix.
V3_CASES = {
    "wrong-privacy-key": ({"priv_key": "not-the-privacy-key"}, "privacy", "wrong privacy key, or it does not use AES"),
    "wrong-privacy-protocol": ({"priv_protocol": "des"}, "privacy", "it does not use DES"),
    "wrong-auth-protocol": ({"auth_protocol": "md5"}, "wrong_digest", "wrong auth key, or the device does not use MD5"),
    "wrong-auth-key": ({"auth_key": "not-the-key-at-all"}, "wrong_digest", "wrong auth key"),
    "unknown-user": ({"user": "nobody"}, "unknown_user", "knows no SNMPv3 user 'nobody'"),
    "short-key": ({"priv_key": "abc"}, "short_key", "privacy key has 3 characters, at least 8 needed"),
}


@pytest.mark.parametrize("case", sorted(V3_CASES))
def test_a_wrong_snmpv3_credential_says_what_to_fix(case: str, snmpd) -> None:  # type: ignore[no-untyped-def]
    from collector.snmp.session import Channels, CredentialRefused, SnmpSession
    from tests.support.snmp_agents import SNMPD_AUTH_KEY, SNMPD_PRIV_KEY, SNMPD_USER

    change, reason, words = V3_CASES[case]
    good = Credential(version="3", name="dsit-v3", user=SNMPD_USER, auth_protocol="sha256", auth_key=SNMPD_AUTH_KEY,
                      priv_protocol="aes", priv_key=SNMPD_PRIV_KEY)  # fmt: skip
    credential = dataclasses.replace(good, name=case, **change)

    async def poll() -> None:
        channels = Channels()
        try:
            await SnmpSession(channels, "127.0.0.1", credential, port=snmpd.port, timeout=0.5, retries=0).get(
                ["1.3.6.1.2.1.1.5.0"]
            )
        finally:
            channels.close()

    with pytest.raises(CredentialRefused) as refused:
        asyncio.run(poll())
    message = str(refused.value)
    assert refused.value.reason == reason, refused.value.reason
    assert refused.value.status == {"privacy": "wrong_privacy", "wrong_digest": "wrong_auth"}.get(reason, reason)
    assert message.startswith(f"127.0.0.1:{snmpd.port} (credential {case}, user "), message
    assert words in message and "\n" not in message


def test_a_silent_snmpv3_device_is_still_a_timeout() -> None:
    from collector.errors import DeviceTimeout
    from collector.snmp.session import Channels, SnmpSession
    from tests.support.snmp_agents import free_udp_port

    credential = Credential(version="3", name="dsit-v3", user="u", auth_key="authkey-123", priv_key="privkey-123")
    port = free_udp_port()

    async def poll() -> None:
        channels = Channels()
        try:
            await SnmpSession(channels, "127.0.0.1", credential, port=port, timeout=0.3, retries=0).get(
                ["1.3.6.1.2.1.1.5.0"]
            )
        finally:
            channels.close()

    with pytest.raises(DeviceTimeout, match=rf"127\.0\.0\.1:{port} \(credential dsit-v3, user u\): no SNMP answer"):
        asyncio.run(poll())
