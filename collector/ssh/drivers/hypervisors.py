"""Hypervisor hosts over plain SSH: a Linux host (facts, storage) plus its virtual machines, with
the tags and disk sizes that map them to members (VM counts and storage per member)."""

from __future__ import annotations

import json
from typing import Any

from ..parsing import ParseError, parse
from .base import Facts
from .linux import Linux

PROXMOX_RESOURCES = "pvesh get /cluster/resources --type vm --output-format json"
VIRSH_LIST = "virsh -c qemu:///system list --all"
# Proxmox and virsh states -> the GLPI schema's VM status words
VM_STATUS = {"running": "running", "stopped": "off", "shut off": "off", "paused": "paused", "idle": "idle",
             "crashed": "crashed", "in shutdown": "shutdown", "blocked": "blocked",
             "pmsuspended": "paused"}  # fmt: skip


class Proxmox(Linux):
    name = "proxmox"
    asset_type = "hypervisor"
    commands = Linux.commands | {"pveversion", PROXMOX_RESOURCES}

    def facts(self) -> Facts:
        facts = super().facts()
        version = self.run("pveversion").strip()  # pve-manager/8.2.4/faa83925c9641325 (running kernel: ...)
        if not version.startswith("pve-manager/"):
            raise ParseError(f"pveversion: not a Proxmox VE host: {version[:60]!r}")
        release = version.split("/")[1]
        facts.os_name, facts.firmware = f"Proxmox VE {release}", release
        return facts

    def vms(self) -> list[dict[str, Any]]:
        """The guests running on this node (the cluster's list names every node's: keep ours)."""
        text = self.run(PROXMOX_RESOURCES)
        try:
            resources = json.loads(text)
            node = self._line("hostname")
            guests = [r for r in resources if r.get("type") in ("qemu", "lxc") and r.get("node") == node
                      and not r.get("template")]  # fmt: skip
        except (ValueError, TypeError, AttributeError):
            raise ParseError(f"pvesh: not the JSON expected: {text[:80]!r}") from None
        return [{"name": g.get("name") or f"vm{g.get('vmid')}", "vmid": g.get("vmid"),
                 "status": VM_STATUS.get(str(g.get("status")), "off"), "vmtype": "proxmox",
                 "subsystem": "kvm" if g["type"] == "qemu" else "lxc",
                 "memory_mb": int(g.get("maxmem") or 0) // 2**20 or None, "vcpu": g.get("maxcpu"),
                 "tags": [t for t in str(g.get("tags") or "").replace(",", ";").split(";") if t],
                 "disk_bytes": g.get("maxdisk")} for g in guests]  # fmt: skip


class Libvirt(Linux):
    name = "libvirt"
    asset_type = "hypervisor"
    commands = Linux.commands | {VIRSH_LIST}

    def vms(self) -> list[dict[str, Any]]:
        """Every domain, running or not (libvirt has no tags: naming rules map them to members)."""
        return [{"name": row["name"], "status": VM_STATUS.get(row["state"], "off"), "vmtype": "libvirt",
                 "subsystem": "kvm"} for row in parse("virsh_list", self.run(VIRSH_LIST))]  # fmt: skip
