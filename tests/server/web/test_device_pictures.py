"""Device pictures on the asset page, from what real devices answer: the profiles' recordings of
an APC UPS, a Synology NAS, a Cisco switch stack (with its LACP aggregate) and a Kyocera copier
polled once through a real snmpsim by the SNMP collector, their inventories stored by the server.

The view models are checked against the recordings' own values (``device_profiles`` ``expect``:
46 min, 37 %, 14285059129344 bytes...), and the pages must write them out as text beside each
drawing, in French and in English."""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest

from collector.config import CollectorConfig, Target
from collector.profiles import load_profiles
from collector.runner import poll_all
from collector.snmp.session import Credential
from server.web import device_views
from tests.conftest import need
from tests.server.web.test_pages import PASSWORD, sign_in
from tests.support.snmp_agents import SnmpSimulator, snmpsim_command
from tests.utils import make_enrolment_token, make_member, make_user, post_inventory
from wire.glpi_json import parse_sections

DEVICES = ("apc_powernet", "synology_dsm", "cisco_ios_lag", "printer_mib_generic")
TODAY = dt.date(2026, 3, 1)


def poll(names: tuple[str, ...] = DEVICES) -> dict[str, dict[str, Any]]:
    """Each recording's inventory, as the collector sends it (the browser crawl uses it too)."""
    simulator = SnmpSimulator.start(only=names)
    try:
        config = CollectorConfig(timeout=1.0, retries=1, deadline=30.0)  # type: ignore[call-arg]
        host, port = simulator.endpoints[0]
        for name in names:
            config.credentials[name] = Credential(version="2c", name=name, community=name)
            config.targets.append(Target(host=host, port=port, credential=name, name=name))
        results = asyncio.run(poll_all(config.targets, config, load_profiles())).results
    finally:
        simulator.stop()
    found = {r.target.name: r.inventory for r in results if r.status == "ok"}
    assert set(found) == set(names), [(r.target.name, r.status, r.message) for r in results]
    return found


@pytest.fixture(scope="module")
def polled() -> Iterator[dict[str, dict[str, Any]]]:
    """One poll for the module."""
    need(snmpsim_command() is not None, "snmpsim is not installed (make snmpsim)")
    yield poll()


def sections(polled: dict[str, dict[str, Any]], name: str) -> dict[str, Any]:
    return parse_sections(polled[name]["content"])


def metrics_of(found: dict[str, Any]) -> dict[tuple[str, str | None], float]:
    return {(m["name"], m.get("instance")): m["value"] for m in found.get("mutuparc_metrics") or []}


def test_a_ups_battery_charge_runtime_load_and_age_against_its_cycle(polled) -> None:  # type: ignore[no-untyped-def]
    found = sections(polled, "apc_powernet")
    view = device_views.ups_view(found, metrics_of(found), "fr", today=TODAY, cycle_years=4)
    assert view is not None
    assert (view.charge.percent, view.charge.text, view.charge.state) == (100.0, "100\u202f%", "ok")  # type: ignore[union-attr]
    assert view.runtime == "46 min" and view.load.text == "37\u202f%"  # type: ignore[union-attr]
    assert view.battery_status == "normal" and not view.replace_needed
    # battery replaced 2022-03-21 (upsBasicBatteryLastReplaceDate): 3,9 years of 4 on 1 March 2026
    assert view.battery_date == dt.date(2022, 3, 21) and view.battery_due == dt.date(2026, 3, 21)
    assert view.battery_age_years == "3,9" and view.battery_age.state == "warn"  # type: ignore[union-attr]
    assert (view.input_voltage, view.output_voltage, view.temperature) == ("231 V", "230 V", "27 °C")
    later = device_views.ups_view(found, metrics_of(found), "en", today=dt.date(2026, 4, 1), cycle_years=4)
    assert later.battery_age.state == "low" and later.battery_age_years == "4"  # type: ignore[union-attr]
    assert device_views.duration_text(65, "fr") == "1 h 05 min"


def test_a_nas_volumes_used_and_free_and_its_disks_states(polled) -> None:  # type: ignore[no-untyped-def]
    found = sections(polled, "synology_dsm")
    view = device_views.nas_view(found, metrics_of(found), "fr")
    assert view is not None
    volume = {v.name: v for v in view.volumes}["/volume1"]  # 14285059129344 bytes, 5228324716544 free
    assert (volume.total, volume.used, volume.free) == ("13,0 To", "8,2 To", "4,8 To")
    assert volume.level.text == "63,4\u202f%" and volume.level.state == "ok"
    assert [p.name for p in view.pools] == ["Storage Pool 1", "Storage Pool 2"]
    assert view.pools[1].level.state == "low"  # 3981673251840 of 3985729650688: full
    disks = {d.name: d for d in view.disks}
    assert len(disks) == 6 and (disks["Disk 3"].state, disks["Disk 3"].status) == ("warn", "Avertissement")
    assert (disks["Disk 1"].state, disks["Disk 1"].temperature) == ("ok", "34 °C")
    assert view.temperature == "41 °C"
    english = device_views.nas_view(found, metrics_of(found), "en")
    assert english.volumes[0].total == "13.0 TB" and english.disks[2].status == "Warning"  # type: ignore[union-attr]


def test_a_switch_port_grid_with_what_stands_behind_each_port(polled) -> None:  # type: ignore[no-untyped-def]
    found = sections(polled, "cisco_ios_lag")
    view = device_views.switch_view(found, "fr")
    assert view is not None
    ports = {p.name: p for p in view.ports}
    assert "Vl1" not in ports  # a VLAN interface is no port to plug into
    assert (view.up, view.down) == (8, 9)  # 17 Ethernet ports: 8 up; 8 down and Fa0 (management)
    first = ports["Gi1/0/1"]
    assert (first.up, first.speed, first.kind, first.macs) == (True, "1 Gbit/s", "Ethernet", ["54:bf:64:1a:2b:01"])
    assert (ports["Gi1/0/4"].up, ports["Gi1/0/4"].speed) == (False, None)
    uplink = ports["Gi1/0/8"]
    assert uplink.trunk and uplink.member_of == "Po1" and uplink.anchor == "port-10108"
    assert [(n.name, n.port) for n in uplink.neighbours] == [("core-dc.agglo.local", "TenGigabitEthernet1/0/12")]
    assert uplink.behind == 2  # the core switch (its MAC learnt too) and one more MAC
    lag = ports["Po1"]
    assert lag.aggregate and lag.members == ["Gi1/0/8", "Gi2/0/8"] and lag.speed == "2 Gbit/s"
    assert view.ports[-1] is lag  # aggregates after the physical ports
    assert [p.name for p in view.connected][:3] == ["Gi1/0/1", "Gi1/0/2", "Gi1/0/3"]


def test_a_copier_supplies_levels(polled) -> None:  # type: ignore[no-untyped-def]
    found = sections(polled, "printer_mib_generic")
    view = device_views.printer_view(found, "fr")
    assert view is not None and view.total_pages == 184532
    supplies = {s.name: s for s in view.supplies}
    assert supplies["Magenta Toner TK-8345M"].level == device_views.Level(10.0, "10\u202f%", "low")
    assert supplies["Black Toner TK-8345K"].level.text == "55\u202f%"  # type: ignore[union-attr]
    assert supplies["Waste Toner Box"].level is None and supplies["Waste Toner Box"].state == "OK"
    assert supplies["Drum Unit DK-8350"].level is None and supplies["Drum Unit DK-8350"].state is None
    assert [s.kind for s in view.supplies][:4] == ["toner"] * 4


def _text(html: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))  # \u202f (French %) kept


def test_asset_pages_draw_and_write_the_values(client, engine, polled) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Brie-Comte-Robert")
    make_user(engine, "dsit", role="admin", password=PASSWORD)
    token = make_enrolment_token(engine, member, kind="collector")
    for name in DEVICES:
        assert post_inventory(client, polled[name], token=token).status_code == 200, name
    admin = make_user(engine, "api", role="admin")
    ids = {a["asset_type"]: a["id"] for a in client.get("/api/v1/assets", headers=admin).json()["data"]}
    assert sign_in(client, "dsit").status_code == 303
    for lang, words in (("fr", {"ups": ["46 min", "37\u202f%", "Batterie du 21/03/2022", "sur un cycle de 4 ans"],
                                "nas": ["/volume1", "8,2 To utilisés sur 13,0 To (63,4\u202f%)", "4,8 To libres",
                                        "Disk 3", "Avertissement"],
                                "switch": ["Gi1/0/8", "1 Gbit/s", "core-dc.agglo.local", "54:bf:64:1a:2b:01",
                                           "membre de Po1", "8 actifs, 9 inactifs"],
                                "printer": ["Magenta Toner TK-8345M", "10\u202f%", "184\u202f532 pages"]}),
                        ("en", {"ups": ["46 min", "37%", "Battery of 2022-03-21", "of a 4-year cycle"],
                                "nas": ["8.2 TB used of 13.0 TB (63.4%)", "Warning"],
                                "switch": ["member of Po1", "8 up, 9 down", "link aggregate"],
                                "printer": ["Total counter: 184,532 pages", "Some left"]})):  # fmt: skip
        client.get(f"/lang/{lang}?next=/")
        for kind, wanted in words.items():
            page = client.get(f"/assets/{ids[kind]}")
            assert page.status_code == 200, (lang, kind)
            assert f'id="device-{kind}"' in page.text, (lang, kind)
            text = _text(page.text)
            missing = [w for w in wanted if w not in text]
            assert not missing, (lang, kind, missing)
    switch = client.get(f"/assets/{ids['switch']}").text
    # a port with MACs behind it links to its line in the list; a port with nothing behind does not
    assert 'href="#port-10101"' in switch and 'id="port-10101"' in switch and 'href="#port-10104"' not in switch
    printer = client.get(f"/assets/{ids['printer']}").text
    assert f'href="/assets/{ids["printer"]}/counters"' in printer
    # a PC shows no device picture
    assets = client.get("/api/v1/assets", headers=admin).json()["data"]
    pcs = [a["id"] for a in assets if a["asset_type"] == "workstation"]
    assert not pcs or 'class="card device-picture"' not in client.get(f"/assets/{pcs[0]}").text


def test_which_pictures_an_asset_gets_and_partial_readings() -> None:
    assert device_views.device_views("workstation", {"storages": [{"name": "sda", "status": "ok"}]}, {}, "fr",
                                     today=TODAY) == []  # fmt: skip
    assert device_views.device_views("ups", {}, {}, "fr", today=TODAY) == []  # nothing read: no empty panel
    # a UPS whose card gives no battery date, only the age the collector computed
    only_age = device_views.ups_view({}, {("ups.battery.age_days", None): 730.0}, "fr", today=TODAY, cycle_years=3)
    assert only_age is not None and only_age.charge is None and only_age.battery_date == dt.date(2024, 3, 1)
    assert only_age.battery_age_years == "2" and only_age.battery_due == dt.date(2027, 3, 1)
    assert only_age.battery_age.state == "ok"  # type: ignore[union-attr]  # 2 of 3 years: 67 %
    # a depleted battery that needs replacing, a UPS nearly fully loaded
    tired = device_views.ups_view({}, {("ups.battery.status", None): 4.0, ("ups.battery.replace_needed", None): 1.0,
                                       ("ups.output.load_percent", None): 93.0}, "en", today=TODAY)  # fmt: skip
    assert tired is not None and tired.battery_status == "depleted" and tired.replace_needed
    assert tired.load == device_views.Level(93.0, "93%", "low")
    states = [device_views.disk_state(s) for s in ("GOOD", "Warning", "Crashed", None)]
    assert states == ["ok", "warn", "bad", "unknown"]


def test_charts_come_from_static_files_and_pages_run_no_inline_script(client, parc) -> None:  # type: ignore[no-untyped-def]
    """ECharts and the init script are served from /static (no CDN); a page's scripts are those
    files or JSON data blocks, so the policy's script-src stays 'self' (no 'unsafe-inline')."""
    library = client.get("/static/echarts.common.min.js")
    assert library.status_code == 200 and "javascript" in library.headers["content-type"]
    assert "Apache" in library.text[:400] and len(library.content) > 500_000
    assert client.get("/static/charts.js").status_code == 200
    assert client.get("/static/echarts.LICENSE.txt").status_code == 200
    assert sign_in(client, "dsit").status_code == 303
    for path in ("/", "/renewal"):
        page = client.get(path)
        policy = page.headers["content-security-policy"]
        script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
        assert script_src.split() == ["script-src", "'self'"], script_src  # no inline code, no hash, no CDN
        tags = re.findall(r"<script\b([^>]*)>", page.text)
        assert tags, path
        for attributes in tags:
            assert 'src="/static/' in attributes or 'type="application/json"' in attributes, (path, attributes)
        assert 'data-chart="bars"' in page.text and "chart-fallback" in page.text, path
