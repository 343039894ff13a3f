"""Windows: WMI and the registry.

Read through ``WindowsSources``: ``LiveWindowsSources`` queries WMI (pywin32) and the registry
(winreg) on a real machine; ``RecordedWindowsSources`` replays plain data files captured from
real machines, so that this module runs in tests on any OS.

Windows version: WMI's ``Caption`` names the product ("Microsoft Windows 11 Pro") and the
registry holds what agents often get wrong: ``DisplayVersion`` (23H2; ``ReleaseId`` before
20H2) and the update build revision ``UBR``. The registry's ``ProductName`` still says
"Windows 10" on Windows 11 and is not trusted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

from wire.chassis import chassis_name

from . import software

Record = dict[str, Any]

CURRENT_VERSION = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"
UNINSTALL = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"
UNINSTALL_VIEWS = (
    ("x64", rf"HKLM\{UNINSTALL}"),
    ("x86", r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall"),
)
PROFILE_LIST = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList"
# Win32_ComputerSystem.PCSystemType -> SMBIOS chassis name, when Win32_SystemEnclosure is not readable.
_PC_SYSTEM_TYPES = {
    1: "Desktop",
    2: "Laptop",
    3: "Desktop",
    4: "Main Server Chassis",
    5: "Main Server Chassis",
    6: "Desktop",
    7: "Main Server Chassis",
    8: "Tablet",
}
_BATTERY_CHEMISTRY = {
    1: "Other",
    2: "Unknown",
    3: "Lead Acid",
    4: "Nickel Cadmium",
    5: "Nickel Metal Hydride",
    6: "Lithium-ion",
    7: "Zinc air",
    8: "Lithium Polymer",
}
_MEMORY_TYPES = {20: "DDR", 21: "DDR2", 24: "DDR3", 26: "DDR4", 30: "LPDDR4", 34: "DDR5", 35: "LPDDR5"}
_FORM_FACTORS = {8: "DIMM", 12: "SODIMM", 13: "SRIMM"}
_VIRTUAL_MODELS = (
    ("virtual machine", "Hyper-V"),
    ("vmware", "VMware"),
    ("virtualbox", "VirtualBox"),
    ("kvm", "KVM"),
    ("qemu", "QEMU"),
    ("xen", "Xen"),
)
_SYSTEM_SIDS = ("S-1-5-18", "S-1-5-19", "S-1-5-20", ".DEFAULT")


class WindowsSources(Protocol):
    def wmi(self, wmi_class: str) -> list[dict[str, Any]]: ...
    def registry(self, path: str) -> dict[str, Any] | None: ...
    def subkeys(self, path: str) -> list[str]: ...


class RecordedWindowsSources:
    """A machine captured as files: ``wmi/<Class>.json`` (a list of instances) and ``registry.json``
    (``{"HKLM\\\\...\\\\Key": {"Value": ...}}``)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        registry_file = self.directory / "registry.json"
        raw = json.loads(registry_file.read_text("utf-8")) if registry_file.exists() else {}
        self._registry = {path.lower(): (path, values) for path, values in raw.items()}

    def wmi(self, wmi_class: str) -> list[dict[str, Any]]:
        path = self.directory / "wmi" / f"{wmi_class}.json"
        if not path.exists():
            raise OSError(f"WMI class {wmi_class} not available")
        return json.loads(path.read_text("utf-8"))

    def registry(self, path: str) -> dict[str, Any] | None:
        found = self._registry.get(path.lower())
        return dict(found[1]) if found else None

    def subkeys(self, path: str) -> list[str]:
        prefix = path.lower().rstrip("\\") + "\\"
        children: dict[str, str] = {}
        for lowered, (original, _) in self._registry.items():
            if lowered.startswith(prefix):
                child = original[len(prefix) :].split("\\", 1)[0]
                children.setdefault(child.lower(), child)
        return sorted(children.values())


class LiveWindowsSources:  # pragma: no cover - needs Windows
    """WMI through pywin32's COM client and the registry through winreg (64-bit view)."""

    def __init__(self) -> None:
        import win32com.client  # type: ignore[import-not-found]

        self._wmi = win32com.client.GetObject(r"winmgmts:\\.\root\cimv2")

    def wmi(self, wmi_class: str) -> list[dict[str, Any]]:
        rows = []
        # wmi_class is one of this module's constants, never outside input.
        for item in self._wmi.ExecQuery(f"SELECT * FROM {wmi_class}"):  # noqa: S608
            rows.append({prop.Name: _com_value(prop.Value) for prop in item.Properties_})
        return rows

    def _open(self, path: str):  # type: ignore[no-untyped-def]
        import winreg

        hive_name, _, subpath = path.partition("\\")
        hive = {"HKLM": winreg.HKEY_LOCAL_MACHINE, "HKU": winreg.HKEY_USERS}[hive_name]
        return winreg.OpenKey(hive, subpath, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY)

    def registry(self, path: str) -> dict[str, Any] | None:
        import winreg

        try:
            key = self._open(path)
        except OSError:
            return None
        values, index = {}, 0
        with key:
            while True:
                try:
                    name, value, _ = winreg.EnumValue(key, index)
                except OSError:
                    break
                values[name] = value
                index += 1
        return values

    def subkeys(self, path: str) -> list[str]:
        import winreg

        try:
            key = self._open(path)
        except OSError:
            return []
        names, index = [], 0
        with key:
            while True:
                try:
                    names.append(winreg.EnumKey(key, index))
                except OSError:
                    break
                index += 1
        return names


def _com_value(value: Any) -> Any:  # pragma: no cover - needs Windows
    if isinstance(value, tuple):
        return list(value)
    return value


def live_sources() -> WindowsSources:  # pragma: no cover - needs Windows
    return LiveWindowsSources()


def _one(src: WindowsSources, wmi_class: str) -> dict[str, Any]:
    try:
        rows = src.wmi(wmi_class)
    except OSError:
        return {}
    return rows[0] if rows else {}


def _cim_datetime(value: Any) -> dt.datetime | None:
    """A CIM_DATETIME ("20230515093000.000000+060") as a naive local datetime."""
    if not isinstance(value, str) or len(value) < 14 or not value[:14].isdigit():
        return None
    try:
        return dt.datetime.strptime(value[:14], "%Y%m%d%H%M%S")
    except ValueError:
        return None


def _int(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


def _vm_system(system: dict[str, Any]) -> str:
    described = f"{system.get('Manufacturer', '')} {system.get('Model', '')}".lower()
    if "microsoft" in described and "virtual machine" not in described:
        return "Physical"  # a Surface
    for marker, name in _VIRTUAL_MODELS:
        if marker in described:
            return name
    return "Physical"


def _chassis(src: WindowsSources, system: dict[str, Any]) -> str | None:
    enclosure = _one(src, "Win32_SystemEnclosure")
    types = enclosure.get("ChassisTypes") or []
    if types:
        return chassis_name(types[0])
    return _PC_SYSTEM_TYPES.get(_int(system.get("PCSystemType")) or 0)


def hardware(src: WindowsSources) -> Record:
    system = _one(src, "Win32_ComputerSystem")
    product = _one(src, "Win32_ComputerSystemProduct")
    memory = _int(system.get("TotalPhysicalMemory"))
    user = system.get("UserName") or ""
    return {
        "name": system.get("Name") or system.get("DNSHostName"),
        "uuid": product.get("UUID"),
        "chassis_type": _chassis(src, system),
        "vm_system": _vm_system(system),
        "memory_mb": memory // 2**20 if memory else None,
        "workgroup": system.get("Domain") if system.get("PartOfDomain") else system.get("Workgroup"),
        "last_logged_user": user.rpartition("\\")[2] or None,
    }


def bios(src: WindowsSources) -> Record:
    bios_row = _one(src, "Win32_BIOS")
    system = _one(src, "Win32_ComputerSystem")
    product = _one(src, "Win32_ComputerSystemProduct")
    board = _one(src, "Win32_BaseBoard")
    release = _cim_datetime(bios_row.get("ReleaseDate"))
    return {
        "system_manufacturer": system.get("Manufacturer") or product.get("Vendor"),
        "system_model": system.get("Model") or product.get("Name"),
        "system_serial": bios_row.get("SerialNumber") or product.get("IdentifyingNumber"),
        "bios_manufacturer": bios_row.get("Manufacturer"),
        "bios_version": bios_row.get("SMBIOSBIOSVersion") or bios_row.get("Version"),
        "bios_date": release.date() if release else None,
        "board_manufacturer": board.get("Manufacturer"),
        "board_model": board.get("Product"),
        "board_serial": board.get("SerialNumber"),
        "sku": system.get("SystemSKUNumber"),
    }


def windows_version(src: WindowsSources) -> dict[str, Any]:
    """The real version: product name, feature update (23H2) and build with its revision (22631.4460)."""
    os_row = _one(src, "Win32_OperatingSystem")
    current = src.registry(CURRENT_VERSION) or {}
    build = str(os_row.get("BuildNumber") or current.get("CurrentBuildNumber") or current.get("CurrentBuild") or "")
    revision = current.get("UBR")
    caption = (os_row.get("Caption") or current.get("ProductName") or "Windows").strip()
    if build.isdigit() and int(build) >= 22000 and "Windows 10" in caption:
        caption = caption.replace("Windows 10", "Windows 11")  # ProductName was never updated for 11
    kernel = os_row.get("Version") or (f"10.0.{build}" if build else None)
    return {
        "caption": caption,
        "display_version": current.get("DisplayVersion") or current.get("ReleaseId"),
        "build": f"{build}.{revision}" if build and revision is not None else build or None,
        "kernel_version": f"{kernel}.{revision}" if kernel and revision is not None else kernel,
        "edition": current.get("EditionID"),
    }


def operating_system(src: WindowsSources) -> Record:
    os_row = _one(src, "Win32_OperatingSystem")
    version = windows_version(src)
    architecture = str(os_row.get("OSArchitecture") or "")  # localised: "64 bits", "64-bit"
    return {
        "name": "Windows",
        "full_name": version["caption"],
        "version": version["display_version"],
        "kernel_name": "MSWin32",
        "kernel_version": version["kernel_version"],
        "arch": "64-bit" if "64" in architecture else "32-bit" if architecture else None,
        "service_pack": os_row.get("CSDVersion") or None,
        "install_date": _cim_datetime(os_row.get("InstallDate")),
        "boot_time": _cim_datetime(os_row.get("LastBootUpTime")),
        "fqdn": os_row.get("CSName"),
    }


def cpus(src: WindowsSources) -> list[Record]:
    records = []
    for row in src.wmi("Win32_Processor"):
        description = str(row.get("Description") or "")  # "Intel64 Family 6 Model 154 Stepping 3"
        words = description.split()
        family = words[words.index("Family") + 1] if "Family" in words[:-1] else None
        model = words[words.index("Model") + 1] if "Model" in words[:-1] else None
        records.append(
            {
                "name": (row.get("Name") or "").strip() or None,
                "manufacturer": {"GenuineIntel": "Intel", "AuthenticAMD": "AMD"}.get(
                    row.get("Manufacturer"), row.get("Manufacturer")
                ),
                "cores": _int(row.get("NumberOfCores")),
                "threads": _int(row.get("NumberOfLogicalProcessors")),
                "speed_mhz": _int(row.get("MaxClockSpeed")),
                "arch": {0: "i386", 5: "ARM", 9: "x86_64", 12: "AArch64"}.get(_int(row.get("Architecture")) or -1),
                "family": family,
                "model": model,
                "serial": row.get("ProcessorId"),
            }
        )
    return records


def memories(src: WindowsSources) -> list[Record]:
    records = []
    for row in src.wmi("Win32_PhysicalMemory"):
        capacity = _int(row.get("Capacity"))
        records.append(
            {
                "capacity_mb": capacity // 2**20 if capacity else None,
                "type": _MEMORY_TYPES.get(_int(row.get("SMBIOSMemoryType")) or 0),
                "speed": str(row["Speed"]) if row.get("Speed") else None,
                "serial": (row.get("SerialNumber") or "").strip() or None,
                "manufacturer": row.get("Manufacturer"),
                "model": (row.get("PartNumber") or "").strip() or None,
                "caption": row.get("DeviceLocator"),
                "form_factor": _FORM_FACTORS.get(_int(row.get("FormFactor")) or 0),
            }
        )
    return records


def storages(src: WindowsSources) -> list[Record]:
    records = []
    for row in src.wmi("Win32_DiskDrive"):
        maker = row.get("Manufacturer")
        records.append(
            {
                "name": row.get("Caption") or row.get("DeviceID"),
                "model": row.get("Model"),
                "manufacturer": None if maker == "(Standard disk drives)" else maker,
                "serial": (row.get("SerialNumber") or "").strip() or None,
                "size_bytes": _int(row.get("Size")),
                "interface": row.get("InterfaceType"),
                "media_type": row.get("MediaType"),
                "firmware": row.get("FirmwareRevision"),
            }
        )
    return records


def drives(src: WindowsSources) -> list[Record]:
    records = []
    for row in src.wmi("Win32_LogicalDisk"):
        if _int(row.get("DriveType")) not in (2, 3):  # removable, local disk (not network, CD, RAM)
            continue
        size = _int(row.get("Size"))
        if not size:
            continue
        letter = row.get("DeviceID")
        records.append(
            {
                "letter": letter,
                "mount": f"{letter}\\" if letter else None,
                "label": row.get("VolumeName") or None,
                "filesystem": row.get("FileSystem"),
                "total_bytes": size,
                "free_bytes": _int(row.get("FreeSpace")),
                "serial": row.get("VolumeSerialNumber"),
                "system_drive": letter == _one(src, "Win32_OperatingSystem").get("SystemDrive"),
            }
        )
    return records


def networks(src: WindowsSources) -> list[Record]:
    adapters = {}
    with contextlib.suppress(OSError):  # speed and physical/virtual are a bonus
        adapters = {_int(a.get("Index")): a for a in src.wmi("Win32_NetworkAdapter")}
    records = []
    for config in src.wmi("Win32_NetworkAdapterConfiguration"):
        if not config.get("IPEnabled"):
            continue
        adapter = adapters.get(_int(config.get("Index")), {})
        pnp = str(adapter.get("PNPDeviceID") or "")
        physical = adapter.get("PhysicalAdapter")
        speed = _int(adapter.get("Speed"))
        base = {
            "name": config.get("Description"),
            "mac": config.get("MACAddress"),
            "virtual": (not physical) if physical is not None else pnp.upper().startswith(("ROOT\\", "SWD\\")),
            "dhcp_server": config.get("DHCPServer"),
            "gateway": (config.get("DefaultIPGateway") or [None])[0],
            "speed_mbps": speed // 1_000_000 if speed else None,
            "status": "up" if adapter.get("NetEnabled", True) else "down",
            "manufacturer": adapter.get("Manufacturer"),
            "type": "wifi"
            if "wi-fi" in str(config.get("Description")).lower() or "wireless" in str(config.get("Description")).lower()
            else "ethernet",
        }
        addresses = config.get("IPAddress") or []
        masks = config.get("IPSubnet") or []
        for address, mask in zip(addresses, masks + [None] * len(addresses), strict=False):
            if ":" in address:
                records.append({**base, "ipv6": address})
            else:
                records.append({**base, "ipv4": address, "ipv4_mask": mask})
        if not addresses:
            records.append(base)
    return records


def _uninstall_entries(src: WindowsSources) -> Iterator[tuple[str, dict[str, Any]]]:
    for view, path in UNINSTALL_VIEWS:
        for name in src.subkeys(path):
            values = src.registry(f"{path}\\{name}")
            if values:
                yield view, {**values, "_key": name}
    for sid in src.subkeys("HKU"):
        if sid in _SYSTEM_SIDS or sid.endswith("_Classes"):
            continue
        profile = (src.registry(f"{PROFILE_LIST}\\{sid}") or {}).get("ProfileImagePath", "")
        login = str(profile).replace("/", "\\").rsplit("\\", 1)[-1] or sid
        path = f"HKU\\{sid}\\Software\\Microsoft\\Windows\\CurrentVersion\\Uninstall"
        for name in src.subkeys(path):
            values = src.registry(f"{path}\\{name}")
            if values:
                yield f"user:{login}", {**values, "_key": name}


def softwares(src: WindowsSources) -> list[Record]:
    return software.windows_records(_uninstall_entries(src))


def batteries(src: WindowsSources) -> list[Record]:
    records = []
    for row in src.wmi("Win32_Battery"):
        records.append(
            {
                "name": row.get("Name"),
                "serial": row.get("DeviceID"),
                "chemistry": _BATTERY_CHEMISTRY.get(_int(row.get("Chemistry")) or 0),
                "capacity_mwh": _int(row.get("DesignCapacity")),
                "real_capacity_mwh": _int(row.get("FullChargeCapacity")),
                "voltage_mv": _int(row.get("DesignVoltage")),
            }
        )
    return records


def users(src: WindowsSources) -> list[Record]:
    user = _one(src, "Win32_ComputerSystem").get("UserName")
    if not user:
        return []
    domain, _, login = str(user).rpartition("\\")
    return [{"login": login, "domain": domain or None}]


COLLECTORS: dict[str, Callable[[WindowsSources], Any]] = {
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
