"""Messages exchanged between agents/collectors and the server, independent of JSON or XML."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .sections import Record

ITEMTYPES = ("Computer", "NetworkEquipment", "Printer", "Phone", "Unmanaged")


@dataclass(slots=True)
class Contact:
    """GLPI Agent ``action: contact``: the agent asks what it should do."""

    deviceid: str
    agent_name: str | None = None
    agent_version: str | None = None
    enabled_tasks: list[str] = field(default_factory=list)
    tag: str | None = None


@dataclass(slots=True)
class Prolog:
    """FusionInventory/OCS ``QUERY=PROLOG``: the XML protocol's first exchange."""

    deviceid: str
    tag: str | None = None


@dataclass(slots=True)
class Inventory:
    """One inventory, full or partial.

    ``content`` is the GLPI JSON content as received (after XML conversion): kept for hashing
    and archiving. ``sections`` holds the records of the sections Mutuparc understands that are
    present in ``content``; a partial inventory replaces exactly those.
    """

    deviceid: str
    content: dict[str, Any]
    sections: dict[str, Record | list[Record]]
    itemtype: str = "Computer"
    action: str = "inventory"
    partial: bool = False
    tag: str | None = None
    version_client: str | None = None


Message = Contact | Prolog | Inventory
