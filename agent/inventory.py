"""The agent's public API: collect a machine's inventory and build the GLPI message for it.

The platform module (``_linux``, ``_windows``, ``_macos``) is chosen once, from ``sys.platform``;
each defines the same ``COLLECTORS`` (one function per GLPI section) and ``live_sources()``. A
collector that fails (no permission, broken WMI namespace, odd encoding) is logged and skipped:
the rest of the inventory is still sent.
"""

from __future__ import annotations

import datetime as dt
import sys
import time

from mutuparc import __version__
from wire.glpi_json import build_content

from ._log import log

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any

VERSION_CLIENT = f"Mutuparc-Agent_v{__version__}"
PLATFORM_MODULES = {"linux": "_linux", "win32": "_windows", "darwin": "_macos"}


def platform_module(name: str | None = None) -> ModuleType:
    """The collection module of ``name`` (``linux``, ``win32``, ``darwin``; default: this machine)."""
    key = name or sys.platform
    if key.startswith("linux"):
        key = "linux"
    if key not in PLATFORM_MODULES:
        raise RuntimeError(f"no inventory module for platform {key!r}")
    name = f"agent.{PLATFORM_MODULES[key]}"
    __import__(name)  # not importlib.import_module: importlib's import (and warnings') at each start
    return sys.modules[name]


class ModuleRun:
    """How one collector ran: its section, how long it took, how many items it gave, its error."""

    __slots__ = ("error", "items", "seconds", "section")

    def __init__(self, section: str, seconds: float, items: int = 0, error: str | None = None) -> None:
        self.section, self.seconds, self.items, self.error = section, seconds, items, error

    def __repr__(self) -> str:
        return (
            f"ModuleRun(section={self.section!r}, seconds={self.seconds!r}, items={self.items!r}, error={self.error!r})"
        )


class Collected:
    """The records of each section collected (``sections``), and how each collector ran (``runs``)."""

    __slots__ = ("runs", "sections")

    def __init__(self, sections: dict[str, Any] | None = None, runs: list[ModuleRun] | None = None) -> None:
        self.sections = {} if sections is None else sections
        self.runs = [] if runs is None else runs

    @property
    def failed(self) -> list[ModuleRun]:
        return [run for run in self.runs if run.error]


def collect(module: ModuleType | None = None, sources: Any = None) -> Collected:
    """Run every collector of ``module`` on ``sources`` (default: this machine, live)."""
    module = module or platform_module()
    collected = Collected()
    if sources is None:
        try:
            sources = module.live_sources()
        except Exception as exc:  # noqa: BLE001 - e.g. WMI unreachable: report it, send nothing
            collected.runs.append(ModuleRun("sources", 0.0, error=f"{type(exc).__name__}: {exc}"))
            log.error("cannot read this machine: %s", exc)
            return collected
    for section, collector in module.COLLECTORS.items():
        started = time.perf_counter()
        try:
            value = collector(sources)
        except Exception as exc:  # noqa: BLE001 - one broken source must not cost the whole inventory
            log.warning("section %s skipped: %s: %s", section, type(exc).__name__, exc)
            collected.runs.append(
                ModuleRun(section, time.perf_counter() - started, error=f"{type(exc).__name__}: {exc}")
            )
            continue
        seconds = time.perf_counter() - started
        if value:
            collected.sections[section] = value
        count = len(value) if isinstance(value, list) else int(bool(value))
        collected.runs.append(ModuleRun(section, seconds, count))
    return collected


def new_deviceid(hostname: str, now: dt.datetime | None = None) -> str:
    """A GLPI-style device id: the host name and the date of the agent's first run."""
    return f"{hostname}-{(now or dt.datetime.now()):%Y-%m-%d-%H-%M-%S}"


def build_message(content: dict[str, Any], *, deviceid: str, partial: bool = False, tag: str | None = None) -> dict:  # type: ignore[type-arg]
    message: dict[str, Any] = {
        "action": "inventory",
        "deviceid": deviceid,
        "itemtype": "Computer",
        "content": content,
    }
    if partial:
        message["partial"] = True
    if tag:
        message["tag"] = tag
    return message


def glpi_content(collected: Collected) -> dict[str, Any]:
    return build_content(collected.sections, VERSION_CLIENT)


def section_counts(content: dict[str, Any]) -> dict[str, int]:
    """The sections a GLPI content holds, with their number of items (``versionclient`` aside):
    what an inventory really carries, as ``--debug`` shows it."""
    return {name: len(value) if isinstance(value, list) else 1
            for name, value in content.items() if name != "versionclient" and value}  # fmt: skip
