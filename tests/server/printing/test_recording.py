"""What a reading is made of: supply levels and kinds as agents and devices word them, counters."""

from __future__ import annotations

import pytest

from server.printing.recording import counter_values, supply_kind, supply_level


@pytest.mark.parametrize(
    ("value", "level"),
    [
        ("71", (71.0, None)),
        (" 42 % ", (42.0, None)),
        ("12,5", (12.5, None)),
        (130, (100.0, None)),  # more than full: full
        ("0", (0.0, None)),
        ("OK", (None, "OK")),
        ("low", (None, "LOW")),
        ("-3", (None, "OK")),  # Printer-MIB: some remaining
        ("-2", None),  # unknown
        ("-1", None),  # no restriction
        ("", None),
        (None, None),
    ],
)
def test_supply_level(value, level) -> None:  # type: ignore[no-untyped-def]
    assert supply_level(value) == level


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("tonerblack", "toner"),
        ("cartridgecyan", "toner"),
        ("Black Cartridge HP CF289A", "toner"),
        ("wastetoner", "waste"),
        ("Toner Collection Unit", "waste"),
        ("Bac de récupération de toner", "waste"),
        ("drumblack", "drum"),
        ("Imaging Drum", "drum"),
        ("OPC Unit", "drum"),
        ("fuserkit", "fuser"),
        ("transferkit", "transfer"),
        ("maintenancekit", "maintenance"),
        ("Encre noire", "ink"),
        ("staples", "other"),
    ],
)
def test_supply_kind(name: str, kind: str) -> None:
    assert supply_kind(name) == kind


def test_counter_values() -> None:
    assert counter_values({"total": 1802, "recto_verso": 831, "black": None}) == {"total": 1802, "recto_verso": 831}
    assert counter_values({"total": 0, "black": 0}) == {}  # a sleeping printer's zeros are no reading
    assert counter_values({"black": 700, "color": 300}) == {"black": 700, "color": 300, "total": 1000}
    assert counter_values({"black": 700}) == {"black": 700, "total": 700}  # a mono printer
    assert counter_values({"print_total": 50, "copy_total": 20, "scanned": 9}) == {
        "print_total": 50, "copy_total": 20, "scanned": 9, "total": 70,
    }  # fmt: skip
    assert counter_values({"total": True, "extra": {"x": 1}}) == {}
