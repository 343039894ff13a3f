"""How components appear in the change history.

Every stored value that changes gets a line, except the values that move at every run and say
nothing of the machine (``VOLATILE``: free space, boot time, port counters...) and the sections
that are the machine's state of the moment (``UNTRACKED``: processes, sessions, supply levels).

One-record sections (hardware, operating system...) are compared field by field. Items of list
sections are matched by an identity (``IDENTITY``: an interface by its name and MAC, a virtual
machine by its UUID else its name, a software by its name and architecture...): an item on both
sides with other values is *updated*, field by field (``networks[eth0 …].ipv4 old -> new``); the
others are *added* or *removed*, named by their label (``LABELS``: software "name version").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from wire.sections import SECTIONS

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

# Sections that change at every run and say nothing of the machine: stored, not in the history.
UNTRACKED = frozenset({"processes", "envs", "accesslog", "versionprovider", "pagecounters", "cartridges",
                       "consumables", "error",  # counters and levels are time series
                       "users"})  # who is logged in right now  # fmt: skip

# Fields that move at every run (or between two runs minutes apart): stored and shown, never a line.
VOLATILE: dict[str, frozenset[str]] = {
    "hardware": frozenset({"last_logged_user", "last_logged_user_at"}),
    "operatingsystem": frozenset({"boot_time"}),
    "drives": frozenset({"free_bytes"}),
    "storages": frozenset({"temperature_c"}),
    "batteries": frozenset({"real_capacity_mwh", "voltage_mv"}),  # read from the gauge at each run
    "network_device": frozenset({"uptime", "cpu_percent"}),
    "network_ports": frozenset({"in_bytes", "out_bytes", "in_errors", "out_errors", "last_change"}),
    "antivirus": frozenset({"base_version", "base_created"}),  # signatures: several updates a day
    "databases_services": frozenset({"size_mb", "last_boot", "last_backup"}),
    "physical_volumes": frozenset({"free_mb"}),
    "volume_groups": frozenset({"free_mb"}),
}
# A wireless interface's link rate and access point change as its user walks around.
_WIRELESS_VOLATILE = frozenset({"speed_mbps", "wifi_bssid"})
_WIRELESS_TYPES = ("wifi", "wireless", "802.11")

# Record keys compared, per section (documents compare the keys of their content).
TRACKED_FIELDS: dict[str, tuple[str, ...]] = {
    name: tuple(k for k in section.keys if k not in VOLATILE.get(name, ()))
    for name, section in SECTIONS.items()
    if not section.document
}


def _keys(*keys: str) -> Callable[[Record], tuple[Any, ...]]:
    return lambda r: tuple(r.get(k) for k in keys)


def _first(*keys: str) -> Callable[[Record], tuple[Any, ...]]:
    """The first of ``keys`` that has a value (a VM's UUID, else its name)."""
    return lambda r: (next((r[k] for k in keys if r.get(k) not in (None, "")), None),)


# What makes an item the same item from one inventory to the next.
IDENTITY: dict[str, Callable[[Record], tuple[Any, ...]]] = {
    "cpus": _keys("name"),
    "memories": _keys("slot", "serial"),
    "storages": _first("serial", "name"),
    "drives": _first("letter", "mount", "device"),
    "networks": _keys("name", "mac"),
    "softwares": _keys("name", "arch"),
    "batteries": _keys("name", "serial"),
    "virtualmachines": _first("uuid", "name"),
    "monitors": _keys("name", "serial"),
    "firmwares": _keys("name", "type"),
    "network_ports": _first("name", "descr", "ifnumber"),
    "network_components": _keys("name", "serial"),
    "printers": _keys("name"),
    "antivirus": _keys("name"),
    "firewalls": _keys("profile"),
    "licenseinfos": _keys("product_id", "name"),
    "local_users": _first("login", "user_id"),
    "local_groups": _keys("name"),
    "remote_mgmt": _keys("type", "remote_id"),
    "databases_services": _keys("name", "type"),
    "simcards": _first("iccid", "serial"),
    "physical_volumes": _first("device", "pv_uuid"),
    "volume_groups": _keys("vg_name"),
    "logical_volumes": _keys("vg_name", "lv_name"),
}
# How an updated item is named in its line, where its identity alone does not read well.
ITEM_NAMES: dict[str, Callable[[Record], str]] = {
    "virtualmachines": lambda r: _join(r["name"]) or _join(r["uuid"]),
    "storages": lambda r: _join(r["name"], r["serial"]),
}


def _document_label(record: Record) -> str:
    content = record.get("content") or {}
    named = _join(*(content.get(k) for k in ("name", "caption", "designation", "description", "type")))
    return named or json.dumps(content, sort_keys=True, ensure_ascii=False)[:200]


def label_for(section: str) -> Callable[[Record], str]:
    """How an item of ``section`` is named in the history: its rule, else its first fields."""
    if section in LABELS:
        return LABELS[section]
    if SECTIONS[section].document:
        return _document_label
    keys = SECTIONS[section].keys[:3]
    return lambda r: _join(*(r.get(k) for k in keys))


def _database_names(databases: Any) -> Any:
    """A database server's databases by name: their sizes and dates move at every run."""
    if not isinstance(databases, list):
        return databases
    return sorted(str(d.get("name")) if isinstance(d, dict) else str(d) for d in databases)


def _values_for(section: str) -> Callable[[Record], dict[str, Any]]:
    if SECTIONS[section].document:
        return lambda r: dict(r.get("content") or {})
    keys = TRACKED_FIELDS[section]
    if section == "networks":
        wireless_keys = tuple(k for k in keys if k not in _WIRELESS_VOLATILE)

        def interface(r: Record) -> dict[str, Any]:
            kind = str(r.get("type") or "").lower()
            wireless = r.get("wifi_ssid") or r.get("wifi_mode") or any(w in kind for w in _WIRELESS_TYPES)
            return {k: r.get(k) for k in (wireless_keys if wireless else keys)}

        return interface
    if section == "databases_services":
        return lambda r: {k: _database_names(r.get(k)) if k == "databases" else r.get(k) for k in keys}
    return lambda r: {k: r.get(k) for k in keys}


@dataclass(frozen=True, slots=True)
class SectionRules:
    """What ``server.assets.history.ChangeLog`` needs to compare two reports of a section."""

    values: Callable[[Record], dict[str, Any]]  # the values compared (volatile ones left out)
    identity: Callable[[Record], tuple[Any, ...]]  # list sections: the same item on both sides
    label: Callable[[Record], str]  # an added or removed item
    name: Callable[[Record], str]  # an updated item


@cache
def rules_for(section: str) -> SectionRules:
    label = label_for(section)
    if section in IDENTITY:
        identity = IDENTITY[section]
    elif SECTIONS[section].document:
        identity = lambda r: (_document_label(r),)  # noqa: E731
    else:
        identity = _keys(*SECTIONS[section].keys[:3])
    name = ITEM_NAMES.get(section) or (lambda r: _join(*identity(r)) or label(r))
    return SectionRules(_values_for(section), identity, label, name)
