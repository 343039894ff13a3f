"""How components appear in the change history.

List sections are compared by a label per item (software "name version", a volume by its mount
point and size); fields that move at every run (free space, boot time, port counters) are left
out of labels so that the history records real changes only. One-record sections are compared
field by field on the fields listed in ``TRACKED_FIELDS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Record = dict[str, Any]


def _join(*parts: Any) -> str:
    return " ".join(str(p) for p in parts if p not in (None, ""))


def _gib(size: int | None) -> str | None:
    return f"{size / 2**30:.0f} GiB" if size else None


LABELS: dict[str, Callable[[Record], str]] = {
    "softwares": lambda r: _join(r["name"], r["version"]),
    "cpus": lambda r: _join(r["name"], r["cores"] and f"{r['cores']} cores"),
    "memories": lambda r: _join(r["capacity_mb"] and f"{r['capacity_mb']} MB", r["type"], r["serial"]),
    "storages": lambda r: _join(r["model"] or r["name"], r["serial"], _gib(r["size_bytes"])),
    "drives": lambda r: _join(r["letter"] or r["mount"], r["filesystem"], _gib(r["total_bytes"])),
    "networks": lambda r: _join(r["name"], r["mac"]),
    "batteries": lambda r: _join(r["name"], r["serial"]),
    "virtualmachines": lambda r: _join(r["name"], r["uuid"]),
    "monitors": lambda r: _join(r["name"], r["serial"]),
    "firmwares": lambda r: _join(r["name"], r["version"]),
    "network_ports": lambda r: _join(r["name"] or r["descr"] or r["ifnumber"]),
    "network_components": lambda r: _join(r["name"], r["serial"]),
}

TRACKED_FIELDS: dict[str, tuple[str, ...]] = {
    "hardware": ("memory_mb", "chassis_type", "vm_system", "workgroup"),
    "operatingsystem": ("name", "full_name", "version", "kernel_version", "service_pack", "arch", "install_date"),
    "bios": ("bios_manufacturer", "bios_version", "bios_date", "board_serial"),
    "network_device": ("firmware", "model", "serial", "location", "contact"),
}
