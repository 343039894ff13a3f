"""What the pages say instead of raw values: units, interface types, local times, the journal's
actions and channels, a discovered device's likely type."""

from __future__ import annotations

import datetime as dt

from server.assets.section_labels import format_cell, section_views
from server.collectors.crud import likely_type
from server.collectors.models import DiscoveredDevice
from server.web import journal
from server.web.text import Words


def test_sizes_speeds_and_interface_types_read_as_people_say_them() -> None:
    assert format_cell("total_bytes", 14285059129344, "fr") == "13,0 To"
    assert format_cell("speed_bps", 1_000_000_000, "fr") == "1 Gbit/s"
    assert format_cell("speed_bps", "2500000000", "en") == "2.5 Gbit/s"
    assert format_cell("speed_mbps", 100, "fr") == "100 Mbit/s"
    assert format_cell("memory_mb", 8192, "fr") == "8,0 Go"
    assert format_cell("iftype", 6, "fr") == format_cell("iftype", "ethernetCsmacd", "en") == "Ethernet"
    assert format_cell("iftype", 24, "fr") == "Boucle locale"
    assert format_cell("iftype", 999, "fr") == "999"  # a type the table does not know stays as sent
    ports = {"network_ports": [{"name": "Gi1/0/1", "iftype": 6, "speed_bps": 10**9, "mtu": 1500}]}
    view = section_views(ports, "fr")[0]
    assert [label for _, label in view.columns] == ["Nom", "Type d'interface", "Débit", "MTU"]
    assert view.rows == [["Gi1/0/1", "Ethernet", "1 Gbit/s", "1500"]]
    assert view.numeric == (False, False, True, True)  # figures right-aligned, names and types not


def test_times_are_shown_in_paris_time_and_counts_grouped() -> None:
    winter, summer = dt.datetime(2026, 12, 2, 17, 4, tzinfo=dt.UTC), dt.datetime(2026, 7, 1, 16, 4)
    assert Words("fr").format(winter) == "02/12/2026 18:04"
    assert Words("fr").format(summer) == "01/07/2026 18:04"  # naive from SQLite: UTC, then CEST
    assert Words("fr").format_iso("2026-12-02T17:04:05.123456+00:00") == "02/12/2026 18:04"
    assert Words("fr").integer(20187) == "20\u202f187" and Words("en").integer(20187) == "20,187"
    assert Words("fr").integer(None) == "—"


def test_the_journal_names_actions_and_channels_in_words() -> None:
    assert journal.action_label("login", "fr") == "Connexion"
    assert journal.action_label("login failed", "en") == "Failed sign-in"
    assert journal.action_label("POST /api/v1/members", "fr") == "Création : membre"
    assert journal.action_label("PATCH /api/v1/assets/{asset_id}", "en") == "Update: asset"
    assert journal.action_label("POST /api/v1/asset-merges/{merge_id}/undo", "fr") == "Annulation : fusion"
    assert journal.action_label("POST /members/tokens/{token_id}/revoke", "fr") == "Révocation : jeton"
    assert journal.action_label("FROB /x", "fr") == "FROB /x"  # unknown: as recorded, never dropped
    assert journal.channel_label("web login", "fr") == "page de connexion"
    assert journal.channel_label("api token 3 (ci, mtp_ab...)", "en") == "API token 3 (ci, mtp_ab...)"
    assert journal.change_field_label("created", "fr") == "Création"
    assert journal.change_field_label("hardware.chassis_type", "fr").startswith("Matériel · ")
    assert journal.change_value("created", "collector snmp-sn-1", "fr") == "Collecteur snmp-sn-1"


def test_a_discovered_camera_is_typed_from_its_description() -> None:
    camera = DiscoveredDevice(member_id=1, address="127.0.0.42", via="snmp", sys_name="cam-parking-mairie",
                              sys_descr=" AXIS P3245-LVE Network Camera 10.12.182")  # fmt: skip
    assert likely_type(camera) == "camera"
    typed = DiscoveredDevice(member_id=1, address="10.0.0.2", via="snmp", asset_type="switch", sys_descr="camera")
    assert likely_type(typed) == "switch"  # a profile's type wins over words
    assert likely_type(DiscoveredDevice(member_id=1, address="10.0.0.3", via="icmp")) is None
