"""A complete, readable history: every stored value that changes gets a line with its source
(network configuration, VM state, each of 2,000 upgraded packages), nothing is truncated, the
lines are grouped per inventory and section on the page and in the API, and neither a re-send nor
the values that move at every run (free space, boot time, port counters, uptime) write a line."""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import re
from typing import Any

import pytest
from sqlalchemy import select

from server.assets.models import AssetChange, InventorySource
from server.core.clock import utcnow
from server.core.db import transaction
from server.ingest import store
from tests.server.web.test_csrf import form_token
from tests.utils import example, make_enrolment_token, make_member, make_user, post_inventory

PASSWORD = "motdepasse-2026"
PACKAGES = 2000
NIC = "networks[enp57s0u1u4 00:e0:4c:68:01:db]"
WIFI = "networks[wlp58s0 44:85:00:2b:90:bc]"
LINES = PACKAGES + 1 + 9  # upgrades, one package installed, the other values


@pytest.fixture(autouse=True)
def hourly(monkeypatch):  # type: ignore[no-untyped-def]
    """Each inventory an hour after the previous one (the clock counts seconds: one event each)."""
    start, hours = utcnow() - dt.timedelta(days=1), itertools.count()
    monkeypatch.setattr(store, "utcnow", lambda: start + dt.timedelta(hours=next(hours)))


def _computer() -> dict[str, Any]:
    """computer_1 with 2,000 packages and two virtual machines."""
    inventory = copy.deepcopy(example("computer_1"))
    inventory["deviceid"] = "pc-servon-accueil-2024-01-01-00-00-00"
    content = inventory["content"]
    content["softwares"] = [
        {"name": f"paquet-{i:04d}", "version": "1.0", "arch": "x86_64", "publisher": "Debian", "from": "deb"}
        for i in range(PACKAGES)
    ]
    content["virtualmachines"] = [
        {"name": "web01", "uuid": "4c4c4544-0001", "status": "running", "memory": 2048, "vcpu": 2,
         "vmtype": "libvirt"},
        {"name": "db01", "uuid": "4c4c4544-0002", "status": "running", "memory": 4096, "vcpu": 4,
         "vmtype": "libvirt"},
    ]  # fmt: skip
    return inventory


def _updated(inventory: dict[str, Any]) -> dict[str, Any]:
    """A new IP and gateway, new DNS, a VM stopped and another resized, every package upgraded and
    one installed; free space, boot time and last login moved."""
    updated = copy.deepcopy(inventory)
    content = updated["content"]
    nic = next(n for n in content["networks"] if n["description"] == "enp57s0u1u4" and "ipaddress" in n)
    nic["ipaddress"], nic["ipgateway"] = "192.168.1.150", "192.168.1.254"
    wifi = next(n for n in content["networks"] if n["description"] == "wlp58s0" and "ipaddress6" in n)
    wifi["ipaddress6"], wifi["ipmask6"] = "2a01:cb00:1::42", "ffff:ffff:ffff:ff00::"
    content["hardware"]["defaultgateway"] = "192.168.1.254"
    content["hardware"]["dns"] = "192.168.1.254/9.9.9.9"
    content["virtualmachines"][0]["status"] = "off"
    content["virtualmachines"][1].update(memory=8192, vcpu=8)
    for package in content["softwares"]:
        package["version"] = "1.1"
    content["softwares"].append({"name": "nouveau-paquet", "version": "2.0", "arch": "x86_64"})
    content["drives"][0]["free"] -= 1234
    content["operatingsystem"]["boot_time"] = "2020-06-10 08:01:02"
    content["hardware"]["datelastloggeduser"] = "Sat Jun 13 09:00"
    return updated


def _history(engine, asset_id: int) -> list[AssetChange]:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        return list(session.scalars(select(AssetChange).where(AssetChange.asset_id == asset_id)
                                    .order_by(AssetChange.id)))  # fmt: skip


def _post(client, engine, inventory: dict[str, Any], token: str) -> int:  # type: ignore[no-untyped-def]
    """Store ``inventory``; the id of its asset."""
    assert post_inventory(client, inventory, token=token).status_code == 200
    with transaction(engine) as session:
        return session.scalars(
            select(InventorySource.asset_id).where(InventorySource.key == inventory["deviceid"])
        ).one()


def test_an_update_writes_every_change_in_full_and_groups_it(client, engine) -> None:  # type: ignore[no-untyped-def]
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    token = make_enrolment_token(engine, servon)
    admin = make_user(engine, "admin", role="admin")
    inventory = _computer()
    asset_id = _post(client, engine, inventory, token)
    assert [c.field for c in _history(engine, asset_id)] == ["created"]

    assert post_inventory(client, _updated(inventory), token=token).status_code == 200
    changes = [c for c in _history(engine, asset_id) if c.field != "created"]
    lines = {c.field: (c.old_value, c.new_value) for c in changes}
    assert len(lines) == len(changes), "one line per changed value"
    packages = {f: v for f, v in lines.items() if f.startswith("softwares")}
    others = {f: v for f, v in lines.items() if not f.startswith("softwares")}
    assert others == {
        f"{NIC}.ipv4": ("192.168.1.142", "192.168.1.150"),
        f"{NIC}.gateway": ("192.168.1.1", "192.168.1.254"),
        f"{WIFI}.ipv6": ("fe80::92a4:26c6:99dd:2d60", "2a01:cb00:1::42"),
        f"{WIFI}.ipv6_mask": ("ffff:ffff:ffff:ffff::", "ffff:ffff:ffff:ff00::"),
        "hardware.default_gateway": ("192.168.1.1", "192.168.1.254"),
        "hardware.dns": ("192.168.1.1", "192.168.1.254/9.9.9.9"),
        "virtualmachines[web01].status": ("running", "off"),
        "virtualmachines[db01].memory_mb": ("4096", "8192"),
        "virtualmachines[db01].vcpu": ("4", "8"),
    }
    assert packages.pop("softwares") == (None, "nouveau-paquet 2.0")
    assert len(packages) == PACKAGES, "no cap, no '... more changes'"
    assert packages["softwares[paquet-1999 x86_64].version"] == ("1.0", "1.1")
    assert set(packages.values()) == {("1.0", "1.1")}
    assert {(c.source, c.actor) for c in changes} == {("agent", changes[0].actor)} and changes[0].actor
    assert len({c.at for c in changes}) == 1

    # The API: every row, paged, filtered by field or section, and grouped.
    url = f"/api/v1/assets/{asset_id}/history"
    seen: list[int] = []
    for offset in (0, 1000, 2000):
        page = client.get(url, params={"offset": offset, "limit": 1000}, headers=admin).json()
        assert page["count"] == LINES + 1  # and "created"
        seen += [row["id"] for row in page["data"]]
    assert len(set(seen)) == LINES + 1
    network = client.get(url, params={"field": "networks"}, headers=admin).json()
    assert network["count"] == 4
    assert {(r["item"], r["key"], r["kind"]) for r in network["data"]} == {
        ("enp57s0u1u4 00:e0:4c:68:01:db", "ipv4", "updated"), ("enp57s0u1u4 00:e0:4c:68:01:db", "gateway", "updated"),
        ("wlp58s0 44:85:00:2b:90:bc", "ipv6", "updated"), ("wlp58s0 44:85:00:2b:90:bc", "ipv6_mask", "updated"),
    }  # fmt: skip
    gateway = client.get(url, params={"field": "hardware.default_gateway"}, headers=admin).json()
    assert [(r["old_value"], r["new_value"]) for r in gateway["data"]] == [("192.168.1.1", "192.168.1.254")]
    assert client.get(url, params={"field": "softwares", "limit": 1}, headers=admin).json()["count"] == PACKAGES + 1
    assert client.get(url, params={"field": "soft", "limit": 1}, headers=admin).json()["count"] == 0

    grouped = client.get(url, params={"grouped": "true", "lang": "en"}, headers=admin).json()
    assert grouped["count"] == 2  # the update, then the creation
    update, creation = grouped["data"]
    assert update["count"] == LINES and update["source"] == "agent"
    sections = {s["section"]: s for s in update["sections"]}
    assert {name: (s["added"], s["removed"], s["updated"], s["count"]) for name, s in sections.items()} == {
        "softwares": (1, 0, PACKAGES, PACKAGES + 1),
        "networks": (0, 0, 2, 4),  # two interfaces, two values each
        "hardware": (0, 0, 2, 2),
        "virtualmachines": (0, 0, 2, 3),
    }
    assert len(sections["softwares"]["changes"]) == PACKAGES + 1
    assert sections["softwares"]["label"] == "Software"
    assert {c["item"] for c in sections["virtualmachines"]["changes"]} == {"web01", "db01"}
    assert sections["hardware"]["fields"] == {"default_gateway": "Default gateway", "dns": "DNS servers"}
    assert [s["section"] for s in creation["sections"]] == ["asset"]
    older = client.get(url, params={"grouped": "true", "offset": 1, "limit": 1}, headers=admin).json()
    assert older["count"] == 2 and [e["count"] for e in older["data"]] == [1]

    # The page: one block per inventory, a folded section per component list, every line inside.
    make_user(engine, "dsit", role="admin", password=PASSWORD)
    client.post(
        "/login",
        data={"username": "dsit", "password": PASSWORD, "next": "/", "csrf_token": form_token(client)},
        follow_redirects=False,
    )
    html = client.get(f"/assets/{asset_id}").text
    history = html[html.index('id="history"') :]
    blocks = re.findall(r'<details class="history-section" data-section="(\w+)"( open)?>', history)
    assert dict(blocks) == {"softwares": "", "networks": " open", "hardware": " open", "virtualmachines": " open",
                            "asset": " open"}  # fmt: skip
    softwares = history[history.index('data-section="softwares"') :]
    softwares = softwares[: softwares.index("</details>")]
    assert f'data-kind="updated" data-count="{PACKAGES}">{PACKAGES} modifié(s)' in softwares
    assert 'data-kind="added" data-count="1">1 ajouté(s)' in softwares
    assert softwares.count('<tr data-kind="updated">') == PACKAGES
    assert softwares.count('<tr data-kind="added">') == 1 and "nouveau-paquet 2.0" in softwares
    assert "paquet-0000 x86_64" in softwares and "paquet-1999 x86_64" in softwares
    assert "192.168.1.150" in history and "Passerelle par défaut" in history and "more changes" not in history

    # A member's reader: their member's history, not another member's.
    own = make_user(engine, "lecteur-servon", role="member_reader", member_id=servon)
    other = make_user(engine, "lecteur-chevry", role="member_reader", member_id=chevry)
    assert client.get(url, headers=own).status_code == 200
    for params in ({}, {"grouped": "true"}):
        assert client.get(url, params=params, headers=other).status_code == 404


def test_a_resend_writes_no_line(client, engine) -> None:  # type: ignore[no-untyped-def]
    token = make_enrolment_token(engine, make_member(engine, "Servon"))
    inventory = _computer()
    asset_id = _post(client, engine, inventory, token)
    assert post_inventory(client, inventory, token=token).status_code == 200
    shuffled = copy.deepcopy(inventory)  # the same items in another order: rewritten, not changed
    for section in ("softwares", "networks", "virtualmachines", "drives", "usbdevices"):
        shuffled["content"][section].reverse()
    assert post_inventory(client, shuffled, token=token).status_code == 200
    assert [c.field for c in _history(engine, asset_id)] == ["created"]


def test_moving_values_write_no_line(client, engine) -> None:  # type: ignore[no-untyped-def]
    """Port counters, last change and uptime of a switch; free space, boot time, last login and
    battery voltage of a computer: they move at every run and say nothing of the device."""
    token = make_enrolment_token(engine, make_member(engine, "Servon"))
    switch = copy.deepcopy(example("networkequipment_1"))
    switch["deviceid"] = "ucs6248up-2024-01-01-00-00-00"
    switch_id = _post(client, engine, switch, token)
    for run in range(1, 3):
        moved = copy.deepcopy(switch)
        device = moved["content"]["network_device"]
        device["uptime"], device["cpu"] = f"{482 + run} days, 05:42:18.50", 4 + run
        for port in moved["content"]["network_ports"]:
            port["ifinbytes"] = port.get("ifinbytes", 0) + 1000 * run
            port["ifoutbytes"] = port.get("ifoutbytes", 0) + 2000 * run
            port["ifinerrors"] = port.get("ifinerrors", 0) + run
            port["ifouterrors"] = port.get("ifouterrors", 0) + run
            port["iflastchange"] = f"{run}.00 seconds"
        assert post_inventory(client, moved, token=token).status_code == 200
    assert [c.field for c in _history(engine, switch_id)] == ["created"]

    computer = _computer()
    computer_id = _post(client, engine, computer, token)
    moved = copy.deepcopy(computer)
    content = moved["content"]
    for drive in content["drives"]:
        drive["free"] = drive["free"] // 2
    content["operatingsystem"]["boot_time"] = "2020-06-11 07:00:00"
    content["hardware"]["datelastloggeduser"] = "Mon Jun 15 08:30"
    content["batteries"][0]["voltage"] = 8123
    for nic in content["networks"]:
        if nic["description"] == "wlp58s0":  # roaming: another access point, another link rate
            nic["wifi_bssid"], nic["speed"] = "24:F5:A2:2D:70:FB", "144"
    assert post_inventory(client, moved, token=token).status_code == 200
    assert [c.field for c in _history(engine, computer_id)] == ["created"]
