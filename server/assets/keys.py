"""The normalised identifiers reconciliation searches on, kept in sync with an asset's fields."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wire.identity import manufacturer_key, name_key, serial_key, uuid_key

from .models import Asset


def identity_keys(values: Mapping[str, Any]) -> dict[str, str | None]:
    """The key columns for an asset with these name/manufacturer/serial/uuid values."""
    return {
        "serial_key": serial_key(values.get("serial")),
        "uuid_key": uuid_key(values.get("uuid")),
        "name_key": name_key(values.get("name")),
        "manufacturer_key": manufacturer_key(values.get("manufacturer")),
    }


def set_identity_keys(asset: Asset) -> None:
    keys = identity_keys(
        {"serial": asset.serial, "uuid": asset.uuid, "name": asset.name, "manufacturer": asset.manufacturer}
    )
    for column, value in keys.items():
        setattr(asset, column, value)
