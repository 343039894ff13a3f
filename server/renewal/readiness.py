"""Can a device take a supported OS or firmware in place? Its inventory facts against the requirements.

Three questions, each answered ready (the upgrade is the remedy), not ready (replace, the failing
criteria shown) or unknown ("à vérifier", what is missing shown; the plan budgets a replacement
until the inventory says more):

- Windows 10 -> Windows 11 (``windows11``), below;
- a Linux release -> the newest supported release on the PC's architecture (``architecture``:
  ``data/architectures.yaml``; the architecture is the operating system's, else the CPU's);
- a network OS -> a maintained firmware train (``model_support``: the model's end of support in
  the model end-of-support table is after the plan year; the table, not the firmware, decides).

Windows 11 criteria (each passes, fails, or is unknown when the inventory does not say):

- ``cpu``: the processor is in Microsoft's supported lists (``data/windows11_cpus.yaml``);
- ``tpm``: TPM 2.0 (a ``firmwares`` item of type ``tpm``, or ``bios.extra.mutuparc_tpm_version``);
- ``secure_boot``: UEFI with Secure Boot (``bios.secure_boot`` enabled, or disabled but available);
- ``memory``: at least 4 GB of RAM;
- ``disk``: a disk of at least 64 GB.

Any failing criterion: the PC is replaced, the failing criteria shown; none failing but some
unknown: the line is flagged "à vérifier" with what is missing; all passing: an in-place upgrade.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml
from sqlalchemy import ARRAY, Integer, String, any_, bindparam, cast, func, select
from sqlalchemy.engine import Connection

from server.assets.components import COMPONENT_TABLES

from .catalogue import DATA

CRITERIA = ("cpu", "tpm", "secure_boot", "memory", "disk")
MIN_MEMORY_MB = 4096
MIN_DISK_BYTES = 64 * 10**9


@dataclass(slots=True)
class Readiness:
    passed: list[str] = field(default_factory=list)
    failing: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)  # what a reader needs to see why

    @property
    def ready(self) -> bool | None:
        """True: upgrade; False: replace; None: to check (nothing fails, something is unknown)."""
        if self.failing:
            return False
        return None if self.missing else True

    def as_dict(self) -> dict[str, Any]:
        return {"ready": self.ready, "passed": self.passed, "failing": self.failing, "missing": self.missing,
                "detail": _plain(self.detail)}  # fmt: skip


def _plain(value: Any) -> Any:
    """Dates as ISO text (a frozen plan keeps its lines as JSON)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


@cache
def supported_cpus() -> tuple[re.Pattern[str], ...]:
    specs = yaml.safe_load((DATA / "windows11_cpus.yaml").read_text("utf-8"))
    return tuple(re.compile(p, re.IGNORECASE) for patterns in specs.values() for p in patterns)


def cpu_supported(name: str | None) -> bool | None:
    if not name or not name.strip():
        return None
    return any(p.search(name) for p in supported_cpus())


def _tpm(tpm_names: list[str], extra: dict[str, Any]) -> bool | None:
    versions = [str(extra["mutuparc_tpm_version"])] if extra.get("mutuparc_tpm_version") else []
    versions += tpm_names
    if not versions:
        return None
    return any(re.search(r"\b2\.0\b", v) for v in versions)


def _secure_boot(state: str | None, extra: dict[str, Any], boot_names: list[str]) -> bool | None:
    mode = str(extra.get("mutuparc_boot_mode") or "").lower()
    if mode == "legacy" or any("legacy" in n.lower() for n in boot_names):
        return False
    if state is None:
        return None
    return state.lower() in ("enabled", "disabled")  # "disabled": available, switched on at the upgrade


def _at_least(value: int | None, minimum: int) -> bool | None:
    return None if value is None else value >= minimum


def _within(ids: list[int], connection: Connection) -> Callable[[Any], Any]:
    """``column IN ids`` with one parameter: on PostgreSQL ``= ANY(array)``, on SQLite ``IN (SELECT
    value FROM json_each(...))``. An IN list of tens of thousands of parameters took longer to build
    and parse than the query took to run (and SQLite's would have to be cut in pieces)."""
    if connection.dialect.name == "postgresql":  # the array as its text: psycopg dumps a list item by item
        listed = cast(bindparam(None, "{" + ",".join(map(str, ids)) + "}", type_=String), ARRAY(Integer))
        return lambda column: column == any_(listed)
    listed = select(func.json_each(bindparam(None, json.dumps(ids), type_=String)).table_valued("value").c.value)
    return lambda column: column.in_(listed)


def windows11(connection: Connection, asset_ids: list[int]) -> dict[int, Readiness]:
    """The readiness of each asset, read in six queries."""
    t = COMPONENT_TABLES
    cpus: dict[int, str] = {}
    bios: dict[int, tuple[str | None, dict[str, Any]]] = {}
    tpm: dict[int, list[str]] = defaultdict(list)
    boot: dict[int, list[str]] = defaultdict(list)
    memory: dict[int, int] = {}
    disk: dict[int, int] = {}
    ids = sorted(set(asset_ids))
    within = _within(ids, connection)
    for asset_id, name in connection.execute(select(t["cpus"].c.asset_id, t["cpus"].c.name)
                                             .where(within(t["cpus"].c.asset_id))):  # fmt: skip
        if name and asset_id not in cpus:
            cpus[asset_id] = name
    bi = t["bios"].c
    for asset_id, state, extra in connection.execute(select(bi.asset_id, bi.secure_boot, bi.extra)
                                                     .where(within(bi.asset_id))):  # fmt: skip
        bios[asset_id] = (state, extra if isinstance(extra, dict) else {})
    fw = t["firmwares"].c
    for asset_id, kind, name, version in connection.execute(select(fw.asset_id, fw.type, fw.name, fw.version)
                                                            .where(within(fw.asset_id))):  # fmt: skip
        if (kind or "").lower() == "tpm":
            tpm[asset_id].append(f"{name or ''} {version or ''}")
        elif (kind or "").lower() == "system firmware":
            boot[asset_id].append(name or "")
    hw, mem = t["hardware"].c, t["memories"].c
    for asset_id, megabytes in connection.execute(select(hw.asset_id, hw.memory_mb).where(within(hw.asset_id))):
        if megabytes:
            memory[asset_id] = megabytes
    summed = select(mem.asset_id, func.sum(mem.capacity_mb)).where(within(mem.asset_id)).group_by(mem.asset_id)
    for asset_id, megabytes in connection.execute(summed):
        if megabytes:
            memory[asset_id] = max(memory.get(asset_id, 0), int(megabytes))
    st = t["storages"].c
    for asset_id, size in connection.execute(select(st.asset_id, func.max(st.size_bytes))
                                             .where(within(st.asset_id)).group_by(st.asset_id)):  # fmt: skip
        if size:
            disk[asset_id] = int(size)
    result = {}
    supported: dict[str | None, bool | None] = {}  # a CPU name is matched against every list once
    verdicts: dict[tuple[bool | None, ...], Readiness] = {}
    for asset_id in asset_ids:
        state, extra = bios.get(asset_id, (None, {}))
        name = cpus.get(asset_id)
        if name not in supported:
            supported[name] = cpu_supported(name)
        checks = (supported[name], _tpm(tpm.get(asset_id, []), extra),
                  _secure_boot(state, extra, boot.get(asset_id, [])), _at_least(memory.get(asset_id), MIN_MEMORY_MB),
                  _at_least(disk.get(asset_id), MIN_DISK_BYTES))  # fmt: skip
        found = verdicts.get(checks)
        if found is None:
            found = verdicts[checks] = Readiness()
            for criterion, check in zip(CRITERIA, checks, strict=True):
                {True: found.passed, False: found.failing, None: found.missing}[check].append(criterion)
        result[asset_id] = Readiness(list(found.passed), list(found.failing), list(found.missing))
    return result


# -- Linux releases and processor architectures ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Architectures:
    aliases: dict[str, str]
    products: dict[str, dict[str, frozenset[str]]]

    def normal(self, reported: str | None) -> str | None:
        """``x86_64`` -> ``amd64``, ``i686`` -> ``i386``...; None when unknown or unheard of."""
        return self.aliases.get((reported or "").strip().lower()) if reported else None


@cache
def architectures() -> Architectures:
    spec = yaml.safe_load((DATA / "architectures.yaml").read_text("utf-8"))
    aliases = {str(alias).lower(): name for name, names in spec["aliases"].items() for alias in [name, *names]}
    products = {product: {str(cycle).lower(): frozenset(arches) for cycle, arches in cycles.items()}
                for product, cycles in spec["products"].items()}  # fmt: skip
    return Architectures(aliases, products)


def architecture_facts(connection: Connection, asset_ids: list[int]) -> dict[int, str]:
    """Each asset's architecture (``amd64``, ``i386``...): the operating system's, else its first
    CPU's that this file knows (a 32-bit Debian on a 64-bit CPU is i386)."""
    normal = architectures().normal
    os_table, cpu = COMPONENT_TABLES["operatingsystem"].c, COMPONENT_TABLES["cpus"].c
    found: dict[int, str] = {}
    ids = sorted(set(asset_ids))
    within = _within(ids, connection)
    for asset_id, arch in connection.execute(select(cpu.asset_id, cpu.arch).where(within(cpu.asset_id))):
        if (name := normal(arch)) and asset_id not in found:
            found[asset_id] = name
    for asset_id, arch in connection.execute(select(os_table.asset_id, os_table.arch)
                                             .where(within(os_table.asset_id))):  # fmt: skip
        if name := normal(arch):
            found[asset_id] = name  # the installed system's word wins
    return found
