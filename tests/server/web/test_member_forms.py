"""The members' details and sites edited from the pages: validation naming the field, admins
only, and each change in the audit chain, shown in words on the journal."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlmodel import Session

from server.audit.models import AuditEvent
from server.tenancy.models import Member, Site
from tests.server.web.test_pages import post_form, sign_in
from tests.utils import make_user

HTML = {"accept": "text/html"}


def test_an_admin_edits_a_members_population_insee_code_and_sites(client, parc, engine) -> None:  # type: ignore[no-untyped-def]
    servon = parc["servon"]
    assert sign_in(client, "dsit").status_code == 303
    members = client.get("/members").text
    assert f'href="/members/{servon}/edit"' in members
    form = client.get(f"/members/{servon}/edit")
    assert form.status_code == 200 and 'name="population"' in form.text

    bad = post_form(client, f"/members/{servon}/edit", {"kind": "commune", "population": "beaucoup",
                                                        "insee_code": "7745"})  # fmt: skip
    assert bad.status_code == 422
    assert 'id="population-error"' in bad.text and 'id="insee_code-error"' in bad.text
    assert 'value="beaucoup"' in bad.text  # what was typed stays in the form
    siren = post_form(client, f"/members/{servon}/edit", {"kind": "epci", "insee_code": "77450"})
    assert siren.status_code == 422 and "SIREN : 9 chiffres" in siren.text  # an EPCI has a SIREN

    good = post_form(client, f"/members/{servon}/edit", {"kind": "commune", "population": "3 476",
                                                         "insee_code": "77450"}, follow_redirects=False)  # fmt: skip
    assert good.status_code == 303
    with Session(engine) as session:
        member = session.get(Member, servon)
        assert member is not None and (member.population, member.insee_code) == (3476, "77450")
    row = re.search(rf'<tr><th scope="row"><a href="/assets\?member_id={servon}">Servon</a></th>(.*?)</tr>',
                    client.get("/members").text, re.S)  # fmt: skip
    assert row and "3\u202f476" in row.group(1) and "77450" in row.group(1) and "Commune" in row.group(1)

    assert post_form(client, f"/members/{servon}/sites", {"name": "  "}).status_code == 422
    added = post_form(client, f"/members/{servon}/sites", {"name": "École", "address": "1 rue de la Mairie"},
                      follow_redirects=False)  # fmt: skip
    assert added.status_code == 303
    assert post_form(client, f"/members/{servon}/sites", {"name": "École"}).status_code == 422  # no twin site
    with Session(engine) as session:
        assert session.scalars(select(Site.name).where(Site.member_id == servon)).all() == ["École"]
        actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)).all()
    assert "POST /members/{member_id}/edit" in actions and "POST /members/{member_id}/sites" in actions
    journal = client.get("/audit").text
    assert "Modification : membre" in journal or "Création : site" in journal
    assert "Connexion" in journal and "session web" in journal
    chain_head = re.search(r'id="chain">\s*<thead>(.*?)</thead>', journal, re.S)
    assert chain_head and chain_head.group(1).count(">Par<") == 1 and ">Canal<" in chain_head.group(1)


def test_only_admins_edit_members(client, parc, engine) -> None:  # type: ignore[no-untyped-def]
    make_user(engine, "technicien", role="technician", password="motdepasse-2026")
    assert sign_in(client, "technicien").status_code == 303
    assert client.get(f"/members/{parc['servon']}/edit", headers=HTML).status_code == 403
    answer = post_form(client, f"/members/{parc['servon']}/edit", {"kind": "commune", "population": "1"})
    assert answer.status_code == 403
    assert '/edit"' not in client.get("/members").text  # no edit link for a technician
