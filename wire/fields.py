"""Value converters between GLPI inventory JSON and Mutuparc records.

Agents send anything: numbers as strings, dates in local formats, NUL bytes in software names,
integers that overflow a database column. Each converter turns one raw value into a clean Python
value or ``None`` (dropped), never raises, and has an inverse used when an agent builds JSON.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from ._lazy import FrozenValue, LazyPattern

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

MAX_TEXT = 1024
MAX_LIST = 4096
INT64_MAX = 2**63 - 1
MIB = 1024 * 1024
MB = 1000 * 1000

_CONTROL_CHARS = LazyPattern(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_TRUE = {"1", "true", "yes", "on", "y", "oui"}
_FALSE = {"0", "false", "no", "off", "n", "non"}
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%Y/%m/%d", "%Y%m%d", "%m/%d/%Y", "%d.%m.%Y", "%d-%m-%Y")
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M")
_MAC_HEX = LazyPattern(r"[0-9a-f]{12}")


def text(value: Any) -> str | None:
    """A trimmed, printable, length-bounded string; numbers are formatted, other types dropped."""
    if type(value) is str and value.isprintable():  # the common case, checked in C
        return value.strip()[:MAX_TEXT] or None
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        value = str(value)
    elif isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    elif not isinstance(value, str):
        return None
    value = _CONTROL_CHARS.sub("", value).strip()
    # Lone surrogates cannot be stored by PostgreSQL (nor encoded as UTF-8).
    value = value.encode("utf-8", "replace").decode("utf-8")
    return value[:MAX_TEXT] or None


def integer(value: Any) -> int | None:
    """An int64, from an int, a finite float or a numeric string; anything else is dropped."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        value = int(value)
    elif isinstance(value, str):
        value = value.strip()
        try:
            value = int(value) if value.lstrip("+-").isdigit() else int(float(value))
        except (ValueError, OverflowError):
            return None
    elif not isinstance(value, int):
        return None
    return value if -INT64_MAX <= value <= INT64_MAX else None


def boolean(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value != 0
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
    return None


def _plausible(day: dt.date) -> bool:
    return 1970 <= day.year <= 2100


def date(value: Any) -> dt.date | None:
    """A calendar date from ISO, French (dd/mm/yyyy) and other common agent formats."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value if _plausible(value) else None
    raw = text(value)
    if raw is None:
        return None
    head = raw[:10] if len(raw) >= 10 and raw[4:5] == "-" else raw.split(" ", 1)[0]
    try:  # the common case (ISO), parsed in C
        day = dt.date.fromisoformat(head)
        return day if _plausible(day) else None
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            day = dt.datetime.strptime(head, fmt).date()
        except ValueError:
            continue
        return day if _plausible(day) else None
    return None


def datetime(value: Any) -> dt.datetime | None:
    """A naive datetime (as the agent reported it); a bare date becomes midnight."""
    if isinstance(value, dt.datetime):
        return value if _plausible(value) else None
    raw = text(value)
    if raw is None:
        return None
    candidate = raw.rstrip("Z")
    if len(candidate) > 19 and candidate[19] in "+-.":  # drop the offset or fraction
        candidate = candidate[:19]
    if len(candidate) == 19:
        try:  # the common case (ISO with a space or a T), parsed in C
            moment = dt.datetime.fromisoformat(candidate)
            return moment if _plausible(moment) else None
        except ValueError:
            pass
    for fmt in _DATETIME_FORMATS:
        try:
            moment = dt.datetime.strptime(candidate, fmt)
        except ValueError:
            continue
        return moment if _plausible(moment) else None
    day = date(raw)
    return dt.datetime.combine(day, dt.time()) if day else None


def number(value: Any) -> float | None:
    """A finite float (gauges: percentages, volts, minutes)."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = float(value.strip()) if isinstance(value, str) else float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def mac(value: Any) -> str | None:
    """A MAC address as ``aa:bb:cc:dd:ee:ff``, from any usual separator style."""
    raw = text(value)
    if raw is None:
        return None
    digits = re.sub(r"[^0-9a-fA-F]", "", raw).lower()
    if not _MAC_HEX.fullmatch(digits):
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def json_value(value: Any, depth: int = 0) -> Any:
    """A bounded copy of a JSON list/dict whose strings are cleaned like ``text``."""
    if depth > 8:
        return None
    if isinstance(value, dict):
        return {str(k)[:64]: json_value(v, depth + 1) for k, v in list(value.items())[:256]}
    if isinstance(value, list):
        return [json_value(v, depth + 1) for v in value[:MAX_LIST]]
    if isinstance(value, str):
        return text(value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    return None


def json_list(value: Any) -> list[Any] | None:
    return json_value(value) if isinstance(value, list) else None


def json_object(value: Any) -> dict[str, Any] | None:
    return json_value(value) if isinstance(value, dict) else None


def _scaled(factor: int) -> tuple[Callable[[Any], int | None], Callable[[int], int]]:
    def parse(value: Any) -> int | None:
        number = integer(value)
        if number is None or number < 0:
            return None
        scaled = number * factor
        return scaled if scaled <= INT64_MAX else None

    def build(value: int) -> int:
        return int(value // factor)

    return parse, build


def _iso(value: dt.date) -> str:
    return value.isoformat()


def _iso_seconds(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M:%S")


def _same(value: Any) -> Any:
    return value


class Kind(FrozenValue):
    """How one field is read from GLPI JSON (``parse``) and written back (``build``)."""

    __slots__ = ("build", "name", "parse")
    _fields = ("name", "parse", "build")
    name: str
    parse: Callable[[Any], Any]
    build: Callable[[Any], Any]

    def __init__(self, name: str, parse: Callable[[Any], Any], build: Callable[[Any], Any] = _same) -> None:
        self._set(name=name, parse=parse, build=build)


TEXT = Kind("text", text)
INT = Kind("integer", integer)
FLOAT = Kind("number", number)
BOOL = Kind("boolean", boolean)
DATE = Kind("date", date, _iso)
DATETIME = Kind("datetime", datetime, _iso_seconds)
MAC = Kind("mac", mac)
LIST = Kind("list", json_list)
OBJECT = Kind("object", json_object)
# GLPI sends a few integers as strings (networks.speed): read as int, write back as string.
INT_AS_TEXT = Kind("integer-as-text", integer, str)
# Sizes: drives in MiB, storages in decimal MB (what GLPI agents report); records hold bytes.
MIB_AS_BYTES = Kind("MiB", *_scaled(MIB))
MB_AS_BYTES = Kind("MB", *_scaled(MB))
