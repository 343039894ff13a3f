"""What a member's collector discovers is compared with that member's assets only: another
member's MAC neither hides the device (an oracle on the other member's parc) nor reveals it."""

from __future__ import annotations

from tests.utils import example, make_enrolment_token, make_member, make_user, post_inventory, variant


def _report(client, token: str, mac: str) -> None:  # type: ignore[no-untyped-def]
    report = {"action": "collector_report", "collector": "datacenter", "started_at": "2026-12-07T08:00:00Z",
              "finished_at": "2026-12-07T08:01:00Z",
              "discovered": [{"address": "10.9.9.9", "via": ["icmp"], "mac": mac}]}  # fmt: skip
    answer = client.post("/api/v1/collector/reports", json=report, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200, answer.text


def test_another_members_mac_does_not_hide_a_discovered_device(client, engine) -> None:  # type: ignore[no-untyped-def]
    a, b = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    b_pc = variant(example("computer_1"), deviceid="pc-b-2026", hardware__name="PC-B", bios__ssn="B-1")
    assert post_inventory(client, b_pc, token=make_enrolment_token(engine, b)).status_code == 200
    b_mac = next(n["mac"] for n in b_pc["content"]["networks"] if n.get("mac") and not n["mac"].startswith("00:00"))
    _report(client, make_enrolment_token(engine, a, kind="collector"), b_mac)
    reader_a = make_user(engine, "lecteur-servon", role="member_reader", member_id=a)
    listed = client.get("/api/v1/audit/devices", headers=reader_a).json()["data"]
    assert [d["address"] for d in listed] == ["10.9.9.9"]  # A sees its own discovery, B's parc is not consulted
    # The same MAC on one of A's own assets: now it is known, and hidden.
    a_pc = variant(example("computer_1"), deviceid="pc-a-2026", hardware__name="PC-A", bios__ssn="A-1")
    assert post_inventory(client, a_pc, token=make_enrolment_token(engine, a)).status_code == 200
    assert client.get("/api/v1/audit/devices", headers=reader_a).json()["data"] == []
