"""SNMP credentials from the pages: validated field by field, secrets write-only (sealed, never
shown, not even sent back on an error), delete after a ticked confirmation."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from server.collectors.models import SnmpCredential
from tests.server.web.test_pages import post_form, sign_in


def test_an_admin_adds_a_credential_whose_secrets_never_come_back(client, parc, engine) -> None:  # type: ignore[no-untyped-def]
    servon = str(parc["servon"])
    assert sign_in(client, "dsit").status_code == 303
    assert 'href="/collectors/credentials"' in client.get("/collectors").text
    v3 = {"member_id": servon, "name": "v3-mairie", "version": "3", "user": "", "auth_key": "court",
          "priv_key": "secret-de-chiffrement"}  # fmt: skip
    refused = post_form(client, "/collectors/credentials", v3)
    assert refused.status_code == 422
    assert 'id="user-error"' in refused.text and 'id="auth_key-error"' in refused.text
    assert "secret-de-chiffrement" not in refused.text  # a typed secret is not echoed
    no_community = post_form(client, "/collectors/credentials", {"member_id": servon, "name": "v2", "version": "2c"})
    assert no_community.status_code == 422 and 'id="community-error"' in no_community.text
    good = {**v3, "user": "inventaire", "auth_key": "cle-auth-2026", "auth_protocol": "sha256"}
    assert post_form(client, "/collectors/credentials", good, follow_redirects=False).status_code == 303
    page = client.get("/collectors/credentials").text
    assert "v3-mairie" in page and "SHA256" in page
    assert "cle-auth-2026" not in page and "secret-de-chiffrement" not in page
    with Session(engine) as session:
        row = session.scalars(select(SnmpCredential).where(SnmpCredential.name == "v3-mairie")).one()
        assert row.auth_key_sealed and b"cle-auth-2026" not in bytes(str(row.auth_key_sealed), "utf-8")
        credential_id = row.id
    assert post_form(client, f"/collectors/credentials/{credential_id}/delete", {}).status_code == 422
    gone = post_form(client, f"/collectors/credentials/{credential_id}/delete", {"confirm": "yes"},
                     follow_redirects=False)  # fmt: skip
    assert gone.status_code == 303
    with Session(engine) as session:
        assert session.get(SnmpCredential, credential_id) is None
