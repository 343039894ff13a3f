"""Fortinet FortiGate firewalls: ``get system status`` and ``get system ha status``, parsed with
ntc-templates.

Sent on SSH exec channels, not through netmiko's FortiOS session: netmiko turns paging off by
changing the console configuration (``config system console``), and a collector must not write.
FortiOS does not page non-interactive output.
"""

from __future__ import annotations

import re
from typing import Any

from ..parsing import ParseError
from .base import Driver, Facts

MODEL_VERSION = re.compile(r"^(?P<model>\S+)\s+v(?P<version>\d+\.\d+\.\d+)")


class FortiGate(Driver):
    name = "fortinet"
    asset_type = "firewall"
    session_kind = "exec"
    ntc_platform = "fortinet"
    commands = frozenset({"get system status", "get system ha status"})

    def facts(self) -> Facts:
        rows = self._parsed("get system status")
        found = MODEL_VERSION.match(rows[0].get("version", "")) if rows else None
        if not rows or found is None:
            raise ParseError("get system status: not the output of a FortiGate")
        status = rows[0]
        return Facts(vendor="Fortinet", model=found["model"], serial=status.get("serial_number"),
                     firmware=found["version"], os_name="FortiOS", hostname=status.get("hostname"))  # fmt: skip

    def inventory_items(self) -> list[dict[str, Any]]:
        """The cluster's members (an HA pair is two appliances, two serials)."""
        rows = self._parsed("get system ha status")
        if not rows:
            return []
        cluster = rows[0]
        return [{"name": cluster.get(f"ha_{role}_unit_name"), "serial": cluster.get(f"ha_{role}_unit_serial"),
                 "model": cluster.get("model"), "type": "ha_member",
                 "description": f"HA {cluster.get('ha_mode')}, {'primary' if role == 'master' else 'secondary'}"}
                for role in ("master", "slave") if cluster.get(f"ha_{role}_unit_serial")]  # fmt: skip
