"""Can a Windows 10 PC take Windows 11? Its inventory facts against Microsoft's requirements.

Criteria (each passes, fails, or is unknown when the inventory does not say):

- ``cpu``: the processor is in Microsoft's supported lists (``data/windows11_cpus.yaml``);
- ``tpm``: TPM 2.0 (a ``firmwares`` item of type ``tpm``, or ``bios.extra.mutuparc_tpm_version``);
- ``secure_boot``: UEFI with Secure Boot (``bios.secure_boot`` enabled, or disabled but available);
- ``memory``: at least 4 GB of RAM;
- ``disk``: a disk of at least 64 GB.

Any failing criterion: the PC is replaced, the failing criteria shown; none failing but some
unknown: the line is flagged "à vérifier" with what is missing; all passing: an in-place upgrade.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from server.assets.components import COMPONENT_TABLES

from .catalogue import DATA

CRITERIA = ("cpu", "tpm", "secure_boot", "memory", "disk")
MIN_MEMORY_MB = 4096
MIN_DISK_BYTES = 64 * 10**9
CHUNK = 2000  # ids per IN list (SQLite's bound parameters)


@dataclass(slots=True)
class Readiness:
    passed: list[str] = field(default_factory=list)
    failing: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool | None:
        """True: upgrade; False: replace; None: to check (nothing fails, something is unknown)."""
        if self.failing:
            return False
        return None if self.missing else True

    def as_dict(self) -> dict[str, Any]:
        return {"ready": self.ready, "failing": self.failing, "missing": self.missing}


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


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def windows11(connection: Connection, asset_ids: list[int]) -> dict[int, Readiness]:
    """The readiness of each asset, read in a few queries per thousand assets."""
    t = COMPONENT_TABLES
    cpus: dict[int, str] = {}
    bios: dict[int, tuple[str | None, dict[str, Any]]] = {}
    tpm: dict[int, list[str]] = defaultdict(list)
    boot: dict[int, list[str]] = defaultdict(list)
    memory: dict[int, int] = {}
    disk: dict[int, int] = {}
    for ids in _chunks(sorted(set(asset_ids))):
        for asset_id, name in connection.execute(select(t["cpus"].c.asset_id, t["cpus"].c.name)
                                                 .where(t["cpus"].c.asset_id.in_(ids))):  # fmt: skip
            if name and asset_id not in cpus:
                cpus[asset_id] = name
        bi = t["bios"].c
        for asset_id, state, extra in connection.execute(select(bi.asset_id, bi.secure_boot, bi.extra)
                                                         .where(bi.asset_id.in_(ids))):  # fmt: skip
            bios[asset_id] = (state, extra if isinstance(extra, dict) else {})
        fw = t["firmwares"].c
        for asset_id, kind, name, version in connection.execute(select(fw.asset_id, fw.type, fw.name, fw.version)
                                                                .where(fw.asset_id.in_(ids))):  # fmt: skip
            if (kind or "").lower() == "tpm":
                tpm[asset_id].append(f"{name or ''} {version or ''}")
            elif (kind or "").lower() == "system firmware":
                boot[asset_id].append(name or "")
        hw, mem = t["hardware"].c, t["memories"].c
        for asset_id, megabytes in connection.execute(select(hw.asset_id, hw.memory_mb).where(hw.asset_id.in_(ids))):
            if megabytes:
                memory[asset_id] = megabytes
        summed = select(mem.asset_id, func.sum(mem.capacity_mb)).where(mem.asset_id.in_(ids)).group_by(mem.asset_id)
        for asset_id, megabytes in connection.execute(summed):
            if megabytes:
                memory[asset_id] = max(memory.get(asset_id, 0), int(megabytes))
        st = t["storages"].c
        for asset_id, size in connection.execute(select(st.asset_id, func.max(st.size_bytes))
                                                 .where(st.asset_id.in_(ids)).group_by(st.asset_id)):  # fmt: skip
            if size:
                disk[asset_id] = int(size)
    result = {}
    for asset_id in asset_ids:
        state, extra = bios.get(asset_id, (None, {}))
        checks = {"cpu": cpu_supported(cpus.get(asset_id)), "tpm": _tpm(tpm.get(asset_id, []), extra),
                  "secure_boot": _secure_boot(state, extra, boot.get(asset_id, [])),
                  "memory": _at_least(memory.get(asset_id), MIN_MEMORY_MB),
                  "disk": _at_least(disk.get(asset_id), MIN_DISK_BYTES)}  # fmt: skip
        found = Readiness()
        for name in CRITERIA:
            {True: found.passed, False: found.failing, None: found.missing}[checks[name]].append(name)
        result[asset_id] = found
    return result
