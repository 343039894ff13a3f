"""Windows: WMI and the registry.

Read through ``WindowsSources`` (``agent._windows_base``): ``LiveWindowsSources`` queries WMI
(pywin32) and the registry (winreg) on a real machine; ``RecordedWindowsSources`` replays plain
data files captured from real machines, so that this module runs in tests on any OS. The
sections are those GLPI Agent's Win32 modules send; peripherals are in ``_windows_devices`` and
the security state (firewall, antivirus, licences, accounts, TPM, UEFI) in ``_windows_security``.

Windows version: WMI's ``Caption`` names the product ("Microsoft Windows 11 Pro") and the
registry holds what agents often get wrong: ``DisplayVersion`` (23H2; ``ReleaseId`` before
20H2) and the update build revision ``UBR``. The registry's ``ProductName`` still says
"Windows 10" on Windows 11 and is not trusted.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import ipaddress
import re
from collections.abc import Callable, Iterator
from typing import Any

from wire.chassis import chassis_name
from wire.sections import EXTRA

from . import software
from ._windows_base import (
    CONTROL,
    CURRENT_VERSION,
    UNINSTALL,
    UNINSTALL_VIEWS,
    WMI,
    LiveWindowsSources,
    Record,
    RecordedWindowsSources,
    WindowsSources,
    bios_text,
    cim_datetime,
    flag,
    integer,
    one,
    rows,
    signed32,
    text,
    value,
)
from ._windows_devices import controllers, inputs, monitors, printers, sounds, usbdevices, videos
from ._windows_security import (
    antivirus,
    bios_extensions,
    decode_product_key,
    firewalls,
    firmwares,
    licenseinfos,
    local_groups,
    local_users,
    secure_boot,
)

__all__ = ["UNINSTALL", "LiveWindowsSources", "RecordedWindowsSources", "WindowsSources", "live_sources"]

PROFILE_LIST = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\ProfileList"
TIME_ZONE = rf"{CONTROL}\TimeZoneInformation"
BIOS_REGISTRY = r"HKLM\HARDWARE\DESCRIPTION\System\BIOS"
SERVER_PARAMETERS = r"HKLM\SYSTEM\CurrentControlSet\Services\lanmanserver\Parameters"
NETWORK_CLASS = rf"{CONTROL}\Network\{{4D36E972-E325-11CE-BFC1-08002BE10318}}"
LOGON_VALUES = (
    (r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Authentication\LogonUI", "LastLoggedOnSAMUser"),
    (r"HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Authentication\LogonUI", "LastLoggedOnUser"),
    (r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon", "DefaultUserName"),
    (r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\Winlogon", "LastUsedUsername"),
)
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
# BatteryStaticData.Chemistry: four ASCII letters packed in a little-endian integer.
_BATTERY_CHEMISTRY_CODES = {
    "LION": "Lithium-ion",
    "LI-I": "Lithium-ion",
    "LIP": "Lithium Polymer",
    "LIPO": "Lithium Polymer",
    "PBAC": "Lead Acid",
    "NICD": "Nickel Cadmium",
    "NIMH": "Nickel Metal Hydride",
}
_MEMORY_TYPES = {20: "DDR", 21: "DDR2", 24: "DDR3", 26: "DDR4", 30: "LPDDR4", 34: "DDR5", 35: "LPDDR5"}
_FORM_FACTORS = {8: "DIMM", 12: "SODIMM", 13: "SRIMM"}
_NOT_MEMORY = (10, 11)  # Win32_PhysicalMemory.MemoryType ROM, Flash (the firmware's chips)
_MEDIA_SUBTYPES = {1: "ethernet", 2: "wifi", 7: "bluetooth"}
_VIRTUAL_MODELS = (
    ("virtual machine", "Hyper-V"),
    ("vmware", "VMware"),
    ("virtualbox", "VirtualBox"),
    ("kvm", "KVM"),
    ("qemu", "QEMU"),
    ("xen", "Xen"),
)
_SYSTEM_SIDS = ("S-1-5-18", "S-1-5-19", "S-1-5-20", ".DEFAULT")
_UNKNOWN_SPEED = 2**63 - 1  # Win32_NetworkAdapter.Speed of a disconnected adapter

# The original module's names, for the code below and callers.
_one, _int, _cim_datetime = one, integer, cim_datetime


def live_sources() -> WindowsSources:  # pragma: no cover - needs Windows
    return LiveWindowsSources()


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


def _account(raw: Any, computer: str | None) -> tuple[str | None, str] | None:
    """(domain, login) of ``DOMAIN\\login`` (``.`` is this computer), or None."""
    name = text(raw)
    if not name:
        return None
    domain, _, login = name.rpartition("\\")
    if not login:
        return None
    return (computer if domain in ("", ".") and computer else domain or None), login


def logged_user(src: WindowsSources) -> tuple[str | None, str] | None:
    """The console user, else the last one who logged on (LogonUI, Winlogon), as GLPI Agent finds it."""
    system = _one(src, "Win32_ComputerSystem")
    computer = text(system.get("Name"))
    current = _account(system.get("UserName"), computer)
    if current:
        return current
    for key, name in LOGON_VALUES:
        found = _account(value(src, key, name), computer)
        if found:
            return found
    return None


def _adapter_configs(src: WindowsSources) -> list[dict[str, Any]]:
    return [c for c in rows(src, "Win32_NetworkAdapterConfiguration") if flag(c.get("IPEnabled"))]


def _unique(values: Iterator[Any]) -> str | None:
    seen: list[str] = []
    for item in values:
        cleaned = text(item)
        if cleaned and cleaned not in seen:
            seen.append(cleaned)
    return "/".join(seen) or None


def hardware(src: WindowsSources) -> Record:
    system = _one(src, "Win32_ComputerSystem")
    product = _one(src, "Win32_ComputerSystemProduct")
    os_row = _one(src, "Win32_OperatingSystem")
    current = src.registry(CURRENT_VERSION) or {}
    memory = _int(system.get("TotalPhysicalMemory"))
    paging_kb = _int(os_row.get("SizeStoredInPagingFiles"))
    uuid = text(product.get("UUID"))
    user = logged_user(src)
    configs = _adapter_configs(src)
    language = _int(os_row.get("OSLanguage"))
    return {
        "name": system.get("Name") or system.get("DNSHostName"),
        "uuid": uuid if uuid and uuid.strip("0-") else None,
        "chassis_type": _chassis(src, system),
        "vm_system": _vm_system(system),
        "memory_mb": memory // 2**20 if memory else None,
        "swap_mb": paging_kb // 1024 if paging_kb is not None else None,
        "workgroup": system.get("Domain") if system.get("PartOfDomain") else system.get("Workgroup"),
        "last_logged_user": user[1] if user else None,
        "default_gateway": _unique(g for c in configs for g in (c.get("DefaultIPGateway") or [])[:1]),
        "dns": _unique(d for c in configs for d in c.get("DNSServerSearchOrder") or []),
        "description": text(value(src, SERVER_PARAMETERS, "srvcomment")),
        "windows_product_id": text(os_row.get("SerialNumber")),
        "windows_product_key": decode_product_key(current.get("DigitalProductId"))
        or decode_product_key(current.get("DigitalProductId4")),
        "windows_owner": text(os_row.get("RegisteredUser")) or text(system.get("PrimaryOwnerName")),
        "windows_company": text(os_row.get("Organization")),
        "windows_language": str(language) if language is not None else None,
    }


def _bios_date(src: WindowsSources, raw: Any) -> dt.date | None:
    release = _cim_datetime(raw)
    if release:
        return release.date()
    registry_date = text(value(src, BIOS_REGISTRY, "BIOSReleaseDate"))  # "06/19/2024"
    with contextlib.suppress(ValueError, TypeError):
        return dt.datetime.strptime(str(registry_date), "%m/%d/%Y").date()
    return None


def bios(src: WindowsSources) -> Record:
    bios_row = _one(src, "Win32_BIOS")
    system = _one(src, "Win32_ComputerSystem")
    product = _one(src, "Win32_ComputerSystemProduct")
    board = _one(src, "Win32_BaseBoard")
    enclosure = _one(src, "Win32_SystemEnclosure")
    bios_serial = bios_text(bios_row.get("SerialNumber"))
    return {
        "system_manufacturer": bios_text(system.get("Manufacturer")) or bios_text(product.get("Vendor")),
        "system_model": bios_text(system.get("Model")) or bios_text(product.get("Name")),
        "system_serial": bios_serial or bios_text(product.get("IdentifyingNumber")),
        "bios_manufacturer": bios_text(bios_row.get("Manufacturer")),
        "bios_version": bios_text(bios_row.get("SMBIOSBIOSVersion")) or bios_text(bios_row.get("Version")),
        "bios_date": _bios_date(src, bios_row.get("ReleaseDate")),
        "board_manufacturer": bios_text(board.get("Manufacturer")),
        "board_model": bios_text(board.get("Product")),
        "board_serial": bios_text(board.get("SerialNumber")),
        "asset_tag": bios_text(enclosure.get("SMBIOSAssetTag")),
        "sku": bios_text(system.get("SystemSKUNumber")),
        "enclosure_serial": bios_text(enclosure.get("SerialNumber")),
        "bios_serial": bios_serial,
        "secure_boot": secure_boot(src),
        EXTRA: bios_extensions(src),
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


def _utc_offset_minutes(src: WindowsSources, os_row: dict[str, Any]) -> int | None:
    """Minutes east of UTC now (daylight saving included)."""
    bias = signed32(value(src, TIME_ZONE, "ActiveTimeBias"))  # UTC = local time + bias
    if bias is not None:
        return -bias
    return signed32(os_row.get("CurrentTimeZone"))


def timezone(src: WindowsSources) -> dict[str, str] | None:
    """``{"name": "Romance Standard Time", "offset": "+0100"}`` (the name ``tzutil /g`` gives)."""
    os_row = _one(src, "Win32_OperatingSystem")
    offset = _utc_offset_minutes(src, os_row)
    name = text(value(src, TIME_ZONE, "TimeZoneKeyName")) or text(value(src, TIME_ZONE, "StandardName"))
    if offset is None or not name:
        return None
    sign, minutes = ("+" if offset >= 0 else "-"), abs(offset)
    return {"name": name, "offset": f"{sign}{minutes // 60:02d}{minutes % 60:02d}"}


def _install_date(src: WindowsSources, os_row: dict[str, Any]) -> dt.datetime | None:
    installed = _cim_datetime(os_row.get("InstallDate"))
    if installed:
        return installed
    seconds = _int(value(src, CURRENT_VERSION, "InstallDate"))  # seconds since 1970, UTC
    offset = _utc_offset_minutes(src, os_row) or 0
    if not seconds:
        return None
    return dt.datetime(1970, 1, 1) + dt.timedelta(seconds=seconds, minutes=offset)


def operating_system(src: WindowsSources) -> Record:
    os_row = _one(src, "Win32_OperatingSystem")
    system = _one(src, "Win32_ComputerSystem")
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
        "install_date": _install_date(src, os_row),
        "boot_time": _cim_datetime(os_row.get("LastBootUpTime")),
        "fqdn": os_row.get("CSName"),
        "dns_domain": text(system.get("Domain")) if flag(system.get("PartOfDomain")) else None,
        "timezone": timezone(src),
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
        if _int(row.get("MemoryType")) in _NOT_MEMORY:
            continue
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


def _interface_type(
    src: WindowsSources, adapter: dict[str, Any], description: str, physical: bool | None
) -> str | None:
    """ethernet, wifi or bluetooth: the network class key's MediaSubType (as GLPI Agent), else the adapter's name."""
    guid = text(adapter.get("GUID"))
    if guid:
        subtype = _int(value(src, rf"{NETWORK_CLASS}\{guid}\Connection", "MediaSubType"))
        if subtype in _MEDIA_SUBTYPES:
            return _MEDIA_SUBTYPES[subtype]
    lowered = description.lower()
    if re.search(r"wi-?fi|wireless|wlan|802\.11", lowered) or _int(adapter.get("AdapterTypeId")) == 9:
        return "wifi"
    if "bluetooth" in lowered:
        return "bluetooth"
    return "ethernet" if physical else None


def _status(adapter: dict[str, Any], ip_enabled: bool) -> str:
    connection = _int(adapter.get("NetConnectionStatus"))  # 2: connected
    if connection is not None:
        return "up" if connection == 2 else "down"
    enabled = flag(adapter.get("NetEnabled"))
    return "up" if (enabled if enabled is not None else ip_enabled) else "down"


def _address_fields(address: str, mask: str | None) -> Record:
    if ":" in address:
        fields: Record = {"ipv6": address}
        with contextlib.suppress(ValueError, TypeError):
            interface = ipaddress.IPv6Interface(f"{address.split('%', 1)[0]}/{int(str(mask))}")
            fields |= {"ipv6_mask": str(interface.netmask), "ipv6_subnet": str(interface.network.network_address)}
        return fields
    fields = {"ipv4": address, "ipv4_mask": mask}
    with contextlib.suppress(ValueError, TypeError):
        fields["ipv4_subnet"] = str(ipaddress.IPv4Interface(f"{address}/{mask}").network.network_address)
    return fields


def networks(src: WindowsSources) -> list[Record]:
    adapters = {}
    with contextlib.suppress(OSError):  # speed and physical/virtual are a bonus
        adapters = {_int(a.get("Index")): a for a in src.wmi("Win32_NetworkAdapter")}
    records = []
    for config in src.wmi("Win32_NetworkAdapterConfiguration"):
        adapter = adapters.get(_int(config.get("Index")), {})
        ip_enabled = bool(flag(config.get("IPEnabled")))
        physical = flag(adapter.get("PhysicalAdapter"))
        mac = text(config.get("MACAddress")) or text(adapter.get("MACAddress"))
        if not ip_enabled and not (physical and mac):  # a disconnected network card still identifies the PC
            continue
        pnp = text(adapter.get("PNPDeviceID")) or ""
        description = text(config.get("Description")) or text(adapter.get("Name")) or ""
        speed = _int(adapter.get("Speed"))
        pci = re.match(r"PCI\\VEN_(\w{4})&DEV_(\w{4})&SUBSYS_(\w{4})(\w{4})", pnp, re.IGNORECASE)
        base = {
            "name": description or None,
            "mac": mac,
            "virtual": pnp.upper().startswith("ROOT\\")
            or ((not physical) if physical is not None else pnp.upper().startswith("SWD\\")),
            "speed_mbps": speed // 1_000_000 if speed and speed < _UNKNOWN_SPEED else None,
            "status": _status(adapter, ip_enabled),
            "manufacturer": text(adapter.get("Manufacturer")),
            "type": _interface_type(src, adapter, description, physical),
            "mtu": _int(config.get("MTU")),
            "pnp_device_id": pnp or None,
            "pci_id": ":".join(pci.groups()) if pci else None,
        }
        ipv4_extra = {
            "dhcp_server": text(config.get("DHCPServer")),
            "gateway": text((config.get("DefaultIPGateway") or [None])[0]),
        }
        addresses = config.get("IPAddress") or []
        masks = config.get("IPSubnet") or []
        for index, address in enumerate(addresses):
            fields = _address_fields(address, masks[index] if index < len(masks) else None)
            records.append({**base, **fields, **(ipv4_extra if "ipv4" in fields else {})})
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


def _chemistry(row: dict[str, Any], static: dict[str, Any]) -> str | None:
    named = _BATTERY_CHEMISTRY.get(_int(row.get("Chemistry")) or 0)
    if named:
        return named
    code = _int(static.get("Chemistry"))
    if not code:
        return None
    letters = code.to_bytes(4, "little").decode("ascii", "replace").strip("\x00 ").upper()
    return _BATTERY_CHEMISTRY_CODES.get(letters, letters or None)


def batteries(src: WindowsSources) -> list[Record]:
    """Win32_Battery, with the design and full-charge capacities of root\\wmi (the battery's health)."""
    batteries_ = src.wmi("Win32_Battery")
    static = rows(src, "BatteryStaticData", WMI)
    full = {text(r.get("InstanceName")): r for r in rows(src, "BatteryFullChargedCapacity", WMI)}
    records = []
    for index in range(max(len(batteries_), len(static))):
        row = batteries_[index] if index < len(batteries_) else {}
        data = static[index] if index < len(static) else {}
        charged = full.get(text(data.get("InstanceName")), {})
        made = _cim_datetime(data.get("ManufactureDate"))
        records.append(
            {
                "name": text(row.get("Name")) or text(data.get("DeviceName")),
                "manufacturer": text(data.get("ManufactureName")),
                "serial": text(data.get("SerialNumber")) or text(row.get("DeviceID")),
                "chemistry": _chemistry(row, data),
                "capacity_mwh": _int(data.get("DesignedCapacity")) or _int(row.get("DesignCapacity")),
                "real_capacity_mwh": _int(charged.get("FullChargedCapacity")) or _int(row.get("FullChargeCapacity")),
                "voltage_mv": _int(row.get("DesignVoltage")) or _int(data.get("DesignVoltage")),
                "manufacture_date": made.date() if made else None,
            }
        )
    return records


def users(src: WindowsSources) -> list[Record]:
    """The console user, and the last one who logged on when it is someone else (as GLPI Agent)."""
    system = _one(src, "Win32_ComputerSystem")
    found = [_account(system.get("UserName"), text(system.get("Name"))), logged_user(src)]
    records: dict[str, Record] = {}
    for account in found:
        if account:
            domain, login = account
            records.setdefault(f"{login}@{domain}".lower(), {"login": login, "domain": domain})
    return list(records.values())


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
    "monitors": monitors,
    "printers": printers,
    "controllers": controllers,
    "usbdevices": usbdevices,
    "videos": videos,
    "sounds": sounds,
    "inputs": inputs,
    "local_users": local_users,
    "local_groups": local_groups,
    "firewalls": firewalls,
    "antivirus": antivirus,
    "licenseinfos": licenseinfos,
    "firmwares": firmwares,
}
