"""EDID: the 128-byte block a monitor gives its graphics card, read as GLPI Agent reads it (Parse::EDID and
GLPI::Agent::Tools::Screen): manufacturer, model (caption), serial, week/year of manufacture.

Nothing here is Linux-specific (Windows keeps the same block in the registry). ``agent/data/edid.ids`` is
GLPI Agent 1.11's ``share/edid.ids`` (PNP ids of the Microsoft list, GPL-2.0-or-later, Teclib' and
contributors), so that a maker is named exactly as GLPI Agent names it; an id it does not list is reported
as the three letters.
"""

from __future__ import annotations

import base64
import functools
import os
import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


@functools.cache
def vendors() -> dict[str, str]:
    try:  # the installed file, without importlib.resources (its import costs a run's start)
        with open(os.path.join(os.path.dirname(__file__), "data", "edid.ids"), encoding="utf-8") as file:  # noqa: PTH118, PTH120, PTH123
            text = file.read()
    except OSError:  # a zipped install
        from importlib import resources

        text = resources.files("agent").joinpath("data/edid.ids").read_text("utf-8")
    return dict(line.split(" ", 1) for line in text.splitlines() if line.strip())


def _text(payload: bytes) -> str:
    """Perl's unpack('A13'): the bytes as characters, trailing blanks and NULs dropped."""
    return payload.decode("latin-1").rstrip(" \t\n\r\f\v\0")


def parse(edid: bytes) -> dict[str, Any] | None:
    """The fields of the base block GLPI Agent uses (Parse::EDID's names), or None if it is not an EDID."""
    if len(edid) < 128:
        return None
    block = edid[:128]
    (packed,) = struct.unpack_from(">H", block, 8)
    product, serial, week, year, version, revision = struct.unpack_from("<HIBBBB", block, 10)
    letters = "".join(chr(ord("A") + ((packed >> shift) & 0x1F) - 1) for shift in (10, 5, 0))
    parsed: dict[str, Any] = {
        "manufacturer_name": "" if letters == "@@@" else letters,
        "product_code": product,
        "serial_number": serial,
        "week": week,
        "year": year + 1990,
        "edid_version": version,
        "edid_revision": revision,
    }
    for offset in range(54, 126, 18):
        descriptor = block[offset : offset + 18]
        if struct.unpack_from("<H", descriptor)[0]:  # a detailed timing, not a text
            continue
        flag, payload = struct.unpack_from(">H", descriptor, 2)[0], descriptor[5:18]
        if flag == 0xFD:
            parsed["monitor_range"] = {"vertical_min": payload[0], "vertical_max": payload[1],
                                       "horizontal_min": payload[2], "horizontal_max": payload[3]}  # fmt: skip
        elif flag == 0xFC:
            previous = parsed.get("monitor_name")
            parsed["monitor_name"] = f"{previous} {_text(payload)}" if previous else _text(payload)
        elif flag == 0xFE:
            parsed.setdefault("monitor_text", []).append(_text(payload))
        elif flag == 0xFF:
            parsed.setdefault("serial_number2", []).append(_text(payload))
    if parsed["product_code"] and parsed["manufacturer_name"]:
        parsed["EISA_ID"] = f"{parsed['manufacturer_name']}{parsed['product_code']:04x}"
    return parsed


def _check(parsed: dict[str, Any]) -> str:
    """Parse::EDID's check_parsed_edid: an error, or ''."""
    if not 1 <= parsed["edid_version"] <= 2:
        return "bad edid_version"
    if parsed["edid_revision"] == 0xFF:
        return "bad edid_revision"
    limits = parsed.get("monitor_range")
    if limits:
        if not (limits["horizontal_min"] and limits["horizontal_min"] <= limits["horizontal_max"]):
            return "bad HorizSync"
        if not (limits["vertical_min"] and limits["vertical_min"] <= limits["vertical_max"]):
            return "bad VertRefresh"
    return ""


# GLPI's Screen::Acer list: models whose serial is the text serial with the numeric one inside.
_ACER_MODELS = frozenset(
    (
        "0018", "0019", "001a", "0020", "0024", "0026", "0031", "004b", "004c", "0069", "0070", "0076", "00a3",
        "00a8", "00c7", "00d2", "00db", "00f7", "0133", "0239", "02cc", "02d4", "0319", "0320", "032d", "032e",
        "0330", "0331", "0335", "0337", "0338", "0353", "0363", "03de", "0424", "042e", "0468", "046f", "047b",
        "0480", "0503", "0512", "0523", "056b", "057d", "057f", "0618", "0771", "0772", "0783", "033a", "1228",
        "1701", "1716", "2309", "2311", "2608", "2708", "5401", "56ad", "ad46", "ad49", "ad51", "ad72", "ad73",
        "ad80", "adaf",
    )
)  # fmt: skip
_SAMSUNG_REVERSED = ("0572", "0694", "06b9", "0833", "0835", "0978", "09c6", "09c7", "0b66", "0bc9", "0c7b", "0ca3",
                     "0ca5", "0d1a", "0e0f", "0e1e")  # fmt: skip
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def _serials(parsed: dict[str, Any]) -> tuple[str | None, str | None]:
    """(serial, altserial) as GLPI::Agent::Tools::Screen and its per-maker subclasses compute them."""
    number = parsed["serial_number"]
    texts = parsed.get("serial_number2")
    text = texts[0] if texts and texts[0] not in ("", "0") else None  # Perl truth: "0" is no serial
    serial = text.split("\n", 1)[0] if text else f"{number:08x}"
    eisa = (parsed.get("EISA_ID") or "").lower()
    maker = parsed["manufacturer_name"]

    def acer_like() -> str | None:
        return f"{text[:8]}{number:08x}{text[8:12]}" if text else None

    def goldstar() -> str:
        found = str(number)
        if len(found) < 4:
            return "0"
        high, low = int(found[:-3]), found[-3:]
        if high / len(_ALPHABET) > len(_ALPHABET) - 1:
            return "0"
        return f"{_ALPHABET[high // len(_ALPHABET)]}{_ALPHABET[high % len(_ALPHABET)]}{low}"

    def samsung(order: range) -> str:
        return "".join(chr((number >> shift) % 256) for shift in order) + text if text else ""

    if maker == "ACR":
        matched = eisa[-4:] in _ACER_MODELS
        return (acer_like(), serial) if matched else (serial, acer_like())
    if maker == "GSM":
        matched = eisa.endswith("4b21")
        return (goldstar(), serial) if matched else (serial, goldstar())
    if maker == "SAM":
        if any(model in eisa for model in _SAMSUNG_REVERSED):
            return samsung(range(24, -1, -8)), serial
        if eisa.endswith("0e5a"):
            return samsung(range(0, 32, 8)), serial
        alternative = samsung(range(24, -1, -8))
        if eisa.endswith("0c18"):
            return str(number), alternative
        return serial, alternative
    if maker == "PHL":
        decimal = f"{number:06d}"
        alternative = None if serial.endswith(decimal) else decimal
        return (serial, alternative) if texts is not None else (alternative, serial)
    if maker == "ENC":
        return (serial if text else str(number)), None
    if maker == "BNQ" and texts is not None:
        prefix = number.to_bytes(4, "little").split(b"\0", 1)[0].decode("latin-1")
        fixed = f"{prefix}{serial}" if prefix.isalpha() and prefix.isupper() and prefix.isascii() else serial
        return fixed, (serial if fixed != serial else None)
    return serial, None


def _caption(parsed: dict[str, Any]) -> str | None:
    caption = parsed.get("monitor_name") or " ".join(parsed.get("monitor_text") or []) or ""
    if not caption.strip():
        return None
    cleaned = caption
    for index, char in enumerate(caption):
        if not " " <= char <= "~":
            cleaned = caption[:index]
            break
    return cleaned or None


def _printable(value: str | None) -> str | None:
    """GLPI Agent's getSanitizedString: control characters dropped."""
    if value is None:
        return None
    return "".join(c for c in value if c.isprintable() or c == " ") or None


def monitor(edid: bytes) -> dict[str, Any] | None:
    """A ``monitors`` record (wire keys) for an EDID, as GLPI Agent's Generic::Screen builds it; None if empty."""
    if not edid:
        return None
    record: dict[str, Any] = {"edid_base64": base64.encodebytes(edid).decode("ascii")}
    parsed = parse(edid)
    if parsed is None:
        return record
    if _check(parsed) and not (parsed.get("monitor_name") and parsed["week"] and parsed["year"]
                               and parsed["serial_number"]):  # fmt: skip
        return record
    serial, alternative = _serials(parsed)
    maker = parsed["manufacturer_name"]
    week, year = parsed["week"], parsed["year"]
    record.update(
        caption=_caption(parsed),
        description=str(year) if week == 255 else f"{week}/{year}",
        manufacturer="AG Neovo" if maker == "AIC" else (vendors().get(maker) or maker or None),
        serial=_printable(serial),
        alt_serial=None if alternative in (None, "", "0") else _printable(alternative),
    )
    return record
