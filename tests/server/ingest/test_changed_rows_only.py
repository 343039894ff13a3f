"""A re-inventory writes only the component rows that changed (issue 26): unchanged software
keeps its stored row, a new version replaces only its own, duplicates stay duplicates."""

from __future__ import annotations

import copy
from collections import Counter

from sqlalchemy import select

from server.assets.components import COMPONENT_TABLES
from server.ingest.fast_path import agent_path_params
from tests.utils import example, post_inventory

SOFTWARE = COMPONENT_TABLES["softwares"]


def _rows(engine) -> dict[int, tuple[str, str | None]]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        rows = connection.execute(select(SOFTWARE.c.id, SOFTWARE.c.name, SOFTWARE.c.version))
        return {row.id: (row.name, row.version) for row in rows}


def test_only_changed_software_rows_are_rewritten(client, engine) -> None:  # type: ignore[no-untyped-def]
    inventory = example("computer_1")
    assert post_inventory(client, inventory).status_code == 200
    before = _rows(engine)
    softwares = inventory["content"]["softwares"]
    assert len(before) == len(softwares) >= 3

    again = copy.deepcopy(inventory)
    changed = again["content"]["softwares"]
    changed[0] = {**changed[0], "version": "99.0-mise-a-jour"}  # updated
    removed = changed.pop(1)  # uninstalled
    changed.append({"name": "nouveau-logiciel", "version": "1.0"})  # installed
    changed.append(copy.deepcopy(changed[-1]))  # the same record twice: two rows, as sent
    assert post_inventory(client, again).status_code == 200
    after = _rows(engine)

    assert Counter(after.values()) == Counter((s["name"], s.get("version")) for s in changed)
    kept = {i for i in before if i in after}
    # Every untouched software keeps its row; the updated and the removed ones lost theirs.
    assert {before[i] for i in kept} == {(s["name"], s.get("version")) for s in softwares[2:]}
    assert (removed["name"], removed.get("version")) not in after.values()
    assert len(after) - len(kept) == 3  # the new version and the two new rows

    # Sent once more unchanged: nothing is rewritten.
    assert post_inventory(client, again).status_code == 200
    assert _rows(engine) == after


def test_agent_urls_take_the_fast_path() -> None:
    assert agent_path_params("/front/inventory.php") == {}
    assert agent_path_params("/") == {}
    assert agent_path_params("/t/abc123/") == {"token": "abc123"}
    assert agent_path_params("/t/abc123/plugins/glpiinventory/") == {"token": "abc123"}
    assert agent_path_params("/t/abc123/api/v1/assets") is None
    assert agent_path_params("/api/v1/assets") is None
    assert agent_path_params("/t//front/inventory.php") is None
