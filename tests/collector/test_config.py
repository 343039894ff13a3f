"""The collector's YAML configuration: ranges, credentials and limits, with errors that say where."""

from __future__ import annotations

from pathlib import Path

import pytest

from collector.config import MAX_RANGE, expand, load_config, parse_config
from collector.delivery import endpoints
from collector.errors import ConfigError


def test_a_full_configuration() -> None:
    config = parse_config({
        "server": "https://parc.example/t/mpe_abc/",
        "concurrency": 128,
        "credentials": {
            "public": {"version": "2c", "community": "public"},
            "dc": {"version": "3", "user": "mutuparc", "auth_protocol": "sha256", "auth_key": "k" * 12,
                   "priv_protocol": "aes", "priv_key": "p" * 12},
        },
        "targets": [{"host": "10.0.0.10", "credential": "dc", "asset_type": "nas"},
                    {"range": "10.0.1.0/30", "credential": "public", "port": 1161}],
        "discovery": {"ranges": ["10.0.2.1-10.0.2.3", "10.0.2.3"], "credentials": ["public"], "icmp": False},
    })  # fmt: skip
    assert [(t.host, t.port, t.credential) for t in config.targets] == [
        ("10.0.0.10", 161, "dc"), ("10.0.1.1", 1161, "public"), ("10.0.1.2", 1161, "public")]  # fmt: skip
    assert config.targets[0].asset_type == "nas"
    assert config.credentials["dc"].auth_protocol == "sha256"
    assert config.discovery_addresses() == ["10.0.2.1", "10.0.2.2", "10.0.2.3"]  # each once
    assert config.concurrency == 128 and config.discovery_icmp is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"targets": [{"host": "10.0.0.1", "credential": "nope"}]}, "targets[1]: unknown credential 'nope'"),
        ({"targets": [{"credential": "x"}]}, "targets[1]: a host or a range is required"),
        ({"credentials": {"x": {"version": "4"}}}, "credentials.x.version"),
        ({"credentials": {"x": {"version": "3"}}}, "credentials.x: SNMPv3 needs a user"),
        ({"credentials": {"x": {"version": "2c"}}}, "credentials.x: SNMPv2c needs a community"),
        ({"credentials": {"x": {"version": "3", "user": "u", "auth_protocol": "md4"}}}, "auth_protocol"),
        ({"credentials": {"x": {"community": "c", "colour": "red"}}}, "unknown keys colour"),
        (
            {"credentials": {"x": {"version": "3", "user": "u", "auth_key": "..."}}},
            "credentials.x.auth_key: at least 8 characters (RFC 3414)",
        ),
        (
            {"credentials": {"x": {"version": "3", "user": "u", "auth_key": "12345678", "priv_key": "short"}}},
            "credentials.x.priv_key: at least 8 characters",
        ),
        (
            {"credentials": {"x": {"version": "3", "user": "u", "priv_key": "12345678"}}},
            "privacy (priv_key) needs authentication (auth_key)",
        ),
        ({"concurrency": "lots"}, "concurrency: a number is expected"),
        ({"timeout": 0}, "timeout: must be positive"),
        ({"discovery": {"ranges": ["10.0.0.0/8"]}}, f"more than {MAX_RANGE} addresses"),
        ({"discovery": {"ranges": ["10.0.0.9-10.0.0.1"]}}, "ends before it starts"),
        ({"discovery": {"ranges": ["10.0.0.300"]}}, "discovery.ranges[1]"),
        ({"discovery": {"credentials": ["ghost"]}}, "discovery.credentials: unknown credential 'ghost'"),
        ({"discovery": {"timeout": "soon"}}, "discovery.timeout"),
    ],
)
def test_configuration_errors_say_where(data: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(ConfigError) as error:
        parse_config(data)
    assert message in str(error.value)


def test_a_broken_file_names_itself(tmp_path: Path) -> None:
    path = tmp_path / "collector.yml"
    path.write_text("targets: [unclosed\n")
    with pytest.raises(ConfigError, match=r"collector\.yml"):
        load_config(path)


def test_ranges() -> None:
    assert expand("192.168.1.0/30", "x") == ["192.168.1.1", "192.168.1.2"]
    assert expand("192.168.1.7", "x") == ["192.168.1.7"]
    assert expand("192.168.1.254-192.168.2.1", "x") == ["192.168.1.254", "192.168.1.255", "192.168.2.0", "192.168.2.1"]


def test_server_url_with_a_token_gives_the_agent_endpoint_and_the_api() -> None:
    assert endpoints("https://parc.example/t/mpe_abc/", None) == (
        "https://parc.example/t/mpe_abc/", "https://parc.example/", "mpe_abc")  # fmt: skip
    assert endpoints("https://x.example/mutuparc/", "mpe_z") == (
        "https://x.example/mutuparc/", "https://x.example/mutuparc/", "mpe_z")  # fmt: skip


def test_credentials_may_come_from_the_server() -> None:
    data = {"server": "https://parc.example/t/mpe_abc/", "credentials_from_server": True,
            "credentials": {"local": {"community": "mine"}},
            "targets": [{"host": "10.0.0.1", "credential": "datacenter"},
                        {"host": "10.0.0.2", "credential": "local"}]}  # fmt: skip
    config = parse_config(data)
    with pytest.raises(ConfigError, match="unknown credentials datacenter: define them on the server or in the file"):
        config.check_credentials()
    config.add_server_credentials({"datacenter": {"version": "3", "user": "u", "auth_key": "k" * 8},
                                   "local": {"community": "from-the-server"}})  # fmt: skip
    assert config.credentials["datacenter"].user == "u"
    assert config.credentials["local"].community == "mine"  # the file wins
    with pytest.raises(ConfigError, match="needs a server"):
        parse_config({"credentials_from_server": True})
