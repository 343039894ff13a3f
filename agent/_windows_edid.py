"""EDID blocks (VESA E-EDID 1.3/1.4) and PNP manufacturer codes, worded as GLPI Agent words them.

Windows keeps each monitor's EDID in the registry; macOS's system_profiler gives the EDID
manufacturer code as a number, which ``pnp_code`` turns into its three letters (the macOS module
uses this module for that).

What a monitor record holds, as GLPI Agent fills it from an EDID:

- ``serial``: the ASCII serial descriptor (0xFF) when there is one, cut at its line feed, else the
  32-bit serial number as 8 hexadecimal digits;
- ``caption`` (and ``name``): the monitor name descriptor (0xFC), else the texts of the
  unspecified-text descriptors (0xFE) joined by spaces, as laptop panels carry them;
- ``description``: ``week/year`` of manufacture (the year alone when the week is 255);
- ``manufacturer``: the vendor's name for its PNP code, else the code.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Any

Record = dict[str, Any]

_HEADER = b"\x00\xff\xff\xff\xff\xff\xff\x00"
# PNP ids of common monitor and panel makers, named as GLPI Agent's edid.ids names them.
PNP_VENDORS = {
    "ACR": "Acer Technologies",
    "AOC": "AOC International (USA) Ltd.",
    "APP": "Apple Computer Inc",
    "AUO": "AU Optronics",
    "BNQ": "BenQ Corporation",
    "BOE": "BOE",
    "CMN": "Chimei Innolux Corporation",
    "DEL": "Dell Inc.",
    "EIZ": "EIZO",
    "ENC": "Eizo Nanao Corporation",
    "FUS": "Fujitsu Siemens Computers GmbH",
    "GSM": "Goldstar Company Ltd",
    "HSD": "Hannspree Inc",
    "HWP": "Hewlett Packard",
    "INL": "InnoLux Display Corporation",
    "IVM": "Iiyama North America",
    "LEN": "Lenovo Group Limited",
    "LGD": "LG Display",
    "LPL": "LG Philips",
    "MEI": "Panasonic Industry Company",
    "MSI": "Microstep",
    "NEC": "NEC Corporation",
    "PHL": "Philips Consumer Electronics Company",
    "QDS": "Quanta Display Inc.",
    "SAM": "Samsung Electric Company",
    "SHP": "Sharp Corporation",
    "SNY": "Sony Corporation",
    "TSB": "Toshiba America Info Systems Inc",
    "VSC": "ViewSonic Corporation",
}


def pnp_code(number: int) -> str | None:
    """The three letters of a 16-bit EDID manufacturer id (0x10AC -> "DEL")."""
    letters = [(number >> shift) & 0x1F for shift in (10, 5, 0)]
    if number >> 15 or not all(1 <= letter <= 26 for letter in letters):
        return None
    return "".join(chr(ord("A") - 1 + letter) for letter in letters)


def vendor_name(code: str | None) -> str | None:
    return PNP_VENDORS.get(code.upper(), code.upper()) if code else None


def manufacture_date(week: int | None, year: int | None) -> str | None:
    if not year:
        return None
    return str(year) if week in (None, 255) else f"{week}/{year}"


@dataclass
class Edid:
    manufacturer: str | None
    product_code: int
    serial_number: int
    week: int
    year: int
    serial_text: str | None = None
    name: str | None = None
    texts: list[str] = field(default_factory=list)

    @property
    def serial(self) -> str:
        return self.serial_text or f"{self.serial_number:08x}"

    @property
    def caption(self) -> str | None:
        return self.name or (" ".join(self.texts) if self.texts else None)


def _descriptor_text(block: bytes) -> str:
    raw = block[5:18].split(b"\x0a", 1)[0]
    return raw.decode("ascii", "replace").strip()


def parse_edid(raw: bytes | None) -> Edid | None:
    """The identity fields of an EDID base block, or None for anything else."""
    if not raw or len(raw) < 128 or raw[:8] != _HEADER:
        return None
    edid = Edid(
        manufacturer=pnp_code(int.from_bytes(raw[8:10], "big")),
        product_code=int.from_bytes(raw[10:12], "little"),
        serial_number=int.from_bytes(raw[12:16], "little"),
        week=raw[16],
        year=raw[17] + 1990,
    )
    for offset in (54, 72, 90, 108):
        block = raw[offset : offset + 18]
        if block[:3] != b"\x00\x00\x00":
            continue  # a detailed timing descriptor
        tag, content = block[3], _descriptor_text(block)
        if not content:
            continue
        if tag == 0xFF:
            edid.serial_text = edid.serial_text or content
        elif tag == 0xFC:
            edid.name = f"{edid.name} {content}" if edid.name else content
        elif tag == 0xFE:
            edid.texts.append(content)
    return edid


def monitor_record(raw: bytes) -> Record | None:
    """A ``monitors`` record from an EDID block (the block itself kept in base64, as GLPI sends it)."""
    edid = parse_edid(raw)
    if edid is None:
        return None
    return {
        "name": edid.caption,
        "caption": edid.caption,
        "manufacturer": vendor_name(edid.manufacturer),
        "serial": edid.serial,
        "description": manufacture_date(edid.week, edid.year),
        "edid_base64": base64.b64encode(raw).decode("ascii"),
    }
