"""The words of the web pages, in French (the default) and English.

Field and vocabulary labels (asset types, statuses...) come from ``server.i18n``, shared with the
CSV and PDF exports; this module holds what only the pages say.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from server import i18n
from server.core import catalogue
from server.renewal.reports import REASON_LABELS

from . import journal

try:  # the users are French local authorities' staff: times read in Paris time, summer or winter
    DISPLAY_ZONE: dt.tzinfo = ZoneInfo("Europe/Paris")
except ZoneInfoNotFoundError:  # a system without tzdata: UTC, still correct, just not local
    DISPLAY_ZONE = dt.UTC


def local_time(value: dt.datetime) -> dt.datetime:
    """A stored instant (UTC; naive when SQLite gives it back) in the users' time zone."""
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return aware.astimezone(DISPLAY_ZONE)


TEXT: dict[str, dict[str, str]] = catalogue.by_language("web")


class Words:
    """What templates call ``t``: ``t("results", count=3)``, ``t.field("serial")``, ``t.value(...)``."""

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in TEXT else "fr"

    def __call__(self, key: str, **values: Any) -> str:
        text = TEXT[self.lang].get(key, key)
        return text.format(**values) if values else text

    def field(self, name: str) -> str:
        return i18n.field_label(name, self.lang)

    def value(self, field: str, value: Any) -> str:
        return i18n.value_label(field, value, self.lang) if value is not None else TEXT[self.lang]["none"]

    def action(self, action: str) -> str:
        """An audit-chain action in words (``login`` → Connexion)."""
        return journal.action_label(action, self.lang)

    def channel(self, via: str) -> str:
        return journal.channel_label(via, self.lang)

    def change_field(self, field: str) -> str:
        """An asset-change row's field in words (``created`` → Création)."""
        return journal.change_field_label(field, self.lang)

    def change_value(self, field: str, value: str | None) -> str:
        return journal.change_value(field, value, self.lang)

    def reason(self, code: str) -> str:
        return REASON_LABELS[self.lang].get(code, code)

    def format(self, value: Any) -> str:
        """A value as the page shows it: instants in the users' time zone, ``02/12/2026 18:04``."""
        if value is None:
            return TEXT[self.lang]["none"]
        if isinstance(value, dt.datetime):
            value = local_time(value)
        return i18n.format_value(value, self.lang)

    def format_iso(self, text: str | None) -> str:
        """An instant stored as ISO text (the audit chain's ``at``)."""
        try:
            return self.format(dt.datetime.fromisoformat(text)) if text else TEXT[self.lang]["none"]
        except ValueError:
            return text or ""

    def integer(self, value: int | None) -> str:
        """A count with its thousands grouped: 12 345 (narrow no-break space) / 12,345."""
        if value is None:
            return TEXT[self.lang]["none"]
        return f"{value:,}".replace(",", "\u202f") if self.lang == "fr" else f"{value:,}"

    def number(self, value: Any) -> str:
        """A key value: integers as such, decimals with a French comma."""
        if value is None:
            return TEXT[self.lang]["none"]
        text = f"{value:f}".rstrip("0").rstrip(".") if "." in f"{value:f}" else f"{value:f}"
        return text.replace(".", ",") if self.lang == "fr" else text

    def amount(self, value: Any) -> str:
        if value is None:
            return TEXT[self.lang]["none"]
        return i18n.format_amount(Decimal(value) if isinstance(value, str) else value, self.lang) + " €"
