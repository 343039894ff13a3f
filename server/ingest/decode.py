"""Request body -> wire message: decompress, tell JSON from XML, validate, parse."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

import jsonschema_rs
import orjson

from wire import glpi_json, legacy_xml
from wire.compression import Encoding, decompress, sniff
from wire.errors import BadSyntax, SchemaViolation
from wire.model import Message
from wire.schema import inventory_schema

_BOM = b"\xef\xbb\xbf"


@dataclass(slots=True)
class Decoded:
    message: Message
    protocol: str  # "json" | "xml"
    encoding: Encoding
    body: bytes  # decompressed


@cache
def _validator() -> Any:
    return jsonschema_rs.validator_for(inventory_schema())


def validate_inventory_json(obj: Any) -> None:
    """GLPI's own check: the inventory must validate against the inventory format schema."""
    try:
        _validator().validate(obj)
    except jsonschema_rs.ValidationError as exc:
        path = ".".join(str(p) for p in exc.instance_path) or None
        raise SchemaViolation(f"JSON does not validate: {exc.message}", path) from None
    except ValueError as exc:  # the validator's own recursion limit, on absurdly deep nesting
        raise SchemaViolation(f"JSON does not validate: {exc}") from None


def _loads(data: bytes) -> Any:
    """Parse JSON; invalid UTF-8 or lone surrogates in a value are replaced, not fatal.

    Agents on Windows sometimes send software names in a legacy code page: one bad name must
    not lose the whole inventory.
    """
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        strict_error = exc
    try:
        lenient = json.loads(data.decode("utf-8", "replace"))
        # Round trip through UTF-8 to replace lone surrogates ("\ud800") with "?".
        return json.loads(json.dumps(lenient, ensure_ascii=False).encode("utf-8", "replace"))
    except (ValueError, RecursionError):
        raise BadSyntax(f"malformed JSON: {strict_error}") from None


def detect_protocol(body: bytes) -> str:
    head = body[:64].lstrip()
    if head.startswith(_BOM):
        head = head[len(_BOM) :].lstrip()
    if head.startswith(b"{"):
        return "json"
    if head.startswith(b"<"):
        return "xml"
    raise BadSyntax("the body is neither a JSON object nor an XML document")


def decode(body: bytes, content_type: str | None, limit: int) -> Decoded:
    if not body:
        raise BadSyntax("empty body")
    encoding = sniff(body, content_type)
    plain = decompress(body, encoding, limit)
    protocol = detect_protocol(plain)
    if protocol == "xml":
        return Decoded(legacy_xml.parse_message(plain), protocol, encoding, plain)
    obj = _loads(plain.removeprefix(_BOM))
    if isinstance(obj, dict):
        action = obj.get("action", "inventory")
        if not isinstance(action, str) or action in glpi_json.INVENTORY_ACTIONS:
            validate_inventory_json(obj)  # a non-string action is refused by the schema, by name
    return Decoded(glpi_json.parse_message(obj), protocol, encoding, plain)
