"""The allocation pages' own words, French and English (kept here, beside the code they label)."""

from __future__ import annotations

from server.core import catalogue

LABELS: dict[str, dict[str, str]] = catalogue.by_language("allocation")


def words(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["fr"])
