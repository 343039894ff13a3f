"""Apply a profile to a device: read its scalars and tables, join the standard MIBs, build records.

The result is a set of wire records (``network_device``, ``network_ports``, ``drives``...) and
metrics. The joins of standard MIBs (bridge MAC table, LLDP neighbours, IP addresses, ENTITY
chassis) are generic code configured by OIDs in the modules; vendor knowledge stays in YAML.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from collector.profiles import Column, Metric, Profile, Table, Value, enterprise_manufacturer

from .session import SnmpSession
from .transforms import apply, text

SYSTEM = {"sys_descr": "1.3.6.1.2.1.1.1.0", "sys_object_id": "1.3.6.1.2.1.1.2.0", "sys_name": "1.3.6.1.2.1.1.5.0"}
# Fields read only to tell the device apart (collector/inventory.py device_key), never sent: GLPI's
# network_device has no place for them. The ``system`` module reads them on every device.
IDENTITY_FIELDS = ("bridge_address", "lldp_chassis_id_subtype", "lldp_chassis_id", "engine_id")
_ENTITY_CHASSIS = "chassis"
PERPETUAL_FROM_YEAR = 2100


@dataclass
class DeviceData:
    """What was read from one device, as wire records."""

    network_device: dict[str, Any] = field(default_factory=dict)
    sections: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    battery: dict[str, Any] = field(default_factory=dict)
    pagecounters: dict[str, Any] = field(default_factory=dict)  # printers' page counters (integers)
    metrics: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    identity: dict[str, Any] = field(default_factory=dict)  # IDENTITY_FIELDS that were read


def _resolve(spec: Value, values: dict[str, Any]) -> Any:
    if spec.oid is None:
        return spec.constant
    raw = values.get(spec.oid)
    if raw is None:
        return _resolve(spec.fallback, values) if spec.fallback else None
    result = apply(list(spec.transforms), raw)
    if result is None and spec.fallback:
        return _resolve(spec.fallback, values)
    return result


def _cell(column: Column, index: str, walked: dict[str, dict[str, Any]], row: dict[str, Any]) -> Any:
    if column.is_index:
        raw: Any = index
    elif column.expression is not None:
        raw = column.expression(row)
    elif column.oid is None:
        raw = column.constant
    else:
        raw = walked.get(column.oid, {}).get(index)
    if raw is None:
        return _cell(column.fallback, index, walked, row) if column.fallback else None
    result = apply(list(column.transforms), raw, as_text=column.expression is None)
    if result is None and column.fallback:
        return _cell(column.fallback, index, walked, row)
    return result


def _rows(table: Table, walked: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    indexes: dict[str, None] = {}
    for column in table.columns.values():
        for oid in column.oids():
            indexes.update(dict.fromkeys(walked.get(oid, {})))
    rows = []
    ordered = sorted(indexes, key=lambda i: tuple(int(p) if p.isdigit() else 0 for p in i.split(".")))
    # Plain columns first, expressions (which use them) after.
    plain = {n: c for n, c in table.columns.items() if c.expression is None}
    computed = {n: c for n, c in table.columns.items() if c.expression is not None}
    for index in ordered:
        row: dict[str, Any] = {}
        for name, column in plain.items():
            row[name] = _cell(column, index, walked, row)
        for name, column in computed.items():
            row[name] = _cell(column, index, walked, row)
        if _kept(table.where, row):
            rows.append({k: v for k, v in row.items() if not k.startswith("_")})
    return rows


def _kept(where: dict[str, Any] | None, row: dict[str, Any]) -> bool:
    if not where:
        return True
    if where.get("kept_when_set") and row.get(where["kept_when_set"]) not in (None, ""):
        return True  # excluded by class, kept for what it carries (a transceiver's serial)
    value = row.get(where["column"])
    if "in" in where and value not in where["in"] and str(value) not in map(str, where["in"]):
        return False
    if "not_in" in where and (value in where["not_in"] or str(value) in map(str, where["not_in"])):
        return False
    if "not_regex" in where and re.search(where["not_regex"], str(value or "")):
        return False
    return not ("regex" in where and not re.search(where["regex"], str(value or "")))


async def read_device(session: SnmpSession, profile: Profile, system: dict[str, Any]) -> DeviceData:
    """Everything ``profile`` says to read from the device behind ``session``."""
    data = DeviceData()
    scalars = [*profile.fields.values(), *profile.battery.values(), *profile.licences.values(),
               *profile.pagecounters.values()]  # fmt: skip
    scalar_oids = [oid for spec in scalars for oid in spec.oids()]
    scalar_oids += [oid for metric in profile.metrics for oid in _metric_oids(metric)]
    joins = profile.joins
    if joins.get("mac_table", {}).get("bridge_address"):
        scalar_oids.append(joins["mac_table"]["bridge_address"].strip("."))
    values = {**system, **(await session.get(scalar_oids) if scalar_oids else {})}

    table_columns = [oid for table in profile.tables.values() for oid in table.oids()]
    join_columns = _join_columns(joins)
    walked = await session.walk(table_columns + join_columns) if table_columns or join_columns else {}

    device = {key: _clean(_resolve(spec, values)) for key, spec in profile.fields.items()}
    device = {k: v for k, v in device.items() if v is not None}
    data.identity = {key: device.pop(key) for key in IDENTITY_FIELDS if key in device}
    for name, table in profile.tables.items():
        data.sections[name] = _rows(table, walked)
    _identity_from_entity(device, data.sections.get("network_components", []), joins, profile)
    if "manufacturer" not in device and profile.manufacturer is None:
        # Last rung of the identification: the IANA enterprise number of the sysObjectID.
        maker = enterprise_manufacturer(str(values.get(SYSTEM["sys_object_id"]) or ""))
        if maker:
            device["manufacturer"] = maker
    expiries = [row.get("expiry") for row in data.sections.pop("licences", [])]
    expiries += [_resolve(spec, values) for spec in profile.licences.values()]
    expiry = _earliest_expiry(expiries)
    if expiry and "licence_expiry" not in device:
        device["licence_expiry"] = expiry
    ports = data.sections.get("network_ports", [])
    if "mac_table" in joins:
        _mac_table(ports, walked, joins["mac_table"], values, device)
    if "lldp" in joins:
        _lldp(ports, walked, joins["lldp"])
    if "cdp" in joins:
        _cdp(ports, walked, joins["cdp"])
    if "aggregates" in joins:
        _aggregates(ports, walked, joins["aggregates"])
    if "ip_addresses" in joins:
        device["ips"] = _ips(ports, walked, joins["ip_addresses"])
    if "mac" not in device:  # the first Ethernet port that is up, else the first Ethernet port
        ethernet = [p for p in ports if p.get("mac") and p.get("iftype") == 6]
        up = [p for p in ethernet if p.get("oper_status") == 1]
        device["mac"] = (up or ethernet or [{}])[0].get("mac")
    data.network_device = {k: v for k, v in device.items() if v is not None}
    data.battery = {k: v for k, v in ((key, _resolve(spec, values)) for key, spec in profile.battery.items())
                    if v is not None}  # fmt: skip
    counters = ((key, _resolve(spec, values)) for key, spec in profile.pagecounters.items())
    data.pagecounters = {k: v for k, v in counters if isinstance(v, int) and not isinstance(v, bool)}
    data.pagecounters.update(_table_counters(data.sections.pop("counters", [])))
    data.metrics = _metrics(profile, values, data.sections)
    for column in sorted(session.truncated):
        data.warnings.append(f"table column {column} cut at {session.max_rows} rows")
    return data


def _metric_oids(metric: Metric | None) -> list[str]:
    found = []
    while metric is not None:
        found += [metric.oid] if metric.oid else []
        metric = metric.fallback
    return found


def _earliest_expiry(dates: list[Any]) -> dt.date | None:
    """The first licence to expire; vendors write perpetual licences as a far-future date (Dec 31 2999)."""
    real = [d for d in dates if isinstance(d, dt.date) and d.year < PERPETUAL_FROM_YEAR]
    return min(real, default=None)


def _join_columns(joins: dict[str, Any]) -> list[str]:
    columns: list[str] = []
    for name, spec in joins.items():
        if name in ("mac_table", "lldp", "cdp", "ip_addresses", "aggregates") and isinstance(spec, dict):
            columns += [oid.strip(".") for key, oid in spec.items() if key != "bridge_address"]
    return columns


def _clean(value: Any) -> Any:
    """A text value as a person would write it: no blanks, quotes or stray backslashes around it."""
    if isinstance(value, str):
        value = value.strip().strip('\\"').strip() or None
    return value


def _identity_from_entity(device: dict[str, Any], components: list[dict[str, Any]], joins: dict[str, Any],
                          profile: Profile | None = None) -> None:  # fmt: skip
    """Model, serial and firmware of the first chassis, when the profile reads them nowhere else;
    else of the first row without a class that has a serial (some firewalls publish only that)."""
    if not joins.get("entity_identity"):
        return
    chassis = next((c for c in components if c.get("type") == _ENTITY_CHASSIS and (c.get("serial") or c.get("model"))),
                   None)  # fmt: skip
    if chassis is None:
        chassis = next((c for c in components if c.get("type") in (None, "other", "unknown") and c.get("serial")),
                       None)  # fmt: skip
    if chassis is None:
        return
    keys = ["model", "serial", "firmware"]
    if profile is not None and profile.manufacturer is None:
        keys.append("manufacturer")
    for key in keys:
        if not device.get(key) and _clean(chassis.get(key)):
            device[key] = _clean(chassis[key])


def _port_by_ifindex(ports: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    return {int(p["ifnumber"]): p for p in ports if p.get("ifnumber") is not None}


def _mac_from_index(index: str) -> str | None:
    parts = index.split(".")[-6:]
    if len(parts) != 6 or not all(p.isdigit() and int(p) < 256 for p in parts):
        return None
    return ":".join(f"{int(p):02x}" for p in parts)


def _mac_table(ports: list[dict[str, Any]], walked: dict[str, dict[str, Any]], spec: dict[str, str],
               values: dict[str, Any], device: dict[str, Any]) -> None:  # fmt: skip
    """BRIDGE-MIB / Q-BRIDGE-MIB forwarding tables -> the MACs learned on each port (GLPI connections)."""
    by_ifindex = _port_by_ifindex(ports)
    base_ports = {int(k): v for k, v in walked.get(spec["base_port_ifindex"].strip("."), {}).items() if k.isdigit()}
    learned: dict[str, int] = {}
    for key in ("qfdb_port", "fdb_port"):
        for index, port in walked.get(spec.get(key, "").strip("."), {}).items():
            mac = _mac_from_index(index)
            if mac and isinstance(port, int) and port:
                learned.setdefault(mac, port)
    own = {p.get("mac") for p in ports}
    for mac, bridge_port in sorted(learned.items()):
        port = by_ifindex.get(base_ports.get(bridge_port, -1))
        if port is None or mac in own:
            continue
        port.setdefault("connections", []).append({"mac": mac})
    bridge_address = values.get(spec.get("bridge_address", "").strip("."))
    if bridge_address and "mac" not in device:
        device["mac"] = apply([_transform("mac")], bridge_address)


def _table_counters(rows: list[dict[str, Any]]) -> dict[str, int]:
    """A vendor's counter table (rows: ``key``, a pagecounters name given by a map, and ``value``)
    -> page counters; rows of the same key add up (Ricoh: colour A4 and A3), unmapped rows go."""
    counts: dict[str, int] = {}
    for row in rows:
        key, value = row.get("key"), row.get("value")
        if key in PAGECOUNTER_NAMES and isinstance(value, int) and not isinstance(value, bool):
            counts[key] = counts.get(key, 0) + value
    return counts


PAGECOUNTER_NAMES = frozenset({"total", "black", "color", "duplex", "recto_verso", "scanned", "print_total",
                               "print_black", "print_color", "copy_total", "copy_black", "copy_color",
                               "copy_black_a3", "copy_color_a3", "fax_total"})  # fmt: skip


def _aggregates(ports: list[dict[str, Any]], walked: dict[str, dict[str, Any]], spec: dict[str, str]) -> None:
    """IEEE8023-LAG-MIB dot3adAggPortAttachedAggID (index: member ifIndex) and IF-MIB ifStackStatus
    (index: higher.lower) -> each aggregate's members (GLPI ``aggregate``). An aggregate with a
    member that has an LLDP/CDP neighbour is an uplink: it and its members are marked ``trunk``,
    so that the MACs learned on it are not taken for devices plugged there."""
    by_ifindex = _port_by_ifindex(ports)
    members: dict[int, set[int]] = {}
    for index, aggregate in walked.get(spec.get("lag_attached", "").strip("."), {}).items():
        if index.isdigit() and isinstance(aggregate, int) and aggregate and aggregate != int(index):
            members.setdefault(aggregate, set()).add(int(index))
    for index, status in walked.get(spec.get("if_stack_status", "").strip("."), {}).items():
        higher, _, lower = index.partition(".")
        if status != 1 or not (higher.isdigit() and lower.isdigit() and int(higher) and int(lower)):
            continue
        if by_ifindex.get(int(higher), {}).get("iftype") == IFTYPE_LAG:  # not a VLAN over its ports
            members.setdefault(int(higher), set()).add(int(lower))
    for aggregate, lower in members.items():
        port = by_ifindex.get(aggregate)
        lower = {i for i in lower if i in by_ifindex}
        if port is None or not lower:
            continue
        port["aggregate"] = sorted(lower)
        if port.get("lldp") or any(by_ifindex[i].get("lldp") for i in lower):
            for uplink in (port, *(by_ifindex[i] for i in lower)):
                uplink["trunk"] = True


IFTYPE_LAG = 161  # ieee8023adLag


def _transform(name: str):  # type: ignore[no-untyped-def]
    from .transforms import SIMPLE

    return SIMPLE[name]


def _lldp(ports: list[dict[str, Any]], walked: dict[str, dict[str, Any]], spec: dict[str, str]) -> None:
    """LLDP-MIB remote table (index: timeMark.localPortNum.remIndex) -> neighbours on each port."""
    by_ifindex = _port_by_ifindex(ports)
    by_name = {str(p.get(k)).lower(): p for p in ports for k in ("name", "descr") if p.get(k)}
    local_ports = walked.get(spec.get("loc_port_id", "").strip("."), {})

    def column(key: str) -> dict[str, Any]:
        return walked.get(spec.get(key, "").strip("."), {})

    names = column("rem_sys_name")
    for index, sys_name in names.items():
        parts = index.split(".")
        if len(parts) < 3 or not parts[1].isdigit():
            continue
        local = int(parts[1])
        # lldpLocPortNum is often, not always, the ifIndex: the local port's name settles it.
        port = by_name.get(str(text(local_ports.get(str(local))) or "").lower()) or by_ifindex.get(local)
        if port is None:
            continue
        chassis = column("rem_chassis_id").get(index)
        neighbour = {
            "sysname": text(sys_name),
            "sysdescr": text(column("rem_sys_desc").get(index)),
            "ifdescr": text(column("rem_port_desc").get(index)) or text(column("rem_port_id").get(index)),
            "sysmac": apply([_transform("mac")], chassis) if isinstance(chassis, bytes) and len(chassis) == 6 else None,
        }
        _connect(port, neighbour)


def _connect(port: dict[str, Any], neighbour: dict[str, Any]) -> None:
    """One neighbour on a port, once: LLDP lists a neighbour again at each time mark, and CDP and
    LLDP may both see it (the first one's port name is kept, the other adds what it lacks)."""
    record = {k: v for k, v in neighbour.items() if v}
    connections = port.setdefault("connections", [])
    same = next((c for c in connections if record.get("sysname") and c.get("sysname") == record["sysname"]), None)
    if same is None:
        connections.append(record)
    else:
        same.update({k: v for k, v in record.items() if k not in same})
    port["lldp"] = True  # GLPI: "a LLDP or CDP connection"


def _cdp_address(value: Any) -> str | None:
    if isinstance(value, bytes) and len(value) == 4:
        return ".".join(str(b) for b in value)
    found = text(value)
    if found and re.fullmatch(r"(?:[0-9a-fA-F]{2}[ :]?){4}", found.replace("0x", "")):
        digits = re.sub(r"[^0-9a-fA-F]", "", found.replace("0x", ""))
        return ".".join(str(int(digits[i : i + 2], 16)) for i in range(0, 8, 2))
    return found if found and re.fullmatch(r"\d+\.\d+\.\d+\.\d+", found) else None


def _cdp(ports: list[dict[str, Any]], walked: dict[str, dict[str, Any]], spec: dict[str, str]) -> None:
    """CISCO-CDP-MIB cdpCacheTable (index: ifIndex.deviceIndex) -> neighbours on each port."""
    by_ifindex = _port_by_ifindex(ports)

    def column(key: str) -> dict[str, Any]:
        return walked.get(spec.get(key, "").strip("."), {})

    for index, device_id in column("device_id").items():
        parts = index.split(".")
        port = by_ifindex.get(int(parts[0])) if parts[0].isdigit() else None
        if port is None:
            continue
        neighbour = {
            "sysname": text(device_id),
            "ifdescr": text(column("device_port").get(index)),
            "ip": _cdp_address(column("address").get(index)),
            "sysdescr": text(column("version").get(index)),
        }
        _connect(port, neighbour)


def _ips(ports: list[dict[str, Any]], walked: dict[str, dict[str, Any]], spec: dict[str, str]) -> list[str]:
    """IP-MIB ipAdEntIfIndex (index: the address) -> the device's addresses and each port's."""
    by_ifindex = _port_by_ifindex(ports)
    addresses = []
    for address, ifindex in walked.get(spec["ifindex"].strip("."), {}).items():
        if address.startswith("127.") or address.count(".") != 3:
            continue
        addresses.append(address)
        port = by_ifindex.get(ifindex) if isinstance(ifindex, int) else None
        if port is not None:
            port.setdefault("ips", []).append(address)
    return addresses


def _metrics(profile: Profile, values: dict[str, Any], sections: dict[str, list[dict[str, Any]]]) -> list[dict]:  # type: ignore[type-arg]
    metrics = []
    for metric in profile.metrics:
        if metric.oid:
            variant: Metric | None = metric
            while variant is not None:  # the first variant the device publishes
                value = apply(list(variant.transforms), values.get(variant.oid or ""), as_text=False)
                if isinstance(value, int | float):
                    metrics.append({"name": metric.name, "value": value, "unit": variant.unit or metric.unit})
                    break
                variant = variant.fallback
            continue
        if metric.aggregate:
            found = [row.get(metric.column or "") for row in sections.get(metric.table or "", [])]
            numbers = [v for v in found if isinstance(v, int | float) and not isinstance(v, bool)]
            if numbers:
                value = max(numbers) if metric.aggregate == "max" else sum(numbers)
                metrics.append({"name": metric.name, "value": value, "unit": metric.unit})
            continue
        for row in sections.get(metric.table or "", []):
            value = row.get(metric.column or "")
            if isinstance(value, int | float):
                metrics.append({"name": metric.name, "value": value, "unit": metric.unit,
                                "instance": str(row.get(metric.instance)) if metric.instance else None})  # fmt: skip
    return metrics
