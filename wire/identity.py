"""What identifies a machine: serials, system UUIDs, MACs, names, and the junk values that do not.

Firmware vendors ship placeholder values ("To Be Filled By O.E.M.", all-zero UUIDs), anonymised
recordings say ``<private>``, and every virtual adapter has a MAC: matching on those would merge
unrelated machines. Each ``*_key`` function returns a normalised key, or ``None`` when the value
cannot identify anything. The placeholders are data (``data/placeholders.json``, each with its
source), extendable with ``PLACEHOLDERS.load(path)``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .fields import mac as normalise_mac
from .fields import text

_UUID_HEX = re.compile(r"^[0-9a-f]{32}$")
_WHITESPACE = re.compile(r"\s+")
PLACEHOLDERS_FILE = Path(__file__).parent / "data" / "placeholders.json"


@dataclass(slots=True)
class Placeholders:
    """Values that identify nothing, by kind; loaded from ``data/placeholders.json`` (each entry
    says where it comes from) and any extra file of the same shape (``extend``)."""

    serials: set[str] = field(default_factory=set)
    serial_patterns: list[re.Pattern[str]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)
    uuids: set[str] = field(default_factory=set)
    mac_prefixes: set[str] = field(default_factory=set)

    def extend(self, document: dict[str, Any]) -> None:
        def values(kind: str) -> list[str]:
            return [str(entry["value"]) for entry in document.get(kind, [])]

        self.serials.update(_serial_text(v) for v in values("serial"))
        self.serial_patterns += [re.compile(str(e["pattern"])) for e in document.get("serial_patterns", [])]
        self.names.update(v.strip().lower() for v in values("name"))
        self.uuids.update(v.strip("{}").replace("-", "").lower() for v in values("uuid"))
        self.mac_prefixes.update(v.lower() for v in values("mac_prefix"))

    def load(self, path: Path) -> None:
        """Add the entries of a JSON file shaped like ``data/placeholders.json``."""
        self.extend(json.loads(path.read_text("utf-8")))


def _serial_text(value: str) -> str:
    return _WHITESPACE.sub(" ", value).strip(" /").upper()


PLACEHOLDERS = Placeholders()
PLACEHOLDERS.load(PLACEHOLDERS_FILE)

_MANUFACTURER_SUFFIXES = frozenset(
    {
        "inc",
        "incorporated",
        "corp",
        "corporation",
        "co",
        "company",
        "ltd",
        "limited",
        "gmbh",
        "sa",
        "sas",
        "ag",
        "llc",
        "plc",
        "bv",
        "nv",
        "srl",
        "spa",
        "kk",
        "technology",
        "technologies",
        "computer",
        "computers",
        "international",
        "systems",
        "electronics",
    }
)
_MANUFACTURER_ALIASES = {
    "hewlett packard": "hp",
    "hewlettpackard": "hp",
    "hp enterprise": "hpe",
    "hewlett packard enterprise": "hpe",
    "asustek": "asus",
    "micro star": "msi",
    "microstar": "msi",
    "dell emc": "dell",
    "fujitsu siemens": "fujitsu",
    "lenovo group": "lenovo",
    "samsung electronics": "samsung",
    "cisco systems": "cisco",
}


def serial_key(serial: object) -> str | None:
    """An upper-case serial with spaces collapsed, or None for placeholders and one-character runs."""
    value = text(serial)
    if value is None:
        return None
    key = _serial_text(value)
    if key in PLACEHOLDERS.serials or any(p.search(key.replace(" ", "")) for p in PLACEHOLDERS.serial_patterns):
        return None
    return key


def uuid_key(uuid: object) -> str | None:
    """32 lower-case hex digits, or None for malformed, all-same-digit and known placeholder UUIDs."""
    value = text(uuid)
    if value is None:
        return None
    digits = value.strip("{}").replace("-", "").lower()
    if not _UUID_HEX.match(digits) or len(set(digits)) == 1 or digits in PLACEHOLDERS.uuids:
        return None
    return digits


def mac_key(mac: object, *, virtual: bool | None = False) -> str | None:
    """A MAC that identifies one physical interface, or None.

    Refused: virtual interfaces, multicast and broadcast, locally administered addresses
    (randomised Wi-Fi MACs, containers, bridges) and addresses many machines share.
    """
    if virtual:
        return None
    value = normalise_mac(mac)
    if value is None:
        return None
    first_octet = int(value[:2], 16)
    if first_octet & 0b11:  # multicast bit or locally administered bit
        return None
    if value.startswith(tuple(PLACEHOLDERS.mac_prefixes)):
        return None
    return value


def name_key(name: object) -> str | None:
    """A lower-case host name without its domain, or None for names every machine could have."""
    value = text(name)
    if value is None:
        return None
    lowered = value.strip().lower()
    key = lowered.split(".", 1)[0] if not value.replace(".", "").isdigit() else value
    return None if not key or key in PLACEHOLDERS.names or lowered in PLACEHOLDERS.names else key


def manufacturer_key(manufacturer: object) -> str | None:
    """A short canonical maker name: ``Dell Inc.`` -> ``dell``, ``Hewlett-Packard`` -> ``hp``."""
    value = text(manufacturer)
    if value is None:
        return None
    words = re.sub(r"[^a-z0-9]+", " ", value.lower()).split()
    while words and words[-1] in _MANUFACTURER_SUFFIXES:
        words.pop()
    key = " ".join(words)
    if not key or key in {"to be filled by o e m", "system manufacturer", "default string", "oem"}:
        return None
    return _MANUFACTURER_ALIASES.get(key, key)
