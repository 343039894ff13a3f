"""Agent settings: a TOML file, then ``MUTUPARC_AGENT_*`` environment variables, then command flags.

# /etc/mutuparc/agent.toml (Windows: %ProgramData%\\Mutuparc\\agent.toml)
server = "https://parc.example/t/mpe_xxxx/"
ca_file = "/etc/mutuparc/ca.pem"     # trust only this CA (pinning)
full_every_days = 7                  # a full inventory at least this often
interval_hours = 24                  # daemon: one inventory per interval...
jitter_hours = 4                     # ...at a random time within this window
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

ENV_PREFIX = "MUTUPARC_AGENT_"


def default_config_file() -> Path:
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Mutuparc" / "agent.toml"
    return Path("/etc/mutuparc/agent.toml")


def default_state_dir(program: str = "agent") -> Path:
    """Where ``mutuparc-<program>`` keeps its state and spool: system-wide as root, per user otherwise."""
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / "Mutuparc" / program
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return Path(f"/var/lib/mutuparc-{program}")
    state_home = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state_home) / f"mutuparc-{program}"


@dataclass
class AgentConfig:
    server: str | None = None
    token: str | None = None
    tag: str | None = None
    ca_file: str | None = None
    timeout: float = 60.0
    state_dir: Path = field(default_factory=default_state_dir)
    full_every_days: float = 7.0
    interval_hours: float = 24.0
    jitter_hours: float = 4.0
    spool_max_items: int = 50
    spool_max_mb: int = 100
    debug: bool = False


class ConfigError(ValueError):
    pass


def _coerce(name: str, value: Any, kind: Any) -> Any:
    text = str(kind)
    try:
        if "Path" in text:
            return Path(value)
        if "bool" in text:
            return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")
        if "float" in text:
            return float(value)
        if "int" in text:
            return int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name}: {value!r} is not a valid {text}") from None
    return str(value) if value is not None else None


def load_config(path: Path | None = None, env: Mapping[str, str] | None = None, **overrides: Any) -> AgentConfig:
    """Settings from ``path`` (default file if it exists), the environment, then ``overrides``."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = path or default_config_file()
    if path.exists():
        import tomllib  # only when there is a file: its import costs a tenth of a run

        try:
            values.update(tomllib.loads(path.read_text("utf-8")))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
    known = {f.name: f for f in fields(AgentConfig)}
    unknown = set(values) - set(known)
    if unknown:
        raise ConfigError(f"{path}: unknown settings {', '.join(sorted(unknown))}")
    for name in known:
        if f"{ENV_PREFIX}{name.upper()}" in env:
            values[name] = env[f"{ENV_PREFIX}{name.upper()}"]
    values.update({k: v for k, v in overrides.items() if v is not None})
    return AgentConfig(**{name: _coerce(name, value, known[name].type) for name, value in values.items()})
