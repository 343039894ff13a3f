"""What psutil tells on every platform: memory, CPU counts, volumes, network interfaces, users.

Each function returns wire records (dicts keyed like ``wire.sections``); platform modules add
what psutil cannot see (DMI, registry, system_profiler) around them.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Callable
from typing import Any

import psutil

from wire.fields import MIB

Record = dict[str, Any]

# Filesystems that are not storage people pay for (kernel, memory, containers, snaps).
PSEUDO_FILESYSTEMS = frozenset(
    {
        "tmpfs",
        "devtmpfs",
        "squashfs",
        "overlay",
        "proc",
        "sysfs",
        "cgroup",
        "cgroup2",
        "devpts",
        "autofs",
        "mqueue",
        "hugetlbfs",
        "debugfs",
        "tracefs",
        "securityfs",
        "pstore",
        "bpf",
        "configfs",
        "fusectl",
        "nsfs",
        "ramfs",
        "efivarfs",
        "binfmt_misc",
        "fuse.gvfsd-fuse",
        "fuse.portal",
        "nullfs",
        "devfs",
    }
)


def memory_mb() -> int:
    return psutil.virtual_memory().total // MIB


def swap_mb() -> int:
    return psutil.swap_memory().total // MIB


def cpu_counts() -> tuple[int | None, int | None]:
    """(physical cores, logical threads) of the whole machine."""
    return psutil.cpu_count(logical=False), psutil.cpu_count(logical=True)


def cpu_speed_mhz() -> int | None:
    try:
        frequency = psutil.cpu_freq()
    except (OSError, NotImplementedError):
        return None
    if frequency is None:
        return None
    return int(frequency.max or frequency.current) or None


def boot_time() -> dt.datetime:
    return dt.datetime.fromtimestamp(psutil.boot_time()).replace(microsecond=0)


def hostname() -> str:
    return socket.gethostname().split(".")[0]


def users() -> list[Record]:
    seen: dict[str, Record] = {}
    for session in psutil.users():
        domain, _, login = session.name.rpartition("\\")  # DOMAIN\login on Windows
        seen.setdefault(login, {"login": login, "domain": domain or None})
    return list(seen.values())


def drives(letter_of: Callable[[str], str | None] = lambda _mount: None) -> list[Record]:
    """Mounted volumes with their size and free space (bytes)."""
    records = []
    for partition in psutil.disk_partitions(all=False):
        if partition.fstype in PSEUDO_FILESYSTEMS or not partition.fstype:
            continue
        try:
            usage = psutil.disk_usage(partition.mountpoint)
        except OSError:  # a disconnected network drive, a CD tray without disc
            continue
        records.append(
            {
                "letter": letter_of(partition.mountpoint),
                "mount": partition.mountpoint,
                "device": partition.device,
                "filesystem": partition.fstype,
                "total_bytes": usage.total,
                "free_bytes": usage.free,
            }
        )
    return records


def networks(is_virtual: Callable[[str], bool | None], speed_of: Callable[[str], int | None]) -> list[Record]:
    """One record per interface address (as GLPI agents report them), or one per interface without address."""
    addresses = psutil.net_if_addrs()
    stats = psutil.net_if_stats()
    records = []
    for name, entries in sorted(addresses.items()):
        mac = next((e.address for e in entries if e.family == psutil.AF_LINK), None)
        stat = stats.get(name)
        base = {
            "name": name,
            "mac": mac,
            "status": ("up" if stat.isup else "down") if stat else None,
            "mtu": stat.mtu if stat else None,
            "speed_mbps": speed_of(name) if stat is None or not stat.speed else stat.speed,
            "virtual": is_virtual(name),
            "type": "loopback" if name in ("lo", "lo0") or name.lower().startswith("loopback") else None,
        }
        ips = [e for e in entries if e.family in (socket.AF_INET, socket.AF_INET6)]
        if not ips:
            records.append(base)
        for entry in ips:
            if entry.family == socket.AF_INET:
                records.append({**base, "ipv4": entry.address, "ipv4_mask": entry.netmask})
            else:
                records.append({**base, "ipv6": entry.address.split("%", 1)[0], "ipv6_mask": entry.netmask})
    return records
