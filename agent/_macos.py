"""macOS: ``system_profiler -json``, ``sw_vers`` and a few read-only commands.

Read through ``MacSources`` (``agent._macos_base``): ``LiveMacSources`` runs the commands,
``RecordedMacSources`` replays their outputs captured from real Macs, so that this module runs in
tests on any OS. Peripherals and the battery are in ``_macos_devices``, the firewall, local
accounts, Secure Boot and security chips in ``_macos_security``.

Where GLPI Agent's MacOS modules read something, they are followed: the last logged user and its
date from ``last`` (the first session that is not a reboot or shutdown), the time zone as a name
and an offset, the install date as the date the running macOS was installed (GLPI Agent takes it
from /var/log/install.log; here the newest macOS entry of ``SPInstallHistoryDataType``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from wire.fields import MIB
from wire.sections import EXTRA

from . import software
from ._macos_base import (
    DATA_TYPES,
    LiveMacSources,
    MacSources,
    Record,
    RecordedMacSources,
    data,
    live_sources,
    output,
    size_bytes,
)
from ._macos_base import first as _first
from ._macos_devices import batteries, monitors, printers, usbdevices, videos
from ._macos_security import bios_extensions, firewalls, firmwares, local_groups, local_users, secure_boot

__all__ = ["DATA_TYPES", "LiveMacSources", "MacSources", "RecordedMacSources", "live_sources", "size_bytes"]

# Model name -> SMBIOS chassis name (laptop vs desktop matters for allocation keys).
_CHASSIS = (
    ("macbook", "Notebook"),
    ("imac", "All in One"),
    ("mac mini", "Mini PC"),
    ("mac studio", "Desktop"),
    ("mac pro", "Tower"),
)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# SPNetworkDataType service types -> GLPI interface types (the schema's list).
_INTERFACE_TYPES = {
    "airport": "wifi",
    "ethernet": "ethernet",
    "bridge": "bridge",
    "ppp": "dialup",
    "bluetooth": "bluetooth",
    "bond": "aggregate",
}
_OS_INSTALLS = re.compile(r"^(macOS|Mac OS X|OS X)\b")


def _sw_vers(src: MacSources) -> dict[str, str]:
    values = {}
    for line in src.sw_vers().splitlines():
        key, _, value = line.partition(":")
        values[key.strip()] = value.strip()
    return values


def _sessions(src: MacSources) -> list[tuple[str, str | None, bool]]:
    """``last``'s sessions, newest first: (login, "Mon Nov 18 08:02", still logged in)."""
    sessions = []
    for line in (output(src, "last") or "").splitlines():
        words = line.split()
        if not words or words[0] in ("reboot", "shutdown", "wtmp") or line.startswith("wtmp begins"):
            continue
        login, rest = words[0], words[1:]
        while len(rest) > 3 and rest[0].lower()[:3] not in _WEEKDAYS:
            rest.pop(0)
        sessions.append((login, " ".join(rest[:4]) if len(rest) > 3 else None, "still logged in" in line))
    return sessions


def _profiled_user(src: MacSources) -> str | None:
    """SPSoftwareDataType's user ("Claire Martin (cmartin)"): the user running system_profiler."""
    user = re.search(r"\((.+)\)$", str(_first(src, "SPSoftwareDataType").get("user_name", "")))
    return user.group(1) if user and user.group(1) != "root" else None


def _primary_service(src: MacSources) -> dict[str, Any]:
    services = sorted(data(src, "SPNetworkDataType"), key=lambda s: s.get("spnetwork_service_order", 999))
    return next((s for s in services if (s.get("IPv4") or {}).get("Router")), {})


def hardware(src: MacSources) -> Record:
    hw, sw = _first(src, "SPHardwareDataType"), _first(src, "SPSoftwareDataType")
    model = str(hw.get("machine_name", "")).lower()
    memory = size_bytes(hw.get("physical_memory"))
    sessions = _sessions(src)
    dns: list[str] = []
    for service in data(src, "SPNetworkDataType"):
        dns += [a for a in (service.get("DNS") or {}).get("ServerAddresses") or [] if a not in dns]
    return {
        "name": sw.get("local_host_name") or sw.get("computer_name"),
        "uuid": hw.get("platform_UUID"),
        "chassis_type": next((chassis for marker, chassis in _CHASSIS if marker in model), None),
        "vm_system": "Physical" if "virtual" not in str(hw.get("machine_model", "")).lower() else "Virtual Machine",
        "memory_mb": memory // MIB if memory else None,
        "last_logged_user": sessions[0][0] if sessions else _profiled_user(src),
        "last_logged_user_at": sessions[0][1] if sessions else None,
        "default_gateway": (_primary_service(src).get("IPv4") or {}).get("Router"),
        "dns": "/".join(dns) or None,
    }


def bios(src: MacSources) -> Record:
    hw = _first(src, "SPHardwareDataType")
    return {
        "system_manufacturer": "Apple Inc.",
        "system_model": hw.get("machine_model"),
        "system_serial": hw.get("serial_number"),
        "bios_manufacturer": "Apple Inc.",
        "bios_version": hw.get("boot_rom_version"),
        "sku": hw.get("model_number"),
        "secure_boot": secure_boot(src),
        EXTRA: bios_extensions(src),
    }


def timezone(src: MacSources) -> dict[str, str] | None:
    """``{"name": "Europe/Paris", "offset": "+0100"}`` from /etc/localtime and ``date +%z``."""
    offset = (output(src, "utc_offset") or "").strip()
    link = (output(src, "localtime") or "").strip()
    name = link.split("zoneinfo/", 1)[1] if "zoneinfo/" in link else None
    if not re.fullmatch(r"[+-]\d{4}", offset) or not name:
        return None
    return {"name": name, "offset": offset}


def _install_date(src: MacSources, offset: str | None) -> dt.datetime | None:
    """When the running macOS was installed (its newest Apple install history entry), local time."""
    installed = []
    for item in data(src, "SPInstallHistoryDataType"):
        if _OS_INSTALLS.match(str(item.get("_name", ""))) and item.get("package_source") != "package_source_other":
            try:
                installed.append(dt.datetime.fromisoformat(str(item.get("install_date")).replace("Z", "+00:00")))
            except ValueError:
                continue
    if not installed:
        return None
    newest = max(installed).astimezone(dt.UTC).replace(tzinfo=None)
    if offset:
        sign = -1 if offset.startswith("-") else 1
        newest += sign * dt.timedelta(hours=int(offset[1:3]), minutes=int(offset[3:5]))
    return newest


def operating_system(src: MacSources) -> Record:
    versions, sw, hw = _sw_vers(src), _first(src, "SPSoftwareDataType"), _first(src, "SPHardwareDataType")
    name = versions.get("ProductName", "macOS")
    version = versions.get("ProductVersion")
    kernel = str(sw.get("kernel_version", "")).removeprefix("Darwin ").strip() or None
    apple_silicon = str(hw.get("chip_type", "")).startswith("Apple")
    zone = timezone(src)
    return {
        "name": name,
        "full_name": f"{name} {version}" if version else name,
        "version": version,
        "kernel_name": "darwin",
        "kernel_version": kernel,
        "arch": "arm64" if apple_silicon else "x86_64",
        "fqdn": sw.get("local_host_name"),
        "install_date": _install_date(src, zone["offset"] if zone else None),
        "timezone": zone,
    }


def cpus(src: MacSources) -> list[Record]:
    hw = _first(src, "SPHardwareDataType")
    processors = str(hw.get("number_processors", ""))  # "proc 10:8:2" on Apple silicon, "4" on Intel
    cores = (
        int(processors.split()[1].split(":")[0])
        if processors.startswith("proc")
        else int(processors)
        if processors.isdigit()
        else hw.get("number_processors")
    )
    name = hw.get("chip_type") or hw.get("cpu_type")
    speed = re.search(r"([\d.,]+)\s*GHz", str(hw.get("current_processor_speed", "")))
    return [
        {
            "name": name,
            "manufacturer": "Apple" if str(name).startswith("Apple") else "Intel",
            "cores": cores if isinstance(cores, int) else None,
            "threads": cores if isinstance(cores, int) and str(name).startswith("Apple") else None,
            "speed_mhz": int(float(speed.group(1).replace(",", ".")) * 1000) if speed else None,
            "arch": "arm64" if str(name).startswith("Apple") else "x86_64",
        }
    ]


def memories(src: MacSources) -> list[Record]:
    records = []
    for row in src.system_profiler().get("SPMemoryDataType") or []:
        banks = row.get("_items") or [row]  # Intel Macs list DIMM banks, Apple silicon one unified block
        for bank in banks:
            size = size_bytes(bank.get("dimm_size") or bank.get("SPMemoryDataType"))
            if size:
                records.append(
                    {
                        "capacity_mb": size // MIB,
                        "type": bank.get("dimm_type"),
                        "speed": bank.get("dimm_speed"),
                        "manufacturer": bank.get("dimm_manufacturer"),
                        "serial": bank.get("dimm_serial_number"),
                        "caption": bank.get("_name"),
                    }
                )
    return records


def storages(src: MacSources) -> list[Record]:
    disks: dict[str, Record] = {}
    for volume in src.system_profiler().get("SPStorageDataType") or []:
        drive = volume.get("physical_drive") or {}
        name = drive.get("device_name")
        if name and name not in disks:
            disks[name] = {
                "name": name,
                "model": name,
                "manufacturer": "Apple" if name.upper().startswith("APPLE") else None,
                "media_type": str(drive.get("medium_type", "")).upper() or None,
                "interface": drive.get("protocol"),
            }
    return list(disks.values())


def drives(src: MacSources) -> list[Record]:
    records = []
    for volume in src.system_profiler().get("SPStorageDataType") or []:
        records.append(
            {
                "mount": volume.get("mount_point"),
                "device": volume.get("bsd_name"),
                "label": volume.get("_name"),
                "filesystem": volume.get("file_system"),
                "total_bytes": volume.get("size_in_bytes"),
                "free_bytes": volume.get("free_space_in_bytes"),
                "serial": volume.get("volume_uuid"),
                "system_drive": volume.get("mount_point") == "/",
            }
        )
    return records


def _speed(service: dict[str, Any]) -> int | None:
    """Mbit/s from the Ethernet media subtype ("1000baseT", "10GbaseT"), when negotiated."""
    media = re.match(r"(\d+)(G?)base", str((service.get("Ethernet") or {}).get("MediaSubType", "")), re.IGNORECASE)
    return int(media.group(1)) * (1000 if media.group(2) else 1) if media else None


def networks(src: MacSources) -> list[Record]:
    records = []
    for service in data(src, "SPNetworkDataType"):
        ipv4 = service.get("IPv4") or {}
        kind = str(service.get("type", ""))
        base = {
            "name": service.get("interface") or service.get("_name"),
            "mac": (service.get("Ethernet") or {}).get("MAC Address"),
            "type": _INTERFACE_TYPES.get(kind.lower()),
            "virtual": kind in ("VPN", "PPP", "Bridge"),
            "speed_mbps": _speed(service),
        }
        addresses, masks = ipv4.get("Addresses") or [], ipv4.get("SubnetMasks") or []
        for index, address in enumerate(addresses):
            records.append(
                {
                    **base,
                    "ipv4": address,
                    "ipv4_mask": masks[index] if index < len(masks) else None,
                    "gateway": ipv4.get("Router"),
                }
            )
        for address in (service.get("IPv6") or {}).get("Addresses") or []:
            records.append({**base, "ipv6": address})
        if not addresses and not (service.get("IPv6") or {}).get("Addresses"):
            records.append(base)
    return records


def softwares(src: MacSources) -> list[Record]:
    return software.macos_records(data(src, "SPApplicationsDataType"))


def users(src: MacSources) -> list[Record]:
    """Who has a session open (``last``: still logged in), else the last one who logged in."""
    sessions = _sessions(src)
    logins = list(dict.fromkeys(login for login, _, open_ in sessions if open_))
    if not logins:
        last = sessions[0][0] if sessions else _profiled_user(src)
        logins = [last] if last else []
    return [{"login": login} for login in logins]


COLLECTORS: dict[str, Callable[[MacSources], Any]] = {
    "hardware": hardware,
    "bios": bios,
    "operatingsystem": operating_system,
    "cpus": cpus,
    "memories": memories,
    "storages": storages,
    "drives": drives,
    "networks": networks,
    "softwares": softwares,
    "batteries": batteries,
    "users": users,
    "monitors": monitors,
    "videos": videos,
    "printers": printers,
    "usbdevices": usbdevices,
    "local_users": local_users,
    "local_groups": local_groups,
    "firewalls": firewalls,
    "firmwares": firmwares,
}
