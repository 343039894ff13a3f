"""Tenant isolation, walked from the OpenAPI spec and the web routes: a reader of member A asks every
route with member B's ids (path and query), in every export format, and every write with B's ids.
Nothing of B comes back (B's data all carry a marker, searched in JSON, CSV, XLSX and PDF answers)
and nothing in the database changes. Enrolment tokens open no API route."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import SQLModel

from server.accounts.models import UserAccount
from tests.utils import example, make_enrolment_token, make_member, make_site, make_user, post_inventory, variant

MARK = "bzx9"  # in every name of member B's data
PASSWORD = "motdepasse-2026"
# Not member data: API tokens note their last use, sessions and sign-in attempts are the reader's own.
CHANGING_TABLES = {"api_token", "login_attempt", "web_session"}  # last use, last request: bookkeeping
COLLECTOR_ROUTES = ("/api/v1/collector/reports", "/api/v1/collector/credentials", "/api/v1/collector/host-keys")
# A reader's own account (their personal API tokens): theirs to write, nothing of any member.
OWN_ACCOUNT = "/api/v1/users/me/"


def _inventory(name: str, serial: str) -> dict[str, Any]:
    return variant(example("computer_1"), deviceid=f"{name}-2024", hardware__name=name, bios__ssn=serial)


@pytest.fixture
def two_members(client, engine: Engine) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Member A (Servon) and member B (Chalifert-BZX9) with one of everything each can own."""
    a, b = make_member(engine, "Servon"), make_member(engine, "Chalifert-BZX9")
    admin = make_user(engine, "dsit", role="admin")
    make_site(engine, a, "Mairie de Servon")
    ids: dict[str, Any] = {"member_id": b, "site_id": make_site(engine, b, "Site-BZX9")}
    a_agent = make_enrolment_token(engine, a)
    assert post_inventory(client, _inventory("PC-SERVON-01", "SN-SERVON-1"), token=a_agent).status_code == 200
    b_agent = make_enrolment_token(engine, b)
    for name, serial in (("PC-BZX9-01", "SN-BZX9-1"), ("PC-BZX9-02", "SN-BZX9-2")):
        assert post_inventory(client, _inventory(name, serial), token=b_agent).status_code == 200
    # B's agent reports a machine with A's serial: a conflict (B's new record, A's asset untouched).
    assert post_inventory(client, _inventory("PC-BZX9-03", "SN-SERVON-1"), token=b_agent).status_code == 200
    api = "/api/v1"
    ids["conflict_id"] = client.get(f"{api}/conflicts", headers=admin).json()["data"][0]["id"]
    listed = client.get(f"{api}/assets", params={"member_id": b}, headers=admin).json()["data"]
    b_assets = {x["name"]: x["id"] for x in listed}
    ids["asset_id"] = b_assets["PC-BZX9-01"]
    assert client.post(f"{api}/assets/{ids['asset_id']}/merge", json={"other_id": b_assets["PC-BZX9-02"]},
                       headers=admin).status_code == 201  # fmt: skip
    ids["merge_id"] = client.get(f"{api}/asset-merges", headers=admin).json()["data"][0]["id"]
    invoice = {"file": ("facture-BZX9.pdf", b"%PDF-1.4 facture BZX9", "application/pdf")}
    document = client.post(f"{api}/assets/{ids['asset_id']}/documents", headers=admin, data={"kind": "invoice"},
                           files=invoice)  # fmt: skip
    assert document.status_code == 201, document.text
    ids["document_id"] = document.json()["id"]
    ids["source_id"] = client.get(f"{api}/assets/{ids['asset_id']}", headers=admin).json()["sources"][0]["id"]
    collector = make_enrolment_token(engine, b, kind="collector")
    tokens = client.get(f"{api}/enrolment-tokens", params={"member_id": b}, headers=admin).json()["data"]
    ids["token_id"] = tokens[0]["id"]
    credential = {"member_id": b, "name": "cred-BZX9", "version": "2c", "community": "public-BZX9"}
    ids["credential_id"] = client.post(f"{api}/snmp-credentials", json=credential, headers=admin).json()["id"]
    host_keys = {"action": "collector_host_keys", "collector": "coll-BZX9",
                 "keys": [{"host": "sw-bzx9", "key_type": "ssh-ed25519", "key": "AAAAC3NzaC1lZDI1NTE5"}]}  # fmt: skip
    as_collector = {"X-Mutuparc-Token": collector}
    assert client.post(f"{api}/collector/host-keys", json=host_keys, headers=as_collector).status_code == 200
    ids["key_id"] = client.get(f"{api}/ssh-host-keys", headers=admin).json()["data"][0]["id"]
    report = {"action": "collector_report", "collector": "coll-BZX9", "started_at": "2026-11-20T08:00:00Z",
              "finished_at": "2026-11-20T08:01:00Z", "sweep": {"addresses": 1},
              "devices": [{"host": "10.9.9.9", "name": "SW-BZX9", "status": "timeout", "message": "BZX9 silent"}],
              "discovered": [{"address": "10.9.9.10", "via": ["icmp"], "sys_name": "AP-BZX9"}]}  # fmt: skip
    assert client.post(f"{api}/collector/reports", json=report, headers=as_collector).status_code == 200
    mapping = {"member_id": b, "pattern": "/volume1/bzx9"}
    ids["mapping_id"] = client.post(f"{api}/storage/mappings", json=mapping, headers=admin).json()["id"]
    pool = {"year": 2026, "name": "Pool-BZX9", "amount": "1000", "key_code": "workstations", "members": [b]}
    ids["pool_id"] = client.post(f"{api}/pools", json=pool, headers=admin).json()["id"]
    plan = client.post(f"{api}/renewal/plans", json={"member_id": b, "budget_date": "2026-10-01"}, headers=admin)
    assert plan.status_code == 201, plan.text
    ids["plan_id"] = plan.json()["id"]
    assert client.post(f"{api}/keys/snapshots", headers=admin).status_code == 200
    make_user(engine, "lecteur-bzx9", role="member_reader", member_id=b)  # B's user, for the /users pages
    with engine.connect() as connection:
        ids["user_id"] = connection.scalar(select(UserAccount.id).where(UserAccount.username == "lecteur-bzx9"))
    make_user(engine, "lecteur-servon", role="member_reader", member_id=a, password=PASSWORD)
    return {"a": a, "b": b, "ids": ids, "agent_token": make_enrolment_token(engine, a)}


# /account: the reader's own password and API tokens, theirs to change (tests/server/test_sessions_and_tokens.py)
SKIPPED_PAGES = ("/api", "/t/", "/front", "/static", "/login", "/logout", "/docs", "/account")


def _routes(routes: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    """Every route with its full path, included routers opened (FastAPI keeps them nested)."""
    found = []
    for route in routes:
        if hasattr(route, "original_router"):
            found += _routes(route.original_router.routes, prefix + route.include_context.prefix)
        elif hasattr(route, "path"):
            found.append((prefix + route.path, route))
    return found


def _dump(engine: Engine) -> dict[str, list[str]]:
    """Every row of every table, as text (the walk must leave it as it was)."""
    with engine.connect() as connection:
        return {table.name: sorted(str(tuple(row)) for row in connection.execute(select(table)))
                for table in SQLModel.metadata.sorted_tables if table.name not in CHANGING_TABLES}  # fmt: skip


def _text(response) -> str:  # type: ignore[no-untyped-def]
    """What a reader would read in the answer: JSON/CSV/HTML as is, XLSX cells, PDF text."""
    body = response.content
    if body[:4] == b"PK\x03\x04":  # XLSX: the shared strings and sheets are XML in a zip
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            parts = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")]
            return " ".join(parts)
    if body[:5] == b"%PDF-":
        return subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True, check=True).stdout.decode()
    return response.text


def _fill(path: str, ids: dict[str, Any]) -> str:
    # Renewal settings rows belong to the DSIT, not to a member: any row shows a reader's 403.
    values = {**ids, "code": "workstations", "year": 2026, "report": "plan", "field": "name",
              "table": "prices", "row_id": 1}  # fmt: skip
    return re.sub(r"{(\w+)}", lambda m: str(values[m.group(1)]), path)


def _variants(operation: dict[str, Any], ids: dict[str, Any]) -> list[dict[str, Any]]:
    """Query strings: B's ids for every id parameter, once per export format."""
    query = {p["name"]: ids[p["name"]] for p in operation.get("parameters", [])
             if p["in"] == "query" and p["name"] in ids}  # fmt: skip
    formats = [p for p in operation.get("parameters", []) if p["in"] == "query" and p["name"] == "format"]
    if not formats:
        return [query]
    schema = formats[0].get("schema", {})
    choices = schema.get("enum") or next((s.get("enum") for s in schema.get("anyOf", []) if s.get("enum")), None)
    return [{**query, "format": choice} for choice in choices or ["csv", "xlsx", "pdf"]]


def _check(response, where: str, write: bool) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}"
    if write and response.status_code < 300:
        pytest.fail(f"{where}: a reader of A was allowed to write ({response.status_code})")
    if response.status_code < 300:
        assert MARK not in _text(response).lower(), f"{where}: member B's data in the answer"


def test_a_reader_of_one_member_gets_nothing_of_another(client, engine, two_members) -> None:  # type: ignore[no-untyped-def]
    ids = two_members["ids"]
    reader = make_user(engine, "api-servon", role="member_reader", member_id=two_members["a"])
    before = _dump(engine)
    spec = client.app.openapi()
    body = {**ids, "other_id": ids["asset_id"], "name": "x", "status": "retired", "decision": "refuse",
            "asset_id": ids["asset_id"], "year": 2026, "budget_date": "2026-10-01"}  # fmt: skip
    checks = walked = 0
    for path, operations in spec["paths"].items():
        if path in COLLECTOR_ROUTES or path.endswith(("/health", "/live")) or path.startswith(OWN_ACCOUNT):
            continue
        for method, operation in operations.items():
            walked += 1
            for query in _variants(operation, ids):
                where = f"{method.upper()} {path} {query}"
                if method == "get":
                    _check(client.get(_fill(path, ids), params=query, headers=reader), where, write=False)
                else:
                    sent = client.request(method, _fill(path, ids), params=query, json=body, headers=reader)
                    _check(sent, where, write=method != "post" or not path.endswith("/compare"))
                checks += 1
            if method == "get":  # and with no member asked for: the reader's default scope
                for query in _variants({**operation, "parameters": [p for p in operation.get("parameters", [])
                                                                    if p["name"] not in ids]}, ids):  # fmt: skip
                    if "{" not in path:
                        _check(client.get(path, params=query, headers=reader), f"GET {path} {query}", write=False)
                        checks += 1
    assert _dump(engine) == before, "a request of the reader of A changed the database"
    assert walked >= 75 and checks > walked, (walked, checks)  # every route, some several times
    print(f"\n{checks} cross-member API checks")


def _form_token(client) -> str:  # type: ignore[no-untyped-def]
    """The CSRF token the pages' forms carry (the sign-in page shows one, signed in or not)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert found is not None, "no CSRF token in the sign-in form"
    return found.group(1)


def test_web_pages_and_forms_give_nothing_of_another_member(client, engine, two_members) -> None:  # type: ignore[no-untyped-def]
    ids = two_members["ids"]
    credentials = {"username": "lecteur-servon", "password": PASSWORD, "next": "/"}
    answer = client.post("/login", data={**credentials, "csrf_token": _form_token(client)}, follow_redirects=False)
    assert answer.status_code == 303
    token = _form_token(client)  # the forms' CSRF token: the walk is refused by permissions, not by CSRF
    before = _dump(engine)
    checks = shown = 0
    for path, route in _routes(client.app.routes):
        if path.startswith(SKIPPED_PAGES) or "glpiinventory" in path or "fusioninventory" in path:
            continue
        for method in sorted(getattr(route, "methods", None) or ()):
            if method in ("HEAD",):
                continue
            url = _fill(path, ids)
            query = {k: v for k, v in ids.items() if k in ("member_id", "site_id", "asset_id", "plan_id")}
            if method == "GET":
                response = client.get(url, params=query, follow_redirects=False)
                _check(response, f"page {url}", write=False)
                shown += response.status_code == 200
            else:
                form = {**{k: str(v) for k, v in {**query, "year": 2026}.items()}, "csrf_token": token}
                response = client.request(method, url, data=form, follow_redirects=False)
                assert response.status_code < 500, f"{method} {url}: {response.status_code}"
            checks += 1
    assert _dump(engine) == before, "a form posted by the reader of A changed the database"
    assert checks >= 15 and shown >= 5, (checks, shown)  # signed in: the reader's own pages render
    assert client.get(f"/assets/{ids['asset_id']}").status_code == 404
    print(f"\n{checks} cross-member page checks")


def test_enrolment_tokens_open_no_api_route(client, two_members) -> None:  # type: ignore[no-untyped-def]
    """Agent and collector tokens post inventories (for their own member, the token decides): nothing else."""
    token = two_members["agent_token"]
    for path, operations in client.app.openapi()["paths"].items():
        if path in COLLECTOR_ROUTES or path.endswith(("/health", "/live")) or "get" not in operations:
            continue
        for headers in ({"Authorization": f"Bearer {token}"}, {"X-Mutuparc-Token": token}):
            answer = client.get(_fill(path, two_members["ids"]), headers=headers)
            # 429 once the refused tokens exceed the throttle's allowance (accounts.throttle)
            assert answer.status_code in (401, 429), f"GET {path} with an enrolment token: {answer.status_code}"
