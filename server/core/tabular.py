"""Reading and writing the CSV files people exchange with LibreOffice or Excel in France.

Any of ``;`` ``,`` or tab as separator, UTF-8 (with or without BOM) or Windows-1252, amounts
written ``1 234,56 €`` or ``1234.56``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import DomainError

# A cell a spreadsheet would read as a formula (OWASP "CSV injection"): an agent-supplied host
# name ``=HYPERLINK(...)`` must stay text. Numbers written as text ("-12,50") are not formulas.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_CHARS = frozenset(_FORMULA_START)
_PLAIN_NUMBER = re.compile(r"[+-]?[\d\s\u00a0\u202f]*[.,]?\d+\s*(?:€|%)?")


def neutralise(value: Any) -> Any:
    """``value``, or for text a spreadsheet would evaluate, the same text behind a quote."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class Semicolon(csv.excel):
    delimiter = ";"


def decode_text(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def parse_decimal(text: str) -> Decimal:
    """``1 234,56 €``, ``1234.56``, ``80,05 %`` -> Decimal; ValueError when it is not a number."""
    cleaned = re.sub(r"[\s\u00a0\u202f€%]", "", text)
    if "," in cleaned:
        cleaned = cleaned.replace(".", "").replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"nombre illisible {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"nombre illisible {text!r}")
    return value


def read_rows(data: bytes) -> tuple[list[str], list[list[str]]]:
    """(header, rows) of a CSV file; the separator is sniffed. An empty file is an error."""
    text = decode_text(data)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], delimiters=";,\t")
    except csv.Error:
        dialect = Semicolon
    reader = csv.reader(io.StringIO(text, newline=""), dialect)  # newline="": csv reads \r itself
    try:
        header = next(reader, None)
        if header is None:
            raise DomainError("the file is empty")
        return header, list(reader)
    except csv.Error as exc:
        raise DomainError(f"the file is not a readable CSV (line {reader.line_num}): {exc}") from None


def write_rows(rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV file as LibreOffice and Excel open it in a French locale: UTF-8 with a BOM, ``;``, CRLF."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(
        [("'" + v if v[:1] in _FORMULA_CHARS and not _PLAIN_NUMBER.fullmatch(v) else v) if isinstance(v, str) else v
         for v in row] for row in rows)  # ``neutralise`` inline: a call per cell was a third of the time  # fmt: skip
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
