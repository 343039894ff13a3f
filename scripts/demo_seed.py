"""The money side of ``make demo``, through the REST API as a DSIT would: seed 004's year 2022
(worked example C of the domain brief) and a priced, frozen renewal plan per member.

- tickets 2022 imported from the helpdesk's CSV (the key of the pools);
- the datacenter file server's shares measured from what a collector reports, mapped to members
  (the storage GB key of the shared infrastructure);
- the five pools (two service pools, two travel pools, the shared infrastructure), so that the
  allocation page shows every share, each member's total and the settlement invoices;
- unit prices, then each member's N+1 renewal plan frozen, with a few of the members' decisions.

Run again on the same database, it adds nothing twice.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

DATA = Path(__file__).resolve().parent / "demo_data"
YEAR = 2022
STORAGE_SHARES = {"/volume2/servon": "Servon", "/volume2/bcr": "Brie-Comte-Robert", "/volume2/ccob": "CCOB"}
# Unit prices of the renewal plan (€ incl. VAT): what the DSIT's purchasing contracts cost.
PRICES = [("workstation", 800, "poste standard"), ("laptop", 1100, "portable standard"), ("switch", 2500, None),
          ("firewall", 6000, None), ("nas", 4000, None), ("ups", 1800, None), ("ups_battery", 350, "batteries"),
          ("printer", 600, None), ("copier", 3500, None), ("server", 9000, None)]  # fmt: skip


class DemoError(RuntimeError):
    """A step of the demo seeding was refused: the message says which and why."""


class Api:
    def __init__(self, url: str, token: str) -> None:
        self.client = httpx.Client(base_url=f"{url}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=60)

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        return response.json() if response.content else None

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = self.client.request(method, path, **kwargs)
        if response.status_code >= 400:
            raise DemoError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response


def seed_allocation(api: Api, member_ids: dict[str, int]) -> dict[str, Any]:
    """Seed 004's keys and pools for 2022; returns the year's allocation."""
    csv = (DATA / "tickets_2022.csv").read_bytes()
    report = api.call("POST", "/keys/tickets/import", params={"year": YEAR},
                      files={"file": ("tickets_2022.csv", csv, "text/csv")})  # fmt: skip
    if report["errors"]:
        raise DemoError(f"tickets import: {report}")
    existing = {m["pattern"] for m in api.call("GET", "/storage/mappings")}
    for pattern, member in STORAGE_SHARES.items():
        if pattern not in existing:
            api.call("POST", "/storage/mappings", json={"member_id": member_ids[member], "pattern": pattern})
    bcr, ccob = member_ids["Brie-Comte-Robert"], member_ids["CCOB"]
    pools = [
        {"name": "Service commun BCR", "amount": "179103", "advanced_by_id": bcr, "key_code": "tickets"},
        {"name": "Service commun CCOB", "amount": "37551", "advanced_by_id": ccob, "key_code": "tickets",
         "note": "dont le contrat du logiciel d'inventaire, 9 000 €"},
        {"name": "Déplacements BCR", "amount": "1620", "advanced_by_id": bcr, "key_code": "tickets", "exclude": [bcr],
         "note": "45 € x 3 agents x 12 mois"},
        {"name": "Déplacements CCOB", "amount": "540", "advanced_by_id": ccob, "key_code": "tickets",
         "exclude": [bcr], "note": "45 € x 1 agent x 12 mois"},
        {"name": "Infrastructure mutualisée", "amount": "39161", "advanced_by_id": bcr, "key_code": "storage_gb",
         "note": "au prorata des Go occupés sur les serveurs"},
    ]  # fmt: skip
    present = {p["name"] for p in api.call("GET", "/pools", params={"year": YEAR})}
    for position, pool in enumerate(pools):
        if pool["name"] not in present:
            api.call("POST", "/pools", json={"year": YEAR, "position": position, **pool})
    return api.call("GET", f"/allocation/{YEAR}")


def storage_inventory() -> dict[str, Any]:
    return json.loads((DATA / "nas-partages.json").read_text("utf-8"))


def download(api: Api, path: str, params: dict[str, Any], target: Path) -> Path:
    """A report as the DSIT sends it (the N+1 plan with the budget, the members' statements)."""
    target.write_bytes(api.request("GET", path, params=params).content)
    return target


def seed_renewal(api: Api, member_ids: dict[str, int], budget_date: str) -> tuple[int, Decimal]:
    """Unit prices, then every member's N+1 plan frozen (once); returns (lines, total cost)."""
    if not api.call("GET", "/renewal/prices"):
        api.call("PUT", "/renewal/prices", json=[{"asset_type": kind, "price": price, "label": label}
                                                 for kind, price, label in PRICES])  # fmt: skip
    frozen = {p["member_id"]: p for p in api.call("GET", "/renewal/plans")}
    for member_id in member_ids.values():
        if member_id not in frozen:
            frozen[member_id] = api.call("POST", "/renewal/plans",
                                         json={"member_id": member_id, "budget_date": budget_date})  # fmt: skip
    servon = frozen[member_ids["Servon"]]
    if servon["lines"] and not servon["decisions"]:  # Servon's answer to its plan, as a member would give it
        first = servon["lines"][0]
        decision = {"asset_id": first["asset_id"], "decision": "accept", "comment": "inscrit au budget primitif"}
        api.call("POST", f"/renewal/plans/{servon['id']}/decisions", json=[decision])
    lines = sum(len(p["lines"]) for p in frozen.values())
    return lines, sum((Decimal(str(p["total"] or 0)) for p in frozen.values()), Decimal(0))
