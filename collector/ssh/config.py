"""The ``ssh:`` section of the collector configuration.

ssh:
  credentials:                      # secrets: keep this file readable by the collector only
    netadmin: {username: mutuparc, password: "..."}
    linux: {username: inventaire, key_file: /etc/mutuparc/id_ed25519}
  targets:
    - {host: 10.0.0.2, credential: netadmin, driver: cisco_ios, name: sw-coeur}
    - {host: 10.0.0.20, credential: linux}          # driver: auto
    - {host: 10.0.0.30, credential: linux, driver: synology,
       shares: [/volume1/servon, /volume1/chalifert]}  # sized with du: opt-in, it reads every file
  trust_on_first_use: true          # pin unknown host keys (a changed key is always refused)
  known_hosts: /var/lib/mutuparc-collector/known_hosts
  concurrency: 16
  timeout: 10
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from .connection import SshCredential, SshTarget
from .drivers import DRIVERS

# A share path goes inside single quotes in ``du -sb '<path>'``: absolute, no quote, no control character.
SHARE_PATH = re.compile(r"^/[^'\x00-\x1f`$;&|<>]*$")


@dataclass
class SshSettings:
    known_hosts: Path
    credentials: dict[str, SshCredential] = field(default_factory=dict)
    targets: list[SshTarget] = field(default_factory=list)
    trust_on_first_use: bool = True
    concurrency: int = 16

    def jobs(self) -> list[tuple[SshTarget, SshCredential]]:
        return [(target, self.credentials[target.credential]) for target in self.targets]


def parse_ssh(data: Any, state_dir: Path) -> SshSettings:
    if not isinstance(data, dict):
        raise ConfigError("ssh: a mapping is expected")
    unknown = set(data) - {"credentials", "targets", "trust_on_first_use", "known_hosts", "concurrency", "timeout"}
    if unknown:
        raise ConfigError(f"ssh: unknown keys {', '.join(sorted(unknown))}")
    settings = SshSettings(known_hosts=Path(data.get("known_hosts") or state_dir / "known_hosts"),
                           trust_on_first_use=bool(data.get("trust_on_first_use", True)),
                           concurrency=_number(data, "concurrency", 16, int))  # fmt: skip
    timeout = _number(data, "timeout", 10.0, float)
    for name, spec in (data.get("credentials") or {}).items():
        if not isinstance(spec, dict) or not spec.get("username"):
            raise ConfigError(f"ssh.credentials.{name}: a username is required")
        if not (spec.get("password") or spec.get("key_file")):
            raise ConfigError(f"ssh.credentials.{name}: a password or a key_file is required")
        settings.credentials[name] = SshCredential(str(spec["username"]), spec.get("password"), spec.get("key_file"))
    for number, spec in enumerate(data.get("targets") or [], start=1):
        where = f"ssh.targets[{number}]"
        if not isinstance(spec, dict) or not spec.get("host"):
            raise ConfigError(f"{where}: a host is required")
        if spec.get("credential") not in settings.credentials:
            raise ConfigError(f"{where}: unknown credential {spec.get('credential')!r}")
        driver = spec.get("driver", "auto")
        if driver != "auto" and driver not in DRIVERS:
            raise ConfigError(f"{where}: unknown driver {driver!r} (auto, {', '.join(sorted(DRIVERS))})")
        settings.targets.append(SshTarget(host=str(spec["host"]), port=_number(spec, "port", 22, int, where),
                                          credential=spec["credential"], driver=driver, name=spec.get("name"),
                                          timeout=timeout, shares=_shares(spec.get("shares"), where)))  # fmt: skip
    return settings


def _shares(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(path, str) for path in value):
        raise ConfigError(f"{where}.shares: a list of folder paths is expected")
    for path in value:
        if not SHARE_PATH.match(path):
            raise ConfigError(f"{where}.shares: {path!r} is not an absolute path without quotes or shell characters")
    return tuple(value)


def _number(data: dict[str, Any], key: str, default: Any, kind: type, where: str = "ssh") -> Any:
    value = data.get(key, default)
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}.{key}: a number is expected, not {value!r}") from None
    if number <= 0:
        raise ConfigError(f"{where}.{key}: must be positive")
    return number
