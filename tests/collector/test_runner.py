"""Collection runs against real agents: net-snmp snmpd (this machine, v2c and v3) and snmpsim.

Good, dead, refused and broken devices share one run; each gets its own status and the run
goes on.
"""

from __future__ import annotations

import asyncio
import dataclasses
import socket

import jsonschema
import psutil

from collector.config import CollectorConfig
from collector.profiles import load_profiles
from collector.runner import RunSummary, poll_all
from collector.snmp.session import Credential
from tests.support.snmp_agents import SNMPD_AUTH_KEY, SNMPD_PRIV_KEY, SNMPD_USER, free_udp_port
from wire.glpi_json import parse_sections

from .conftest import BIG_SWITCH_PORTS, add_target, simulated

V3 = Credential(version="3", name="v3", user=SNMPD_USER, auth_protocol="sha256", auth_key=SNMPD_AUTH_KEY,
                priv_protocol="aes", priv_key=SNMPD_PRIV_KEY)  # fmt: skip
V2C = Credential(version="2c", name="v2c", community="public")


def run(config: CollectorConfig) -> RunSummary:
    return asyncio.run(poll_all(config.targets, config, load_profiles()))


def by_name(summary: RunSummary) -> dict:  # type: ignore[type-arg]
    return {result.target.name: result for result in summary.results}


def test_snmpd_inventories_this_machine_over_v2c_and_v3_authpriv(snmpd, glpi_schema) -> None:  # type: ignore[no-untyped-def]
    config = CollectorConfig(timeout=2.0, retries=1)
    add_target(config, ("127.0.0.1", snmpd.port), "v2c", V2C)
    add_target(config, ("127.0.0.1", snmpd.port), "v3", V3)
    results = by_name(run(config))

    for name in ("v2c", "v3"):
        result = results[name]
        assert (result.status, result.profile) == ("ok", "linux_net_snmp"), result.message
        jsonschema.validate(result.inventory, glpi_schema)
        sections = parse_sections(result.inventory["content"])
        assert sections["network_device"]["name"] == socket.gethostname()
        assert {p["name"] for p in sections["network_ports"]} >= set(psutil.net_if_addrs())
        root = next(v for v in sections["drives"] if v["mount"] == "/")
        assert abs(root["total_bytes"] - psutil.disk_usage("/").total) < 2**20 * 2  # both in MB on the wire
        assert all(not v["mount"].startswith(("/dev", "/sys", "/run", "/proc")) for v in sections["drives"])
        metrics = {(m["name"], m["instance"]) for m in sections["mutuparc_metrics"]}
        assert ("volume.used_bytes", "/") in metrics


def test_one_run_mixes_good_dead_refused_and_unknown_devices(snmpd, snmpsim) -> None:  # type: ignore[no-untyped-def]
    config = simulated(snmpsim, "cisco_ios", "mib2_generic", timeout=0.5, retries=0)
    add_target(config, ("127.0.0.1", snmpd.port), "v3", V3)
    wrong_key = dataclasses.replace(V3, name="wrong-key", auth_key="not-the-key-at-all")
    add_target(config, ("127.0.0.1", snmpd.port), "wrong-key", wrong_key)
    wrong_user = dataclasses.replace(V3, name="wrong-user", user="nobody")
    add_target(config, ("127.0.0.1", snmpd.port), "wrong-user", wrong_user)
    add_target(config, ("127.0.0.1", snmpd.port), "wrong-community", Credential(name="bad", community="secret"))
    add_target(config, ("127.0.0.1", free_udp_port()), "dead", V2C)

    summary = run(config)
    results = by_name(summary)
    statuses = {name: result.status for name, result in results.items()}
    assert statuses == {
        "cisco_ios": "ok",
        "mib2_generic": "unknown_profile",
        "v3": "ok",
        "wrong-key": "wrong_auth",
        "wrong-user": "unknown_user",
        "wrong-community": "timeout",  # a v2c agent stays silent on a wrong community
        "dead": "timeout",
    }
    assert "credentials refused" in results["wrong-key"].message
    assert "no SNMP answer" in results["dead"].message
    assert "1.3.6.1.4.1.368.4" in results["mib2_generic"].message  # the sysObjectID to write a profile for
    assert results["mib2_generic"].inventory is not None  # still inventoried, with the standard MIBs
    assert all(results[n].inventory is None for n in ("wrong-key", "dead"))
    assert summary.counts == {"ok": 2, "unknown_profile": 1, "timeout": 2, "wrong_auth": 1, "unknown_user": 1}
    assert summary.line().startswith("7 devices in ")
    assert summary.line().endswith(": 2 ok, 1 unknown profile, 2 timeout, 1 wrong auth, 1 unknown user")


def test_a_device_that_never_finishes_is_cut_by_the_deadline() -> None:
    # Retries that would last 20 s on a silent device; the device deadline stops it at 1 s.
    config = CollectorConfig(timeout=5.0, retries=3, deadline=1.0)
    add_target(config, ("127.0.0.1", free_udp_port()), "silent", V2C)
    result = run(config).results[0]
    assert result.status == "timeout"
    assert result.message == "no complete answer within 1 s"


def test_broken_agent_values_are_cleaned_and_the_rest_is_kept(snmpsim, glpi_schema) -> None:  # type: ignore[no-untyped-def]
    result = run(simulated(snmpsim, "broken_switch")).results[0]
    assert (result.status, result.profile) == ("ok", "generic_switch"), result.message
    jsonschema.validate(result.inventory, glpi_schema)
    sections = parse_sections(result.inventory["content"])
    device = sections["network_device"]
    assert device["name"] == "Mairie de Férolles"  # Latin-1, NUL and BEL removed
    assert device["location"].startswith("Salle")
    ports = {p["ifnumber"]: p for p in sections["network_ports"]}
    assert ports[1]["mac"] is None and ports[2]["mac"] is None  # 4 octets, all zeros: no MAC
    assert ports[2]["name"] == "port\xff2"  # not UTF-8: read as Latin-1, kept
    # Only the well-formed forwarding entry on a known port survives; LLDP rows without a port go.
    assert ports[1]["connections"] == [{"mac": "00:26:73:5f:aa:05"}]
    assert not ports[2].get("connections")
    components = sections.get("network_components") or []
    assert [c["type"] for c in components] == [None]  # an ENTITY class out of range is not guessed


def test_a_device_missing_most_of_its_mib_is_still_inventoried(snmpsim) -> None:  # type: ignore[no-untyped-def]
    result = run(simulated(snmpsim, "nas_missing_mibs")).results[0]
    assert (result.status, result.profile) == ("ok", "synology_dsm"), result.message
    sections = parse_sections(result.inventory["content"])
    assert sections["network_device"]["model"] == "DS220+"
    assert sections["network_device"]["serial"] is None
    assert not sections.get("storages") and not sections.get("drives")


def test_a_huge_table_is_cut_at_the_row_limit_with_a_warning(snmpsim) -> None:  # type: ignore[no-untyped-def]
    result = run(simulated(snmpsim, "big_switch", max_rows=500)).results[0]
    assert result.status == "ok", result.message
    sections = parse_sections(result.inventory["content"])
    assert len(sections["network_ports"]) == 500 < BIG_SWITCH_PORTS
    assert any("cut at 500 rows" in w for w in result.warnings)

    whole = run(simulated(snmpsim, "big_switch")).results[0]
    assert len(parse_sections(whole.inventory["content"])["network_ports"]) == BIG_SWITCH_PORTS
    assert whole.warnings == []
