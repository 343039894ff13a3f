"""What an inventory says the machine is: its identifiers and its asset type."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from server.core.config import SettingsError
from wire import chassis
from wire.identity import PLACEHOLDERS, mac_key, manufacturer_key, name_key, serial_key, uuid_key
from wire.model import Inventory

_LOADED: set[Path] = set()


def extend_placeholders(path: Path) -> None:
    """The DSIT's own placeholder values (``MUTUPARC_PLACEHOLDERS_FILE``), added once per process."""
    resolved = path.resolve()
    if resolved in _LOADED:
        return
    try:
        PLACEHOLDERS.load(resolved)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SettingsError(f"MUTUPARC_PLACEHOLDERS_FILE={path}: {exc} (expected the shape of "
                            "wire/data/placeholders.json)") from None  # fmt: skip
    _LOADED.add(resolved)


@dataclass(slots=True)
class Identity:
    name: str | None = None
    manufacturer: str | None = None
    model: str | None = None
    serial: str | None = None
    uuid: str | None = None
    asset_type: str | None = None
    macs: list[str] = field(default_factory=list)
    network: bool = False  # described by a network_device section (collectors, printers)

    @property
    def serial_key(self) -> str | None:
        return serial_key(self.serial)

    @property
    def uuid_key(self) -> str | None:
        return uuid_key(self.uuid)

    @property
    def name_key(self) -> str | None:
        return name_key(self.name)

    @property
    def manufacturer_key(self) -> str | None:
        return manufacturer_key(self.manufacturer)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _one(inventory: Inventory, section: str) -> dict[str, Any]:
    record = inventory.sections.get(section)
    return record if isinstance(record, dict) else {}


def _many(inventory: Inventory, section: str) -> list[dict[str, Any]]:
    records = inventory.sections.get(section)
    return records if isinstance(records, list) else []


# GLPI item types that say what the device is, whatever its sections look like.
ITEMTYPE_TYPES = {"Phone": "phone", "Printer": "printer"}


def identity_of(inventory: Inventory) -> Identity:
    """Identity of the machine an inventory describes; fields the inventory lacks stay None."""
    device = _one(inventory, "network_device")
    if device:
        macs = [m for m in [mac_key(device.get("mac"))] if m]
        declared = device.get("asset_type")
        if declared is None and not device.get("type"):  # the item type, when the device says nothing
            declared = ITEMTYPE_TYPES.get(inventory.itemtype)
        return Identity(
            name=device.get("name"),
            manufacturer=device.get("manufacturer"),
            model=device.get("model"),
            serial=device.get("serial"),
            asset_type=chassis.network_type(device.get("type"), declared=declared),
            macs=macs,
            network=True,
        )
    hardware, bios, os = _one(inventory, "hardware"), _one(inventory, "bios"), _one(inventory, "operatingsystem")
    macs = sorted({m for n in _many(inventory, "networks") if (m := mac_key(n.get("mac"), virtual=n.get("virtual")))})
    asset_type = ITEMTYPE_TYPES.get(inventory.itemtype)
    if asset_type is None and (hardware or bios):
        asset_type = chassis.computer_type(
            hardware.get("chassis_type"),
            vm_system=hardware.get("vm_system"),
            os_name=os.get("full_name") or os.get("name"),
            model=bios.get("system_model"),
        )
    return Identity(
        name=hardware.get("name") or os.get("fqdn"),
        manufacturer=bios.get("system_manufacturer"),
        model=bios.get("system_model"),
        serial=bios.get("system_serial"),
        uuid=hardware.get("uuid"),
        asset_type=asset_type,
        macs=macs,
    )
