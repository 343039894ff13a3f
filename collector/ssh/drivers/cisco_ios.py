"""Cisco IOS and IOS-XE switches through netmiko, parsed with ntc-templates."""

from __future__ import annotations

from typing import Any

from ..parsing import ParseError
from .base import Driver, Facts


def _first(value: Any) -> Any:
    return value[0] if isinstance(value, list) and value else (value or None)


class CiscoIos(Driver):
    name = "cisco_ios"
    asset_type = "switch"
    netmiko_type = "cisco_ios"
    commands = frozenset({"show version", "show inventory", "show interfaces status", "show mac address-table",
                          "show lldp neighbors detail"})  # fmt: skip

    def facts(self) -> Facts:
        version = self._parsed("show version")
        if not version or not version[0].get("version"):
            raise ParseError("show version: not the output of a Cisco IOS device")
        row = version[0]
        return Facts(vendor="Cisco", model=_first(row.get("hardware")), serial=_first(row.get("serial")),
                     firmware=row.get("version"), os_name="Cisco IOS",
                     hostname=row.get("hostname"))  # fmt: skip

    def inventory_items(self) -> list[dict[str, Any]]:
        return [{"name": r.get("name"), "description": r.get("descr"), "model": r.get("pid"),
                 "serial": r.get("sn"), "type": "module"} for r in self._parsed("show inventory")]  # fmt: skip

    def interfaces(self) -> list[dict[str, Any]]:
        return [{"name": r.get("port"), "alias": r.get("name") or None, "status": r.get("status"),
                 "vlan": r.get("vlan_id") or r.get("vlan"), "speed": r.get("speed"), "type": r.get("type")}
                for r in self._parsed("show interfaces status")]  # fmt: skip

    def mac_table(self) -> list[dict[str, Any]]:
        rows = self._parsed("show mac address-table")
        return [{"mac": r.get("destination_address"), "vlan": r.get("vlan_id") or r.get("vlan"),
                 "port": _first(r.get("destination_port"))} for r in rows]  # fmt: skip

    def lldp_neighbors(self) -> list[dict[str, Any]]:
        return [{"local_port": r.get("local_interface"), "name": r.get("neighbor_name") or r.get("neighbor"),
                 "port": r.get("neighbor_port_id"), "description": r.get("neighbor_description") or None}
                for r in self._parsed("show lldp neighbors detail")]  # fmt: skip
