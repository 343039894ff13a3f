"""Agent settings: a TOML file, then ``MUTUPARC_AGENT_*`` environment variables, then command flags.

# /etc/mutuparc/agent.toml (Windows: %ProgramData%\\Mutuparc\\agent.toml)
server = "https://parc.example/t/mpe_xxxx/"
ca_file = "/etc/mutuparc/ca.pem"     # trust only this CA (pinning)
full_every_days = 7                  # a full inventory at least this often
interval_hours = 24                  # daemon: one inventory per interval...
jitter_hours = 4                     # ...at a random time within this window
"""

# os.path, not pathlib: importing pathlib costs each agent run's start a tenth of its time (issue 27)
# ruff: noqa: PTH110, PTH111, PTH118, PTH123
from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path
    from typing import Any

ENV_PREFIX = "MUTUPARC_AGENT_"


def _config_file() -> str:
    if sys.platform == "win32":
        return os.path.join(os.environ.get("PROGRAMDATA", r"C:\ProgramData"), "Mutuparc", "agent.toml")
    return "/etc/mutuparc/agent.toml"


def default_config_file() -> Path:
    from pathlib import Path

    return Path(_config_file())


def _state_dir(program: str = "agent") -> str:
    if sys.platform == "win32":
        return os.path.join(os.environ.get("PROGRAMDATA", r"C:\ProgramData"), "Mutuparc", program)
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return f"/var/lib/mutuparc-{program}"
    state_home = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return os.path.join(state_home, f"mutuparc-{program}")


def default_state_dir(program: str = "agent") -> Path:
    """Where ``mutuparc-<program>`` keeps its state and spool: system-wide as root, per user otherwise."""
    from pathlib import Path

    return Path(_state_dir(program))


# The settings, their default and their kind (as the file and the environment spell them: text).
# A plain class, not a dataclass: the agent starts on every PC, and ``dataclasses`` imports
# ``inspect``, ``ast`` and ``dis`` for it.
SETTINGS: dict[str, tuple[Any, str]] = {
    "server": (None, "str | None"),
    "token": (None, "str | None"),
    "tag": (None, "str | None"),
    "ca_file": (None, "str | None"),
    "timeout": (60.0, "float"),
    "state_dir": (None, "Path"),
    "full_every_days": (7.0, "float"),
    "interval_hours": (24.0, "float"),
    "jitter_hours": (4.0, "float"),
    "spool_max_items": (50, "int"),
    "spool_max_mb": (100, "int"),
    "debug": (False, "bool"),
}


class AgentConfig:
    """The agent's settings. ``state_dir`` is a ``Path`` (default: ``default_state_dir()``);
    ``state_path`` is the same folder as a string, which a run uses (pathlib costs a run's start)."""

    __slots__ = (
        "_state_dir",
        "ca_file",
        "debug",
        "full_every_days",
        "interval_hours",
        "jitter_hours",
        "server",
        "spool_max_items",
        "spool_max_mb",
        "tag",
        "timeout",
        "token",
    )
    server: str | None
    token: str | None
    tag: str | None
    ca_file: str | None
    timeout: float
    full_every_days: float
    interval_hours: float
    jitter_hours: float
    spool_max_items: int
    spool_max_mb: int
    debug: bool

    def __init__(
        self,
        server: str | None = None,
        token: str | None = None,
        tag: str | None = None,
        ca_file: str | None = None,
        timeout: float = 60.0,
        state_dir: str | os.PathLike[str] | None = None,
        full_every_days: float = 7.0,
        interval_hours: float = 24.0,
        jitter_hours: float = 4.0,
        spool_max_items: int = 50,
        spool_max_mb: int = 100,
        debug: bool = False,
    ) -> None:
        self.server, self.token, self.tag, self.ca_file, self.timeout = server, token, tag, ca_file, timeout
        self._state_dir = state_dir
        self.full_every_days, self.interval_hours, self.jitter_hours = full_every_days, interval_hours, jitter_hours
        self.spool_max_items, self.spool_max_mb, self.debug = spool_max_items, spool_max_mb, debug

    @property
    def state_path(self) -> str:
        return _state_dir() if self._state_dir is None else os.fspath(self._state_dir)

    @property
    def state_dir(self) -> Path:
        from pathlib import Path

        return Path(self.state_path)

    @state_dir.setter
    def state_dir(self, value: str | os.PathLike[str] | None) -> None:
        self._state_dir = value

    def _values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in SETTINGS if name != "state_dir"} | {"state_dir": self.state_path}

    def __eq__(self, other: object) -> bool:
        return self._values() == other._values() if isinstance(other, AgentConfig) else NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"AgentConfig({', '.join(f'{name}={value!r}' for name, value in self._values().items())})"


class ConfigError(ValueError):
    pass


def _coerce(name: str, value: Any, kind: Any) -> Any:
    text = str(kind)
    try:
        if "Path" in text:
            return os.fspath(value)
        if "bool" in text:
            return value if isinstance(value, bool) else str(value).strip().lower() in ("1", "true", "yes", "on")
        if "float" in text:
            return float(value)
        if "int" in text:
            return int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{name}: {value!r} is not a valid {text}") from None
    return str(value) if value is not None else None


def load_config(
    path: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None, **overrides: Any
) -> AgentConfig:
    """Settings from ``path`` (default file if it exists), the environment, then ``overrides``."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    path = _config_file() if path is None else os.fspath(path)
    if os.path.exists(path):
        import tomllib  # only when there is a file: its import costs a tenth of a run

        try:
            with open(path, encoding="utf-8") as file:
                values.update(tomllib.loads(file.read()))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: {exc}") from None
    known = {name: kind for name, (_default, kind) in SETTINGS.items()}
    unknown = set(values) - set(known)
    if unknown:
        raise ConfigError(f"{path}: unknown settings {', '.join(sorted(unknown))}")
    for name in known:
        if f"{ENV_PREFIX}{name.upper()}" in env:
            values[name] = env[f"{ENV_PREFIX}{name.upper()}"]
    values.update({k: v for k, v in overrides.items() if v is not None})
    return AgentConfig(**{name: _coerce(name, value, known[name]) for name, value in values.items()})
