"""What identifies a machine: serials, system UUIDs, MACs, names, and the junk values that do not.

Firmware vendors ship placeholder values ("To Be Filled By O.E.M.", all-zero UUIDs) and every
virtual adapter has a MAC: matching on those would merge unrelated machines. Each ``*_key``
function returns a normalised key, or ``None`` when the value cannot identify anything.
"""

from __future__ import annotations

import re

from .fields import mac as normalise_mac
from .fields import text

_JUNK_SERIALS = frozenset(
    {
        "TO BE FILLED BY O.E.M.",
        "TO BE FILLED BY OEM",
        "DEFAULT STRING",
        "SYSTEM SERIAL NUMBER",
        "CHASSIS SERIAL NUMBER",
        "BASE BOARD SERIAL NUMBER",
        "SERIAL NUMBER",
        "SERIALNUMBER",
        "NONE",
        "N/A",
        "NA",
        "NOT SPECIFIED",
        "NOT APPLICABLE",
        "NOT AVAILABLE",
        "UNKNOWN",
        "INVALID",
        "OEM",
        "O.E.M.",
        "123456789",
        "1234567890",
        "0123456789",
        "12345678",
        "DEFAULT",
        "EMPTY",
        "NULL",
        "XXXXXXXXXX",
        "SYSTEM SERIAL",
        "TBD",
        "TBD BY OEM",
        "ABCDEFGHIJKLMN",
        "PARALLELS",
        "VIRTUAL",
    }
)
_JUNK_UUIDS = frozenset(
    {
        "03000200040005000006000700080009",
        "00020003000400050006000700080009",
        "12345678123456789012345678901234",
        "4c4c4544000000000000000000000000",
    }
)
_REPEATED = re.compile(r"^(.)\1*$")
_UUID_HEX = re.compile(r"^[0-9a-f]{32}$")
_WHITESPACE = re.compile(r"\s+")
# MACs that many unrelated machines share: VMware Workstation host adapters, Windows WAN miniports.
_SHARED_MAC_PREFIXES = ("00:50:56:c0:00:", "20:41:53:59:4e:", "50:50:54:50:30:", "00:00:00:00:00:")
_JUNK_NAMES = frozenset({"localhost", "localhost.localdomain", "unknown", "none", "default"})

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
    key = _WHITESPACE.sub(" ", value).strip(" /").upper()
    if len(key) < 3 or key in _JUNK_SERIALS or _REPEATED.match(key.replace(" ", "")):
        return None
    if "O.E.M" in key or "FILLED BY" in key:
        return None
    return key


def uuid_key(uuid: object) -> str | None:
    """32 lower-case hex digits, or None for malformed, all-same-digit and known placeholder UUIDs."""
    value = text(uuid)
    if value is None:
        return None
    digits = value.strip("{}").replace("-", "").lower()
    if not _UUID_HEX.match(digits) or _REPEATED.match(digits) or digits in _JUNK_UUIDS:
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
    if value.startswith(_SHARED_MAC_PREFIXES):
        return None
    return value


def name_key(name: object) -> str | None:
    """A lower-case host name without its domain, or None for names every machine could have."""
    value = text(name)
    if value is None:
        return None
    key = value.lower().split(".", 1)[0] if not value.replace(".", "").isdigit() else value
    return None if not key or key in _JUNK_NAMES or value.lower() in _JUNK_NAMES else key


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
