"""Merging a duplicate record from the asset's edit page, and undoing it from the merges page,
each after a ticked confirmation."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from server.assets.models import Asset
from tests.server.web.test_pages import post_form, sign_in
from tests.utils import example, make_enrolment_token, post_inventory, variant


def test_an_admin_merges_a_duplicate_then_undoes_it(client, parc, engine) -> None:  # type: ignore[no-untyped-def]
    assert sign_in(client, "dsit").status_code == 303
    copy = variant(example("computer_1"), deviceid="PC-COMPTA-BIS", hardware__name="PC-COMPTA-BIS", bios__ssn="S-2")
    assert post_inventory(client, copy, token=make_enrolment_token(engine, parc["servon"])).status_code == 200
    with Session(engine) as session:
        twin = session.scalars(select(Asset.id).where(Asset.name == "PC-COMPTA-BIS")).one()
    kept = parc["pcs"]["PC-COMPTA"]
    elsewhere = {"other_id": str(parc["pcs"]["PC-MAIRE"]), "confirm": "yes"}
    other_member = post_form(client, f"/assets/{kept}/merge", elsewhere, headers={"accept": "text/html"})
    assert 'action="/assets/%d/merge"' % kept in client.get(f"/assets/{kept}/edit").text  # noqa: UP031
    assert other_member.status_code in (409, 422) and 'href="/"' in other_member.text  # another member's PC
    assert post_form(client, f"/assets/{kept}/merge", {"other_id": str(twin)}).status_code == 422  # unconfirmed
    assert post_form(client, f"/assets/{kept}/merge", {"other_id": str(kept), "confirm": "yes"}).status_code == 422
    merged = post_form(client, f"/assets/{kept}/merge", {"other_id": str(twin), "confirm": "yes"},
                       follow_redirects=False)  # fmt: skip
    assert merged.status_code == 303
    with Session(engine) as session:
        assert session.get(Asset, twin).merged_into_id == kept  # type: ignore[union-attr]
    page = client.get("/merges").text
    assert "Fusion manuelle" in page and "Annuler la fusion" in page
    merge_id = int(page.split('id="merge-')[1].split('"')[0])
    assert post_form(client, f"/merges/{merge_id}/undo", {}).status_code == 422  # unconfirmed
    undone = post_form(client, f"/merges/{merge_id}/undo", {"confirm": "yes"}, follow_redirects=False)
    assert undone.status_code == 303 and undone.headers["location"] == f"/assets/{twin}?saved=1"
    with Session(engine) as session:
        assert session.get(Asset, twin).merged_into_id is None  # type: ignore[union-attr]
    assert post_form(client, f"/merges/{merge_id}/undo", {"confirm": "yes"}).status_code == 409
    assert "annulée par dsit" in client.get("/merges").text
