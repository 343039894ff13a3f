"""macOS: ``system_profiler -json`` and ``sw_vers``.

Read through ``MacSources``: ``LiveMacSources`` runs the commands, ``RecordedMacSources``
replays their outputs captured from real Macs (``system_profiler.json``, ``sw_vers.txt``), so
that this module runs in tests on any OS.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from wire.fields import MIB

from . import software

Record = dict[str, Any]
DATA_TYPES = (
    "SPHardwareDataType",
    "SPSoftwareDataType",
    "SPMemoryDataType",
    "SPStorageDataType",
    "SPNetworkDataType",
    "SPPowerDataType",
    "SPApplicationsDataType",
)
# Model name -> SMBIOS chassis name (laptop vs desktop matters for allocation keys).
_CHASSIS = (
    ("macbook", "Notebook"),
    ("imac", "All in One"),
    ("mac mini", "Mini PC"),
    ("mac studio", "Desktop"),
    ("mac pro", "Tower"),
)
_SIZE = re.compile(r"([\d.,]+)\s*(TB|GB|MB)", re.IGNORECASE)


class MacSources(Protocol):
    def system_profiler(self) -> dict[str, list[dict[str, Any]]]: ...
    def sw_vers(self) -> str: ...


class RecordedMacSources:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def system_profiler(self) -> dict[str, list[dict[str, Any]]]:
        return json.loads((self.directory / "system_profiler.json").read_text("utf-8"))

    def sw_vers(self) -> str:
        return (self.directory / "sw_vers.txt").read_text("utf-8")


class LiveMacSources:  # pragma: no cover - needs macOS
    def __init__(self) -> None:
        self._profile: dict[str, Any] | None = None

    def system_profiler(self) -> dict[str, list[dict[str, Any]]]:
        if self._profile is None:  # one run for every data type: system_profiler is slow to start
            command = [shutil.which("system_profiler") or "/usr/sbin/system_profiler", "-json", *DATA_TYPES]
            output = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True).stdout  # noqa: S603
            self._profile = json.loads(output)
        return self._profile

    def sw_vers(self) -> str:
        return subprocess.run(["/usr/bin/sw_vers"], capture_output=True, text=True, timeout=30, check=True).stdout


def live_sources() -> MacSources:  # pragma: no cover - needs macOS
    return LiveMacSources()


def _first(src: MacSources, data_type: str) -> dict[str, Any]:
    rows = src.system_profiler().get(data_type) or []
    return rows[0] if rows else {}


def size_bytes(text: Any) -> int | None:
    """'16 GB' -> bytes (system_profiler uses binary units for memory, as macOS shows them)."""
    match = _SIZE.search(str(text or ""))
    if not match:
        return None
    number = float(match.group(1).replace(",", "."))
    return int(number * {"tb": 2**40, "gb": 2**30, "mb": 2**20}[match.group(2).lower()])


def _sw_vers(src: MacSources) -> dict[str, str]:
    values = {}
    for line in src.sw_vers().splitlines():
        key, _, value = line.partition(":")
        values[key.strip()] = value.strip()
    return values


def hardware(src: MacSources) -> Record:
    hw, sw = _first(src, "SPHardwareDataType"), _first(src, "SPSoftwareDataType")
    model = str(hw.get("machine_name", "")).lower()
    memory = size_bytes(hw.get("physical_memory"))
    user = re.search(r"\((.+)\)$", str(sw.get("user_name", "")))
    return {
        "name": sw.get("local_host_name") or sw.get("computer_name"),
        "uuid": hw.get("platform_UUID"),
        "chassis_type": next((chassis for marker, chassis in _CHASSIS if marker in model), None),
        "vm_system": "Physical" if "virtual" not in str(hw.get("machine_model", "")).lower() else "Virtual Machine",
        "memory_mb": memory // MIB if memory else None,
        "last_logged_user": user.group(1) if user else None,
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
    }


def operating_system(src: MacSources) -> Record:
    versions, sw, hw = _sw_vers(src), _first(src, "SPSoftwareDataType"), _first(src, "SPHardwareDataType")
    name = versions.get("ProductName", "macOS")
    version = versions.get("ProductVersion")
    kernel = str(sw.get("kernel_version", "")).removeprefix("Darwin ").strip() or None
    apple_silicon = str(hw.get("chip_type", "")).startswith("Apple")
    return {
        "name": name,
        "full_name": f"{name} {version}" if version else name,
        "version": version,
        "kernel_name": "darwin",
        "kernel_version": kernel,
        "arch": "arm64" if apple_silicon else "x86_64",
        "fqdn": sw.get("local_host_name"),
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


def networks(src: MacSources) -> list[Record]:
    records = []
    for service in src.system_profiler().get("SPNetworkDataType") or []:
        ipv4 = service.get("IPv4") or {}
        base = {
            "name": service.get("interface") or service.get("_name"),
            "mac": (service.get("Ethernet") or {}).get("MAC Address"),
            "type": "wifi" if service.get("type") == "AirPort" else str(service.get("type", "")).lower() or None,
            "virtual": service.get("type") in ("VPN", "PPP", "Bridge"),
            "gateway": ipv4.get("Router"),
        }
        addresses, masks = ipv4.get("Addresses") or [], ipv4.get("SubnetMasks") or []
        for index, address in enumerate(addresses):
            records.append({**base, "ipv4": address, "ipv4_mask": masks[index] if index < len(masks) else None})
        for address in (service.get("IPv6") or {}).get("Addresses") or []:
            records.append({**base, "ipv6": address})
        if not addresses and not (service.get("IPv6") or {}).get("Addresses"):
            records.append(base)
    return records


def softwares(src: MacSources) -> list[Record]:
    return software.macos_records(src.system_profiler().get("SPApplicationsDataType") or [])


def batteries(src: MacSources) -> list[Record]:
    records = []
    for row in src.system_profiler().get("SPPowerDataType") or []:
        model = row.get("sppower_battery_model_info")
        if not model:
            continue
        records.append(
            {
                "name": model.get("sppower_battery_device_name"),
                "manufacturer": model.get("sppower_battery_manufacturer"),
                "serial": model.get("sppower_battery_serial_number"),
                "chemistry": "Lithium-ion",
            }
        )
    return records


def users(src: MacSources) -> list[Record]:
    login = hardware(src)["last_logged_user"]
    return [{"login": login}] if login else []


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
}
