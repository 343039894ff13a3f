"""An asset edited from its page: a status change needs its reason and may carry a document, the
purchase data take French amounts, a quarantined asset is assigned; errors name the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlmodel import Session

from server.assets.models import Asset, AssetDocument, AssetStatusChange
from server.web.asset_forms import parse_price
from tests.server.web.test_pages import form_token, sign_in
from tests.utils import example, post_inventory, variant

BASE = {"status": "in_service", "category": "normal", "reason": "", "purchase_date": "", "warranty_end": "",
        "purchase_price": "", "supplier": "", "inventory_number": ""}  # fmt: skip


def _post(client, url: str, data: dict, files: dict | None = None, **kwargs):  # type: ignore[no-untyped-def]
    return client.post(url, data={**data, "csrf_token": form_token(client)}, files=files, **kwargs)


@pytest.mark.parametrize("bad", ["-3", "abc", "1,234.5", "1e9999", "NaN", "12,345"])
def test_nonsense_amounts_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_price(bad)


def test_french_amounts_are_read() -> None:
    assert parse_price("1 234,50 €") == Decimal("1234.50") and parse_price("80") == Decimal("80.00")
    assert parse_price("") is None


def test_a_status_change_with_its_reason_and_certificate(client, parc, engine) -> None:  # type: ignore[no-untyped-def]
    pc = parc["pcs"]["PC-COMPTA"]
    assert sign_in(client, "dsit").status_code == 303
    assert f'href="/assets/{pc}/edit"' in client.get(f"/assets/{pc}").text
    no_reason = _post(client, f"/assets/{pc}/edit", {**BASE, "status": "recycled", "purchase_price": "douze"})
    assert no_reason.status_code == 422
    assert 'id="reason-error"' in no_reason.text and 'id="purchase_price-error"' in no_reason.text
    late = _post(client, f"/assets/{pc}/edit", {**BASE, "purchase_date": "2024-05-02", "warranty_end": "2023-01-01"})
    assert late.status_code == 422 and 'id="warranty_end-error"' in late.text
    certificate = {"document": ("certificat.pdf", b"%PDF-1.4 certificat", "application/pdf")}
    saved = _post(client, f"/assets/{pc}/edit", {**BASE, "status": "recycled", "reason": "Recyclé par Ecologic",
                                                  "document_kind": "recycling_certificate",
                                                  "purchase_date": "2021-03-01", "warranty_end": "2024-03-01",
                                                  "purchase_price": "1 234,50", "supplier": "UGAP"},
                  files=certificate, follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303, saved.text[:500]
    with Session(engine) as session:
        asset = session.get(Asset, pc)
        assert asset is not None and asset.lifecycle_status.value == "recycled"
        bought = (asset.purchase_price, asset.purchase_date, asset.supplier)
        assert bought == (Decimal("1234.50"), dt.date(2021, 3, 1), "UGAP")
        change = session.scalars(select(AssetStatusChange).where(AssetStatusChange.asset_id == pc)).one()
        assert (change.comment, change.actor) == ("Recyclé par Ecologic", "dsit")
        document = session.scalars(select(AssetDocument).where(AssetDocument.asset_id == pc)).one()
        assert document.kind.value == "recycling_certificate" and document.filename == "certificat.pdf"
    page = client.get(f"/assets/{pc}?saved=1").text
    assert "Équipement enregistré" in page and "Recyclé" in page


def test_a_quarantined_asset_is_assigned_to_a_member(client, parc, engine) -> None:  # type: ignore[no-untyped-def]
    stray = variant(example("computer_1"), deviceid="PC-SANS-JETON", hardware__name="PC-SANS-JETON", bios__ssn="Q-1")
    assert post_inventory(client, stray).status_code == 200  # no token: quarantine
    with Session(engine) as session:
        quarantined = session.scalars(select(Asset.id).where(Asset.name == "PC-SANS-JETON")).one()
    assert sign_in(client, "dsit").status_code == 303
    assert 'id="assign"' in client.get(f"/assets/{quarantined}/edit").text
    assert _post(client, f"/assets/{quarantined}/assign", {"member_id": ""}).status_code == 422
    done = _post(client, f"/assets/{quarantined}/assign", {"member_id": str(parc["chevry"])}, follow_redirects=False)
    assert done.status_code == 303
    with Session(engine) as session:
        assert session.get(Asset, quarantined).member_id == parc["chevry"]  # type: ignore[union-attr]
    assert sign_in(client, "maire-chevry").status_code == 303  # a reader edits nothing
    assert client.get(f"/assets/{quarantined}/edit", headers={"accept": "text/html"}).status_code == 403
