"""The end-of-life catalogue: release cycles of OS, hypervisors and firmware with their support dates.

Shipped as ``data/eol.json`` (built from endoflife.date by ``scripts/build_eol_catalogue.py``);
``mutuparc eol update FILE`` stores a newer file of the same shape in the database, which then
wins. Labels reported by agents and collectors are matched to a cycle by the rules of
``data/eol_rules.yaml``; the DSIT's own entries (``EolOverride``: Synology DSM, QNAP QTS, Sophos
SFOS, APC firmware...) are tried first.

The end of a release is not always the end of the product: a Windows 11 feature update or a
Debian release ends, and an in-place upgrade to a newer release of the same line fixes it;
Windows 10, Windows 7 or Server 2012 end with their product. ``data/upgrade_paths.yaml`` says
which cycles of a product an installed one can be upgraded to; ``Catalogue.upgrade_target``
finds the newest one still supported, and ``None`` means the product (or the last release this
line allows) has ended.
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

from server.core.clock import as_date
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
    undated_end: bool  # support ended, date unknown (the catalogue says eol: true)
    active_end: dt.date | None  # end of active support ("eoas")
    extended_end: dt.date | None  # paid extended support ("eoes")
    source: str  # catalogue | override

    def unsupported_by(self, day: dt.date) -> bool:
        """Whether security support has ended on ``day``."""
        return self.undated_end or (self.security_end is not None and self.security_end <= day)

    def cite(self) -> dict[str, Any]:
        """The catalogue entry an end-of-life decision used, as reports and the API show it."""
        return {
            "product": self.product,
            "cycle": self.cycle,
            "label": f"{self.title} {self.label}",
            "security_end": self.security_end,
            "source": self.source,
        }


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
                    release=as_date(entry.get("releaseDate")), security_end=as_date(eol), undated_end=eol is True,
                    active_end=as_date(entry.get("eoas")), extended_end=as_date(entry.get("eoes")), source="catalogue",
                )  # fmt: skip
        self._overrides = [(re.compile(o.pattern, re.IGNORECASE), o) for o in overrides or []]
        self._matches: dict[str, Cycle | None] = {}
        self._targets: dict[tuple[Cycle, dt.date], Cycle | None] = {}
        self._lines: dict[Cycle, list[Cycle]] = {}  # an assessment asks once per asset: scanning is 1 ms

    def cycles(self) -> list[Cycle]:
        return list(self._cycles.values())

    def upgrade_target(self, installed: Cycle, day: dt.date) -> Cycle | None:
        """The newest cycle of the same upgrade line still supported after ``day``, or None when
        the product (or this line) has ended: the fix is then new hardware, not an upgrade."""
        key = (installed, day)
        if key not in self._targets:
            self._targets[key] = self._upgrade_target(installed, day)
        return self._targets[key]

    def newest_supported(self, product: str, pattern: str, day: dt.date) -> Cycle | None:
        """The newest cycle of ``product`` whose name matches ``pattern`` still supported after ``day``."""
        wanted = re.compile(pattern, re.IGNORECASE)
        found = [c for (p, name), c in self._cycles.items() if p == product and wanted.fullmatch(name)
                 and not c.unsupported_by(day)]  # fmt: skip
        return max(found, key=lambda c: c.release or dt.date.min, default=None)

    def _upgrade_target(self, installed: Cycle, day: dt.date) -> Cycle | None:
        return next((c for c in self.upgrade_line(installed) if not c.unsupported_by(day)), None)

    def upgrade_line(self, installed: Cycle) -> list[Cycle]:
        """The newer cycles an installed one upgrades to in place, supported or not, newest first."""
        if installed not in self._lines:
            self._lines[installed] = self._upgrade_line(installed)
        return list(self._lines[installed])

    def _upgrade_line(self, installed: Cycle) -> list[Cycle]:
        path = upgrade_paths().get(installed.product)
        line = path.fullmatch(installed.cycle.lower()) if path else None
        if path is None or line is None:
            return []
        candidates = []
        for (product, name), cycle in self._cycles.items():
            other = path.fullmatch(name) if product == installed.product else None
            if other is None or other.groupdict() != line.groupdict() or cycle == installed:
                continue
            if installed.release and cycle.release and cycle.release <= installed.release:
                continue  # an upgrade goes forward
            candidates.append(cycle)
        return sorted(candidates, key=lambda c: c.release or dt.date.min, reverse=True)

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


@cache
def upgrade_paths() -> dict[str, re.Pattern[str]]:
    """Product -> the pattern of its cycles; an installed cycle upgrades in place to a newer one
    whose named groups are the same (Windows 11 Pro to Windows 11 Pro, not Windows 10 to 11)."""
    specs = yaml.safe_load((DATA / "upgrade_paths.yaml").read_text("utf-8")) or {}
    return {product: re.compile(pattern, re.IGNORECASE) for product, pattern in specs.items()}


def load(session: Session) -> Catalogue:
    latest = session.scalars(select(EolCatalogue).order_by(EolCatalogue.id.desc()).limit(1)).first()  # type: ignore[union-attr]
    overrides = list(session.scalars(select(EolOverride).order_by(EolOverride.id)))
    return Catalogue(latest.content if latest else shipped(), overrides)
