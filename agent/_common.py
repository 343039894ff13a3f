"""What psutil tells on every platform: memory, CPU counts, volumes, network interfaces, users.

Each function returns wire records (dicts keyed like ``wire.sections``); platform modules add
what psutil cannot see (DMI, registry, system_profiler) around them.
"""

from __future__ import annotations

# _socket, the C module, for its constants: socket.py builds enums (and imports selectors) at import.
import _socket
import datetime as dt

from wire.fields import MIB

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

Record = dict[str, "Any"]

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


# psutil is imported by the functions that use it (on Linux, the agent reads the kernel itself:
# see _linux_kernel), not with this module.


def memory_mb() -> int:
    import psutil

    return psutil.virtual_memory().total // MIB


def swap_mb() -> int:
    import psutil

    return psutil.swap_memory().total // MIB


def cpu_counts() -> tuple[int | None, int | None]:
    """(physical cores, logical threads) of the whole machine."""
    import psutil

    return psutil.cpu_count(logical=False), psutil.cpu_count(logical=True)


def cpu_speed_mhz() -> int | None:
    import psutil

    try:
        frequency = psutil.cpu_freq()
    except (OSError, NotImplementedError):
        return None
    if frequency is None:
        return None
    return int(frequency.max or frequency.current) or None


def boot_time(seconds: float | None = None) -> dt.datetime:
    if seconds is None:
        import psutil

        seconds = psutil.boot_time()
    return dt.datetime.fromtimestamp(seconds).replace(microsecond=0)


def hostname() -> str:
    return _socket.gethostname().split(".")[0]


def users(names: list[str] | None = None) -> list[Record]:
    """The logged-in users (``names``: of their sessions; default: psutil's)."""
    if names is None:
        import psutil

        names = [session.name for session in psutil.users()]
    seen: dict[str, Record] = {}
    for name in names:
        domain, _, login = name.rpartition("\\")  # DOMAIN\login on Windows
        seen.setdefault(login, {"login": login, "domain": domain or None})
    return list(seen.values())


def drives(
    letter_of: Callable[[str], str | None] = lambda _mount: None,
    partitions: list[Any] | None = None,
    disk_usage: Callable[[str], Any] | None = None,
) -> list[Record]:
    """Mounted volumes with their size and free space (bytes), from psutil's disk_partitions and
    disk_usage (or ``partitions`` and ``disk_usage`` giving the same)."""
    if partitions is None or disk_usage is None:
        import psutil

        partitions, disk_usage = psutil.disk_partitions(all=False), psutil.disk_usage
    records = []
    for partition in partitions:
        if partition.fstype in PSEUDO_FILESYSTEMS or not partition.fstype:
            continue
        try:
            usage = disk_usage(partition.mountpoint)
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


def networks(
    is_virtual: Callable[[str], bool | None],
    speed_of: Callable[[str], int | None],
    interfaces: tuple[dict[str, list[Any]], dict[str, Any], int] | None = None,
) -> list[Record]:
    """One record per interface address (as GLPI agents report them), or one per interface without address.

    ``interfaces``: (addresses, stats, link family) as psutil's net_if_addrs, net_if_stats and AF_LINK
    give them (default: psutil's)."""
    if interfaces is None:
        import psutil

        interfaces = psutil.net_if_addrs(), psutil.net_if_stats(), psutil.AF_LINK
    addresses, stats, link = interfaces
    records = []
    for name, entries in sorted(addresses.items()):
        mac = next((e.address for e in entries if e.family == link), None)
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
        ips = [e for e in entries if e.family in (_socket.AF_INET, _socket.AF_INET6)]
        if not ips:
            records.append(base)
        for entry in ips:
            if entry.family == _socket.AF_INET:
                records.append({**base, "ipv4": entry.address, "ipv4_mask": entry.netmask})
            else:
                records.append({**base, "ipv6": entry.address.split("%", 1)[0], "ipv6_mask": entry.netmask})
    return records
