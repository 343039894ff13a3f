"""Obsolescence of each asset, for a budget date: its age, its renewal due date, and the reasons to act.

The budget date is when the renewal plan is made (default: the October call for contributions);
year N is the budget date's year and the plan is for N+1. Reasons, most serious first:

- ``overdue``: the renewal cycle ended before N+1;
- ``os_eol`` / ``firmware_eol``: security support of its OS or firmware ended or ends by the end
  of N+1 (Windows 10 22H2 after 14 October 2025 is the canonical case);
- ``model_eos``: the manufacturer stops supporting the model by the end of N+1;
- ``battery_due``: a UPS battery reaches its own cycle (default 4 years) by the end of N+1;
- ``renew_next_year``: the renewal cycle ends during N+1;
- ``warranty_expired``: the warranty ended before the budget date;
- ``not_seen``: no agent or collector reported it within the staleness window.

The age comes from the commissioning date, else the purchase date ("known"), else the BIOS date
or the first inventory ("estimated"): the report says which.

Only what a member uses is assessed: assets with a member, in service or in repair, and not
consumables. The rest (quarantine, consumables, in stock, retired, donated...) is counted by
``Assessor.exclusions`` so that reports show what was left out and why.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from operator import itemgetter
from typing import Any, NamedTuple

import yaml
from sqlalchemy import Select, String, and_, case, func, select, type_coerce
from sqlmodel import Session

import device_profiles
from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset
from server.assets.vocab import COMPLEX_TYPES, AssetSource, AssetType, Category, LifecycleStatus
from server.core.clock import utcnow

from .catalogue import Catalogue, Cycle
from .models import ModelSupport, RenewalPolicy, SupportExtension
from .readiness import Readiness, architecture_facts, architectures, windows11

DEFAULT_CYCLE_YEARS = 7
DEFAULT_BATTERY_YEARS = 4
REASONS = ("overdue", "os_eol", "firmware_eol", "model_eos", "battery_due", "renew_next_year", "warranty_expired",
           "not_seen")  # fmt: skip
RENEWAL_REASONS = frozenset({"overdue", "os_eol", "firmware_eol", "model_eos", "battery_due", "renew_next_year"})
ASSESSED = (LifecycleStatus.IN_SERVICE, LifecycleStatus.IN_REPAIR)
# Why an asset is out of the plan, the forecast and the indicators (the first that applies).
QUARANTINE, CONSUMABLE = "quarantine", "consumable"
WINDOWS_10 = re.compile(r"10-\d\d[h\d]\d(-[we])?")  # feature updates, not the LTSC editions
# Plain strings: assessed rows carry the vocabulary as text (an Enum member does not hash like its value).
FIRMWARE_TYPES = frozenset(t.value for t in COMPLEX_TYPES) - {"server", "hypervisor", "vm"}


def default_budget_date(today: dt.date | None = None) -> dt.date:
    """1 October of this year: the call for contributions the renewal plan is budgeted in."""
    today = today or dt.date.today()
    return dt.date(today.year, 10, 1)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(slots=True)
class Assessment:
    asset_id: int
    member_id: int | None
    site_id: int | None
    name: str | None
    asset_type: str
    category: str
    manufacturer: str | None
    model: str | None
    os_label: str | None
    reference_date: dt.date | None
    date_basis: str | None  # commissioning | purchase | bios | first_seen
    cycle_years: int
    due_date: dt.date | None
    age_years: float | None
    eol: Cycle | None = None
    upgrade_to: Cycle | None = None  # the supported release an ended OS/firmware upgrades to in place
    model_end_of_support: dt.date | None = None
    battery_date: dt.date | None = None
    battery_due: dt.date | None = None
    # Windows 10 -> 11, a Linux release on this architecture, a firmware train on this model (None:
    # not a question for this asset)
    readiness: Readiness | None = None
    extension: SupportExtension | None = None  # the DSIT's extended support, when it outlasts the budget date
    reasons: list[str] = field(default_factory=list)

    @property
    def estimated(self) -> bool:
        return self.date_basis in ("bios", "first_seen")

    @property
    def status(self) -> str:
        return self.reasons[0] if self.reasons else "ok"

    @property
    def to_renew(self) -> bool:
        return any(r in RENEWAL_REASONS for r in self.reasons)


class AssessedRow(NamedTuple):
    """What the assessment reads of an asset, column by column (``Assessor._columns``). The rows
    themselves are the driver's plain tuples in this order (``Assessor._rows``), not ORM objects nor
    SQLAlchemy rows: on 100,000 assets, loading ORM objects costs seconds, a SQLAlchemy row and
    its result processing more than the query."""

    id: int
    member_id: int | None
    site_id: int | None
    name: str | None
    asset_type: str
    category: str
    manufacturer: str | None
    model: str | None
    os_label: str | None
    commissioning_date: dt.date | None
    purchase_date: dt.date | None
    warranty_end: dt.date | None
    first_seen: dt.datetime | None  # only read when neither commissioning nor purchase date is known
    stale: bool
    bios_date: dt.date | None
    battery_date: dt.date | None  # the oldest battery's manufacture (or replacement) date


class Policies:
    """Renewal cycles: the most specific rule wins (type+category+member ... down to the default)."""

    def __init__(self, rows: list[RenewalPolicy], default: int = DEFAULT_CYCLE_YEARS) -> None:
        self._rules = {(r.asset_type, r.category, r.member_id): r.years for r in rows}
        self._found: dict[tuple[str, str, int | None], int] = {}
        self.default = default

    def years(self, asset_type: str, category: str, member_id: int | None) -> int:
        key = (asset_type, category, member_id)
        if key not in self._found:
            self._found[key] = self._years(asset_type, category, member_id)
        return self._found[key]

    def _years(self, asset_type: str, category: str, member_id: int | None) -> int:
        for member in (member_id, None) if member_id is not None else (None,):
            for key in ((asset_type, category), (asset_type, None), (None, category), (None, None)):
                found = self._rules.get((*key, member))
                if found is not None:
                    return found
        return self.default

    def battery_years(self) -> int:
        return self._rules.get(("ups_battery", None, None), DEFAULT_BATTERY_YEARS)


class ModelTable:
    def __init__(self, rows: list[ModelSupport]) -> None:
        self._rules = [(r.manufacturer.lower() if r.manufacturer else None, re.compile(r.model_pattern, re.IGNORECASE),
                        r) for r in rows]  # fmt: skip
        self._found: dict[tuple[str | None, str], ModelSupport | None] = {}

    def find(self, manufacturer: str | None, model: str | None) -> ModelSupport | None:
        if not model:
            return None
        if (manufacturer, model) not in self._found:
            self._found[(manufacturer, model)] = self._find(manufacturer, model)
        return self._found[(manufacturer, model)]

    def _find(self, manufacturer: str | None, model: str) -> ModelSupport | None:
        maker = (manufacturer or "").lower()
        for wanted, pattern, row in self._rules:
            if (wanted is None or wanted in maker) and pattern.search(model):
                return row
        return None


@cache
def _shipped_model_specs() -> tuple[dict[str, Any], ...]:
    return tuple(yaml.safe_load(device_profiles.MODELS.read_text("utf-8")) or [])


def shipped_models() -> list[ModelSupport]:
    """The end-of-support dates shipped with the device profiles."""
    return [ModelSupport(**spec) for spec in _shipped_model_specs()]


class Assessor:
    def __init__(self, session: Session, catalogue: Catalogue, *, budget_date: dt.date, stale_days: int,
                 now: dt.datetime | None = None) -> None:  # fmt: skip
        self.session = session
        self.catalogue = catalogue
        self.budget_date = budget_date
        self.plan_year = budget_date.year + 1
        self.horizon = dt.date(self.plan_year, 12, 31)  # "passing in N+1"
        self.stale_before = (now or utcnow()) - dt.timedelta(days=stale_days)
        self.policies = Policies(list(session.scalars(select(RenewalPolicy))))
        own = list(session.scalars(select(ModelSupport).order_by(ModelSupport.id)))
        self.models = ModelTable(own + shipped_models())  # the DSIT's entries first
        self.extensions = {e.asset_id: e for e in session.scalars(
            select(SupportExtension).where(SupportExtension.end_date > budget_date))}  # fmt: skip
        self._arches_of: dict[Cycle, frozenset[str]] = {}

    def assess(self, *, member_id: int | None = None, member_ids: set[int] | None = None,
               asset_id: int | None = None) -> list[Assessment]:  # fmt: skip
        """Every asset of a member in service or in repair, consumables aside (of one member, of the
        members given, or one asset)."""
        statement = self._columns().where(Asset.merged_into_id.is_(None), Asset.member_id.is_not(None),
                                          Asset.lifecycle_status.in_(ASSESSED),
                                          Asset.category != Category.CONSUMABLE)  # fmt: skip
        if asset_id is not None:
            statement = statement.where(Asset.id == asset_id)
        statement = _members(statement, member_id, member_ids)
        with bulk():
            items = self._assessed(self._rows(statement))
            self._windows11(items)
            self._linux(items)
            self._firmware(items)
        return items

    def _linux(self, items: list[Assessment]) -> None:
        """A Linux release at its end: the newest supported release of its line that runs on the
        PC's architecture (``data/architectures.yaml``); none: replace, saying which release was
        the last on it; architecture unknown while the next releases dropped some: to check."""
        known = architectures()
        asking = [i for i in items if "os_eol" in i.reasons and i.eol is not None and i.eol.product in known.products
                  and i.upgrade_to is not None]  # fmt: skip
        if not asking:
            return
        facts = architecture_facts(self.session.connection(), [i.asset_id for i in asking])
        verdicts: dict[tuple[Cycle, str | None], tuple[Readiness, Cycle | None] | None] = {}
        for item in asking:
            assert item.eol is not None
            key = (item.eol, facts.get(item.asset_id))
            if key not in verdicts:
                verdicts[key] = self._linux_verdict(*key)
            verdict = verdicts[key]
            if verdict is None:
                continue  # every architecture of this release runs the next one: no question
            found, item.upgrade_to = verdict
            item.readiness = Readiness(list(found.passed), list(found.failing), list(found.missing), dict(found.detail))

    def _linux_verdict(self, eol: Cycle, arch: str | None) -> tuple[Readiness, Cycle | None] | None:
        """What a release at its end on this architecture (None: unknown) upgrades to, and why."""
        line = self.catalogue.upgrade_line(eol)
        supported = [c for c in line if not c.unsupported_by(self.horizon)]
        found = Readiness()
        if arch is not None:
            target = next((c for c in supported if arch in self._arches(c)), None)
            found.detail["architecture"] = arch
            if target is not None:
                found.passed.append("architecture")
            else:
                found.failing.append("architecture")
                last = next((c for c in [*line, eol] if arch in self._arches(c)), None)
                found.detail["last_release"] = None if last is None else last.cite()
            return found, target
        dropped = self._arches(eol) - self._arches(supported[0])
        if not dropped:
            return None
        found.missing.append("architecture")
        found.detail["dropped"] = sorted(dropped)
        return found, None

    def _arches(self, cycle: Cycle) -> frozenset[str]:
        """The architectures a release supports: its own entry, else the nearest earlier one's."""
        if cycle not in self._arches_of:
            self._arches_of[cycle] = self._find_arches(cycle)
        return self._arches_of[cycle]

    def _find_arches(self, cycle: Cycle) -> frozenset[str]:
        table = architectures().products.get(cycle.product, {})
        if cycle.cycle.lower() in table:
            return table[cycle.cycle.lower()]
        earlier = [(found.release, arches) for name, arches in table.items()
                   if (found := self.catalogue.cycle(cycle.product, name)) is not None and found.release
                   and cycle.release and found.release <= cycle.release]  # fmt: skip
        return max(earlier, key=lambda pair: pair[0])[1] if earlier else frozenset()

    def _firmware(self, items: list[Assessment]) -> None:
        """A firmware train at its end: whether the model still takes a maintained one is the model
        end-of-support table's answer (after the plan year: update; by then: replace; not in the
        table: to check)."""
        for item in items:
            if "firmware_eol" not in item.reasons:
                continue
            end = item.model_end_of_support
            found = Readiness(detail={"model_end_of_support": end})
            {True: found.passed, False: found.failing, None: found.missing}[
                None if end is None else end > self.horizon].append("model_support")  # fmt: skip
            item.readiness = found

    def _windows11(self, items: list[Assessment]) -> None:
        """Windows 10 PCs at end of support: an upgrade to Windows 11 where the hardware takes it."""
        asking = [i for i in items if "os_eol" in i.reasons and i.eol is not None and i.eol.product == "windows"
                  and WINDOWS_10.fullmatch(i.eol.cycle)]  # fmt: skip
        if not asking:
            return
        found = windows11(self.session.connection(), [i.asset_id for i in asking])
        for item in asking:
            item.readiness = found[item.asset_id]
            if item.readiness.ready:
                edition = "e" if re.search(r"Enterprise|Entreprise|Education", item.os_label or "", re.I) else "w"
                item.upgrade_to = self.catalogue.newest_supported("windows", rf"11-\d\dh\d-{edition}", self.horizon)

    def exclusions(self, *, member_id: int | None = None, member_ids: set[int] | None = None) -> dict[str, int]:
        """What ``assess`` leaves out, counted by why: ``quarantine`` (no member, only counted when
        every member is asked for), ``consumable``, then the lifecycle status (``in_stock``, ``retired``...)."""
        statement = select(Asset.member_id.is_(None), type_coerce(Asset.category, String),
                           type_coerce(Asset.lifecycle_status, String), func.count()).where(
            Asset.merged_into_id.is_(None))  # fmt: skip
        statement = _members(statement, member_id, member_ids)
        counts: dict[str, int] = defaultdict(int)
        in_plan = {status.value for status in ASSESSED}
        for unassigned, category, status, number in self.session.execute(statement.group_by(
                Asset.member_id.is_(None), Asset.category, Asset.lifecycle_status)):  # fmt: skip
            if unassigned:
                counts[QUARANTINE] += number
            elif category == Category.CONSUMABLE.value:
                counts[CONSUMABLE] += number
            elif status not in in_plan:
                counts[status] += number
        return dict(counts)

    def _columns(self) -> Select[Any]:
        """The columns of ``AssessedRow``: vocabulary as plain text, staleness decided by the database."""
        undated = and_(Asset.commissioning_date.is_(None), Asset.purchase_date.is_(None))
        stale = and_(Asset.source != AssetSource.MANUAL, Asset.last_seen < self.stale_before)
        bios, batteries = COMPONENT_TABLES["bios"], COMPONENT_TABLES["batteries"]  # one BIOS record per asset
        battery = (select(batteries.c.asset_id, func.min(batteries.c.manufacture_date).label("day"))
                   .group_by(batteries.c.asset_id).subquery())  # fmt: skip
        return select(
            Asset.id, Asset.member_id, Asset.site_id, Asset.name, type_coerce(Asset.asset_type, String),
            type_coerce(Asset.category, String), Asset.manufacturer, Asset.model, Asset.os_label,
            Asset.commissioning_date, Asset.purchase_date, Asset.warranty_end,
            case((undated, Asset.first_seen), else_=None).label("first_seen"),
            case((stale, True), else_=False).label("stale"), bios.c.bios_date, battery.c.day,
        ).outerjoin(bios, bios.c.asset_id == Asset.id).outerjoin(battery, battery.c.asset_id == Asset.id)  # fmt: skip

    def _rows(self, statement: Select[Any]) -> list[tuple[Any, ...]]:
        """The columns of ``AssessedRow`` as the driver's own tuples, in (member, id) order.

        Fetched from the DBAPI cursor: a SQLAlchemy row per asset and its result processing cost
        more than the query (SQLite's dates stay ISO text: ``_assessed`` reads them); the rows are
        sorted here, not by the database (PostgreSQL sorted them on disk)."""
        connection = self.session.connection()
        result = connection.execute(statement)
        try:
            rows = result.cursor.fetchall()  # type: ignore[attr-defined]
        finally:
            result.close()
        rows.sort(key=itemgetter(0))  # ids come nearly sorted: a pass, then the stable sort by member
        rows.sort(key=itemgetter(1))
        return rows

    def _assessed(self, rows: list[tuple[Any, ...]]) -> list[Assessment]:
        """An ``Assessment`` per row. What assets share is computed once: the cycle per (type,
        category, member), the due date and age per (reference date, cycle), the OS or firmware
        verdict per (label, type), the model's end of support per (manufacturer, model)."""
        budget_date, horizon = self.budget_date, self.horizon
        years_of, extensions = self.policies.years, self.extensions
        battery_years = self.policies.battery_years()
        cycles: dict[tuple[str, str, int | None], int] = {}
        dated: dict[tuple[Any, int], tuple[dt.date | None, dt.date | None, float | None, str | None]] = {}
        systems: dict[tuple[str | None, str], tuple[Cycle | None, str | None, Cycle | None]] = {}
        models: dict[tuple[str | None, str | None], tuple[dt.date | None, bool]] = {}
        days = _Days()  # SQLite: ISO text -> date, once per distinct text
        text_dates = self.session.connection().dialect.name == "sqlite"
        items = []
        append = items.append
        for (asset_id, member_id, site_id, name, asset_type, category, manufacturer, model, os_label, commissioning,
             purchase, warranty_end, first_seen, stale, bios_date, battery_date) in rows:  # fmt: skip
            if commissioning:
                reference, basis = commissioning, "commissioning"
            elif purchase:
                reference, basis = purchase, "purchase"
            elif bios_date and (text_dates or isinstance(bios_date, dt.date)):
                reference, basis = bios_date, "bios"
            elif first_seen:
                reference, basis = first_seen if text_dates else first_seen.date(), "first_seen"
            else:
                reference, basis = None, None
            years = cycles.get((asset_type, category, member_id))
            if years is None:
                years = cycles[(asset_type, category, member_id)] = years_of(asset_type, category, member_id)
            found = dated.get((reference, years))
            if found is None:
                found = dated[(reference, years)] = self._dated(days[reference] if text_dates else reference, years)
            reference, due, age, due_reason = found
            system = systems.get((os_label, asset_type))
            if system is None:
                system = systems[(os_label, asset_type)] = self._system(os_label, asset_type)
            eol, os_reason, upgrade_to = system
            support = models.get((manufacturer, model))
            if support is None:
                support = models[(manufacturer, model)] = self._support(manufacturer, model)
            model_end, model_eos = support
            reasons = []
            if due_reason == "overdue":
                reasons.append("overdue")
            if os_reason is not None:
                reasons.append(os_reason)
            if model_eos:
                reasons.append("model_eos")
            battery_due = None
            if battery_date is not None and asset_type == AssetType.UPS:
                battery_date = days[battery_date] if text_dates else battery_date
                battery_due = add_years(battery_date, battery_years)
                if battery_due <= horizon:
                    reasons.append("battery_due")
            else:
                battery_date = None
            if due_reason == "renew_next_year":
                reasons.append("renew_next_year")
            if warranty_end is not None and (days[warranty_end] if text_dates else warranty_end) < budget_date:
                reasons.append("warranty_expired")
            if stale:
                reasons.append("not_seen")
            append(Assessment(asset_id, member_id, site_id, name, asset_type, category, manufacturer, model, os_label,
                              reference, basis, years, due, age, eol, upgrade_to, model_end, battery_date,
                              battery_due, None, extensions.get(asset_id) if extensions else None,
                              reasons))  # fmt: skip
        return items

    def _dated(self, reference: dt.date | None, years: int) -> tuple[
            dt.date | None, dt.date | None, float | None, str | None]:  # fmt: skip
        """The reference date, the due date, the age on the budget date (0: seen after it) and the
        cycle's reason, if any."""
        if reference is None:
            return None, None, None, None
        due = add_years(reference, years)
        age = round(max(0, (self.budget_date - reference).days) / 365.25, 2)
        reason = "overdue" if due.year < self.plan_year else "renew_next_year" if due.year == self.plan_year else None
        return reference, due, age, reason

    def _system(self, os_label: str | None, asset_type: str) -> tuple[Cycle | None, str | None, Cycle | None]:
        """The OS or firmware release, its reason when support ends by the horizon, its upgrade."""
        eol = self.catalogue.match(os_label)
        if eol is None or not eol.unsupported_by(self.horizon):
            return eol, None, None
        reason = "firmware_eol" if asset_type in FIRMWARE_TYPES else "os_eol"
        return eol, reason, self.catalogue.upgrade_target(eol, self.horizon)

    def _support(self, manufacturer: str | None, model: str | None) -> tuple[dt.date | None, bool]:
        support = self.models.find(manufacturer, model)
        end = None if support is None else support.end_of_support
        return end, end is not None and end <= self.horizon


def _members(statement: Select[Any], member_id: int | None, member_ids: set[int] | None) -> Select[Any]:
    if member_id is not None:
        return statement.where(Asset.member_id == member_id)
    if member_ids is not None:
        return statement.where(Asset.member_id.in_(member_ids))
    return statement


@contextmanager
def bulk() -> Iterator[None]:
    """The garbage collector paused while a hundred thousand objects are made that all stay alive
    (its passes over them were a third of the assessment's time); it runs again after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Days(dict[Any, Any]):
    """ISO text (a date, or a datetime whose day is taken) -> a date; anything else as it is."""

    def __missing__(self, key: Any) -> Any:
        found = key
        if isinstance(key, str):
            try:
                found = dt.date.fromisoformat(key[:10])
            except ValueError:
                found = None
        self[key] = found
        return found


def summary(assessments: list[Assessment]) -> dict[str, Any]:
    """Counts per status, for dashboards."""
    counts: dict[str, int] = defaultdict(int)
    for item in assessments:
        counts[item.status] += 1
    return dict(counts)
