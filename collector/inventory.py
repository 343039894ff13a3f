"""What a collector read from a device -> the GLPI network inventory message the server stores."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from mutuparc import __version__
from wire.glpi_json import build_content

from .config import Target
from .profiles import Profile
from .snmp.extract import DeviceData

VERSION_CLIENT = f"Mutuparc-Collector_v{__version__}"
ITEMTYPES = {"Printer": "Printer", "Phone": "Phone", "Computer": "Computer"}
PSEUDO_MOUNTS = re.compile(r"^/(dev|sys|run|proc)(/|$)")


def stable_id(kind: str, value: object) -> str:
    """``snmp-sn-FOC2031X0AB``: the device id the SNMP and SSH collectors both send for a device."""
    return f"snmp-{kind}-{re.sub(r'[^A-Za-z0-9._:-]', '_', str(value))}"


def device_key(data: DeviceData, target: Target) -> str:
    """A stable id for the device across runs: its serial, else its MAC, else its address."""
    device = data.network_device
    for prefix, value in (("sn", device.get("serial")), ("mac", device.get("mac"))):
        if value:
            return stable_id(prefix, value)
    return f"snmp-ip-{target.host}"


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
    if "drives" in sections:  # not storage anyone pays for: kernel file systems, empty volumes
        sections["drives"] = [v for v in sections["drives"] if v.get("total_bytes")
                              and not PSEUDO_MOUNTS.match(str(v.get("mount") or ""))]  # fmt: skip
    if device.get("firmware"):
        firmware = {"name": device.get("model") or profile.name, "type": "device", "version": device["firmware"],
                    "manufacturer": device.get("manufacturer")}  # fmt: skip
        sections["firmwares"] = [firmware]
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
