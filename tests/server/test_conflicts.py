"""Conflicts resolved by the DSIT through the API and the page, recorded, in the metrics; never
shown to a member's reader."""

from __future__ import annotations

from tests.server.web.test_csrf import form_token
from tests.utils import example, make_enrolment_token, make_member, make_user, post_inventory, variant

PASSWORD = "motdepasse-2026"


def _raise_one(client, engine):  # type: ignore[no-untyped-def]
    """B's PC, then A's agent reporting a machine with the same serial: one open conflict."""
    a, b = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    admin = make_user(engine, "dsit", role="admin", password=PASSWORD)
    assert post_inventory(client, example("computer_1"), token=make_enrolment_token(engine, b)).status_code == 200
    moved = variant(example("computer_1"), deviceid="glpixps-servon-2026", hardware__name="pc-servon-compta")
    assert post_inventory(client, moved, token=make_enrolment_token(engine, a)).status_code == 200
    (conflict,) = client.get("/api/v1/conflicts", headers=admin).json()["data"]
    return a, b, admin, conflict


def test_move_gives_the_asset_to_the_member_that_now_inventories_it(client, engine) -> None:  # type: ignore[no-untyped-def]
    a, _, admin, conflict = _raise_one(client, engine)
    assert (conflict["asset"]["member"], conflict["other_asset"]["member"]) == ("Servon", "Chevry-Cossigny")
    done = client.post(f"/api/v1/conflicts/{conflict['id']}/resolve", json={"action": "move", "note": "PC donné"},
                       headers=admin)  # fmt: skip
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["resolved_by"], done.json()["note"]) == ("moved", "dsit", "PC donné")
    assets = client.get("/api/v1/assets", headers=admin).json()["data"]
    assert [(x["id"], x["member_id"]) for x in assets] == [(conflict["other_asset"]["id"], a)]
    # From now on A's agent updates it, and B's agent (if still there) no longer does.
    again = variant(example("computer_1"), deviceid="glpixps-servon-2026", hardware__name="pc-servon-rh")
    assert post_inventory(client, again, token=make_enrolment_token(engine, a)).status_code == 200
    (only,) = client.get("/api/v1/assets", headers=admin).json()["data"]
    assert only["name"] == "pc-servon-rh"
    history = client.get(f"/api/v1/assets/{only['id']}", headers=admin).json()["history"]
    assert any(h["field"] == "conflict" and h["new_value"] == "moved" for h in history)
    assert client.post(f"/api/v1/conflicts/{conflict['id']}/resolve", json={"action": "ignore"},
                       headers=admin).status_code == 409  # fmt: skip
    assert client.get("/api/v1/conflicts", headers=admin).json()["count"] == 0


def test_ignore_keeps_two_assets_and_never_raises_the_pair_again(client, engine) -> None:  # type: ignore[no-untyped-def]
    a, _, admin, conflict = _raise_one(client, engine)
    assert client.post(f"/api/v1/conflicts/{conflict['id']}/resolve", json={"action": "ignore"},
                       headers=admin).status_code == 200  # fmt: skip
    moved = variant(example("computer_1"), deviceid="glpixps-servon-2026", hardware__name="pc-servon-compta")
    assert post_inventory(client, moved, token=make_enrolment_token(engine, a)).status_code == 200
    assert len(client.get("/api/v1/assets", headers=admin).json()["data"]) == 2
    listed = client.get("/api/v1/conflicts", params={"status": "ignored"}, headers=admin).json()
    assert listed["count"] == 1 and client.get("/api/v1/conflicts", headers=admin).json()["count"] == 0


def test_merge_across_members_is_refused_with_a_reason(client, engine) -> None:  # type: ignore[no-untyped-def]
    _, _, admin, conflict = _raise_one(client, engine)
    refused = client.post(f"/api/v1/conflicts/{conflict['id']}/resolve", json={"action": "merge"}, headers=admin)
    assert refused.status_code == 422 and "two members" in refused.json()["detail"]


def test_the_page_metric_and_a_readers_view(client, engine) -> None:  # type: ignore[no-untyped-def]
    a, _, admin, conflict = _raise_one(client, engine)
    metrics = client.get("/metrics", headers=admin).text
    assert 'mutuparc_asset_conflicts_open{kind="serial"} 1.0' in metrics
    make_user(engine, "lecteur", role="member_reader", member_id=a, password=PASSWORD)
    reader = make_user(engine, "lecteur-api", role="member_reader", member_id=a)
    assert client.get("/api/v1/conflicts", headers=reader).status_code == 403
    client.post(
        "/login", data={"username": "lecteur", "password": PASSWORD, "next": "/", "csrf_token": form_token(client)}
    )
    assert "Conflits" not in client.get("/").text
    assert client.get("/conflicts", headers={"accept": "text/html"}).status_code == 403
    client.cookies.clear()
    client.post(
        "/login", data={"username": "dsit", "password": PASSWORD, "next": "/", "csrf_token": form_token(client)}
    )
    page = client.get("/conflicts").text
    assert "Même numéro de série (640HP72)" in page and "pc-servon-compta" in page and "Chevry-Cossigny" in page
    assert "Conflits d&#39;inventaire à traiter" in client.get("/").text
    decision = {"action": "ignore", "note": "deux PC", "csrf_token": form_token(client)}
    done = client.post(f"/conflicts/{conflict['id']}/resolve", data=decision, follow_redirects=True)
    assert done.status_code == 200 and "Aucun conflit." in done.text
    assert "deux PC" in client.get("/conflicts", params={"status": "ignored"}).text
