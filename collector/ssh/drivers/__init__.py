"""One driver per platform, all with the getters of ``base.Driver``."""

from __future__ import annotations

from .base import Driver
from .cisco_ios import CiscoIos
from .fortinet import FortiGate
from .hpe_aruba import ArubaCx, ArubaProCurve
from .hypervisors import Libvirt, Proxmox
from .linux import Linux
from .synology import Synology

DRIVERS: dict[str, type[Driver]] = {
    driver.name: driver for driver in (Linux, Synology, Proxmox, Libvirt, CiscoIos, ArubaProCurve, ArubaCx, FortiGate)
}

__all__ = ["DRIVERS", "Driver"]
