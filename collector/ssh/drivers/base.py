"""The getters every driver offers (NAPALM's shape) and the read-only guard they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ...errors import NotAllowed
from ..connection import Session


@dataclass
class Facts:
    vendor: str | None = None
    model: str | None = None
    serial: str | None = None
    firmware: str | None = None
    os_name: str | None = None
    hostname: str | None = None
    uptime_seconds: int | None = None
    mac: str | None = None  # the base (chassis) MAC, when the platform prints it: the identity's second rung


@dataclass
class DeviceInventory:
    """Everything a driver read: what the GLPI network inventory is built from."""

    facts: Facts
    asset_type: str
    glpi_type: str
    items: list[dict[str, Any]] = field(default_factory=list)  # modules, stack members, PSUs
    interfaces: list[dict[str, Any]] = field(default_factory=list)
    mac_table: list[dict[str, Any]] = field(default_factory=list)
    lldp_neighbors: list[dict[str, Any]] = field(default_factory=list)
    storage: list[dict[str, Any]] = field(default_factory=list)  # volumes and shares, bytes
    vms: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class Driver:
    """Subclasses set ``name``, ``commands`` (the exact allow-list) and implement the getters."""

    name: ClassVar[str]
    asset_type: ClassVar[str] = "other"
    glpi_type: ClassVar[str] = "Networking"  # the GLPI network_device type
    session_kind: ClassVar[str] = "cli"  # "cli" (netmiko) or "exec" (plain SSH)
    netmiko_type: ClassVar[str | None] = None
    ntc_platform: ClassVar[str | None] = None  # ntc-templates platform of its outputs (default: netmiko_type)
    commands: ClassVar[frozenset[str]] = frozenset()
    # Nothing a driver sends may change a device: checked on every command, whatever the list says.
    WRITING = re.compile(r"^\s*(conf(igure)?|copy|write|delete|erase|reload|clear|set|unset|execute|rm|mv|dd|mkfs|"
                         r"shutdown|reboot|tee|no\s)|[;&|<>`$]")  # fmt: skip

    def __init__(self, session: Session, share_paths: tuple[str, ...] = ()) -> None:
        self.session = session
        self.share_paths = share_paths  # folders sized with du (opt-in, per target): Linux and NAS only
        self.warnings: list[str] = []  # what a getter could not read, while it returned the rest

    def warn(self, message: str) -> None:
        self.warnings.append(message)

    def target_commands(self) -> frozenset[str]:
        """Commands this target allows besides the driver's list (Linux: du of its shares)."""
        return frozenset()

    def allowed(self, command: str) -> bool:
        return (command in self.commands or command in self.target_commands()) and not self.WRITING.search(command)

    def run(self, command: str) -> str:
        if not self.allowed(command):
            raise NotAllowed(f"{self.name}: {command!r} is not an allowed read-only command")
        return self.session.run(command)

    def _parsed(self, command: str) -> list[dict[str, Any]]:
        """Run ``command`` and parse it with the ntc-templates template of this platform."""
        from ..parsing import parse_ntc

        platform = self.ntc_platform or self.netmiko_type
        assert platform, f"{self.name}: no ntc-templates platform"
        return parse_ntc(platform, command, self.run(command))

    def facts(self) -> Facts:
        raise NotImplementedError

    def inventory_items(self) -> list[dict[str, Any]]:
        return []

    def interfaces(self) -> list[dict[str, Any]]:
        return []

    def mac_table(self) -> list[dict[str, Any]]:
        return []

    def lldp_neighbors(self) -> list[dict[str, Any]]:
        return []

    def storage(self) -> list[dict[str, Any]]:
        return []

    def vms(self) -> list[dict[str, Any]]:
        return []

    def inventory(self) -> DeviceInventory:
        """Every getter; one that fails on unexpected output becomes a warning (the command, the
        line and the text it stopped at), the rest is kept. Only facts are required: without them
        the device has no identity."""
        from ..parsing import ParseError

        result = DeviceInventory(facts=self.facts(), asset_type=self.asset_type, glpi_type=self.glpi_type)
        for getter in ("inventory_items", "interfaces", "mac_table", "lldp_neighbors", "storage", "vms"):
            try:
                setattr(result, "items" if getter == "inventory_items" else getter, getattr(self, getter)())
            except ParseError as exc:
                self.warn(f"{getter}: {exc}")
        result.warnings = list(self.warnings)
        return result
