"""What a collector read from a device -> the GLPI network inventory message the server stores."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from mutuparc import __version__
from wire.glpi_json import build_content
from wire.identity import mac_key, serial_key

from .config import Target
from .profiles import Profile
from .snmp.extract import DeviceData

VERSION_CLIENT = f"Mutuparc-Collector_v{__version__}"
ITEMTYPES = {"Printer": "Printer", "Phone": "Phone", "Computer": "Computer"}
PSEUDO_MOUNTS = re.compile(r"^/(dev|sys|run|proc)(/|$)")
_UNSAFE = re.compile(r"[^A-Za-z0-9._:-]")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
LLDP_CHASSIS_MAC = 4  # LLDP-MIB LldpChassisIdSubtype macAddress(4)
ENGINE_ID_OCTETS = range(5, 33)  # RFC 3411 SnmpEngineID: 5 to 32 octets
# RFC 3411 engine id formats (fifth octet) whose value is an address: the address again, which
# every commune's 192.168.1.1 shares; not an identity.
ENGINE_ID_ADDRESS_FORMATS = frozenset({1, 2})  # IPv4, IPv6


def stable_id(kind: str, value: object) -> str:
    """``snmp-sn-FOC2031X0AB``: the device id the SNMP and SSH collectors both send for a device."""
    return f"snmp-{kind}-{_UNSAFE.sub('_', str(value))}"


def engine_id_key(engine_id: object) -> str | None:
    """An SNMP engine id (octets, or their hex) as lower-case hex, or None when it identifies no
    agent: not 5 to 32 octets (RFC 3411), one octet repeated (all zero, all FF), or, in RFC 3411's
    format, nothing after the enterprise and format octets or only an IPv4 / IPv6 address."""
    if isinstance(engine_id, bytes):
        octets = engine_id
    else:
        digits = re.sub(r"[\s:.-]", "", str(engine_id or "")).lower().removeprefix("0x")
        try:
            octets = bytes.fromhex(digits)
        except ValueError:
            return None
    if len(octets) not in ENGINE_ID_OCTETS or len(set(octets)) == 1:
        return None
    if octets[0] & 0x80:  # RFC 3411: enterprise number (4 octets), format (1 octet), then the value
        value = octets[5:]
        if octets[4] in ENGINE_ID_ADDRESS_FORMATS or not value or len(set(value)) == 1:
            return None
    return octets.hex()


def device_identity(*, serial: object = None, macs: Iterable[object] = (), engine_id: object = None) -> str | None:
    """The device's own rungs of the identity ladder, most stable first, or None when none holds.

    1. its serial, unless a placeholder (``wire.identity.serial_key``): ``snmp-sn-<serial>``, the
       serial as read (ids of real serials do not change);
    2. the first of ``macs`` that identifies one device (``wire.identity.mac_key``: not all zero,
       multicast, locally administered, nor a MAC every machine has): ``snmp-mac-<aa:bb:...>``;
    3. the SNMP engine id, unless a placeholder (``engine_id_key``): ``snmp-engine-<hex>``.

    The SNMP and SSH collectors share it, so that a device read both ways is one asset whenever
    both know its serial or its MAC.
    """
    if serial_key(serial) is not None:
        return stable_id("sn", serial)
    for mac in macs:
        key = mac_key(mac)
        if key is not None:
            return stable_id("mac", key)
    engine = engine_id_key(engine_id)
    return stable_id("engine", engine) if engine else None


def address_id(protocol: str, host: str, port: int, credential: str | None) -> str:
    """The last rung, the polled endpoint: ``snmp-ip-10.0.0.1:161@public`` (``[fe80::1]:161`` for
    IPv6). The port and the credential's name (never its secret) tell apart devices that answer
    on one address: behind a NAT, an SNMP proxy, or a simulator serving a community per device.

    Addresses repeat from one commune to the next (every one has a 192.168.1.1): the server scopes
    ``*-ip-*`` ids by the collector's enrolment token, so two collectors never share one.
    """
    where = f"[{_UNSAFE.sub('_', host)}]" if ":" in host else _UNSAFE.sub("_", host)
    found = f"{protocol}-ip-{where}:{port}"
    return f"{found}@{_UNSAFE_NAME.sub('_', credential)}" if credential else found


def device_key(data: DeviceData, target: Target) -> str:
    """A stable id for the device across runs, the identity ladder (``device_identity``): its
    serial; else a chassis MAC: its base MAC (network_device.mac, as the profile and the bridge
    join fill it), BRIDGE-MIB dot1dBaseBridgeAddress, the LLDP local chassis id when it is a MAC;
    else its SNMP engine id; else the polled endpoint (``address_id``), which the server scopes by
    the collector's enrolment token."""
    device, read = data.network_device, data.identity
    macs = [device.get("mac"), read.get("bridge_address")]
    if read.get("lldp_chassis_id_subtype") == LLDP_CHASSIS_MAC:
        macs.append(read.get("lldp_chassis_id"))
    found = device_identity(serial=device.get("serial"), macs=macs, engine_id=read.get("engine_id"))
    return found or address_id("snmp", target.host, target.port, target.credential)


def volume_metrics(volumes: list[dict[str, Any]], named_by: tuple[str, ...] = ("label", "mount")) -> list[dict]:  # type: ignore[type-arg]
    """Total and used bytes of each volume (the storage allocation key reads the used ones)."""
    metrics = []
    for volume in volumes:
        total, free = volume.get("total_bytes"), volume.get("free_bytes")
        if isinstance(total, int) and isinstance(free, int):
            instance = next((volume[key] for key in named_by if volume.get(key)), None)
            metrics.append({"name": "volume.total_bytes", "value": total, "unit": "B", "instance": instance})
            metrics.append({"name": "volume.used_bytes", "value": total - free, "unit": "B", "instance": instance})
    return metrics


# Printer-MIB prtMarkerSuppliesLevel: -1 no restriction, -2 unknown, -3 some remaining.
SOME_REMAINING = -3
PERCENT_UNIT = 19  # PrtMarkerSuppliesSupplyUnitTC percent(19)


def supply_levels(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Printer-MIB supplies (``name``, ``level``, ``max``, ``unit`` as prtMarkerSuppliesTable gives
    them) -> GLPI cartridges: the level as a percentage of the capacity, "OK" where the device only
    knows that some remains, no value where it does not know."""
    cartridges = []
    for row in rows:
        name, level, capacity = row.get("name"), row.get("level"), row.get("max")
        if not name or not isinstance(level, int):
            continue
        value = None
        if level >= 0 and isinstance(capacity, int) and capacity > 0:
            value = str(min(100, round(level * 100 / capacity)))
        elif level >= 0 and row.get("unit") == PERCENT_UNIT:
            value = str(min(100, level))
        elif level == SOME_REMAINING:
            value = "OK"
        cartridges.append({"name": name, "value": value})
    return cartridges


HA_INDEX_BASE = 1_000_000  # HA units' component indexes, apart from ENTITY-MIB's


def ha_components(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """HA cluster table rows (index, name, serial) -> GLPI network_components of type chassis."""
    return [{"index": HA_INDEX_BASE + int(m["index"]), "type": "chassis", "description": "HA cluster member",
             **{k: m[k] for k in ("name", "serial") if m.get(k)}}
            for m in members if m.get("index") is not None and (m.get("serial") or m.get("name"))]  # fmt: skip


def build_message(data: DeviceData, profile: Profile, target: Target, *, today: dt.date | None = None) -> dict:  # type: ignore[type-arg]
    device = dict(data.network_device)
    device.setdefault("manufacturer", profile.manufacturer)
    device["type"] = profile.glpi_type
    device["asset_type"] = target.asset_type or profile.asset_type
    device["os_name"] = profile.os_name
    device.setdefault("name", target.name or target.host)
    if target.host not in (device.get("ips") or []):
        device["ips"] = [target.host, *(device.get("ips") or [])]
    sections: dict[str, Any] = {"network_device": device}
    for name in ("network_ports", "network_components", "drives", "storages"):
        if data.sections.get(name):
            sections[name] = data.sections[name]
    if data.sections.get("ha_members"):  # a firewall cluster's units, as components of the one polled
        members = ha_components(data.sections["ha_members"])
        sections["network_components"] = [*sections.get("network_components", []), *members]
    if "drives" in sections:  # not storage anyone pays for: kernel file systems, empty volumes
        sections["drives"] = [v for v in sections["drives"] if v.get("total_bytes")
                              and not PSEUDO_MOUNTS.match(str(v.get("mount") or ""))]  # fmt: skip
    if device.get("firmware"):
        firmware = {"name": device.get("model") or profile.name, "type": "device", "version": device["firmware"],
                    "manufacturer": device.get("manufacturer")}  # fmt: skip
        sections["firmwares"] = [firmware]
    if data.pagecounters:
        sections["pagecounters"] = data.pagecounters
    if data.sections.get("cartridges"):
        sections["cartridges"] = supply_levels(data.sections["cartridges"])
    metrics = list(data.metrics)
    if data.battery:
        sections["batteries"] = [{"name": "UPS battery", **data.battery}]
        replaced = data.battery.get("manufacture_date")
        if isinstance(replaced, dt.date):
            age = ((today or dt.date.today()) - replaced).days
            metrics.append({"name": "ups.battery.age_days", "value": age, "unit": "d"})
    metrics += volume_metrics(sections.get("drives", []))
    if metrics:
        sections["mutuparc_metrics"] = [m for m in metrics if m.get("value") is not None]
    return {
        "action": "netinventory",
        "deviceid": device_key(data, target),
        "itemtype": ITEMTYPES.get(profile.glpi_type, "NetworkEquipment"),
        "content": build_content(sections, VERSION_CLIENT),
    }
