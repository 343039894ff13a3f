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
    # A Linux host: Synology and QNAP first (they check an OID of their own), then plain Linux.
    linux = [p.id for p in candidates(profiles, "1.3.6.1.4.1.8072.3.2.10", "Linux nas 6.1")]
    assert linux[:3] in (["synology_dsm", "qnap_qts", "linux_net_snmp"], ["qnap_qts", "synology_dsm", "linux_net_snmp"])
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
