"""The end-of-life catalogue: release cycles of OS, hypervisors and firmware with their support dates.

Shipped as ``data/eol.json`` (built from endoflife.date by ``scripts/build_eol_catalogue.py``);
``mutuparc eol update FILE`` stores a newer file of the same shape in the database, which then
wins. Labels reported by agents and collectors are matched to a cycle by the rules of
``data/eol_rules.yaml``; the DSIT's own entries (``EolOverride``: Synology DSM, QNAP QTS, Sophos
SFOS, APC firmware...) are tried first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlmodel import Session

from server.core.errors import Invalid

from .models import EolCatalogue, EolOverride

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True, slots=True)
class Cycle:
    product: str
    title: str
    cycle: str
    label: str
    release: dt.date | None
    security_end: dt.date | None  # end of security support ("eol")
    ended: bool  # support ended, date unknown (the catalogue says eol: true)
    active_end: dt.date | None  # end of active support ("eoas")
    extended_end: dt.date | None  # paid extended support ("eoes")
    source: str  # catalogue | override

    def unsupported_by(self, day: dt.date) -> bool:
        """Whether security support has ended on ``day``."""
        return self.ended or (self.security_end is not None and self.security_end <= day)


def _date(value: Any) -> dt.date | None:
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def validate(data: Any) -> dict[str, Any]:
    """A catalogue dump must have the shipped file's shape; the error says where it does not."""
    if not isinstance(data, dict) or not isinstance(data.get("products"), dict):
        raise Invalid("a catalogue is a JSON object with a 'products' object")
    for name, product in data["products"].items():
        cycles = product.get("cycles") if isinstance(product, dict) else None
        if not isinstance(cycles, list) or not all(isinstance(c, dict) and c.get("cycle") for c in cycles):
            raise Invalid(f"product {name!r}: 'cycles' must be a list of objects with a 'cycle'")
    return data


@cache
def shipped() -> dict[str, Any]:
    return json.loads((DATA / "eol.json").read_text("utf-8"))


@dataclass(frozen=True)
class Rule:
    product: str
    pattern: re.Pattern[str]
    maps: dict[str, list[tuple[re.Pattern[str], str]]]
    cycles: tuple[str, ...]


@cache
def rules() -> tuple[Rule, ...]:
    found = []
    for spec in yaml.safe_load((DATA / "eol_rules.yaml").read_text("utf-8")):
        maps = {group: [(re.compile(p, re.IGNORECASE), r) for p, r in pairs]
                for group, pairs in (spec.get("map") or {}).items()}  # fmt: skip
        found.append(Rule(spec["product"], re.compile(spec["pattern"], re.IGNORECASE), maps, tuple(spec["cycles"])))
    return tuple(found)


class Catalogue:
    """The catalogue in force (the database's newest dump, else the shipped file) and the overrides."""

    def __init__(self, data: dict[str, Any], overrides: list[EolOverride] | None = None) -> None:
        self.built = data.get("built")
        self._cycles: dict[tuple[str, str], Cycle] = {}
        for name, product in data["products"].items():
            for entry in product["cycles"]:
                eol = entry.get("eol")
                self._cycles[(name, str(entry["cycle"]).lower())] = Cycle(
                    product=name, title=product.get("title") or name, cycle=str(entry["cycle"]),
                    label=str(entry.get("label") or entry["cycle"]).replace("__RELEASE_CYCLE__", str(entry["cycle"])),
                    release=_date(entry.get("releaseDate")), security_end=_date(eol), ended=eol is True,
                    active_end=_date(entry.get("eoas")), extended_end=_date(entry.get("eoes")), source="catalogue",
                )  # fmt: skip
        self._overrides = [(re.compile(o.pattern, re.IGNORECASE), o) for o in overrides or []]
        self._matches: dict[str, Cycle | None] = {}

    def __len__(self) -> int:
        return len(self._cycles)

    def cycle(self, product: str, cycle: str) -> Cycle | None:
        return self._cycles.get((product, cycle.lower()))

    def match(self, label: str | None) -> Cycle | None:
        """The release cycle an OS or firmware label belongs to, or None when nothing knows it."""
        if not label:
            return None
        if label not in self._matches:
            self._matches[label] = self._match(label)
        return self._matches[label]

    def _match(self, label: str) -> Cycle | None:
        for pattern, override in self._overrides:
            if pattern.search(label):
                return Cycle(override.product, override.product, override.cycle, override.label or override.cycle,
                             override.release_date, override.security_end, False, override.active_end, None,
                             "override")  # fmt: skip
        for rule in rules():
            found = rule.pattern.search(label)
            if not found:
                continue
            groups = {k: (v or "").lower() for k, v in found.groupdict().items()}
            for group, pairs in rule.maps.items():
                groups[group] = next((r for p, r in pairs if p.search(groups.get(group, ""))), groups.get(group, ""))
            for template in rule.cycles:
                try:
                    cycle = self.cycle(rule.product, template.format(**groups))
                except (KeyError, IndexError):
                    continue
                if cycle is not None:
                    return cycle
            return None  # the product is known, this cycle is not: no other rule should claim it
        return None


def load(session: Session) -> Catalogue:
    latest = session.scalars(select(EolCatalogue).order_by(EolCatalogue.id.desc()).limit(1)).first()  # type: ignore[union-attr]
    overrides = list(session.scalars(select(EolOverride).order_by(EolOverride.id)))
    return Catalogue(latest.content if latest else shipped(), overrides)
