"""Reported chassis and device types -> Mutuparc asset types (workstation, laptop, tablet, ...).

Laptop vs desktop vs tablet matters: members are billed per workstation, and the seeds' member
questionnaire counts fixed PCs, portables and tablets separately.
"""

from __future__ import annotations

import re

from ._lazy import LazyPattern

# SMBIOS 3.x chassis types (DMI type 3), by code and by the name agents report.
SMBIOS_CHASSIS = {
    1: "Other",
    2: "Unknown",
    3: "Desktop",
    4: "Low Profile Desktop",
    5: "Pizza Box",
    6: "Mini Tower",
    7: "Tower",
    8: "Portable",
    9: "Laptop",
    10: "Notebook",
    11: "Hand Held",
    12: "Docking Station",
    13: "All in One",
    14: "Sub Notebook",
    15: "Space-saving",
    16: "Lunch Box",
    17: "Main Server Chassis",
    18: "Expansion Chassis",
    19: "SubChassis",
    20: "Bus Expansion Chassis",
    21: "Peripheral Chassis",
    22: "RAID Chassis",
    23: "Rack Mount Chassis",
    24: "Sealed-case PC",
    25: "Multi-system chassis",
    26: "Compact PCI",
    27: "Advanced TCA",
    28: "Blade",
    29: "Blade Enclosure",
    30: "Tablet",
    31: "Convertible",
    32: "Detachable",
    33: "IoT Gateway",
    34: "Embedded PC",
    35: "Mini PC",
    36: "Stick PC",
}

_CHASSIS_TYPES = {
    "workstation": {
        "desktop",
        "low profile desktop",
        "pizza box",
        "mini tower",
        "tower",
        "all in one",
        "space-saving",
        "space saving",
        "lunch box",
        "sealed-case pc",
        "mini pc",
        "stick pc",
        "embedded pc",
    },
    "laptop": {"portable", "laptop", "notebook", "sub notebook", "convertible"},
    "tablet": {"hand held", "tablet", "detachable"},
    "server": {
        "main server chassis",
        "rack mount chassis",
        "blade",
        "blade enclosure",
        "multi-system chassis",
        "expansion chassis",
        "compact pci",
        "advanced tca",
        # As GLPI Agent words them (its own table, not SMBIOS's): Supermicro twins, blade systems.
        "multi-system",
        "compactpci",
        "advancedtca",
        "blade enclosing",
    },
    "vm": {"virtual machine"},
}
_TYPE_BY_CHASSIS = {name: kind for kind, names in _CHASSIS_TYPES.items() for name in names}

# GLPI network_device.type -> asset type; collectors may say more precisely (see network_type()).
_NETWORK_TYPES = {
    "networking": "switch",
    "printer": "printer",
    "storage": "nas",
    "power": "ups",
    "phone": "phone",
    "video": "camera",
    "kvm": "other",
    "computer": "server",
    "unmanaged": "other",
}
_THIN_CLIENT = LazyPattern(r"thin client|wyse|\bt[56][0-9]{2}\b|igel", re.IGNORECASE)
_HYPERVISOR_OS = LazyPattern(r"esxi|proxmox|xcp-ng|xenserver|hyper-v server", re.IGNORECASE)
_SERVER_OS = LazyPattern(r"windows server|windows (storage|web) server|\bserver\b.*\b20[0-9]{2}\b", re.IGNORECASE)
_PHYSICAL = {"", "physical", "none"}


def chassis_name(value: object) -> str | None:
    """The chassis name for an SMBIOS code (int or digit string) or a name."""
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        return SMBIOS_CHASSIS.get(int(value))
    return value.strip() if isinstance(value, str) and value.strip() else None


def computer_type(
    chassis: str | None,
    *,
    vm_system: str | None = None,
    os_name: str | None = None,
    model: str | None = None,
) -> str:
    """The asset type of a computer from its chassis, virtualisation, OS and model."""
    if vm_system and vm_system.strip().lower() not in _PHYSICAL:
        return "vm"
    if os_name and _HYPERVISOR_OS.search(os_name):
        return "hypervisor"
    if os_name and _SERVER_OS.search(os_name):
        return "server"
    if model and _THIN_CLIENT.search(model):
        return "thin_client"
    name = chassis_name(chassis)
    return _TYPE_BY_CHASSIS.get(name.lower(), "workstation") if name else "workstation"


def network_type(device_type: str | None, *, declared: str | None = None) -> str:
    """The asset type of a network-inventoried device (``declared`` is the collector's own)."""
    if declared:
        return declared
    return _NETWORK_TYPES.get((device_type or "").strip().lower(), "other")
