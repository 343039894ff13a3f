"""One driver per platform, all with the getters of ``base.Driver``."""

from __future__ import annotations

from .base import Driver
from .cisco_ios import CiscoIos
from .fortinet import FortiGate
from .linux import Linux

DRIVERS: dict[str, type[Driver]] = {driver.name: driver for driver in (Linux, CiscoIos, FortiGate)}

__all__ = ["DRIVERS", "Driver"]
