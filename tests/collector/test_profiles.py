"""Device profiles are data: checked when loaded, with errors that name the file and the place."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

import device_profiles
from collector.errors import ConfigError
from collector.profiles import candidates, load_profiles
from collector.snmp.transforms import apply, compile_expression, compile_transforms, text


def _profiles_with(tmp_path: Path, name: str, body: str) -> Path:
    root = tmp_path / "snmp"
    shutil.copytree(device_profiles.SNMP / "modules", root / "modules")
    (root / "custom").mkdir()
    (root / "custom" / f"{name}.yaml").write_text(body, "utf-8")
    return root


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("id: wrong_name\n", "id 'wrong_name' must be the file name 'mine'"),
        ("id: mine\nfields: {model: {oid: 'not an oid'}}\n", "fields/model/oid"),
        ("id: mine\nfields: {colour: {value: red}}\n", "fields"),
        ("id: mine\nmodules: [nope]\n", "unknown modules nope"),
        ("id: mine\nfields: {model: {oid: 1.3.6.1.2.1.1.1.0, transforms: [shout]}}\n", "unknown transform 'shout'"),
        ("id: mine\nfields: {model: {oid: 1.3.6.1.2.1.1.1.0, transforms: [{regex: '(('}]}}\n", "transform regex"),
        ("id: mine\ndetect: {sysdescr: '(('}\n", "detect.sysdescr"),
        ("id: mine\ntables: {drives: {columns: {x: {expr: '__import__(\"os\")'}}}}\n", "only + - * /"),
        ("id: mine\nmetrics: [{name: a.b, table: nowhere, column: x}]\n", "no table 'nowhere'"),
        ("id: mine\nunknown_key: 1\n", "Additional properties are not allowed"),
        ("- a list\n", "a profile is a mapping"),
        ("id: [unclosed\n", "mine.yaml"),
    ],
)
def test_a_broken_profile_is_refused_with_where_and_why(tmp_path: Path, body: str, message: str) -> None:
    root = _profiles_with(tmp_path, "mine", body)
    with pytest.raises(ConfigError, match=r"mine\.yaml") as error:
        load_profiles.__wrapped__(root)
    assert message in str(error.value)


def test_shipped_profiles_load_and_every_family_is_there() -> None:
    profiles = load_profiles()
    types = {p.asset_type for p in profiles.values()}
    assert {"switch", "firewall", "ups", "nas", "server", "other"} <= types
    assert sum(p.detect.fallback for p in profiles.values()) == 1  # exactly one generic fallback


def test_detection_prefers_the_most_specific_profile() -> None:
    profiles = load_profiles().values()
    iosxe = "Cisco IOS Software [Cupertino], Catalyst L3 Switch Software (CAT9K_IOSXE), Version 17.9.4a"
    ios = "Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E9"
    assert candidates(profiles, "1.3.6.1.4.1.9.1.2494", iosxe)[0].id == "cisco_iosxe"
    assert candidates(profiles, "1.3.6.1.4.1.9.1.1208", ios)[0].id == "cisco_ios"
    # A Linux host: Synology, QNAP, UPS cards first (they check an OID of their own), then plain Linux.
    linux = [p.id for p in candidates(profiles, "1.3.6.1.4.1.8072.3.2.10", "Linux nas 6.1")]
    first = linux[: linux.index("linux_net_snmp")]
    assert {"synology_dsm", "qnap_qts"} <= set(first)
    by_id = load_profiles()
    checks = [by_id[p].required("1.3.6.1.4.1.8072.3.2.10") or by_id[p].detect.exists_any for p in first]
    assert all(checks), "only those checking an OID of theirs"
    assert linux[-1] == "mib2_generic"
    # A prefix must end on an arc: 1.3.6.1.4.1.90 is not Cisco's 1.3.6.1.4.1.9
    assert "cisco_ios" not in [p.id for p in candidates(profiles, "1.3.6.1.4.1.90.1", ios)]


def test_transforms_turn_agent_values_into_clean_ones() -> None:
    def run(spec: list, value: object) -> object:  # type: ignore[type-arg]
        return apply(compile_transforms(spec, "test"), value, as_text=False)

    assert text(b"Mairie de F\xe9rolles\x00") == "Mairie de Férolles"  # Latin-1, NUL removed
    assert text("caf\u00e9".encode()) == "café"
    assert run(["mac"], b"\x00\x11\x32\x9c\x4d\xe1") == "00:11:32:9c:4d:e1"
    assert run(["mac"], b"\x00" * 6) is None
    assert run(["mac"], "00-11-32-9C-4D-E1") == "00:11:32:9c:4d:e1"
    assert run(["date_and_time"], bytes([0x07, 0xE6, 3, 21, 10, 0, 0, 0])) == dt.date(2022, 3, 21)
    assert run(["date_and_time"], b"\x07\xe6\x0d\x01\x00\x00\x00\x00") is None  # month 13
    assert run(["size"], "3.58 TB") == 3_580_000_000_000
    assert run(["size_binary"], "7.28 TB") == int(7.28 * 2**40)
    assert run(["integer"], "36 C/96 F") == 36
    assert run([{"regex": r"Version ([^,\s]+)"}], "Cisco IOS, Version 15.2(7)E9, RELEASE") == "15.2(7)E9"
    assert run([{"regex": "nothing here"}], "abc") is None
    assert run([{"date": "%m/%d/%Y"}], "03/21/2022") == dt.date(2022, 3, 21)
    assert run([{"date": "%m/%d/%Y"}], "fail") is None
    assert run([{"map": {1: "normal", 2: "low"}}], 2) == "low"
    assert run([{"divide": 6000}], 276000) == 46
    assert run(["uptime"], 8640000 * 3 + 4242) == "3 days, 00:00:42.42"
    assert run([{"replace": ["FGT_", "FortiGate "]}], "FGT_60F") == "FortiGate 60F"


def test_column_expressions_are_arithmetic_only() -> None:
    evaluate, names = compile_expression("(_size - _used) * _units", "test")
    assert names == {"_size", "_used", "_units"}
    assert evaluate({"_size": 10, "_used": 4, "_units": 4096}) == 24576
    assert evaluate({"_size": 10, "_used": None, "_units": 4096}) is None  # a missing column: no value
    assert compile_expression("a / b", "test")[0]({"a": 1, "b": 0}) is None
    for source in ("a.b", "f(a)", "a ** 2", "'text'", "[a]"):
        with pytest.raises(ConfigError):
            compile_expression(source, "test")


def test_regex_named_groups_take_the_first_that_matched() -> None:
    firmware = compile_transforms([{"regex": r"(?:Firmware Ver\.(?P<new>\S+)|Ver (?P<old>\S+))"}], "test")
    assert apply(firmware, "Brother NC-8300h, Firmware Ver.1.14  (14.11.06)") == "1.14"
    assert apply(firmware, "Printer Ver 2.0") == "2.0"


def test_text_values_lose_stray_backslashes_and_quotes() -> None:
    from collector.snmp.extract import _clean

    assert _clean("\\4.3.3") == "4.3.3"
    assert _clean('\\"4.3.3') == "4.3.3"
    assert _clean("  TS-873A ") == "TS-873A"
    assert _clean("\\") is None
    assert _clean(42) == 42


def test_the_enterprise_number_names_the_manufacturer() -> None:
    from collector.profiles import enterprise_manufacturer

    assert enterprise_manufacturer("1.3.6.1.4.1.2435.2.3.9.1") == "Brother"
    assert enterprise_manufacturer(".1.3.6.1.4.1.171.10.153.7.1") == "D-Link"
    assert enterprise_manufacturer("1.3.6.1.4.1.8072.3.2.10") is None  # Net-SNMP is an agent, not a maker
    assert enterprise_manufacturer("1.3.6.1.4.1.99999.1") is None
    assert enterprise_manufacturer("1.3.6.1.2.1.1") is None


def test_a_vendor_private_oid_identifies_a_device_whatever_its_sysobjectid() -> None:
    profiles = load_profiles()
    apc = profiles["apc_powernet"]
    assert apc.score("1.3.6.1.4.1.99999.1", "") is not None  # a candidate...
    assert apc.required("1.3.6.1.4.1.99999.1") == ["1.3.6.1.4.1.318.1.1.1.1.1.1.0"] * 2  # ...if its model answers
    assert apc.score("1.3.6.1.4.1.318.1.3.27", "")[0] > apc.score("1.3.6.1.4.1.99999.1", "")[0]  # type: ignore[index]
    cisco = profiles["cisco_ios"]
    assert cisco.score("1.3.6.1.4.1.99999.1", "Cisco IOS Software") is None  # no private OID: sysObjectID required


def test_lldp_rows_of_each_time_mark_and_cdp_give_each_neighbour_once() -> None:
    from collector.snmp.extract import _cdp, _lldp

    lldp = {"rem_sys_name": "9", "rem_port_desc": "8", "loc_port_id": "3", "rem_chassis_id": "5"}
    cdp = {"device_id": "6", "device_port": "7", "address": "4", "version": "5v"}
    walked = {
        "9": {"100.8.1": b"core-dc", "200.8.1": b"core-dc", "200.9.1": b"ap-hall"},  # two time marks for core-dc
        "8": {"100.8.1": b"Gi1/0/24", "200.8.1": b"Gi1/0/24", "200.9.1": b"eth0"},
        "3": {"8": b"Gi1/0/8", "9": b"Gi1/0/9"},
        "6": {"8.1": b"core-dc", "10.1": b"phone-accueil"},
        "7": {"8.1": b"GigabitEthernet1/0/24", "10.1": b"Port 1"},
        "4": {"8.1": b"\x0a\x14\x1e\x01", "10.1": b"\x0a\x14\x1e\x32"},
    }
    ports = [
        {"ifnumber": 8, "name": "Gi1/0/8"},
        {"ifnumber": 9, "name": "Gi1/0/9"},
        {"ifnumber": 10, "name": "Gi1/0/10"},
    ]
    _lldp(ports, walked, lldp)
    _cdp(ports, walked, cdp)
    # core-dc once: two LLDP time marks, then CDP adding its address
    assert ports[0]["connections"] == [{"sysname": "core-dc", "ifdescr": "Gi1/0/24", "ip": "10.20.30.1"}]
    assert ports[1]["connections"] == [{"sysname": "ap-hall", "ifdescr": "eth0"}]
    assert ports[2]["connections"] == [{"sysname": "phone-accueil", "ifdescr": "Port 1", "ip": "10.20.30.50"}]
    assert all(p["lldp"] for p in ports)


def test_an_agent_without_sysobjectid_is_judged_on_its_sysdescr_and_a_value_can_prove_a_vendor() -> None:
    profiles = load_profiles()
    sharp, xerox = profiles["sharp"], profiles["xerox"]
    assert sharp.score("", "SHARP MX-2614N") is not None  # no sysObjectID: its sysDescr rule decides
    assert sharp.score("1.3.6.1.4.1.99999.1", "SHARP MX-2614N") is None  # another maker's sysObjectID: not Sharp
    assert xerox.score("", "Xerox Phaser 4600") is None  # a profile without a sysDescr rule does not guess
    qnap = profiles["qnap_qts"]  # entPhysicalMfgName "QNAP Systems, Inc." stands for a sysObjectID
    assert qnap.detect.value is not None and qnap.detect.value[1].search("QNAP Systems, Inc.")
    assert qnap.score("", "Linux TS-X31 4.2.2") is not None
    assert next(p.id for p in candidates(profiles.values(), "", "Linux TS-X31 4.2.2")) == "qnap_qts"


def test_an_uplink_aggregate_and_its_members_are_trunks_not_access_ports() -> None:
    from collector.snmp.extract import _aggregates

    spec = {"lag_attached": "1", "if_stack_status": "2"}
    ports = [
        {"ifnumber": 1, "name": "Gi1/0/1", "lldp": True},  # member of Po1, with a neighbour switch
        {"ifnumber": 2, "name": "Gi1/0/2"},  # member of Po1
        {"ifnumber": 3, "name": "Gi1/0/3"},  # member of ae0 (ifStackTable), towards a server
        {"ifnumber": 4, "name": "Gi1/0/4"},  # under a VLAN interface: not an aggregate
        {"ifnumber": 100, "name": "Po1", "iftype": 53},
        {"ifnumber": 200, "name": "ae0", "iftype": 161},
        {"ifnumber": 300, "name": "Vlan10", "iftype": 53},
    ]
    walked = {"1": {"1": 100, "2": 100, "3": 0}, "2": {"200.3": 1, "300.4": 1, "200.0": 1}}
    _aggregates(ports, walked, spec)
    by_name = {p["name"]: p for p in ports}
    assert by_name["Po1"]["aggregate"] == [1, 2] and by_name["ae0"]["aggregate"] == [3]
    assert [p["name"] for p in ports if p.get("trunk")] == ["Gi1/0/1", "Gi1/0/2", "Po1"]  # ae0 leads to no switch
    assert "aggregate" not in by_name["Vlan10"]
