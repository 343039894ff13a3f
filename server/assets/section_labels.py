"""Every inventory section and field in French and English, and sections laid out to be read.

The labels are in the gettext catalogues (``inventory.sections``, ``inventory.fields`` and
``inventory.overrides`` of ``server/locale``); a section's field is labelled by an
override for that section if there is one, else by the field's generic label. Document sections
(``wire.sections`` ``document``) are laid out with their GLPI keys as columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from server.core import catalogue
from server.i18n import format_value
from wire.sections import SECTIONS

BOOKKEEPING = ("id", "asset_id", "source_id")
_YES_NO = catalogue.sequences("yes_no")
_AGENT_YES_NO = {"yes": True, "no": False, "true": True, "false": False}
_SIZE_UNITS = catalogue.sequences("size_units")


_RATE_UNITS = ("bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s")
# IANA ifType numbers (and the names SNMP tools print) as people call the interfaces.
IFTYPES: dict[str, tuple[str, str]] = catalogue.pairs("iftypes")
_IFTYPE_NAMES = {"other": "1", "ethernetcsmacd": "6", "ppp": "23", "softwareloopback": "24", "propvirtual": "53",
                 "fastether": "62", "ieee80211": "71", "gigabitethernet": "117", "tunnel": "131", "l2vlan": "135",
                 "l3ipvlan": "136", "ieee8023adlag": "161", "bridge": "209"}  # fmt: skip


def format_rate(bits_per_second: float, lang: str) -> str:
    """A link speed as people say it: 1 Gbit/s, 100 Mbit/s, 2,5 Gbit/s (powers of 1000)."""
    value, unit = float(bits_per_second), 0
    while value >= 1000 and unit < len(_RATE_UNITS) - 1:
        value /= 1000
        unit += 1
    text = f"{value:.0f}" if value == int(value) or value >= 100 else f"{value:.1f}"
    return f"{text.replace('.', ',') if lang != 'en' else text} {_RATE_UNITS[unit]}"


def iftype_label(value: object, lang: str) -> str | None:
    """``6`` or ``ethernetCsmacd`` → Ethernet; None for a type this table does not know."""
    code = str(value).strip()
    code = _IFTYPE_NAMES.get(code.lower(), code)
    pair = IFTYPES.get(code)
    return None if pair is None else pair[1 if lang == "en" else 0]


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str) and value.strip().isdigit():
        return float(value.strip())
    return None


@cache
def _labels() -> dict[str, Any]:
    return {group: catalogue.pairs(f"inventory.{group}") for group in ("sections", "fields", "overrides")}


def _pick(pair: list[str] | None, lang: str, fallback: str) -> str:
    if not pair:
        return fallback
    return pair[1] if lang == "en" else pair[0]


def section_label(section: str, lang: str) -> str:
    return _pick(_labels()["sections"].get(section), lang, section)


def field_label(section: str, key: str, lang: str) -> str:
    labels = _labels()
    pair = labels["overrides"].get(f"{section}.{key}") or labels["fields"].get(key)
    return _pick(pair, lang, key)


def unlabelled(section: str, keys: list[str]) -> list[str]:
    """The keys of ``section`` that have no label (the tests keep this empty)."""
    labels = _labels()
    return [k for k in keys if f"{section}.{k}" not in labels["overrides"] and k not in labels["fields"]]


def format_size(size: int, lang: str) -> str:
    """Bytes as people read them: 1,5 Go / 1.5 GB (powers of 1024, as the agents' tools show)."""
    value, units = float(size), _SIZE_UNITS["en" if lang == "en" else "fr"]
    unit = 0
    while value >= 1024 and unit < len(units) - 1:
        value /= 1024
        unit += 1
    text = f"{value:.0f}" if unit == 0 or value >= 100 else f"{value:.1f}"
    return f"{text.replace('.', ',') if lang != 'en' else text} {units[unit]}"


def format_cell(key: str, value: Any, lang: str) -> str:
    """One value of an inventory record as text for a page or an export."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        yes, no = _YES_NO["en" if lang == "en" else "fr"]
        return yes if value else no
    if isinstance(value, str) and value.lower() in _AGENT_YES_NO:  # "Yes"/"No" as agents word a state
        yes, no = _YES_NO["en" if lang == "en" else "fr"]
        return yes if _AGENT_YES_NO[value.lower()] else no
    if key.endswith("_bytes") and isinstance(value, int):
        return format_size(value, lang)
    number = _number(value)
    if number is not None and key.endswith("_bps"):
        return format_rate(number, lang)
    if number is not None and key == "speed_mbps":
        return format_rate(number * 1_000_000, lang)
    if number is not None and key.endswith("_mb"):  # sizes the agents give in MB (MiB)
        return format_size(int(number * 2**20), lang)
    if key == "iftype" and isinstance(value, int | str) and iftype_label(value, lang):
        return iftype_label(value, lang)  # type: ignore[return-value]
    if isinstance(value, str) and key in ("install_date", "release_date", "bios_date", "last_boot", "boot_time"):
        try:
            return format_value(dt.datetime.fromisoformat(value), lang)
        except ValueError:
            return value
    if isinstance(value, dict):
        return ", ".join(f"{k}: {format_cell(k, v, lang)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, list):
        return ", ".join(format_cell(key, v, lang) for v in value)
    return format_value(value, lang)


@dataclass(frozen=True, slots=True)
class SectionView:
    """A section as a page shows it: labelled columns (only those with a value) and text rows."""

    name: str
    label: str
    columns: list[tuple[str, str]]  # (key, label)
    rows: list[list[str]]
    many: bool = True  # a list section (a table), or one record (label: value lines)
    numeric: tuple[bool, ...] = ()  # per column: figures (sizes, speeds, counts), right-aligned

    @property
    def count(self) -> int:
        return len(self.rows)


def _flat(section: str, found: Any) -> list[dict[str, Any]]:
    """A section's records (one record or a list) as rows; document sections: their content's
    keys become the columns."""
    records = [dict(r) for r in (found if isinstance(found, list) else [found]) if r]
    if SECTIONS.get(section) is not None and SECTIONS[section].document:
        return [dict(r.get("content") or {}) for r in records]
    return [{k: v for k, v in r.items() if k not in BOOKKEEPING} for r in records]


def _is_numeric(key: str, values: list[Any]) -> bool:
    """A column of figures: every value filled is a number (an id-like string such as a
    serial number is not: only real numbers, or the units this module formats)."""
    filled = [v for v in values if v not in (None, "")]
    if not filled or key == "iftype":
        return False
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in filled)


def section_views(components: dict[str, Any], lang: str, skip: tuple[str, ...] = ()) -> list[SectionView]:
    """Every non-empty section of an asset, in ``wire.sections`` order, labelled in ``lang``."""
    views = []
    for name in [n for n in SECTIONS if n in components] + [n for n in components if n not in SECTIONS]:
        found = components.get(name)
        if not found or name in skip:
            continue
        records = _flat(name, found)
        keys: list[str] = []
        for record in records:  # the columns any record fills, in the order the records give them
            keys += [k for k, v in record.items() if v not in (None, "", [], {}) and k not in keys]
        columns = [(key, field_label(name, key, lang)) for key in keys]
        rows = [[format_cell(key, record.get(key), lang) for key in keys] for record in records]
        many = SECTIONS[name].many if name in SECTIONS else isinstance(found, list)
        numeric = tuple(_is_numeric(key, [r.get(key) for r in records]) for key in keys)
        views.append(SectionView(name, section_label(name, lang), columns, rows, many, numeric))
    return views


def labels_for(components: dict[str, Any], lang: str) -> dict[str, dict[str, Any]]:
    """For the API: each present section's label and its fields' labels, in ``lang``."""
    out: dict[str, dict[str, Any]] = {}
    for name, found in components.items():
        if not found:
            continue
        records = _flat(name, found)
        keys = sorted({k for r in records for k in r})
        out[name] = {"label": section_label(name, lang), "fields": {k: field_label(name, k, lang) for k in keys}}
    return out
