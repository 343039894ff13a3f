"""FusionInventory / OCS XML protocol (``<REQUEST><QUERY>PROLOG|INVENTORY</QUERY>...``).

XML inventories are converted to GLPI JSON content with the schema's knowledge of which sections
are lists and which values are numbers or booleans, then follow the JSON path. A one-item list
looks exactly like a single element in this format: only the schema can tell them apart.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from .errors import BadSyntax, SchemaViolation, UnsupportedMessage
from .fields import boolean, integer
from .glpi_json import inventory_from_content
from .model import Message, Prolog
from .schema import Shape, content_shapes

# XML tag (lower-cased) -> JSON key, where GLPI's JSON format renamed things.
_SECTION_RENAMES = {"firewall": "firewalls"}
_KEY_RENAMES = {"macaddr": "mac", "serialnumber": "serial", "installdate": "install_date", "member": "members"}
# Declarations no agent sends and that only serve entity expansion attacks.
_FORBIDDEN = (b"<!DOCTYPE", b"<!ENTITY")


def _parse_xml(body: bytes) -> ET.Element:
    head = body[:4096].upper()
    if any(marker in head for marker in _FORBIDDEN) or b"<!ENTITY" in body:
        raise BadSyntax("XML with a DOCTYPE or ENTITY declaration is refused")
    try:
        return ET.fromstring(body)  # noqa: S314 - no DTD allowed (checked above); expat bounds expansion
    except ET.ParseError as exc:
        raise BadSyntax(f"malformed XML: {exc}") from None
    except LookupError as exc:  # encoding="EBCDIC-XX": an encoding Python does not know
        raise BadSyntax(f"XML in an unknown encoding: {exc}") from None


def _value(element: ET.Element) -> Any:
    children = list(element)
    if not children:
        return element.text or ""
    out: dict[str, Any] = {}
    for child in children:
        _add(out, child.tag.lower(), _value(child))
    return out


def _add(out: dict[str, Any], key: str, value: Any) -> None:
    """A repeated element becomes a list: the XML format has no other way to say it."""
    if key in out:
        previous = out[key]
        out[key] = [*previous, value] if isinstance(previous, list) else [previous, value]
    else:
        out[key] = value


def _coerce(value: Any, kind: str) -> Any:
    if kind == "integer":
        return integer(value)
    if kind == "boolean":
        return boolean(value)
    if kind == "array":
        return value if isinstance(value, list) else [value]
    if kind == "object":
        return value if isinstance(value, dict) else None
    if isinstance(value, dict | list):
        return None
    return value


def _convert_item(raw: Any, shape: Shape) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        return None
    item: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in shape.properties:
            key = _KEY_RENAMES.get(key, key)
            if key not in shape.properties:  # a key the schema lacks: kept as sent (see wire.sections)
                if value != "":
                    item[key] = value
                continue
        if value == "":
            continue
        coerced = _coerce(value, shape.properties[key])
        if coerced is not None:
            item[key] = coerced
    return item


def convert_content(content: ET.Element) -> tuple[dict[str, Any], str | None]:
    """GLPI JSON content from an XML ``<CONTENT>`` element, and the inventory tag if any."""
    shapes = content_shapes()
    out: dict[str, Any] = {}
    tag = None
    for element in content:
        name = element.tag.lower()
        if name == "accountinfo":
            info = _value(element)
            if isinstance(info, dict) and str(info.get("keyname", "")).upper() == "TAG":
                tag = info.get("keyvalue") or None
            continue
        if name == "versionclient":
            out["versionclient"] = element.text or ""
            continue
        name = _SECTION_RENAMES.get(name, name)
        shape = shapes.get(name)
        if shape is None:  # a section the schema lacks (REGISTRY, RUDDER...): kept as sent
            _add(out, name, _value(element))
            continue
        item = _convert_item(_value(element), shape)
        if item is None:
            continue
        if shape.many:
            out.setdefault(name, []).append(item)
        else:
            out[name] = item
    out.setdefault("versionclient", "")
    return out, tag


def parse_message(body: bytes) -> Message:
    """A Prolog or an Inventory from an XML request body."""
    root = _parse_xml(body)
    if root.tag != "REQUEST":
        raise SchemaViolation(f"root element must be REQUEST, not {root.tag}")
    query = (root.findtext("QUERY") or "").strip().upper()
    deviceid = (root.findtext("DEVICEID") or "").strip()
    if not deviceid:
        raise SchemaViolation("a non-empty DEVICEID is required", "REQUEST/DEVICEID")
    if len(deviceid) > 255:
        raise SchemaViolation("longer than 255 characters", "REQUEST/DEVICEID")
    if query == "PROLOG":
        return Prolog(deviceid=deviceid, tag=(root.findtext("TAG") or "").strip() or None)
    if query != "INVENTORY":
        raise UnsupportedMessage(f"query {query or '(none)'!r} is not served by this server", "REQUEST/QUERY")
    content_element = root.find("CONTENT")
    if content_element is None:
        raise SchemaViolation("a CONTENT element is required", "REQUEST/CONTENT")
    content, tag = convert_content(content_element)
    return inventory_from_content(deviceid, content, tag=tag)
