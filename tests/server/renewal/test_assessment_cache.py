"""The assessment is computed once per change and cached per worker, keyed by the database's
assessment version (migration 0017's triggers): a cached report is the fresh one, every kind of
change shows in the next report, an unchanged re-inventory keeps the cache, staleness moves with
the clock, members see their own items, and two instances on one PostgreSQL agree."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import text, update
from sqlmodel import Session

from server.assets.models import Asset
from server.core.config import Settings
from server.core.db import make_engine, transaction
from server.renewal import cache, catalogue
from server.renewal.assess import Assessor
from server.renewal.routes import _public
from tests.server.web.test_pages import PASSWORD, form_token, sign_in
from tests.utils import example, make_enrolment_token, make_member, make_user, post_inventory, variant

BUDGET = "2026-10-01"
FORM = {
    "status": "in_service",
    "category": "normal",
    "reason": "",
    "purchase_date": "",
    "warranty_end": "",
    "purchase_price": "",
    "supplier": "",
    "inventory_number": "",
}  # an asset's edit form, as its page posts it
WATCHED_TABLES = ("asset", "bios", "battery", "cpu", "firmware", "computer_info", "memory_module", "disk",
                  "operating_system", "renewal_policy", "unit_price", "model_support", "support_extension",
                  "eol_catalogue", "eol_override")  # fmt: skip


def pc(name: str, **changes: Any) -> dict[str, Any]:
    """A Windows 10 desktop as its agent reports it (BIOS of March 2021, no purchase date)."""
    fields = {"hardware__name": name, "hardware__chassis_type": "Desktop", "bios__ssn": f"SN-{name}",
              "bios__bdate": "2021-03-01", "operatingsystem__name": "Windows",
              "operatingsystem__full_name": "Microsoft Windows 10 Professionnel", "operatingsystem__version": "22H2",
              "operatingsystem__kernel_version": "10.0.19045.5011"} | changes  # fmt: skip
    return variant(example("computer_1"), deviceid=f"{name}-2024-01-01-00-00-00", **fields)


@pytest.fixture
def parc(client, engine):  # type: ignore[no-untyped-def]
    servon, chevry = make_member(engine, "Servon"), make_member(engine, "Chevry-Cossigny")
    admin = make_user(engine, "dsit", role="admin")
    ids = {}
    for name, member, fields in (("PC-ACCUEIL", servon, {"commissioning_date": "2020-03-15"}),
                                 ("PORTABLE-MAIRE", chevry, {"asset_type": "laptop",
                                                             "commissioning_date": "2022-05-01"})):  # fmt: skip
        answer = client.post("/api/v1/assets", json={"member_id": member, "asset_type": "workstation", "name": name,
                                                     **fields}, headers=admin)  # fmt: skip
        assert answer.status_code == 201, answer.text
        ids[name] = answer.json()["id"]
    token = make_enrolment_token(engine, servon)
    assert post_inventory(client, pc("PC-COMPTA"), token=token).status_code == 200
    with Session(engine) as session:
        ids["PC-COMPTA"] = session.scalars(text("SELECT id FROM asset WHERE name = 'PC-COMPTA'")).one()
    prices = [{"asset_type": "workstation", "price": "800"}, {"asset_type": "laptop", "price": "1100"}]
    assert client.put("/api/v1/renewal/prices", json=prices, headers=admin).status_code == 200
    return {"servon": servon, "chevry": chevry, "admin": admin, "ids": ids, "token": token}


def assessed(client, headers: dict[str, str], **params: Any) -> dict[int, dict[str, Any]]:  # type: ignore[no-untyped-def]
    answer = client.get("/api/v1/renewal/assets", params={"budget_date": BUDGET, "limit": 1000, **params},
                        headers=headers)  # fmt: skip
    assert answer.status_code == 200, answer.text
    return {a["asset_id"]: a for a in answer.json()["data"]}


def fresh(engine) -> dict[int, dict[str, Any]]:  # type: ignore[no-untyped-def]
    """The assessment computed without the cache, as the API shows it."""
    with Session(engine) as session:
        assessor = Assessor(session, catalogue.load(session), budget_date=dt.date.fromisoformat(BUDGET),
                            stale_days=Settings(_env_file=None).stale_days)  # fmt: skip
        return {i.asset_id: _public(i) for i in assessor.assess()}


def as_json(items: dict[int, dict[str, Any]]) -> dict[int, Any]:
    import json

    return {k: json.loads(json.dumps(v, default=str)) for k, v in items.items()}


def version(engine) -> cache.Version | None:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return cache.read_version(connection)


def plan_lines(client, headers) -> dict[str, dict[str, Any]]:  # type: ignore[no-untyped-def]
    answer = client.get("/api/v1/renewal/plan", params={"budget_date": BUDGET, "limit": 1000}, headers=headers)
    assert answer.status_code == 200, answer.text
    return {line["name"]: line for line in answer.json()["lines"]}


def test_a_cached_report_equals_a_fresh_one_and_is_not_computed_again(client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    admin = parc["admin"]
    first = assessed(client, admin)
    before = cache.stats()
    second = assessed(client, admin)
    plan_first, plan_second = plan_lines(client, admin), plan_lines(client, admin)
    after = cache.stats()
    assert after["misses"] == before["misses"], "nothing changed: no assessment computed again"
    assert after["hits"] >= before["hits"] + 3
    assert second == first and as_json(second) == as_json(fresh(engine))
    assert plan_second == plan_first and set(plan_first) == {"PC-ACCUEIL", "PC-COMPTA"}
    assert first[parc["ids"]["PC-COMPTA"]]["status"] == "os_eol"


def test_each_kind_of_change_shows_in_the_next_report(client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    admin, ids = parc["admin"], parc["ids"]
    compta = ids["PC-COMPTA"]
    assessed(client, admin)  # cached

    def changed(step: str) -> dict[int, dict[str, Any]]:
        nonlocal seen
        now = version(engine)
        assert now != seen, f"{step}: the version moved"
        seen = now
        items = assessed(client, admin)
        assert as_json(items) == as_json(fresh(engine)), f"{step}: the report is the fresh assessment"
        return items

    seen = version(engine)
    # An inventory that changes the OS label (Windows 10 -> 11), then one that changes the BIOS date.
    eleven = pc("PC-COMPTA", operatingsystem__full_name="Microsoft Windows 11 Professionnel",
                operatingsystem__version="24H2", operatingsystem__kernel_version="10.0.26100.2314")  # fmt: skip
    assert post_inventory(client, eleven, token=parc["token"]).status_code == 200
    assert changed("OS label")[compta]["os"].startswith("Windows 11")
    bios = variant(eleven, bios__bdate="2019-02-01")
    assert post_inventory(client, bios, token=parc["token"]).status_code == 200
    assert changed("BIOS date")[compta]["reference_date"] == "2019-02-01"
    # A renewal policy.
    assert client.put("/api/v1/renewal/policies", json=[{"asset_type": "workstation", "years": 4}],
                      headers=admin).status_code == 200  # fmt: skip
    assert changed("policy")[ids["PC-ACCUEIL"]]["cycle_years"] == 4
    # An asset edited through the API, then through its page's form.
    answer = client.patch(f"/api/v1/assets/{ids['PC-ACCUEIL']}", json={"commissioning_date": "2025-01-10"},
                          headers=admin)  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert changed("asset edit (API)")[ids["PC-ACCUEIL"]]["due_date"] == "2029-01-10"
    make_user(engine, "dsit-pages", role="admin", password=PASSWORD)
    assert sign_in(client, "dsit-pages").status_code == 303
    form = {**FORM, "warranty_end": "2025-01-01", "csrf_token": form_token(client)}
    saved = client.post(f"/assets/{compta}/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text[:300]
    client.cookies.clear()
    assert "warranty_expired" in changed("asset edit (page)")[compta]["reasons"]
    # An end-of-life override of the DSIT.
    override = [{"product": "windows", "cycle": "11-24h2-w", "label": "11 24H2 (DSIT)", "pattern": "Windows 11 Pro",
                 "security_end": "2026-06-01"}]  # fmt: skip
    assert client.put("/api/v1/eol/overrides", json=override, headers=admin).status_code == 200
    assert changed("EOL override")[compta]["eol"]["source"] == "override"
    # A price: the plan, priced at each report, shows it (the assessment did not change).
    prices = [{"asset_type": "workstation", "price": "950"}, {"asset_type": "laptop", "price": "1100"}]
    assert client.put("/api/v1/renewal/prices", json=prices, headers=admin).status_code == 200
    seen = version(engine)
    assert plan_lines(client, admin)["PC-COMPTA"]["cost"] == "950.00"
    # A support extension.
    end = (dt.date.today() + dt.timedelta(days=800)).isoformat()
    answer = client.put(f"/api/v1/renewal/extensions/{compta}", json={"end_date": end, "cost": "61"}, headers=admin)
    assert answer.status_code == 200, answer.text
    changed("support extension")
    line = plan_lines(client, admin)["PC-COMPTA"]
    assert (line["remedy"], line["cost"]) == ("extend_support", "61.00")


def test_an_unchanged_reinventory_keeps_the_cache(client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    admin = parc["admin"]
    with Session(engine) as session:
        session.execute(update(Asset).where(Asset.id == parc["ids"]["PC-COMPTA"])
                        .values(last_seen=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))  # fmt: skip
        session.commit()
    first = assessed(client, admin)
    assert "not_seen" in first[parc["ids"]["PC-COMPTA"]]["reasons"]
    seen, before = version(engine), cache.stats()
    assert post_inventory(client, pc("PC-COMPTA"), token=parc["token"]).status_code == 200  # the same machine
    with Session(engine) as session:
        last_seen = session.get(Asset, parc["ids"]["PC-COMPTA"]).last_seen  # type: ignore[union-attr]
    assert last_seen is not None and last_seen.replace(tzinfo=dt.UTC) > dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    assert version(engine) == seen, "last_seen, updated_at and section_hashes do not bump the version"
    again = assessed(client, admin)
    assert cache.stats()["misses"] == before["misses"]
    assert "not_seen" not in again[parc["ids"]["PC-COMPTA"]]["reasons"]  # seen again: applied on read
    assert as_json(again) == as_json(fresh(engine))


def test_a_machine_becoming_stale_shows_not_seen_without_a_change(client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    admin, compta = parc["admin"], parc["ids"]["PC-COMPTA"]
    assert "not_seen" not in assessed(client, admin)[compta]["reasons"]
    seen, before = version(engine), cache.stats()
    with transaction(engine) as session:  # what time does: the machine's last report gets old
        session.execute(
            update(Asset).where(Asset.id == compta).values(last_seen=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        )
    assert version(engine) == seen
    items = assessed(client, admin)
    assert items[compta]["reasons"] == ["os_eol", "not_seen"] and items[compta]["status"] == "os_eol"
    assert cache.stats()["misses"] == before["misses"]
    assert as_json(items) == as_json(fresh(engine))
    summary = client.get("/api/v1/renewal/summary", params={"budget_date": BUDGET}, headers=admin).json()
    assert summary["indicators"]["assets"] == 3


def test_a_member_sees_only_its_own_items_through_the_cache(client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    everyone = assessed(client, parc["admin"])
    before = cache.stats()
    reader = make_user(engine, "lecteur", role="member_reader", member_id=parc["chevry"])
    theirs = assessed(client, reader)
    assert set(theirs) == {parc["ids"]["PORTABLE-MAIRE"]} and theirs == {k: everyone[k] for k in theirs}
    assert client.get("/api/v1/renewal/assets", params={"member_id": parc["servon"]}, headers=reader).status_code == 404
    servon = assessed(client, parc["admin"], member_id=parc["servon"])
    assert set(servon) == {parc["ids"]["PC-ACCUEIL"], parc["ids"]["PC-COMPTA"]}
    plan = client.get("/api/v1/renewal/plan", params={"budget_date": BUDGET}, headers=reader).json()
    assert set(plan["by_member"]) == {"Chevry-Cossigny"} and all(
        line["member_id"] == parc["chevry"] for line in plan["lines"])  # fmt: skip
    assert cache.stats()["misses"] == before["misses"]


def test_the_triggers_watch_every_table_the_assessment_reads(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as connection:
        if db.backend == "postgresql":
            rows = connection.execute(text("SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                                           "WHERE t.tgname LIKE 'av\\_%' AND NOT t.tgisinternal"))  # fmt: skip
        else:
            rows = connection.execute(text("SELECT tbl_name FROM sqlite_master WHERE type = 'trigger' "
                                           "AND name LIKE 'av\\_%' ESCAPE '\\'"))  # fmt: skip
        watched = {row[0] for row in rows}
    assert watched == set(WATCHED_TABLES), "a migration that rebuilt a table must create its triggers again"


def test_ingest_of_other_sections_and_unwatched_columns_does_not_bump(client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    seen = version(engine)
    with transaction(engine) as session:
        session.execute(update(Asset).where(Asset.id == parc["ids"]["PC-COMPTA"])
                        .values(notes="rangé", serial="X", section_hashes={"bios": "1"}))  # fmt: skip
        session.execute(text("DELETE FROM software WHERE asset_id = :a"), {"a": parc["ids"]["PC-COMPTA"]})
    assert version(engine) == seen
    with transaction(engine) as session:
        session.execute(update(Asset).where(Asset.id == parc["ids"]["PC-COMPTA"]).values(model="OptiPlex 7010"))
    assert version(engine) != seen


def test_two_instances_on_one_postgresql_agree(db, client, engine, parc) -> None:  # type: ignore[no-untyped-def]
    if db.backend != "postgresql":
        pytest.skip("two instances share a PostgreSQL")
    other_engine = make_engine(Settings(database_url=db.url, _env_file=None))
    one, two = cache.AssessmentCache(), cache.AssessmentCache()
    budget = dt.date.fromisoformat(BUDGET)

    def report(instance_engine, store) -> dict[int, Any]:  # type: ignore[no-untyped-def]
        with Session(instance_engine) as session:
            return {i.asset_id: _public(i) for i in cache.assessment(session, budget, 30, store).items}

    try:
        assert report(engine, one) == report(other_engine, two)
        assert (one.stats()["misses"], two.stats()["misses"]) == (1, 1)
        # The second instance takes a policy change; the first sees the version move.
        with transaction(other_engine) as session:
            session.execute(text("INSERT INTO renewal_policy (asset_type, years) VALUES ('workstation', 3)"))
        first, second = report(engine, one), report(other_engine, two)
        assert first == second and first[parc["ids"]["PC-ACCUEIL"]]["cycle_years"] == 3
        assert (one.stats()["misses"], two.stats()["misses"]) == (2, 2)
        assert report(engine, one) == first and one.stats()["hits"] == 1
        # A transaction holding a shard (its bump fired early) does not hold up another's commit.
        bumps = sum(n for _, n, _ in version(engine) or ())
        with other_engine.connect() as holding:
            holding.execute(text("SET CONSTRAINTS ALL IMMEDIATE"))
            holding.execute(text("UPDATE renewal_policy SET years = 4"))
            with engine.connect() as committing:
                committing.execute(text("SET lock_timeout = '2s'"))
                committing.execute(text("INSERT INTO unit_price (asset_type, price) VALUES ('tablet', 400)"))
                committing.commit()
            holding.commit()
        assert report(engine, one)[parc["ids"]["PC-ACCUEIL"]]["cycle_years"] == 4
        assert sum(n for _, n, _ in version(engine) or ()) == bumps + 2, "one bump per transaction"
    finally:
        other_engine.dispose()


def _triggers(connection) -> set[str]:  # type: ignore[no-untyped-def]
    if connection.dialect.name == "postgresql":
        query = "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'av\\_%' AND NOT tgisinternal"
    else:
        query = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'av\\_%' ESCAPE '\\'"
    return {row[0] for row in connection.execute(text(query))}


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_0017_downgrades_and_upgrades(backend, request, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Downgrading drops the table, the triggers (and PostgreSQL's function); upgrading makes them again."""
    from alembic import command
    from sqlalchemy import create_engine

    from server import migrations

    admin = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        base = request.getfixturevalue("pg_url")
        admin = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text('DROP DATABASE IF EXISTS "mutuparc_0017" WITH (FORCE)'))
            connection.execute(text('CREATE DATABASE "mutuparc_0017"'))
        url = base.rsplit("/", 1)[0] + "/mutuparc_0017"
    engine = make_engine(Settings(database_url=url, _env_file=None))
    try:
        migrations.upgrade(engine)
        with engine.connect() as connection:
            made = _triggers(connection)
            assert cache.read_version(connection) is not None, "the shards exist from the start"
        command.downgrade(migrations.alembic_config(engine), "0016")
        with engine.connect() as connection:
            assert _triggers(connection) == set()
            if backend == "postgresql":
                assert (
                    connection.execute(text("SELECT count(*) FROM pg_proc WHERE proname LIKE 'mutuparc%'")).scalar()
                    == 0
                )
            with pytest.raises(Exception, match="assessment_version"):
                connection.execute(text("SELECT * FROM assessment_version"))
        migrations.upgrade(engine)
        with engine.connect() as connection:
            assert _triggers(connection) == made and len(made) >= 2 * len(WATCHED_TABLES)
    finally:
        engine.dispose()
        if admin is not None:
            with admin.connect() as connection:
                connection.execute(text('DROP DATABASE IF EXISTS "mutuparc_0017" WITH (FORCE)'))
            admin.dispose()


def test_one_computation_per_version_and_the_current_one_kept() -> None:
    """Threads asking at once compute once; a slow reader of an older snapshot does not push out
    the current result; a new epoch (the table emptied and made again) drops the old results."""
    import threading

    store, calls = cache.AssessmentCache(size=2), []
    v1, v2 = ((0, 1, "e"), (1, 0, "e")), ((0, 1, "e"), (1, 1, "e"))

    def entry(name: str) -> cache.Entry:
        calls.append(name)
        return cache.Entry([], None, frozenset(), frozenset())  # type: ignore[arg-type]

    gate = threading.Barrier(4)

    def ask() -> None:
        gate.wait()
        store.get(v1, "key", lambda: entry("v1"), keep=True)

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert calls == ["v1"] and store.stats()["hits"] == 3
    newest = store.get(v2, "key", lambda: entry("v2"), keep=True)
    store.get(v1, "key", lambda: entry("v1 again"), keep=True)  # an older snapshot, computed not kept
    assert store.get(v2, "key", lambda: entry("v2 again"), keep=True) is newest
    assert calls == ["v1", "v2", "v1 again"]
    store.get(((0, 0, "f"), (1, 0, "f")), "key", lambda: entry("f"), keep=True)
    assert store.stats()["kept"] == ["key"]
    store.get(None, "key", lambda: entry("unknown"), keep=True)
    store.get(None, "key", lambda: entry("unknown"), keep=True)
    assert calls[-2:] == ["unknown", "unknown"], "no version: never kept"
