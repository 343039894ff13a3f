"""What an SSH driver read -> the GLPI network inventory message (the SNMP collector's shape, so
that one device read both ways ends as one asset: the server reconciles them by serial)."""

from __future__ import annotations

from typing import Any

from wire.glpi_json import build_content

from ..inventory import VERSION_CLIENT, address_id, device_identity, volume_metrics
from .connection import SshTarget
from .drivers.base import DeviceInventory

# IF-MIB ifOperStatus, as the SNMP collector reports it: 1 up, 2 down
OPER_STATUS = {"connected": 1, "notconnect": 2, "disabled": 2, "err-disabled": 2, "monitoring": 1}


def device_key(found: DeviceInventory, target: SshTarget) -> str:
    """The SNMP collector's identity ladder with what SSH reads (``device_identity``): the serial,
    unless a placeholder (the same ``snmp-sn-`` id as over SNMP), else a base MAC when the driver
    read one, else the endpoint, ``ssh-ip-<host>:<port>@<credential>`` (which the server scopes
    by the collector's enrolment token)."""
    facts = found.facts
    # No driver reads a base MAC yet: one that sets ``facts.mac`` gets the SNMP collector's MAC id.
    found_id = device_identity(serial=facts.serial, macs=[getattr(facts, "mac", None)])
    return found_id or address_id("ssh", target.host, target.port, target.credential or None)


def build_message(found: DeviceInventory, target: SshTarget) -> dict[str, Any]:
    facts = found.facts
    device = {"type": found.glpi_type,
              "name": target.name or facts.hostname or target.host, "manufacturer": facts.vendor,
              "model": facts.model, "serial": facts.serial, "firmware": facts.firmware, "ips": [target.host],
              "asset_type": found.asset_type, "os_name": facts.os_name}  # fmt: skip
    sections: dict[str, Any] = {"network_device": {k: v for k, v in device.items() if v is not None}}
    if facts.firmware:
        sections["firmwares"] = [{"name": facts.model or facts.os_name or "firmware", "type": "device",
                                  "version": facts.firmware, "manufacturer": facts.vendor}]  # fmt: skip
    if found.interfaces:
        sections["network_ports"] = [{"name": i["name"], "alias": i.get("alias"),
                                      "oper_status": OPER_STATUS.get(str(i.get("status")))}
                                     for i in found.interfaces if i.get("name")]  # fmt: skip
    if found.items:
        sections["network_components"] = [{"name": i.get("name"), "description": i.get("description"),
                                           "model": i.get("model"), "serial": i.get("serial"),
                                           "type": i.get("type")} for i in found.items]  # fmt: skip
    if found.storage:
        sections["drives"] = found.storage
        sections["mutuparc_metrics"] = volume_metrics(found.storage, named_by=("mount",))
    if found.vms:
        sections["virtualmachines"] = [virtual_machine(vm) for vm in found.vms]
    itemtype = "Computer" if found.glpi_type == "Computer" else "NetworkEquipment"
    return {"action": "netinventory", "deviceid": device_key(found, target), "itemtype": itemtype,
            "content": build_content(sections, VERSION_CLIENT)}  # fmt: skip


def virtual_machine(vm: dict[str, Any]) -> dict[str, Any]:
    """A guest as the GLPI schema has it, plus its tags and provisioned disk (Mutuparc's fields:
    the server maps guests to members by them, for VM counts and storage per member)."""
    entry = {"name": vm["name"], "status": vm.get("status"), "vmtype": vm.get("vmtype"),
             "subsystem": vm.get("subsystem"), "memory_mb": vm.get("memory_mb"), "vcpu": vm.get("vcpu"),
             "uuid": vm.get("uuid"), "tags": vm.get("tags") or None, "disk_bytes": vm.get("disk_bytes")}  # fmt: skip
    if vm.get("vmid") is not None:
        entry["serial"] = f"vmid-{vm['vmid']}"
    return {key: value for key, value in entry.items() if value is not None}
