"""Windows peripherals: monitors, printers, PCI controllers, USB devices, video and sound cards, inputs.

As GLPI Agent reads them (Generic/Screen.pm, Win32/Printers.pm, Controllers.pm, USB.pm, Videos.pm,
Sounds.pm, Inputs.pm):

- monitors: the connected monitors WMI lists (``root\\wmi`` ``WmiMonitorID``, ``Active``), each
  one's EDID from ``Enum\\<instance>\\Device Parameters`` (``EDID_OVERRIDE``, else ``EDID``) parsed
  as GLPI Agent does; without an EDID, WmiMonitorID's own maker, name and serial. Without
  ``root\\wmi``, every EDID under ``Enum\\DISPLAY`` (that list can hold monitors connected once and
  gone since).
- controllers: PCI devices (``PCI\\VEN_xxxx&DEV_xxxx``), once per vendor/device id, with the PCI
  slot from the device's ``LocationInformation``; usbdevices: ``USB\\VID_xxxx&PID_xxxx\\serial``
  devices, the serial dropped when Windows made it up (it holds an ``&``). GLPI Agent names both
  from pci.ids/usb.ids, which the agent does not carry: WMI's names are kept, and a placeholder
  maker ("(Standard system devices)") is replaced by the vendor's name for common vendor ids.
"""

from __future__ import annotations

import re
from typing import Any

from ._windows_base import (
    CIMV2,
    ENUM,
    WMI,
    Record,
    WindowsSources,
    document,
    flag,
    integer,
    text,
)
from ._windows_edid import manufacture_date, monitor_record, vendor_name

_PCI = re.compile(r"^PCI\\VEN_(\w{4})&DEV_(\w{4})(?:&SUBSYS_(\w{4})(\w{4}))?(?:&REV_(\w{2}))?", re.IGNORECASE)
_USB = re.compile(r"^USB\\VID_(\w+)&PID_(\w+)\\(.*)$", re.IGNORECASE)
_SLOT = (
    re.compile(r"\((\d+),\s*(\d+),\s*(\d+)\)$"),
    re.compile(r"PCI bus (\d+),\s*device (\d+),\s*function (\d+)", re.I),
)
_PRINTER_STATUS = ("Unknown", "Other", "Unknown", "Idle", "Printing", "Warming Up", "Stopped printing", "Offline")
_PRINTER_ERRORS = (
    "Unknown",
    "Other",
    "No Error",
    "Low Paper",
    "No Paper",
    "Low Toner",
    "No Toner",
    "Door Open",
    "Jammed",
    "Service Requested",
    "Output Bin Full",
    "Paper Problem",
    "Cannot Print Page",
    "User Intervention Required",
    "Out of Memory",
    "Server Unknown",
)
_POINTING_TYPES = {
    1: "Other",
    2: "Unknown",
    3: "Mouse",
    4: "Track Ball",
    5: "Track Point",
    6: "Glide Point",
    7: "Touch Pad",
    8: "Touch Screen",
    9: "Mouse - Optical Sensor",
}
_MOUSE_INTERFACES = {
    1: "Other",
    2: "Unknown",
    3: "Serial",
    4: "PS/2",
    5: "Infrared",
    6: "HP-HIL",
    7: "Bus Mouse",
    8: "ADB (Apple Desktop Bus)",
    160: "Bus Mouse DB-9",
    161: "Bus Mouse Micro-DIN",
    162: "USB",
}
# Vendor names (as pci.ids and usb.ids word them) of common ids, for WMI's placeholder makers.
PCI_VENDORS = {
    "8086": "Intel Corporation",
    "10de": "NVIDIA Corporation",
    "1002": "Advanced Micro Devices, Inc. [AMD/ATI]",
    "1022": "Advanced Micro Devices, Inc. [AMD]",
    "10ec": "Realtek Semiconductor Co., Ltd.",
    "14e4": "Broadcom Inc. and subsidiaries",
    "168c": "Qualcomm Atheros",
    "1969": "Qualcomm Atheros",
    "1b21": "ASMedia Technology Inc.",
    "144d": "Samsung Electronics Co Ltd",
    "15b7": "Sandisk Corp",
    "1e0f": "KIOXIA Corporation",
    "1179": "Toshiba Corporation",
    "1c5c": "SK hynix",
    "1987": "Phison Electronics Corporation",
    "126f": "Silicon Motion, Inc.",
    "1217": "O2 Micro, Inc.",
    "104c": "Texas Instruments",
    "1b4b": "Marvell Technology Group Ltd.",
    "103c": "Hewlett-Packard Company",
    "1028": "Dell",
    "17aa": "Lenovo",
    "15ad": "VMware",
    "1af4": "Red Hat, Inc.",
    "80ee": "InnoTek Systemberatung GmbH",
    "1414": "Microsoft Corporation",
}
USB_VENDORS = {
    "03f0": "HP, Inc",
    "0424": "Microchip Technology, Inc. (formerly SMSC)",
    "045e": "Microsoft Corp.",
    "046d": "Logitech, Inc.",
    "04a9": "Canon, Inc.",
    "04b8": "Seiko Epson Corp.",
    "04ca": "Lite-On Technology Corp.",
    "04e8": "Samsung Electronics Co., Ltd",
    "04f2": "Chicony Electronics Co., Ltd",
    "04f9": "Brother Industries, Ltd",
    "058f": "Alcor Micro Corp.",
    "05ac": "Apple, Inc.",
    "05e3": "Genesys Logic, Inc.",
    "06cb": "Synaptics, Inc.",
    "0781": "SanDisk Corp.",
    "0951": "Kingston Technology",
    "0a5c": "Broadcom Corp.",
    "0b95": "ASIX Electronics Corp.",
    "0bda": "Realtek Semiconductor Corp.",
    "0c45": "Microdia",
    "1050": "Yubico.com",
    "138a": "Validity Sensors, Inc.",
    "17ef": "Lenovo",
    "1a40": "Terminus Technology Inc.",
    "2109": "VIA Labs, Inc.",
    "27c6": "Shenzhen Goodix Technology Co.,Ltd.",
    "413c": "Dell Computer Corp.",
    "8087": "Intel Corp.",
}


def _maker(raw: Any, vendor_id: str, vendors: dict[str, str]) -> str | None:
    """WMI's maker, unless it is a placeholder ("(Standard USB Host Controller)")."""
    maker = text(raw)
    if maker and not maker.startswith("("):
        return maker
    return vendors.get(vendor_id)


# -- monitors ---------------------------------------------------------------------------------


def _wmi_string(codes: Any) -> str | None:
    """A WmiMonitorID string (an array of UTF-16 code units, zero-padded)."""
    if isinstance(codes, str):
        return codes.strip() or None
    if not isinstance(codes, list):
        return None
    return "".join(chr(c) for c in codes if isinstance(c, int) and 0 < c < 0x110000).strip() or None


def _edid(src: WindowsSources, instance: str) -> bytes | None:
    values = src.registry(rf"{ENUM}\{instance}\Device Parameters") or {}
    for name in ("EDID_OVERRIDE", "EDID"):
        raw = values.get(name)
        if isinstance(raw, bytes | bytearray) and raw.strip(b" \x00"):
            return bytes(raw)
    return None


def _monitor_from_wmi(row: dict[str, Any]) -> Record:
    name = _wmi_string(row.get("UserFriendlyName"))
    serial = _wmi_string(row.get("SerialNumberID"))
    return {
        "name": name,
        "caption": name,
        "manufacturer": vendor_name(_wmi_string(row.get("ManufacturerName"))),
        "serial": None if serial in (None, "0") else serial,
        "description": manufacture_date(integer(row.get("WeekOfManufacture")), integer(row.get("YearOfManufacture"))),
    }


def monitors(src: WindowsSources) -> list[Record]:
    try:
        connected = src.wmi("WmiMonitorID", WMI)
    except OSError:
        connected = None
    found: list[Record] = []
    if connected is not None:
        for row in connected:
            if flag(row.get("Active")) is False:
                continue
            instance = re.sub(r"_\d+$", "", text(row.get("InstanceName")) or "")
            raw = _edid(src, instance) if instance else None
            record = (monitor_record(raw) if raw else None) or _monitor_from_wmi(row)
            found.append(record)
    else:
        display = rf"{ENUM}\DISPLAY"
        for model in src.subkeys(display):
            for instance in src.subkeys(rf"{display}\{model}"):
                raw = _edid(src, rf"DISPLAY\{model}\{instance}")
                record = monitor_record(raw) if raw else None
                if record:
                    found.append(record)
    records: dict[str, Record] = {}
    for record in found:  # one per serial (or EDID): a monitor seen on two outputs is one monitor
        key = record.get("serial") or record.get("edid_base64") or record.get("name") or str(len(records))
        records.setdefault(key, record)
    return list(records.values())


# -- printers ---------------------------------------------------------------------------------


def printers(src: WindowsSources) -> list[Record]:
    records = []
    for row in src.wmi("Win32_Printer"):
        name = text(row.get("Name"))
        if not name:
            continue
        status, error = integer(row.get("PrinterStatus")) or 0, integer(row.get("ExtendedDetectedErrorState"))
        horizontal, vertical = integer(row.get("HorizontalResolution")), integer(row.get("VerticalResolution"))
        records.append(
            {
                "name": name,
                "comment": text(row.get("Comment")),
                "description": text(row.get("Description")),
                "driver": text(row.get("DriverName")),
                "port": text(row.get("PortName")),
                "resolution": (f"{horizontal}x{vertical}" if vertical else str(horizontal)) if horizontal else None,
                "network": bool(flag(row.get("Network"))),
                "shared": bool(flag(row.get("Shared"))),
                "status": _PRINTER_STATUS[status] if status < len(_PRINTER_STATUS) else None,
                "error_status": _PRINTER_ERRORS[error] if error and error < len(_PRINTER_ERRORS) else None,
                "server_name": text(row.get("ServerName")),
                "share_name": text(row.get("ShareName")),
                "print_processor": text(row.get("PrintProcessor")),
                "serial": None,
            }
        )
    return records


# -- PCI and USB devices -------------------------------------------------------------------------


def _pci_slot(src: WindowsSources, device_id: str) -> str | None:
    location = text((src.registry(rf"{ENUM}\{device_id}") or {}).get("LocationInformation"))
    for pattern in _SLOT:
        match = pattern.search(location or "")
        if match:
            bus, device, function = (int(g) for g in match.groups())
            return f"{bus:02x}:{device:02x}.{function:x}"
    return None


def controllers(src: WindowsSources) -> list[Record]:
    records, seen = [], set()
    for row in src.wmi("Win32_PnPEntity", CIMV2, "PNPDeviceID LIKE 'PCI%'"):
        device_id = text(row.get("PNPDeviceID")) or text(row.get("DeviceID")) or ""
        match = _PCI.match(device_id)
        if not match:
            continue
        vendor, product, sub_device, sub_vendor, revision = (g.lower() if g else None for g in match.groups())
        if (vendor, product) in seen:
            continue
        seen.add((vendor, product))
        records.append(
            document(
                name=text(row.get("Name")),
                manufacturer=_maker(row.get("Manufacturer"), str(vendor), PCI_VENDORS),
                caption=text(row.get("Caption")),
                type=text(row.get("PNPClass")) or text(row.get("Caption")),
                vendorid=vendor,
                productid=product,
                pcisubsystemid=f"{sub_vendor}:{sub_device}" if sub_vendor else None,
                rev=revision,
                pcislot=_pci_slot(src, device_id),
            )
        )
    return records


def usbdevices(src: WindowsSources) -> list[Record]:
    records, seen = [], set()
    for row in src.wmi("Win32_PnPEntity", CIMV2, "PNPDeviceID LIKE 'USB%'"):
        match = _USB.match(text(row.get("PNPDeviceID")) or text(row.get("DeviceID")) or "")
        if not match:
            continue
        vendor, product, serial = match.group(1).lower(), match.group(2).lower(), match.group(3)
        if not vendor.strip("0"):
            continue
        prefixed = re.match(r"^S/N:([0-9A-F]+)", serial, re.IGNORECASE)  # iSerial holding "S/N:..."
        serial = prefixed.group(1) if prefixed else serial
        if (vendor, product, serial) in seen:
            continue
        seen.add((vendor, product, serial))
        records.append(
            document(
                name=text(row.get("Name")),
                caption=text(row.get("Caption")),
                manufacturer=_maker(row.get("Manufacturer"), vendor, USB_VENDORS),
                vendorid=vendor,
                productid=product,
                serial=None if "&" in serial else serial,  # Windows' own instance id, not a serial
            )
        )
    return records


# -- video, sound, inputs -------------------------------------------------------------------------


def videos(src: WindowsSources) -> list[Record]:
    records, seen = [], set()
    for row in src.wmi("Win32_VideoController"):
        name = text(row.get("Name"))
        if not name or name in seen:
            continue
        seen.add(name)
        memory = integer(row.get("AdapterRAM"))
        width, height = integer(row.get("CurrentHorizontalResolution")), integer(row.get("CurrentVerticalResolution"))
        records.append(
            document(
                name=name,
                chipset=text(row.get("VideoProcessor")),
                memory=memory // 2**20 if memory else None,
                resolution=f"{width}x{height}" if width and height else None,
            )
        )
    return records


def sounds(src: WindowsSources) -> list[Record]:
    return [
        document(
            name=text(row.get("Name")),
            caption=text(row.get("Caption")),
            manufacturer=text(row.get("Manufacturer")),
            description=text(row.get("Description")),
        )
        for row in src.wmi("Win32_SoundDevice")
        if text(row.get("Name"))
    ]


def inputs(src: WindowsSources) -> list[Record]:
    records, seen = [], set()
    for wmi_class, kind in (("Win32_Keyboard", "Keyboard"), ("Win32_PointingDevice", "Pointing")):
        for row in src.wmi(wmi_class):
            name = text(row.get("Name"))
            if not name or name in seen:
                continue
            seen.add(name)
            records.append(
                document(
                    name=name,
                    caption=text(row.get("Caption")),
                    manufacturer=text(row.get("Manufacturer")),
                    description=text(row.get("Description")),
                    type=kind,
                    layout=text(row.get("Layout")),
                    pointingtype=_POINTING_TYPES.get(integer(row.get("PointingType")) or 0),
                    interface=_MOUSE_INTERFACES.get(integer(row.get("DeviceInterface")) or 0),
                )
            )
    return records
