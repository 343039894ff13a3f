"""The closed list of value transforms a device profile may use.

Each transform takes the value read so far (bytes from octet strings, ints, dotted strings) and
returns the next one, or None when the value does not fit (it is then left out, and the
device's other values are kept). Profiles name them in YAML, e.g.
``transforms: [{regex: 'Version ([^,]+)'}, strip]``.
"""

from __future__ import annotations

import ast
import datetime as dt
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

Transform = Callable[[Any], Any]


def text(value: Any) -> str | None:
    """Octet string -> text (UTF-8, else Latin-1), control characters and padding removed."""
    if value is None:
        return None
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            value = value.decode("latin-1")
    value = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", str(value)).strip()
    return value or None


def _hex(value: Any) -> str | None:
    if isinstance(value, bytes):
        return value.hex() or None
    return None


def _mac(value: Any) -> str | None:
    """6 octets (or their hex / "aa:bb:..." text form) -> aa:bb:cc:dd:ee:ff; all-zero is no MAC."""
    if isinstance(value, bytes) and len(value) == 6:
        digits = value.hex()
    else:
        digits = re.sub(r"[^0-9a-fA-F]", "", text(value) or "").lower()
    if len(digits) != 12 or digits == "0" * 12:
        return None
    return ":".join(digits[i : i + 2] for i in range(0, 12, 2))


def _ip(value: Any) -> str | None:
    if isinstance(value, bytes) and len(value) == 4:
        return ".".join(str(b) for b in value)
    return text(value)


def _date_and_time(value: Any) -> dt.date | None:
    """SNMPv2-TC DateAndTime: 8 or 11 octets (year on two octets, month, day, ...)."""
    if not isinstance(value, bytes) or len(value) not in (8, 11):
        return None
    year = value[0] << 8 | value[1]
    try:
        return dt.date(year, value[2], value[3])
    except ValueError:
        return None


def _uptime(value: Any) -> str | None:
    """TimeTicks (1/100 s) -> GLPI's "482 days, 05:42:18.50"."""
    if not isinstance(value, int):
        return None
    seconds, hundredths = divmod(value, 100)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    return f"{days} days, {hours:02d}:{minutes:02d}:{seconds:02d}.{hundredths:02d}"


def _integer(value: Any) -> int | None:
    if isinstance(value, int):
        return value
    found = re.search(r"-?\d+", text(value) or "")
    return int(found.group()) if found else None


def _number(value: Any) -> float | None:
    if isinstance(value, int | float):
        return float(value)
    found = re.search(r"-?\d+(?:[.,]\d+)?", text(value) or "")
    return float(found.group().replace(",", ".")) if found else None


_SIZE_UNITS = {"b": 1, "kb": 10**3, "mb": 10**6, "gb": 10**9, "tb": 10**12, "pb": 10**15,
               "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40}  # fmt: skip


def _size(value: Any, *, binary: bool = False) -> int | None:
    """A size written as text ("3.58 TB", "512 GiB") -> bytes; ``binary`` reads "TB" as TiB."""
    match = re.search(r"([\d.,]+)\s*([KMGTP]?i?B)\b", text(value) or "", re.IGNORECASE)
    if not match:
        return None
    unit = match.group(2).lower()
    if binary and unit != "b" and "i" not in unit:
        unit = unit[0] + "ib"
    return int(float(match.group(1).replace(",", ".")) * _SIZE_UNITS[unit])


SIMPLE: dict[str, Transform] = {
    "text": text,
    "strip": lambda v: text(v),
    "hex": _hex,
    "mac": _mac,
    "ip": _ip,
    "date_and_time": _date_and_time,
    "uptime": _uptime,
    "integer": _integer,
    "number": _number,
    "size": _size,
    # QNAP and a few others print "7.28 TB" for 7.28 TiB (what `df -h` does)
    "size_binary": lambda v: _size(v, binary=True),
    "upper": lambda v: (text(v) or "").upper() or None,
    "lower": lambda v: (text(v) or "").lower() or None,
    "truthy": lambda v: None if v is None else v in (1, b"1", "1", True, b"true", "true"),
}


def _regex(pattern: str) -> Transform:
    compiled = re.compile(pattern)

    def apply(value: Any) -> str | None:
        match = compiled.search(text(value) or "")
        if not match:
            return None
        if compiled.groupindex:  # named groups: the first that matched, in the pattern's order
            found = next((match.group(name) for name in compiled.groupindex if match.group(name)), None)
        else:
            found = match.group(1) if compiled.groups else match.group(0)
        return (found or "").strip() or None

    return apply


def _date(fmt: str) -> Transform:
    def apply(value: Any) -> dt.date | None:
        raw = text(value)
        if not raw:
            return None
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            return None

    return apply


def _map(table: Mapping[Any, Any]) -> Transform:
    keys = {str(k): v for k, v in table.items()}
    return lambda value: keys.get(str(value if not isinstance(value, bytes) else text(value)))


def _scale(factor: float) -> Transform:
    def apply(value: Any) -> int | float | None:
        number = _number(value) if not isinstance(value, int) else value
        if number is None:
            return None
        result = number * factor
        return int(result) if float(result).is_integer() else result

    return apply


def _replace(pair: list[str]) -> Transform:
    old, new = pair
    return lambda value: (text(value) or "").replace(old, new).strip() or None


def _template(pattern: str) -> Transform:
    return lambda value: pattern.format(value=text(value)) if text(value) else None


PARAMETRIC: dict[str, Callable[[Any], Transform]] = {
    "regex": _regex,
    "date": _date,
    "map": _map,
    "multiply": _scale,
    "divide": lambda d: _scale(1 / d),
    "template": _template,
    "replace": _replace,
}
NAMES = sorted([*SIMPLE, *PARAMETRIC])


def compile_transforms(specs: list[Any] | None, where: str) -> list[Transform]:
    """Transforms from their YAML spelling; an unknown name is a profile error naming ``where``."""
    from collector.errors import ConfigError

    compiled = []
    for spec in specs or []:
        if isinstance(spec, str) and spec in SIMPLE:
            compiled.append(SIMPLE[spec])
        elif isinstance(spec, dict) and len(spec) == 1 and next(iter(spec)) in PARAMETRIC:
            name, argument = next(iter(spec.items()))
            try:
                compiled.append(PARAMETRIC[name](argument))
            except (re.error, TypeError, ValueError, ZeroDivisionError) as exc:
                raise ConfigError(f"{where}: transform {name}: {exc}") from None
        else:
            raise ConfigError(f"{where}: unknown transform {spec!r} (known: {', '.join(NAMES)})")
    return compiled


def apply(transforms: list[Transform], value: Any, *, as_text: bool = True) -> Any:
    for transform in transforms:
        if value is None:
            return None
        value = transform(value)
    if as_text and isinstance(value, bytes):
        return text(value)
    return value


# Column expressions ("(size - used) * units"): arithmetic on other columns of the same row, nothing else.
_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
              ast.FloorDiv: operator.floordiv}  # fmt: skip


def compile_expression(source: str, where: str) -> tuple[Callable[[Mapping[str, Any]], Any], set[str]]:
    from collector.errors import ConfigError

    try:
        tree = ast.parse(source, mode="eval").body
    except SyntaxError:
        raise ConfigError(f"{where}: invalid expression {source!r}") from None
    names: set[str] = set()

    def check(node: ast.AST) -> None:
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            check(node.left)
            check(node.right)
        elif isinstance(node, ast.Name):
            names.add(node.id)
        elif not (isinstance(node, ast.Constant) and isinstance(node.value, int | float)):
            raise ConfigError(f"{where}: only + - * / on columns and numbers are allowed in {source!r}")

    check(tree)

    def evaluate(row: Mapping[str, Any], node: ast.AST = tree) -> Any:
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            value = row.get(node.id)
            return value if isinstance(value, int | float) else None
        left, right = evaluate(row, node.left), evaluate(row, node.right)  # type: ignore[attr-defined]
        if left is None or right is None:
            return None
        try:
            result = _OPERATORS[type(node.op)](left, right)  # type: ignore[attr-defined]
        except ZeroDivisionError:
            return None
        return int(result) if isinstance(result, float) and result.is_integer() else result

    return evaluate, names
