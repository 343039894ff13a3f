"""GLPI Agent JSON protocol: messages to/from plain dicts.

Parsing assumes the caller already decoded the JSON (the server uses orjson and validates
inventories against the schema first); it still checks every field it relies on, so that it is
safe on any input.
"""

from __future__ import annotations

from .errors import SchemaViolation, UnsupportedMessage
from .fields import text
from .model import ITEMTYPES, Contact, Inventory
from .sections import NOT_SECTIONS, SECTIONS, UNRECOGNISED

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .model import Message
    from .sections import Record

INVENTORY_ACTIONS = frozenset({"inventory", "netinventory", "injector"})


def _deviceid(obj: dict[str, Any]) -> str:
    deviceid = obj.get("deviceid")
    if not isinstance(deviceid, str) or not deviceid.strip():
        raise SchemaViolation("a non-empty string is required", "deviceid")
    if len(deviceid) > 255:
        raise SchemaViolation("longer than 255 characters", "deviceid")
    return deviceid.strip()


def parse_sections(content: dict[str, Any]) -> dict[str, Record | list[Record]]:
    """Records of every understood section present in ``content``."""
    parsed: dict[str, Record | list[Record]] = {}
    unrecognised: dict[str, Any] = {}
    for name, raw in content.items():
        section = SECTIONS.get(name)
        if section is None or section is UNRECOGNISED:
            if name not in NOT_SECTIONS:
                unrecognised[name] = raw
            continue
        records = section.parse(raw)
        if records is not None:
            parsed[name] = records
    if unrecognised and (kept := UNRECOGNISED.parse(unrecognised)) is not None:
        parsed[UNRECOGNISED.name] = kept
    return parsed


def inventory_from_content(
    deviceid: str,
    content: dict[str, Any],
    *,
    action: str = "inventory",
    itemtype: str | None = None,
    partial: bool = False,
    tag: str | None = None,
) -> Inventory:
    if itemtype is None:
        itemtype = "NetworkEquipment" if "network_device" in content else "Computer"
    if itemtype not in ITEMTYPES:
        raise SchemaViolation(f"unknown item type {itemtype!r}", "itemtype")
    return Inventory(
        deviceid=deviceid,
        content=content,
        sections=parse_sections(content),
        itemtype=itemtype,
        action=action,
        partial=partial,
        tag=text(tag),
        version_client=text(content.get("versionclient")),
    )


def parse_message(obj: Any) -> Message:
    """A Contact or an Inventory from a decoded JSON body; anything else is refused by name."""
    if not isinstance(obj, dict):
        raise SchemaViolation("the message must be a JSON object")
    action = obj.get("action", "inventory")
    if not isinstance(action, str):
        raise SchemaViolation("must be a string", "action")
    if action == "contact":
        tasks = obj.get("enabled-tasks")
        return Contact(
            deviceid=_deviceid(obj),
            agent_name=text(obj.get("name")),
            agent_version=text(obj.get("version")),
            enabled_tasks=[t for t in tasks if isinstance(t, str)] if isinstance(tasks, list) else [],
            tag=text(obj.get("tag")),
        )
    if action not in INVENTORY_ACTIONS:
        raise UnsupportedMessage(f"action {action!r} is not served by this server", "action")
    deviceid = _deviceid(obj)
    content = obj.get("content")
    if not isinstance(content, dict):
        raise SchemaViolation("an object is required", "content")
    if not isinstance(content.get("versionclient"), str):
        raise SchemaViolation("a string is required", "content.versionclient")
    itemtype = obj.get("itemtype")
    if itemtype is not None and not isinstance(itemtype, str):
        raise SchemaViolation("must be a string", "itemtype")
    partial = obj.get("partial", False)
    if not isinstance(partial, bool):
        raise SchemaViolation("must be a boolean", "partial")
    return inventory_from_content(
        deviceid, content, action=action, itemtype=itemtype, partial=partial, tag=obj.get("tag")
    )


def build_content(sections: dict[str, Any], version_client: str) -> dict[str, Any]:
    """GLPI JSON content from records, as an agent or a collector sends it."""
    content: dict[str, Any] = {}
    for name, records in sections.items():
        section = SECTIONS.get(name)
        if section is None:
            raise KeyError(f"unknown inventory section {name!r}")
        built = section.build(records)
        if built:
            content[name] = built
    content["versionclient"] = version_client
    return content


def build_inventory_message(inventory: Inventory) -> dict[str, Any]:
    """The JSON body of an ``action: inventory`` request for ``inventory``."""
    message: dict[str, Any] = {
        "action": inventory.action,
        "deviceid": inventory.deviceid,
        "itemtype": inventory.itemtype,
        "content": inventory.content,
    }
    if inventory.partial:
        message["partial"] = True
    if inventory.tag:
        message["tag"] = inventory.tag
    return message


def build_contact_message(contact: Contact) -> dict[str, Any]:
    message: dict[str, Any] = {
        "action": "contact",
        "deviceid": contact.deviceid,
        "name": contact.agent_name or "Mutuparc-Agent",
        "version": contact.agent_version or "",
        "enabled-tasks": contact.enabled_tasks or ["inventory"],
        "installed-tasks": contact.enabled_tasks or ["inventory"],
    }
    if contact.tag:
        message["tag"] = contact.tag
    return message
