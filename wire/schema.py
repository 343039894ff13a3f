"""The GLPI inventory JSON schema (vendored from glpi-project/inventory_format, MIT).

Used by the server to validate JSON inventories, by the XML converter to know which sections
are lists and which properties are numbers, and by tests to validate what agents produce.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_FILE = "inventory.schema.json"


@cache
def _schema_text() -> str:
    return resources.files("wire").joinpath("data", SCHEMA_FILE).read_text("utf-8")


def inventory_schema() -> dict[str, Any]:
    """A fresh copy each time: some validators (fastjsonschema) modify the schema they compile."""
    return json.loads(_schema_text())


@dataclass(frozen=True, slots=True)
class Shape:
    """What the schema says of one content section: a list or an object, and its property types."""

    many: bool
    properties: dict[str, str]  # property -> "string" | "integer" | "boolean" | "array" | "object"


def _type_of(prop: dict[str, Any]) -> str:
    if "type" in prop:
        kind = prop["type"]
        return kind[0] if isinstance(kind, list) else kind
    ref = prop.get("$ref", "")
    if ref.startswith("#/definitions/"):
        return "string"  # every definition is a date/datetime string
    return "object"


@cache
def content_shapes() -> dict[str, Shape]:
    content = inventory_schema()["properties"]["content"]["properties"]
    shapes = {}
    for name, prop in content.items():
        many = prop.get("type") == "array"
        body = prop.get("items", {}) if many else prop
        props = body.get("properties", {}) if isinstance(body, dict) else {}
        shapes[name] = Shape(many, {k: _type_of(v) for k, v in props.items() if isinstance(v, dict)})
    return shapes
