"""Device pictures for the asset page: what a UPS, a NAS, a switch or a printer reported, as view
models the ``_device_*.html`` includes draw (gauges, bars, a port grid), each value also written
as text.

Pure functions from the stored sections (``server.assets.crud.components``) and the collectors'
last gauges (``asset_metric``) to dataclasses; ``latest_metrics`` and ``battery_cycle_years`` are
the only two that read the database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from server.assets.metrics import AssetMetric
from server.assets.section_labels import format_rate, format_size, iftype_label
from server.core import catalogue
from server.core.clock import as_date
from server.printing.recording import supply_kind, supply_level
from server.renewal.assess import DEFAULT_BATTERY_YEARS, Policies, add_years
from server.renewal.models import RenewalPolicy

Metrics = Mapping[tuple[str, str | None], float]  # (name, instance) -> the last value read

# Interfaces drawn as ports of a switch: Ethernet of every speed, Wi-Fi radios excepted.
PHYSICAL_IFTYPES = frozenset({6, 62, 117})
AGGREGATE_IFTYPE = 161  # IEEE 802.3ad link aggregation
LOW_PERCENT = 15  # a supply or a battery charge below this is drawn as low
WARN_PERCENT = 85  # a volume used beyond this is drawn as nearly full
POOL_TOTAL, POOL_USED = "nas.pool.total_bytes", "nas.pool.used_bytes"
# UPS-MIB upsBatteryStatus (and the vendors' copies): 1 unknown, 2 normal, 3 low, 4 depleted / fault.
BATTERY_STATUS = {1: "unknown", 2: "normal", 3: "low", 4: "depleted"}
# Disk health as NAS makers word it (Synology, QNAP, NetApp), folded to three states.
DISK_OK = frozenset({"normal", "good", "ok", "healthy", "initialized", "present"})
DISK_WARN = frozenset({"warning", "notinitialized", "degraded"})
DISK_WORDS = catalogue.by_language("device.disks")


def _decimal(value: float, lang: str, digits: int = 1) -> str:
    """12.5 -> 12,5 (fr) / 12.5 (en); whole numbers without decimals."""
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.{digits}f}"
    return text.replace(".", ",") if lang != "en" else text


def percent_text(value: float, lang: str) -> str:
    return f"{_decimal(value, lang)}\u202f%" if lang != "en" else f"{_decimal(value, lang)}%"


def duration_text(minutes: float, lang: str) -> str:
    """46 min, 1 h 05 min."""
    whole = round(minutes)
    if whole < 60:
        return f"{whole} min"
    return f"{whole // 60} h {whole % 60:02d} min"


def _clamp(value: float) -> float:
    return max(0.0, min(100.0, float(value)))


@dataclass(frozen=True, slots=True)
class Level:
    """A share drawn as a bar or a gauge, and written: ``percent`` 0-100, ``state`` ok/warn/low."""

    percent: float
    text: str
    state: str = "ok"


@dataclass(frozen=True, slots=True)
class UpsView:
    kind = "ups"
    charge: Level | None
    runtime: str | None
    load: Level | None
    battery_status: str | None  # normal, low, depleted, unknown
    replace_needed: bool
    battery_date: dt.date | None
    battery_age: Level | None  # the battery's age as a share of its cycle
    battery_age_years: str | None  # "3,7"
    cycle_years: int
    battery_due: dt.date | None
    temperature: str | None
    input_voltage: str | None
    output_voltage: str | None


@dataclass(frozen=True, slots=True)
class Volume:
    name: str
    total: str
    used: str
    free: str
    level: Level


@dataclass(frozen=True, slots=True)
class Disk:
    name: str
    model: str | None
    size: str | None
    state: str  # ok, warn, bad, unknown
    status: str  # the state in words
    temperature: str | None


@dataclass(frozen=True, slots=True)
class NasView:
    kind = "nas"
    volumes: list[Volume]
    pools: list[Volume]
    disks: list[Disk]
    temperature: str | None


@dataclass(frozen=True, slots=True)
class Neighbour:
    name: str | None
    port: str | None
    address: str | None
    mac: str | None


@dataclass(slots=True)
class Port:
    ifnumber: int
    anchor: str
    name: str
    alias: str | None
    up: bool
    speed: str | None
    kind: str | None  # Ethernet, Link aggregation...
    trunk: bool
    aggregate: bool  # a LAG itself
    member_of: str | None  # the LAG this port belongs to
    members: list[str] = field(default_factory=list)  # a LAG's ports
    macs: list[str] = field(default_factory=list)
    neighbours: list[Neighbour] = field(default_factory=list)

    @property
    def behind(self) -> int:
        """What stands behind the port: each neighbour, and each MAC that is no neighbour's."""
        known = {n.mac.lower() for n in self.neighbours if n.mac}
        return len(self.neighbours) + sum(1 for mac in self.macs if mac.lower() not in known)


@dataclass(frozen=True, slots=True)
class SwitchView:
    kind = "switch"
    ports: list[Port]  # physical ports, then aggregates
    up: int
    down: int

    @property
    def connected(self) -> list[Port]:
        """The ports something stands behind (what the list under the grid details)."""
        return [p for p in self.ports if p.behind or p.members]


@dataclass(frozen=True, slots=True)
class Supply:
    name: str
    kind: str
    level: Level | None  # None: the device gives a state, or nothing
    state: str | None  # "OK" where the device only knows that some remains


@dataclass(frozen=True, slots=True)
class PrinterView:
    kind = "printer"
    supplies: list[Supply]
    total_pages: int | None


DeviceView = UpsView | NasView | SwitchView | PrinterView


# -- reading the database --------------------------------------------------------------------


def latest_metrics(session: Session, asset_id: int) -> dict[tuple[str, str | None], float]:
    """The last value of each gauge (name, instance) the collectors read for the asset."""
    newest = (
        select(func.max(AssetMetric.id))
        .where(AssetMetric.asset_id == asset_id)
        .group_by(AssetMetric.name, AssetMetric.instance)
    )
    rows = session.execute(select(AssetMetric.name, AssetMetric.instance, AssetMetric.value)
                           .where(AssetMetric.id.in_(newest)))  # type: ignore[union-attr]  # fmt: skip
    return {(name, instance): value for name, instance, value in rows}


def battery_cycle_years(session: Session) -> int:
    """The UPS battery cycle the renewal plan uses (``ups_battery`` policy, 4 years by default)."""
    rows = session.scalars(select(RenewalPolicy).where(RenewalPolicy.asset_type == "ups_battery"))
    return Policies(list(rows)).battery_years()


# -- the pictures ------------------------------------------------------------------------------


def _records(components: Mapping[str, Any], name: str) -> list[dict[str, Any]]:
    found = components.get(name)
    if not found:
        return []
    return [dict(r) for r in (found if isinstance(found, list) else [found]) if r]


def ups_view(components: Mapping[str, Any], metrics: Metrics, lang: str, *, today: dt.date,
             cycle_years: int = DEFAULT_BATTERY_YEARS) -> UpsView | None:  # fmt: skip
    """Battery charge, runtime, load and the battery's age against its cycle; None when the UPS
    reported none of them."""
    charge, runtime, load, status = (metrics.get((f"ups.{name}", None)) for name in (
        "battery.charge_percent", "battery.runtime_minutes", "output.load_percent", "battery.status"))  # fmt: skip
    dates = [d for d in (as_date(b.get("manufacture_date")) for b in _records(components, "batteries")) if d]
    battery_date = min(dates) if dates else None
    age_days = (today - battery_date).days if battery_date else metrics.get(("ups.battery.age_days", None))
    if battery_date is None and age_days is not None:
        battery_date = today - dt.timedelta(days=int(age_days))
    if all(v is None for v in (charge, runtime, load, battery_date)):
        return None
    age = due = years = None
    if age_days is not None and battery_date is not None:
        age_years = max(age_days, 0) / 365.25
        years = _decimal(round(age_years, 1), lang)
        due = add_years(battery_date, cycle_years)
        share = age_years / cycle_years * 100 if cycle_years else 100.0
        age = Level(_clamp(share), percent_text(round(share), lang),
                    "low" if due <= today else "warn" if share >= 75 else "ok")  # fmt: skip
    temperature = metrics.get(("ups.battery.temperature_celsius", None))
    volts = {k: metrics.get((f"ups.{k}.voltage", None)) for k in ("input", "output")}
    charged = None if charge is None else Level(_clamp(charge), percent_text(charge, lang),
                                                "low" if charge < LOW_PERCENT else "ok")  # fmt: skip
    loaded = None if load is None else Level(_clamp(load), percent_text(load, lang),
                                             "low" if load >= 90 else "warn" if load >= 70 else "ok")  # fmt: skip
    return UpsView(
        charge=charged,
        runtime=None if runtime is None else duration_text(runtime, lang),
        load=loaded,
        battery_status=None if status is None else BATTERY_STATUS.get(int(status), "unknown"),
        replace_needed=bool(metrics.get(("ups.battery.replace_needed", None))),
        battery_date=battery_date,
        battery_age=age,
        battery_age_years=years,
        cycle_years=cycle_years,
        battery_due=due,
        temperature=None if temperature is None else f"{_decimal(temperature, lang)} °C",
        input_voltage=None if volts["input"] is None else f"{_decimal(volts['input'], lang)} V",
        output_voltage=None if volts["output"] is None else f"{_decimal(volts['output'], lang)} V",
    )


def _volume(name: str, total: float, used: float, lang: str) -> Volume:
    share = used / total * 100 if total else 0.0
    state = "low" if share >= 95 else "warn" if share >= WARN_PERCENT else "ok"
    level = Level(_clamp(share), percent_text(round(share, 1), lang), state)
    return Volume(name, format_size(int(total), lang), format_size(int(used), lang),
                  format_size(int(max(total - used, 0)), lang), level)  # fmt: skip


def disk_state(status: Any) -> str:
    """ok / warn / bad / unknown from the words a NAS uses for a disk's health."""
    if status in (None, ""):
        return "unknown"
    folded = str(status).strip().lower().replace(" ", "").replace("_", "")
    return "ok" if folded in DISK_OK else "warn" if folded in DISK_WARN else "bad"


def disk_status_text(status: Any, lang: str) -> str:
    if status in (None, ""):
        return "—"
    folded = str(status).strip().lower().replace(" ", "").replace("_", "")
    return DISK_WORDS["en" if lang == "en" else "fr"].get(folded, str(status))


def nas_view(components: Mapping[str, Any], metrics: Metrics, lang: str) -> NasView | None:
    """Each volume and storage pool used/free, and each disk with its state."""
    volumes = [_volume(str(v.get("label") or v.get("mount") or v.get("letter") or "?"), v["total_bytes"],
                       v["total_bytes"] - (v.get("free_bytes") or 0), lang)
               for v in _records(components, "drives") if isinstance(v.get("total_bytes"), int) and v["total_bytes"] > 0
               and isinstance(v.get("free_bytes"), int)]  # fmt: skip
    pools = [_volume(instance, total, metrics[(POOL_USED, instance)], lang)
             for (name, instance), total in sorted(metrics.items(), key=lambda i: str(i[0][1]))
             if name == POOL_TOTAL and instance and total and (POOL_USED, instance) in metrics]  # fmt: skip
    disks = []
    for disk in _records(components, "storages"):
        temperature = disk.get("temperature_c")
        size = disk.get("size_bytes")
        heat = f"{temperature} °C" if isinstance(temperature, int | float) else None
        disks.append(Disk(name=str(disk.get("name") or disk.get("model") or "?"),
                          model=(str(disk["model"]).strip() or None) if disk.get("model") else None,
                          size=format_size(size, lang) if isinstance(size, int) and size > 0 else None,
                          state=disk_state(disk.get("status")), status=disk_status_text(disk.get("status"), lang),
                          temperature=heat))  # fmt: skip
    if not (volumes or pools or disks):
        return None
    temperature = metrics.get(("nas.temperature_celsius", None))
    return NasView(volumes, pools, disks, None if temperature is None else f"{_decimal(temperature, lang)} °C")


def _neighbours(connections: Any) -> tuple[list[str], list[Neighbour]]:
    """A port's connections: MACs learnt behind it, and the devices that announced themselves
    there (LLDP/CDP: name, port, address)."""
    macs: list[str] = []
    found: list[Neighbour] = []
    for item in connections or []:
        if not isinstance(item, Mapping):
            continue
        name, port = item.get("sysname"), item.get("ifdescr") or item.get("port")
        address = item.get("ip") or item.get("address")
        if name or port or address:
            found.append(Neighbour(name, port, address, item.get("sysmac") or item.get("mac")))
        elif item.get("mac"):
            macs.append(str(item["mac"]))
    return macs, found


def switch_view(components: Mapping[str, Any], lang: str) -> SwitchView | None:
    """The front of the switch: every Ethernet port up or down with its speed, aggregates after
    them with their member ports, each port with what stands behind it."""
    rows = sorted(_records(components, "network_ports"), key=lambda p: p.get("ifnumber") or 0)
    names = {p.get("ifnumber"): str(p.get("name") or p.get("descr") or p.get("ifnumber")) for p in rows}
    member_of = {member: names.get(p.get("ifnumber")) for p in rows for member in (p.get("aggregate") or [])}
    ports: list[Port] = []
    aggregates: list[Port] = []
    for row in rows:
        iftype = row.get("iftype")
        is_aggregate = bool(row.get("aggregate")) or iftype == AGGREGATE_IFTYPE
        if not is_aggregate and iftype not in PHYSICAL_IFTYPES:
            continue  # VLAN interfaces, loopbacks, tunnels: not ports one plugs into
        up = row.get("oper_status") == 1
        speed = row.get("speed_bps")
        macs, neighbours = _neighbours(row.get("connections"))
        number = row.get("ifnumber") or 0
        kind = iftype_label(AGGREGATE_IFTYPE if is_aggregate else iftype, lang) if iftype is not None else None
        port = Port(ifnumber=number, anchor=f"port-{number}", name=names[row.get("ifnumber")],
                    alias=row.get("alias") or None, up=up,
                    speed=format_rate(speed, lang) if up and isinstance(speed, int) and speed > 0 else None,
                    kind=kind,
                    trunk=bool(row.get("trunk")), aggregate=is_aggregate, member_of=member_of.get(number),
                    members=[names.get(m, str(m)) for m in row.get("aggregate") or []], macs=macs,
                    neighbours=neighbours)  # fmt: skip
        (aggregates if is_aggregate else ports).append(port)
    if not ports:
        return None
    shown = ports + aggregates
    return SwitchView(shown, up=sum(p.up for p in ports), down=sum(not p.up for p in ports))


def printer_view(components: Mapping[str, Any], lang: str) -> PrinterView | None:
    """Each supply's level (toners first), and the total page counter."""
    supplies = []
    for cartridge in _records(components, "cartridges"):
        name = str(cartridge.get("name") or "")
        if not name:
            continue
        level = supply_level(cartridge.get("value"))
        percent, state = level if level else (None, None)
        supplies.append(Supply(name, supply_kind(name),
                               None if percent is None else Level(_clamp(percent), percent_text(round(percent), lang),
                                                                  "low" if percent < LOW_PERCENT else "ok"),
                               state))  # fmt: skip
    counters = _records(components, "pagecounters")
    total = counters[0].get("total") if counters else None
    if not supplies and total is None:
        return None
    supplies.sort(key=lambda s: (s.kind != "toner", s.kind != "ink", s.level is None, s.name))
    return PrinterView(supplies, total if isinstance(total, int) else None)


def device_views(asset_type: str, components: Mapping[str, Any], metrics: Metrics, lang: str, *,
                 today: dt.date, cycle_years: int = DEFAULT_BATTERY_YEARS) -> list[DeviceView]:  # fmt: skip
    """The pictures an asset's page shows, by what it is and what it reported."""
    views: list[DeviceView | None] = []
    if asset_type == "ups" or any(name.startswith("ups.") for name, _ in metrics):
        views.append(ups_view(components, metrics, lang, today=today, cycle_years=cycle_years))
    if asset_type in ("nas", "san"):
        views.append(nas_view(components, metrics, lang))
    if asset_type in ("switch", "router"):
        views.append(switch_view(components, lang))
    if asset_type in ("printer", "copier") or components.get("cartridges"):
        views.append(printer_view(components, lang))
    return [v for v in views if v is not None]
