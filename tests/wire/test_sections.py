import json

import jsonschema
import pytest

from tests.utils import EXAMPLES, SCHEMA
from wire import glpi_json
from wire.errors import SchemaViolation, UnsupportedMessage
from wire.model import Contact, Inventory
from wire.schema import inventory_schema
from wire.sections import SECTIONS


def test_vendored_schema_is_the_reference():
    assert inventory_schema() == json.loads(SCHEMA.read_text())


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_examples_parse_and_rebuild_to_valid_glpi_json(path):
    message = json.loads(path.read_text())
    inventory = glpi_json.parse_message(message)
    assert isinstance(inventory, Inventory)
    rebuilt = glpi_json.build_content(inventory.sections, inventory.version_client or "test")
    jsonschema.validate({"deviceid": "x", "content": rebuilt}, inventory_schema())
    for name, records in inventory.sections.items():
        raw = message["content"][name]
        assert len(records if isinstance(records, list) else [records]) == len(raw if isinstance(raw, list) else [raw])


def test_every_record_has_every_key():
    inventory = glpi_json.parse_message(json.loads((EXAMPLES / "computer_1.json").read_text()))
    for name, records in inventory.sections.items():
        for record in records if isinstance(records, list) else [records]:
            assert set(record) == set(SECTIONS[name].keys)


def test_items_without_required_keys_are_skipped():
    records = SECTIONS["softwares"].parse([{"version": "1"}, {"name": "ok"}, "garbage"])
    assert [r["name"] for r in records] == ["ok"]


def test_contact_message():
    contact = glpi_json.parse_message({"action": "contact", "deviceid": "pc-1", "enabled-tasks": ["inventory", 3]})
    assert contact == Contact(deviceid="pc-1", enabled_tasks=["inventory"])


@pytest.mark.parametrize(
    ("message", "error"),
    [
        ([], SchemaViolation),
        ({"action": 3, "deviceid": "x"}, SchemaViolation),
        ({"action": "inventory", "deviceid": "", "content": {"versionclient": "v"}}, SchemaViolation),
        ({"action": "inventory", "deviceid": "x" * 300, "content": {"versionclient": "v"}}, SchemaViolation),
        ({"action": "inventory", "deviceid": "x", "content": {}}, SchemaViolation),
        (
            {"action": "inventory", "deviceid": "x", "content": {"versionclient": "v"}, "partial": "yes"},
            SchemaViolation,
        ),
        (
            {"action": "inventory", "deviceid": "x", "itemtype": "Toaster", "content": {"versionclient": "v"}},
            SchemaViolation,
        ),
        ({"action": "wakeonlan", "deviceid": "x"}, UnsupportedMessage),
    ],
)
def test_invalid_messages_name_the_problem(message, error):
    with pytest.raises(error) as caught:
        glpi_json.parse_message(message)
    assert str(caught.value)
