"""Collector settings (YAML): the server, named credentials, targets and discovery ranges.

server: https://parc.example/t/mpe_xxxx/      # a collector enrolment token
concurrency: 64                               # devices polled at once
timeout: 2.0                                  # seconds per SNMP request...
retries: 1                                    # ...and how many times it is retried
deadline: 60                                  # seconds for a whole device, whatever happens
max_rows: 50000                               # rows read per table column (huge MAC tables)
credentials:                                  # secrets: keep this file readable by the collector only
  public: {version: 2c, community: public}
  datacenter: {version: "3", user: mutuparc, auth_protocol: sha256, auth_key: "auth-pass-phrase",
               priv_protocol: aes, priv_key: "priv-pass-phrase"}
targets:
  - {host: 10.0.0.10, credential: datacenter, asset_type: nas}
  - {range: 10.0.1.0/28, credential: public}
discovery:                                    # sweep: what answers and is not in the inventory
  ranges: [10.0.2.0/24]
  credentials: [public, datacenter]           # tried in turn on each address
  icmp: true                                  # ping first (when the system allows it)
  timeout: 1.0                                # seconds per probe
  port: 161
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from agent.config import default_state_dir

from .errors import ConfigError
from .snmp.session import AUTH_PROTOCOLS, PRIV_PROTOCOLS, Credential

MAX_RANGE = 4096  # addresses in one range: a typo (/8) must not start a sweep of a whole network


@dataclass(frozen=True, slots=True)
class Target:
    host: str
    credential: str
    port: int = 161
    asset_type: str | None = None  # overrides the profile's (a Linux host that is a NAS)
    name: str | None = None


@dataclass
class CollectorConfig:
    server: str | None = None
    token: str | None = None
    ca_file: str | None = None
    state_dir: Path = field(default_factory=lambda: default_state_dir("collector"))
    concurrency: int = 64
    timeout: float = 2.0
    retries: int = 1
    deadline: float = 60.0
    max_rows: int = 50_000  # rows read per table column: a switch's MAC table can be huge
    credentials: dict[str, Credential] = field(default_factory=dict)
    credentials_from_server: bool = False
    targets: list[Target] = field(default_factory=list)
    discovery_ranges: list[str] = field(default_factory=list)
    discovery_credentials: list[str] = field(default_factory=list)
    discovery_icmp: bool = True
    discovery_timeout: float = 1.0
    discovery_port: int = 161
    ssh: Any = None  # collector.ssh.config.SshSettings when the file has an ``ssh:`` section

    def add_server_credentials(self, specs: dict[str, Any]) -> None:
        """Credentials the server keeps for this collector's member; the file's own take precedence."""
        for name, spec in specs.items():
            if name not in self.credentials:
                self.credentials[name] = _credential(name, spec)
        self.check_credentials()

    def check_credentials(self) -> None:
        used = [t.credential for t in self.targets] + self.discovery_credentials
        unknown = sorted({name for name in used if name not in self.credentials})
        if unknown:
            where = "on the server or in the file" if self.credentials_from_server else "in credentials"
            raise ConfigError(f"unknown credentials {', '.join(unknown)}: define them {where}")

    def discovery_addresses(self) -> list[str]:
        """Every address of the discovery ranges, in order, once."""
        addresses: dict[str, None] = {}
        for number, text in enumerate(self.discovery_ranges, start=1):
            addresses.update(dict.fromkeys(expand(text, f"discovery.ranges[{number}]")))
        return list(addresses)


def expand(range_text: str, where: str) -> list[str]:
    """Addresses of a range: a CIDR network (hosts only), a single address, or "first-last"."""
    try:
        if "-" in range_text:
            first, last = (ipaddress.ip_address(p.strip()) for p in range_text.split("-", 1))
            if int(last) < int(first):
                raise ValueError("the range ends before it starts")
            count = int(last) - int(first) + 1
            addresses = [str(ipaddress.ip_address(int(first) + i)) for i in range(min(count, MAX_RANGE + 1))]
        else:
            network = ipaddress.ip_network(range_text.strip(), strict=False)
            hosts = network.hosts() if network.num_addresses > 2 else iter(network)
            addresses = [str(a) for _, a in zip(range(MAX_RANGE + 1), hosts, strict=False)]
    except ValueError as exc:
        raise ConfigError(f"{where}: {range_text!r}: {exc}") from None
    if len(addresses) > MAX_RANGE:
        raise ConfigError(f"{where}: {range_text!r} has more than {MAX_RANGE} addresses: split it")
    return addresses


MIN_USM_KEY = 8


def _credential(name: str, spec: Any) -> Credential:
    if not isinstance(spec, dict):
        raise ConfigError(f"credentials.{name}: a mapping is expected")
    version = str(spec.get("version", "2c"))
    if version not in ("1", "2c", "3"):
        raise ConfigError(f"credentials.{name}.version: 1, 2c or 3, not {version!r}")
    if version == "3":
        if not spec.get("user"):
            raise ConfigError(f"credentials.{name}: SNMPv3 needs a user")
        if str(spec.get("auth_protocol", "sha")) not in AUTH_PROTOCOLS:
            raise ConfigError(f"credentials.{name}.auth_protocol: one of {', '.join(AUTH_PROTOCOLS)}")
        if str(spec.get("priv_protocol", "aes")) not in PRIV_PROTOCOLS:
            raise ConfigError(f"credentials.{name}.priv_protocol: one of {', '.join(PRIV_PROTOCOLS)}")
        for key in ("auth_key", "priv_key"):  # RFC 3414: a pass phrase has at least 8 characters
            if key in spec and len(str(spec[key])) < MIN_USM_KEY:
                raise ConfigError(f"credentials.{name}.{key}: at least {MIN_USM_KEY} characters (RFC 3414)")
        if spec.get("priv_key") and not spec.get("auth_key"):
            raise ConfigError(f"credentials.{name}: SNMPv3 privacy (priv_key) needs authentication (auth_key)")
    elif not spec.get("community"):
        raise ConfigError(f"credentials.{name}: SNMPv{version} needs a community")
    known = {"version", "community", "user", "auth_protocol", "auth_key", "priv_protocol", "priv_key"}
    unknown = set(spec) - known
    if unknown:
        raise ConfigError(f"credentials.{name}: unknown keys {', '.join(sorted(unknown))}")
    return Credential(version=version, name=name, **{k: str(v) for k, v in spec.items() if k != "version"})


def _positive(data: dict[str, Any], key: str, default: float, kind: type, *, minimum: float = 1e-9,
              where: str = "") -> Any:  # fmt: skip
    value = data.get(key, default)
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}{key}: a number is expected, not {value!r}") from None
    if number < minimum:
        raise ConfigError(f"{where}{key}: must be {'positive' if minimum > 0 else 'zero or more'}, not {value!r}")
    return number


def parse_config(data: dict[str, Any]) -> CollectorConfig:
    if not isinstance(data, dict):
        raise ConfigError("the configuration is a mapping")
    config = CollectorConfig(
        server=data.get("server"),
        token=data.get("token"),
        ca_file=data.get("ca_file"),
        state_dir=Path(data["state_dir"]) if data.get("state_dir") else default_state_dir("collector"),
        concurrency=_positive(data, "concurrency", 64, int),
        timeout=_positive(data, "timeout", 2.0, float),
        retries=_positive(data, "retries", 1, int, minimum=0),
        deadline=_positive(data, "deadline", 60.0, float),
        max_rows=_positive(data, "max_rows", 50_000, int),
        credentials={name: _credential(name, spec) for name, spec in (data.get("credentials") or {}).items()},
        credentials_from_server=bool(data.get("credentials_from_server", False)),
    )
    for number, spec in enumerate(data.get("targets") or [], start=1):
        where = f"targets[{number}]"
        if not isinstance(spec, dict) or not (spec.get("host") or spec.get("range")):
            raise ConfigError(f"{where}: a host or a range is required")
        credential = spec.get("credential")
        if not isinstance(credential, str) or (
            credential not in config.credentials and not config.credentials_from_server
        ):
            raise ConfigError(f"{where}: unknown credential {credential!r}")
        hosts = [spec["host"]] if spec.get("host") else expand(spec["range"], where)
        port = _positive(spec, "port", 161, int, where=f"{where}.")
        for host in hosts:
            config.targets.append(Target(host=str(host), credential=credential, port=port,
                                         asset_type=spec.get("asset_type"), name=spec.get("name")))  # fmt: skip
    if data.get("ssh"):
        from .ssh.config import parse_ssh  # paramiko and netmiko only when SSH is configured

        config.ssh = parse_ssh(data["ssh"], config.state_dir)
    discovery = data.get("discovery") or {}
    config.discovery_ranges = [str(r) for r in discovery.get("ranges") or []]
    config.discovery_credentials = [str(c) for c in discovery.get("credentials") or []]
    config.discovery_icmp = bool(discovery.get("icmp", True))
    config.discovery_timeout = _positive(discovery, "timeout", 1.0, float, where="discovery.")
    config.discovery_port = _positive(discovery, "port", 161, int, where="discovery.")
    config.discovery_addresses()  # a bad range is a configuration error now, not during the sweep
    for name in config.discovery_credentials:
        if name not in config.credentials and not config.credentials_from_server:
            raise ConfigError(f"discovery.credentials: unknown credential {name!r}")
    if config.credentials_from_server and not config.server:
        raise ConfigError("credentials_from_server needs a server")
    return config


def load_config(path: Path) -> CollectorConfig:
    try:
        data = yaml.safe_load(path.read_text("utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    try:
        return parse_config(data)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
