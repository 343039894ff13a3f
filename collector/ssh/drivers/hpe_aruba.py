"""HPE Aruba switches through netmiko, parsed with ntc-templates (our template for ``show modules``):
ArubaOS-Switch (ProCurve: 2530, 2930F/M, 3810, 5400R) and AOS-CX (6100 to 8400, VSF stacks)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from ..parsing import ParseError, parse
from .base import Driver, Facts


class ArubaProCurve(Driver):
    name = "hp_procurve"
    asset_type = "switch"
    netmiko_type = "hp_procurve"
    commands = frozenset({"show system", "show modules", "show interfaces brief", "show mac-address",
                          "show lldp info remote-device"})  # fmt: skip

    @cached_property
    def _modules(self) -> list[dict[str, Any]]:
        """Read once: facts take the chassis from it, inventory_items the modules."""
        return parse("hp_procurve_show_modules", self.run("show modules"))

    def facts(self) -> Facts:
        system = self._parsed("show system")
        if not system or not system[0].get("serial"):
            raise ParseError("show system: not the output of an ArubaOS-Switch (ProCurve)")
        chassis = self._modules[0] if self._modules else {}
        model = " ".join(filter(None, (chassis.get("chassis_product"), chassis.get("chassis_model")))) or None
        uptime = system[0].get("uptime", "")
        seconds = int(uptime.split()[0]) * 86400 if uptime.endswith("days") else None
        return Facts(vendor="HPE Aruba", model=model, serial=system[0]["serial"],
                     firmware=system[0].get("software_version"), os_name="ArubaOS-Switch",
                     hostname=system[0].get("name"), uptime_seconds=seconds)  # fmt: skip

    def inventory_items(self) -> list[dict[str, Any]]:
        return [{"name": f"{row['member']}/{row['slot']}" if row["member"] else row["slot"],
                 "description": row["description"], "serial": row["serial"], "type": "module"}
                for row in self._modules if row.get("slot")]  # fmt: skip

    def interfaces(self) -> list[dict[str, Any]]:
        return [{"name": r["port"], "status": "connected" if r["status"] == "Up" else "notconnect",
                 "speed": r.get("mode"), "type": r.get("type")}
                for r in self._parsed("show interfaces brief")]  # fmt: skip

    def mac_table(self) -> list[dict[str, Any]]:
        return [{"mac": r["mac_address"], "vlan": r.get("vlan_id"), "port": r.get("port")}
                for r in self._parsed("show mac-address")]  # fmt: skip

    def lldp_neighbors(self) -> list[dict[str, Any]]:
        return [{"local_port": r["local_interface"], "name": r.get("neighbor_name") or None,
                 "port": r.get("neighbor_interface"), "chassis_id": r.get("chassis_id")}
                for r in self._parsed("show lldp info remote-device")]  # fmt: skip


class ArubaCx(Driver):
    name = "aruba_aoscx"
    asset_type = "switch"
    netmiko_type = "aruba_aoscx"
    commands = frozenset({"show system", "show module", "show mac-address-table", "show lldp neighbor-info detail"})

    def facts(self) -> Facts:
        system = self._parsed("show system")
        if not system or not system[0].get("serial"):
            raise ParseError("show system: not the output of an AOS-CX switch")
        row = system[0]
        units = (("weeks", 604800), ("days", 86400), ("hours", 3600), ("minutes", 60))
        uptime = sum(int(row.get(f"uptime_{unit}") or 0) * seconds for unit, seconds in units)
        return Facts(vendor="HPE Aruba", model=row.get("product"), serial=row["serial"], firmware=row.get("version"),
                     os_name="AOS-CX", hostname=row.get("hostname"), uptime_seconds=uptime or None)  # fmt: skip

    def inventory_items(self) -> list[dict[str, Any]]:
        """Line modules: in a VSF stack, one per member switch (the management module repeats one)."""
        seen: dict[str, dict[str, Any]] = {}
        for row in self._parsed("show module"):
            kind = "stack_member" if row["module"].endswith("/1") else "module"
            item = {"name": row["module"], "description": row.get("cardtype"), "model": row.get("model"),
                    "serial": row["serial"], "type": kind}  # fmt: skip
            seen.setdefault(row["serial"], item)
        return list(seen.values())

    def mac_table(self) -> list[dict[str, Any]]:
        return [{"mac": r["mac_address"], "vlan": r.get("vlan_id"), "port": r.get("port")}
                for r in self._parsed("show mac-address-table")]  # fmt: skip

    def lldp_neighbors(self) -> list[dict[str, Any]]:
        return [{"local_port": r["local_interface"], "name": r.get("neighbor_name") or None,
                 "port": r.get("neighbor_port_id"), "description": r.get("neighbor_description") or None}
                for r in self._parsed("show lldp neighbor-info detail")]  # fmt: skip
