"""What an SSH driver read -> the GLPI network inventory message (the SNMP collector's shape, so
that one device read both ways ends as one asset: the server reconciles them by serial)."""

from __future__ import annotations

import re
from typing import Any

from wire.glpi_json import build_content

from ..inventory import VERSION_CLIENT, address_id, device_identity, volume_metrics
from .connection import SshTarget
from .drivers.base import DeviceInventory
from .parsing import port_name

# IF-MIB ifOperStatus, as the SNMP collector reports it: 1 up, 2 down
OPER_STATUS = {"connected": 1, "notconnect": 2, "disabled": 2, "err-disabled": 2, "monitoring": 1}
# MAC table entries that are the switch itself, not a port (Cisco "CPU", "Router", "Switch", "Drop")
NOT_A_PORT = frozenset({"cpu", "router", "switch", "drop", "self", "sup-eth1", ""})


def mac_text(value: Any) -> str | None:
    """Any spelling of a MAC (``0050.56a1.2b3c``, ``00155d-0a1b01``, ``b0 5c da 8c 22 00``) ->
    ``aa:bb:cc:dd:ee:ff`` as the SNMP collector writes it; all-zero or not 12 hex digits: None."""
    digits = re.sub(r"[\s:.-]", "", str(value or "")).lower()
    if len(digits) != 12 or not re.fullmatch(r"[0-9a-f]{12}", digits) or digits == "0" * 12:
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def network_ports(found: DeviceInventory) -> list[dict[str, Any]]:
    """Interfaces, each with what it learned, as the SNMP collector sends them: the MACs of its
    forwarding table as ``{"mac"}`` connections, its LLDP/CDP neighbours as ``{"sysname",
    "sysdescr", "ifdescr", "sysmac"}`` connections with ``lldp`` set. A port named by the MAC table
    or a neighbour but not by an interface list is added (AOS-CX lists none)."""
    ports: dict[str, dict[str, Any]] = {}

    def port(name: Any) -> dict[str, Any]:
        short = port_name(name)
        return ports.setdefault(short.lower(), {"name": short})

    for interface in found.interfaces:
        if not interface.get("name"):
            continue
        entry = port(interface["name"])
        status = OPER_STATUS.get(str(interface.get("status")))
        entry.update({k: v for k, v in (("alias", interface.get("alias")), ("oper_status", status)) if v})
    for row in found.mac_table:
        mac = mac_text(row.get("mac"))
        if mac is None or int(mac[:2], 16) & 1 or port_name(row.get("port")).lower() in NOT_A_PORT:
            continue  # multicast and the switch's own entries (CPU) are no device behind a port
        connections = port(row["port"]).setdefault("connections", [])
        if {"mac": mac} not in connections:
            connections.append({"mac": mac})
    for neighbour in found.lldp_neighbors:
        if port_name(neighbour.get("local_port")).lower() in NOT_A_PORT:
            continue
        entry = port(neighbour["local_port"])
        connection = {"sysname": neighbour.get("name"), "sysdescr": neighbour.get("description"),
                      "ifdescr": neighbour.get("port"), "sysmac": mac_text(neighbour.get("chassis_id"))}  # fmt: skip
        entry.setdefault("connections", []).append({k: v for k, v in connection.items() if v})
        entry["lldp"] = True
    return list(ports.values())


def device_key(found: DeviceInventory, target: SshTarget) -> str:
    """The SNMP collector's identity ladder with what SSH reads (``device_identity``): the serial,
    unless a placeholder (the same ``snmp-sn-`` id as over SNMP), else a base MAC when the driver
    read one, else the endpoint, ``ssh-ip-<host>:<port>@<credential>`` (which the server scopes
    by the collector's enrolment token)."""
    facts = found.facts
    # Cisco (show version) and ArubaOS-Switch (show system) print their base MAC: the SNMP collector's MAC id.
    found_id = device_identity(serial=facts.serial, macs=[mac_text(facts.mac)])
    return found_id or address_id("ssh", target.host, target.port, target.credential or None)


def build_message(found: DeviceInventory, target: SshTarget) -> dict[str, Any]:
    facts = found.facts
    device = {"type": found.glpi_type,
              "name": target.name or facts.hostname or target.host, "manufacturer": facts.vendor,
              "model": facts.model, "serial": facts.serial, "firmware": facts.firmware, "ips": [target.host],
              "asset_type": found.asset_type, "os_name": facts.os_name, "mac": mac_text(facts.mac)}  # fmt: skip
    sections: dict[str, Any] = {"network_device": {k: v for k, v in device.items() if v is not None}}
    if facts.firmware:
        sections["firmwares"] = [{"name": facts.model or facts.os_name or "firmware", "type": "device",
                                  "version": facts.firmware, "manufacturer": facts.vendor}]  # fmt: skip
    ports = network_ports(found)
    if ports:
        sections["network_ports"] = ports
    if found.items:
        sections["network_components"] = [component(i) for i in found.items if i.get("type") != "disk"]
        disks = [disk(i) for i in found.items if i.get("type") == "disk"]
        if disks:
            sections["storages"] = disks
        if not sections["network_components"]:
            del sections["network_components"]
    if found.storage:
        sections["drives"] = [{k: v for k, v in volume.items() if k not in ("used_bytes", "available_bytes")}
                              for volume in found.storage]  # fmt: skip
        sections["mutuparc_metrics"] = storage_metrics(found.storage)
    if found.vms:
        sections["virtualmachines"] = [virtual_machine(vm) for vm in found.vms]
    itemtype = "Computer" if found.glpi_type == "Computer" else "NetworkEquipment"
    return {"action": "netinventory", "deviceid": device_key(found, target), "itemtype": itemtype,
            "content": build_content(sections, VERSION_CLIENT)}  # fmt: skip


def storage_metrics(volumes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Total and used bytes of each volume, exact (the GLPI drive record rounds to MiB): used as
    the device reports it (``df``'s used), else total - free as the SNMP collector computes it."""
    metrics = volume_metrics(volumes, named_by=("mount",))
    used = {v.get("mount"): v["used_bytes"] for v in volumes if isinstance(v.get("used_bytes"), int)}
    for metric in metrics:
        if metric["name"] == "volume.used_bytes" and metric["instance"] in used:
            metric["value"] = used[metric["instance"]]
    return metrics


COMPONENT_KEYS = ("name", "description", "model", "serial", "type", "firmware", "manufacturer", "stack_number")


def component(item: dict[str, Any]) -> dict[str, Any]:
    """A module, stack or HA member as a GLPI network component (its MAC as the SNMP collector writes it)."""
    entry = {key: item.get(key) for key in COMPONENT_KEYS if item.get(key) is not None}
    if mac_text(item.get("mac")):
        entry["mac"] = mac_text(item.get("mac"))
    return entry


def disk(item: dict[str, Any]) -> dict[str, Any]:
    """A disk (lsblk) as a GLPI storage, its size in bytes."""
    entry = {"name": item.get("name"), "model": item.get("model"), "serial": item.get("serial"),
             "size_bytes": int(item["size_bytes"]) if item.get("size_bytes") is not None else None,
             "media_type": "disk", "description": item.get("description")}  # fmt: skip
    return {key: value for key, value in entry.items() if value is not None}


def virtual_machine(vm: dict[str, Any]) -> dict[str, Any]:
    """A guest as the GLPI schema has it, plus its tags and provisioned disk (Mutuparc's fields:
    the server maps guests to members by them, for VM counts and storage per member)."""
    entry = {"name": vm["name"], "status": vm.get("status"), "vmtype": vm.get("vmtype"),
             "subsystem": vm.get("subsystem"), "memory_mb": vm.get("memory_mb"), "vcpu": vm.get("vcpu"),
             "uuid": vm.get("uuid"), "tags": vm.get("tags") or None, "disk_bytes": vm.get("disk_bytes")}  # fmt: skip
    if vm.get("vmid") is not None:
        entry["serial"] = f"vmid-{vm['vmid']}"
    return {key: value for key, value in entry.items() if value is not None}
