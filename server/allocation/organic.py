"""The "description organique" (seed 002): each member's questionnaire, per site, filled from the
inventory (the counts follow the allocation keys' rules) and from imported keys (staff)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select
from sqlmodel import Session

from server.assets.models import Asset
from server.assets.vocab import AssetType
from server.core.tabular import write_rows
from server.tenancy.models import Member, Site

from .keys import GIB, Measurer, counted, imported_values, key_by_code

# Questionnaire line -> the asset types it counts.
ROWS: list[tuple[str, str, tuple[AssetType, ...]]] = [
    ("desktops", "Postes fixes", (AssetType.WORKSTATION, AssetType.THIN_CLIENT)),
    ("laptops", "Postes portables", (AssetType.LAPTOP,)),
    ("tablets", "Tablettes", (AssetType.TABLET,)),
    ("firewalls", "Pare-feu", (AssetType.FIREWALL,)),
    ("storage_arrays", "NAS / SAN", (AssetType.NAS, AssetType.SAN)),
    ("servers", "Serveurs physiques", (AssetType.SERVER,)),
    ("hypervisors", "Hôtes de virtualisation", (AssetType.HYPERVISOR,)),
    ("vms", "Machines virtuelles", (AssetType.VM,)),
    ("copiers", "Copieurs", (AssetType.COPIER,)),
    ("printers", "Imprimantes", (AssetType.PRINTER,)),
    ("phones", "Téléphones", (AssetType.PHONE,)),
    ("cameras", "Caméras", (AssetType.CAMERA,)),
    ("wifi_aps", "Bornes Wi-Fi", (AssetType.WIFI_AP,)),
    ("network_devices", "Commutateurs et routeurs", (AssetType.SWITCH, AssetType.ROUTER)),
    ("ups", "Onduleurs", (AssetType.UPS,)),
]
NO_SITE = "(sans site)"


def describe(session: Session, member: Member, stale_days: int, year: int | None = None) -> dict:  # type: ignore[type-arg]
    """{"member", "year", "agents", "storage_gb", "sites": [{"site", counts...}], "total": {counts...}}."""
    measurer = Measurer(session, stale_days)
    statement = (
        select(Asset.site_id, Asset.asset_type, func.count())
        .where(counted(), Asset.member_id == member.id)
        .group_by(Asset.site_id, Asset.asset_type)
    )
    sites = {s.id: s.name for s in session.scalars(select(Site).where(Site.member_id == member.id))}
    by_site: dict[str, dict[str, int]] = {name: {code: 0 for code, _, _ in ROWS} for name in sites.values()}
    total = {code: 0 for code, _, _ in ROWS}
    for site_id, asset_type, number in session.execute(statement):
        site = sites.get(site_id, NO_SITE)
        counts = by_site.setdefault(site, {code: 0 for code, _, _ in ROWS})
        for code, _, types in ROWS:
            if asset_type in types:
                counts[code] += number
                total[code] += number
    year = year or dt.date.today().year
    agents = imported_values(session, key_by_code(session, "agents"), year).get(member.id)
    storage = sum((v.used_bytes for v in measurer.volumes if v.member_id == member.id), 0)
    return {
        "member": member.name,
        "year": year,
        "agents": agents,
        "storage_gb": (Decimal(storage) / GIB).quantize(Decimal("0.01")),
        "sites": [{"site": name, **counts} for name, counts in by_site.items()],
        "total": total,
    }


def to_csv(description: dict) -> bytes:  # type: ignore[type-arg]
    sites = description["sites"]
    agents = description["agents"]
    rows = [[f"Description organique {description['year']}", description["member"]],
            ["", *[s["site"] for s in sites], "Total"],
            ["Agents", *[""] * len(sites), "" if agents is None else f"{agents:f}".removesuffix(".0000")]]  # fmt: skip
    rows += [[label, *[s[code] for s in sites], description["total"][code]] for code, label, _ in ROWS]
    rows.append(["Stockage occupé (Go)", *[""] * len(sites), str(description["storage_gb"]).replace(".", ",")])
    return write_rows(rows)
