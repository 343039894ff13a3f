"""Several sources of one asset: each keeps its own report, the asset shows one by a documented
precedence (server.ingest.precedence), and nothing flips from one run to the next."""

from __future__ import annotations

import copy
from typing import Any

from tests.utils import example, make_enrolment_token, make_member, make_user, post_inventory


def three_agents() -> dict[str, dict[str, Any]]:
    """What three agents installed on one PC report, as they really differ: versions, the OS
    install date one leaves out and another sets to the epoch, threads, the packages each sees."""
    base = example("computer_1")
    glpi, fusion, mutuparc = (copy.deepcopy(base) for _ in range(3))
    glpi["deviceid"], glpi["content"]["versionclient"] = "glpixps-2026-01-05-08-00-00", "GLPI-Agent_v1.12"
    glpi["content"]["operatingsystem"]["install_date"] = "2019-11-02 10:00:00"
    fusion["content"]["versionclient"] = "FusionInventory-Agent_v2.6"  # the example's own deviceid
    fusion["content"]["cpus"][0]["thread"] = 2
    mutuparc["deviceid"], mutuparc["content"]["versionclient"] = "glpixps-mutuparc", "Mutuparc-Agent_v0.1.0"
    mutuparc["content"]["operatingsystem"]["install_date"] = "1970-01-01 00:00:00"
    mutuparc["content"]["softwares"].append({"name": "mutuparc-agent", "version": "0.1.0"})
    return {"glpi": glpi, "fusion": fusion, "mutuparc": mutuparc}


def shown(client, admin, asset_id: int) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    detail = client.get(f"/api/v1/assets/{asset_id}", headers=admin).json()
    fields = {k: detail[k] for k in ("name", "manufacturer", "model", "serial", "uuid", "asset_type", "os")}
    components = {}
    for name, rows in detail["components"].items():
        if rows:
            components[name] = [
                {k: v for k, v in r.items() if k != "id"} for r in (rows if isinstance(rows, list) else [rows])
            ]
    return {"fields": fields, "components": components, "history": len(detail["history"])}


def test_three_agents_on_one_pc_over_three_rounds(client, engine) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    token, admin = make_enrolment_token(engine, member), make_user(engine, "dsit", role="admin")
    agents = three_agents()
    rounds = []
    for _ in range(3):
        for inventory in agents.values():
            assert post_inventory(client, inventory, token=token).status_code == 200
        (asset,) = client.get("/api/v1/assets", headers=admin).json()["data"]
        rounds.append(shown(client, admin, asset["id"]))
    assert rounds[1] == rounds[2] == rounds[0], "a value flipped between runs, or the history grew"
    detail = client.get(f"/api/v1/assets/{asset['id']}", headers=admin).json()
    assert len(detail["sources"]) == 3
    # The last agent to arrive shows its report (the newest wins once, then keeps it).
    assert detail["components"]["operatingsystem"]["install_date"].startswith("1970-01-01")
    assert "mutuparc-agent" in {s["name"] for s in detail["components"]["softwares"]}


def test_each_source_keeps_its_report_and_takes_over_when_the_other_stops(client, engine) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    token, admin = make_enrolment_token(engine, member), make_user(engine, "dsit", role="admin")
    agents = three_agents()
    for name in ("glpi", "mutuparc"):
        assert post_inventory(client, agents[name], token=token).status_code == 200
    (asset,) = client.get("/api/v1/assets", headers=admin).json()["data"]
    # Mutuparc's agent is uninstalled: its next (last) full inventory carries no software...
    gone = copy.deepcopy(agents["mutuparc"])
    del gone["content"]["softwares"]
    assert post_inventory(client, gone, token=token).status_code == 200
    softwares = client.get(f"/api/v1/assets/{asset['id']}", headers=admin).json()["components"]["softwares"]
    # ...and GLPI Agent's report of the software, kept apart until now, is what the asset shows.
    assert sorted(s["name"] for s in softwares) == sorted(s["name"] for s in agents["glpi"]["content"]["softwares"])
    assert softwares and all(s["source_id"] is not None for s in softwares)


def test_a_collector_does_not_overwrite_what_the_agent_says_of_its_machine(client, engine) -> None:  # type: ignore[no-untyped-def]
    """A server read by its agent and by SNMP: the agent's OS and disks, the collector's ports."""
    member = make_member(engine, "Servon")
    admin = make_user(engine, "dsit", role="admin")
    agent, collector = make_enrolment_token(engine, member), make_enrolment_token(engine, member, kind="collector")
    pc = example("computer_1")
    assert post_inventory(client, pc, token=agent).status_code == 200
    snmp = {"action": "netinventory", "deviceid": "snmp-sn-640HP72", "itemtype": "NetworkEquipment",
            "content": {"versionclient": "Mutuparc-Collector_v0.1.0",
                        "network_device": {"type": "Computer", "name": "glpixps.local", "serial": "640HP72",
                                           "manufacturer": "Dell Inc.", "mutuparc_type": "laptop"},
                        "network_ports": [{"ifnumber": 2, "ifname": "wlp58s0"}]}}  # fmt: skip
    for _ in range(2):
        assert post_inventory(client, snmp, token=collector).status_code == 200
        assert post_inventory(client, pc, token=agent).status_code == 200
    (asset,) = client.get("/api/v1/assets", headers=admin).json()["data"]
    assert asset["name"] == "glpixps", "the name the machine gives itself"
    detail = client.get(f"/api/v1/assets/{asset['id']}", headers=admin).json()
    assert detail["components"]["operatingsystem"]["name"] == "Fedora"
    assert [p["name"] for p in detail["components"]["network_ports"]] == ["wlp58s0"]
    names = [c for c in detail["history"] if c["field"] == "name"]
    assert names == [], "no name going back and forth"


def test_a_persons_value_stays_until_released(client, engine) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    token, admin = make_enrolment_token(engine, member), make_user(engine, "dsit", role="admin")
    assert post_inventory(client, example("computer_1"), token=token).status_code == 200
    (asset,) = client.get("/api/v1/assets", headers=admin).json()["data"]
    edited = client.patch(f"/api/v1/assets/{asset['id']}", json={"name": "PC-ACCUEIL-01"}, headers=admin)
    assert edited.status_code == 200 and edited.json()["manual_fields"] == ["name"]
    assert post_inventory(client, example("computer_1"), token=token).status_code == 200
    renamed = copy.deepcopy(example("computer_1"))
    renamed["content"]["hardware"]["name"] = "glpixps-2"
    assert post_inventory(client, renamed, token=token).status_code == 200
    assert client.get(f"/api/v1/assets/{asset['id']}", headers=admin).json()["name"] == "PC-ACCUEIL-01"
    released = client.delete(f"/api/v1/assets/{asset['id']}/manual-fields/name", headers=admin)
    assert released.status_code == 200 and released.json()["manual_fields"] == []
    renamed["content"]["hardware"]["name"] = "glpixps-3"
    assert post_inventory(client, renamed, token=token).status_code == 200
    assert client.get(f"/api/v1/assets/{asset['id']}", headers=admin).json()["name"] == "glpixps-3"
    assert client.delete(f"/api/v1/assets/{asset['id']}/manual-fields/name", headers=admin).status_code == 404
