"""Messages exchanged between agents/collectors and the server, independent of JSON or XML."""

from __future__ import annotations

from ._lazy import Value

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .sections import Record

ITEMTYPES = ("Computer", "NetworkEquipment", "Printer", "Phone", "Unmanaged")


class Contact(Value):
    """GLPI Agent ``action: contact``: the agent asks what it should do."""

    __slots__ = ("agent_name", "agent_version", "deviceid", "enabled_tasks", "tag")
    _fields = ("deviceid", "agent_name", "agent_version", "enabled_tasks", "tag")
    deviceid: str
    agent_name: str | None
    agent_version: str | None
    enabled_tasks: list[str]
    tag: str | None

    def __init__(
        self,
        deviceid: str,
        agent_name: str | None = None,
        agent_version: str | None = None,
        enabled_tasks: list[str] | None = None,
        tag: str | None = None,
    ) -> None:
        self.deviceid = deviceid
        self.agent_name = agent_name
        self.agent_version = agent_version
        self.enabled_tasks = [] if enabled_tasks is None else enabled_tasks
        self.tag = tag


class Prolog(Value):
    """FusionInventory/OCS ``QUERY=PROLOG``: the XML protocol's first exchange."""

    __slots__ = ("deviceid", "tag")
    _fields = ("deviceid", "tag")
    deviceid: str
    tag: str | None

    def __init__(self, deviceid: str, tag: str | None = None) -> None:
        self.deviceid = deviceid
        self.tag = tag


class Inventory(Value):
    """One inventory, full or partial.

    ``content`` is the GLPI JSON content as received (after XML conversion): kept for hashing
    and archiving. ``sections`` holds the records of the sections Mutuparc understands that are
    present in ``content``; a partial inventory replaces exactly those.
    """

    __slots__ = ("action", "content", "deviceid", "itemtype", "partial", "sections", "tag", "version_client")
    _fields = ("deviceid", "content", "sections", "itemtype", "action", "partial", "tag", "version_client")
    deviceid: str
    content: dict[str, Any]
    sections: dict[str, Record | list[Record]]
    itemtype: str
    action: str
    partial: bool
    tag: str | None
    version_client: str | None

    def __init__(
        self,
        deviceid: str,
        content: dict[str, Any],
        sections: dict[str, Record | list[Record]],
        itemtype: str = "Computer",
        action: str = "inventory",
        partial: bool = False,
        tag: str | None = None,
        version_client: str | None = None,
    ) -> None:
        self.deviceid = deviceid
        self.content = content
        self.sections = sections
        self.itemtype = itemtype
        self.action = action
        self.partial = partial
        self.tag = tag
        self.version_client = version_client


Message = Contact | Prolog | Inventory
