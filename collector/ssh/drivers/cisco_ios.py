"""Cisco IOS and IOS-XE switches through netmiko, parsed with ntc-templates."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from ..parsing import ParseError, port_name
from .base import Driver, Facts


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else (value or None)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value] if value else []


class CiscoIos(Driver):
    name = "cisco_ios"
    asset_type = "switch"
    netmiko_type = "cisco_ios"
    commands = frozenset({"show version", "show inventory", "show interfaces status", "show mac address-table",
                          "show lldp neighbors detail", "show cdp neighbors detail"})  # fmt: skip

    @cached_property
    def _version(self) -> dict[str, Any]:
        """Read once: facts take the first member from it, inventory_items every member of a stack."""
        version = self._parsed("show version")
        if not version or not version[0].get("version"):
            raise ParseError("show version: not the output of a Cisco IOS device")
        return version[0]

    def facts(self) -> Facts:
        row = self._version
        return Facts(vendor="Cisco", model=_first(row.get("hardware")), serial=_first(row.get("serial")),
                     firmware=row.get("version"), os_name="Cisco IOS", hostname=row.get("hostname"),
                     mac=_first(row.get("mac_address")))  # fmt: skip

    def stack_members(self) -> list[dict[str, Any]]:
        """Every member ``show version`` lists (a 3850/9300 stack: one model, serial and MAC each)."""
        row = self._version
        models, serials = _listed(row.get("hardware")), _listed(row.get("serial"))
        macs = _listed(row.get("mac_address"))
        return [{"name": str(number), "description": f"Stack member {number}", "serial": serial,
                 "model": models[number - 1] if number <= len(models) else None,
                 "mac": macs[number - 1] if number <= len(macs) else None, "type": "stack_member",
                 "stack_number": number} for number, serial in enumerate(serials, start=1)]  # fmt: skip

    def inventory_items(self) -> list[dict[str, Any]]:
        """``show inventory``, plus the stack members of ``show version`` it does not list (it may
        be missing, refused, or list the chassis only)."""
        items: list[dict[str, Any]] = []
        try:
            items = [{"name": r.get("name"), "description": r.get("descr"), "model": r.get("pid"),
                      "serial": r.get("sn"), "type": "module"} for r in self._parsed("show inventory")]  # fmt: skip
        except ParseError as exc:
            self.warn(f"inventory_items: {exc}")
        listed = {item.get("serial") for item in items}
        return items + [member for member in self.stack_members() if member["serial"] not in listed]

    def interfaces(self) -> list[dict[str, Any]]:
        return [{"name": r.get("port"), "alias": r.get("name") or None, "status": r.get("status"),
                 "vlan": r.get("vlan_id") or r.get("vlan"), "speed": r.get("speed"), "type": r.get("type")}
                for r in self._parsed("show interfaces status")]  # fmt: skip

    def mac_table(self) -> list[dict[str, Any]]:
        rows = self._parsed("show mac address-table")
        return [{"mac": r.get("destination_address"), "vlan": r.get("vlan_id") or r.get("vlan"),
                 "port": _first(r.get("destination_port"))} for r in rows]  # fmt: skip

    def lldp_neighbors(self) -> list[dict[str, Any]]:
        """LLDP neighbours, then the CDP ones LLDP did not see (Cisco phones and APs often speak CDP only)."""
        found = [{"local_port": r.get("local_interface"), "name": r.get("neighbor_name") or r.get("neighbor"),
                  "port": r.get("neighbor_port_id") or r.get("neighbor_interface"),
                  "description": r.get("neighbor_description") or None, "chassis_id": r.get("chassis_id")}
                 for r in self._parsed("show lldp neighbors detail")]  # fmt: skip
        try:
            cdp = self._parsed("show cdp neighbors detail")
        except ParseError as exc:
            self.warn(f"lldp_neighbors: {exc}")
            cdp = []
        seen = {(port_name(n["local_port"]), str(n["name"]).split(".")[0].lower()) for n in found}
        for r in cdp:
            name = r.get("neighbor_name") or ""
            if (port_name(r.get("local_interface")), name.split(".")[0].lower()) in seen:
                continue
            found.append({"local_port": r.get("local_interface"), "name": name or None,
                          "port": r.get("neighbor_interface") or None,
                          "description": r.get("neighbor_description") or r.get("platform") or None})  # fmt: skip
        return found
