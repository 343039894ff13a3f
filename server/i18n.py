"""French (default) and English labels for fields and vocabularies, used by exports and pages."""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal
from typing import Any

from server.core import catalogue

LANGUAGES = ("fr", "en")

FIELD_LABELS: dict[str, dict[str, str]] = catalogue.by_language("fields")

VALUE_LABELS: dict[str, dict[str, dict[str, str]]] = catalogue.grouped_by_language("values")


def fold(label: str) -> str:
    """Lower-case, without accents or punctuation: how headers and labels are compared on import."""
    decomposed = unicodedata.normalize("NFKD", label)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in plain).split())


def field_label(field: str, lang: str) -> str:
    return FIELD_LABELS.get(lang, FIELD_LABELS["fr"]).get(field, field)


def value_label(field: str, value: Any, lang: str) -> str:
    return VALUE_LABELS.get(lang, VALUE_LABELS["fr"]).get(field, {}).get(str(value), str(value))


def field_for_header(header: str) -> str | None:
    """The field a CSV header names, in either language or as the field's own name."""
    wanted = fold(header)
    for labels in FIELD_LABELS.values():
        for field, label in labels.items():
            if wanted in (fold(label), fold(field)):
                return field
    return None


def value_for_label(field: str, label: str) -> str | None:
    """A vocabulary value from its code or its label in either language."""
    wanted = fold(label)
    for labels in VALUE_LABELS.values():
        for value, text in labels.get(field, {}).items():
            if wanted in (fold(text), fold(value)):
                return value
    return None


def format_value(value: Any, lang: str) -> str:
    """A cell value as people of ``lang`` write it (French: 1 234,50 and 23/11/2026)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M" if lang == "fr" else "%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y") if lang == "fr" else value.isoformat()
    if isinstance(value, Decimal | float):
        text = f"{value:.2f}"
        return text.replace(".", ",") if lang == "fr" else text
    return str(value)


def format_amount(value: Decimal | float | int, lang: str) -> str:
    """An amount to read (not to re-import): 143 371,95 in French, 143,371.95 in English."""
    text = f"{value:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text
