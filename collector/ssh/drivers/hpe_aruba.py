"""HPE Aruba switches through netmiko, parsed with ntc-templates (our template for ``show modules``):
ArubaOS-Switch (ProCurve: 2530, 2930F/M, 3810, 5400R) and AOS-CX (6100 to 8400, VSF stacks)."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from ..parsing import ParseError, parse
from .base import Driver, Facts

UPTIME_UNITS = {"day": 86400, "hour": 3600, "min": 60, "sec": 1}


def _uptime(text: str) -> int | None:
    """``214 days``, ``20 hours``, ``39 mins`` -> seconds (ArubaOS-Switch prints the largest unit)."""
    number, _, unit = text.partition(" ")
    factor = next((seconds for prefix, seconds in UPTIME_UNITS.items() if unit.startswith(prefix)), None)
    return int(number) * factor if number.isdigit() and factor else None


class ArubaProCurve(Driver):
    name = "hp_procurve"
    asset_type = "switch"
    netmiko_type = "hp_procurve"
    commands = frozenset({"show system", "show modules", "show interfaces brief", "show mac-address",
                          "show lldp info remote-device"})  # fmt: skip

    @cached_property
    def _system(self) -> list[dict[str, Any]]:
        """Our template (ntc-templates' refuses an empty contact): one row, or one per stack / VSF member."""
        rows = parse("hp_procurve_show_system", self.run("show system"), command="show system")
        if not rows or not (rows[0].get("serial") or rows[0].get("member_serial")):
            raise ParseError("show system: not the output of an ArubaOS-Switch (ProCurve)")
        return rows

    @cached_property
    def _modules(self) -> list[dict[str, Any]]:
        """Read once: facts take the chassis from it, inventory_items the modules. A ``show modules``
        the template does not know is a warning: the device keeps its facts and everything else."""
        try:
            return parse("hp_procurve_show_modules", self.run("show modules"), command="show modules")
        except ParseError as exc:
            self.warn(f"inventory_items: {exc}")
            return []

    def facts(self) -> Facts:
        system = self._system[0]
        chassis = self._modules[0] if self._modules else {}
        model = " ".join(filter(None, (chassis.get("chassis_product"), chassis.get("chassis_model")))) or None
        return Facts(vendor="HPE Aruba", model=model, serial=system["serial"] or system["member_serial"],
                     firmware=system.get("software_version") or None, os_name="ArubaOS-Switch",
                     hostname=system.get("name") or None, mac=system.get("base_mac") or None,
                     uptime_seconds=_uptime(system.get("uptime") or system.get("member_uptime") or ""))  # fmt: skip

    def inventory_items(self) -> list[dict[str, Any]]:
        """Modules (per member on a stack), then the stack / VSF members ``show system`` lists."""
        modules = [{"name": f"{row['member']}/{row['slot']}" if row["member"] else row["slot"],
                    "description": row["description"], "serial": row["serial"], "type": "module"}
                   for row in self._modules if row.get("slot")]  # fmt: skip
        members = [{"name": f"Member {row['member']}", "description": f"Stack member {row['member']}",
                    "serial": row["member_serial"] or None, "mac": row["member_mac"] or None,
                    "stack_number": int(row["member"]), "type": "stack_member"}
                   for row in self._system if row.get("member")]  # fmt: skip
        return modules + members

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
                 "port": r.get("neighbor_port_id"), "description": r.get("neighbor_description") or None,
                 "chassis_id": r.get("chassis_id")}
                for r in self._parsed("show lldp neighbor-info detail")]  # fmt: skip
