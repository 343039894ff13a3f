"""Renewal and obsolescence reports for a parc of 100,000 assets.

Builds the parc in a fresh database (SQLite and PostgreSQL): 100 members, 100,000 assets of every
type commissioned over the last ten years (a fifth with no date: BIOS date used instead), real
OS and firmware labels (Windows 10/11, Server, Debian, Ubuntu, FortiOS...; one workstation in
seven still on Windows 10), UPS with batteries, unit prices. Then fetches each report through
the API as a DSIT user would, median of several runs:

- the N+1 plan and the obsolescence report as CSV, XLSX and PDF;
- the JSON summary (statuses and the seed 001 indicators) and the JSON plan;
- the reference: loading the 100,000 asset rows alone, the floor any report pays.

Each report prints its first run with the worker's cache of assessments emptied (cold: the
assessment computed, then the file) beside the median of the runs after it (warm: the assessment
kept, only the file made). Target: each report under 2 s, cold.

    python bench/reports.py [--members 100] [--assets 100000] [--backends sqlite,postgresql]
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any

from common import (  # first: it puts the project on sys.path
    analyze,
    fresh_engine,
    insert_communes,
    insert_in_batches,
    main,
    timed,
)
from fastapi.testclient import TestClient
from sqlalchemy import insert, select
from sqlmodel import Session

from server.accounts import crud as accounts
from server.accounts.models import Role
from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset
from server.assets.vocab import AssetSource, AssetType, default_category
from server.main import create_app
from server.renewal.models import RenewalPolicy, UnitPrice

PASSWORD = "banc-d-essai-2026"  # noqa: S105 - the bench's own throwaway account
TYPES = [AssetType.WORKSTATION] * 50 + [AssetType.LAPTOP] * 20 + [AssetType.TABLET] * 5 + [AssetType.PRINTER] * 8 + [
    AssetType.PHONE] * 10 + [AssetType.SWITCH, AssetType.FIREWALL, AssetType.SERVER, AssetType.VM, AssetType.NAS,
    AssetType.UPS, AssetType.WIFI_AP]  # fmt: skip
OS_LABELS = {
    AssetType.WORKSTATION: ["Windows 10 Pro 22H2 build 19045.5011", "Windows 11 Enterprise 25H2 build 26200",
                            "Windows 11 Enterprise 25H2 build 26200.1", "Windows 11 Enterprise 24H2 build 26100",
                            "Windows 11 Enterprise 25H2 build 26200.7", "Debian GNU/Linux 12 (bookworm)",
                            "Ubuntu 24.04.1 LTS"],
    AssetType.LAPTOP: ["Windows 10 Pro 22H2 build 19045.4894", "Windows 11 Pro 24H2 build 26100.2314",
                       "macOS 14.6.1 (23G93)", "Ubuntu 24.04.1 LTS"],
    AssetType.SERVER: ["Microsoft Windows Server 2016 Standard", "Microsoft Windows Server 2022 Datacenter",
                       "Debian GNU/Linux 11 (bullseye)", "Red Hat Enterprise Linux 9.4 (Plow)"],
    AssetType.VM: ["Microsoft Windows Server 2019 Standard", "Debian GNU/Linux 12 (bookworm)",
                   "Ubuntu 20.04.6 LTS"],
    AssetType.FIREWALL: ["FortiOS v7.2.8,build1639", "FortiOS v7.4.4,build2662", "SFOS 20.0.1 MR-1-Build342"],
    AssetType.SWITCH: ["Cisco IOS XE Software, Version 17.09.04a", "Cisco IOS Software, Version 15.2(7)E8"],
    AssetType.NAS: ["DSM 7.2.1-69057 Update 5"],
}  # fmt: skip
MODELS = {AssetType.SWITCH: ("Cisco", "WS-C2960X-24PS-L"), AssetType.UPS: ("APC", "Smart-UPS SRT 3000")}


def build(engine, members: int, assets: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    with engine.begin() as connection:
        ids = insert_communes(connection, members, now)
        rows = []
        for number in range(assets):
            asset_type = rng.choice(TYPES)
            since = dt.date(2016, 10, 1) + dt.timedelta(days=rng.randint(0, 10 * 365))
            dated = rng.random() > 0.2
            maker, model = MODELS.get(asset_type, (None, None))
            labels = OS_LABELS.get(asset_type)
            rows.append({"member_id": ids[number % members], "asset_type": asset_type, "name": f"A{number}",
                         "category": default_category(asset_type), "lifecycle_status": "in_service",
                         "source": AssetSource.AGENT, "last_seen": now - dt.timedelta(days=rng.randint(0, 60)),
                         "first_seen": now - dt.timedelta(days=rng.randint(0, 900)),
                         "commissioning_date": since if dated else None, "manufacturer": maker, "model": model,
                         "os_label": rng.choice(labels) if labels else None,
                         "created_at": now, "updated_at": now, "section_hashes": {}})  # fmt: skip
        insert_in_batches(connection, Asset, rows)
        asset_ids = list(connection.execute(select(Asset.id, Asset.commissioning_date, Asset.asset_type)
                                            .order_by(Asset.id)))  # fmt: skip
        bios = [{"asset_id": i, "bios_date": dt.date(2016, 1, 1) + dt.timedelta(days=rng.randint(0, 3650))}
                for i, day, _ in asset_ids if day is None]  # fmt: skip
        batteries = [{"asset_id": i, "manufacture_date": dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 2500))}
                     for i, _, kind in asset_ids if kind == AssetType.UPS]  # fmt: skip
        connection.execute(insert(COMPONENT_TABLES["bios"]), bios)
        connection.execute(insert(COMPONENT_TABLES["batteries"]), batteries)
    with Session(engine) as session, session.begin():
        session.add_all([RenewalPolicy(asset_type="laptop", years=5), RenewalPolicy(asset_type="switch", years=10)])
        prices = {"workstation": 800, "laptop": 1100, "tablet": 450, "printer": 600, "phone": 300,
                  "switch": 2500, "firewall": 6000, "server": 9000, "nas": 4000, "ups": 1800, "wifi_ap": 350,
                  "ups_battery": 350}  # fmt: skip
        session.add_all([UnitPrice(asset_type=kind, price=price) for kind, price in prices.items()])


def admin_headers(engine) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with Session(engine) as session, session.begin():
        user = accounts.create_user(session=session, username="dsit", role=Role.ADMIN, password=PASSWORD)
        token = accounts.create_api_token(session=session, user=user, name="bench")[1]
    return {"Authorization": f"Bearer {token}"}


def sign_in(client: TestClient) -> None:
    """The DSIT's web session, through the sign-in form (its CSRF token included)."""
    form = client.get("/login").text
    csrf = form.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post("/login", data={"username": "dsit", "password": PASSWORD, "csrf_token": csrf},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text[:300]


def forget_assessments() -> None:
    """Empty the worker's cache of assessments (``server.renewal.cache``, when there is one), so
    the next report computes its assessment again: the cold path."""
    try:
        from server.renewal import cache
    except ImportError:
        return
    cache.CACHE.clear()


def cold_and_warm(function: Callable[[], Any], runs: int) -> tuple[float, float | None, Any]:
    """The first run with no assessment kept (cold), the median of the ``runs - 1`` after it
    (warm: the assessment kept; None when ``runs`` is 1), and the last result."""
    forget_assessments()
    started = time.perf_counter()
    result = function()
    cold = time.perf_counter() - started
    if runs < 2:
        return cold, None, result
    warm, result = timed(function, runs - 1)
    return cold, warm, result


def _figures(cold: float, warm: float | None) -> str:
    return f"cold {cold:.3f} s" + ("" if warm is None else f", warm (median) {warm:.3f} s")


def measure(url: str, members: int, assets: int, runs: int) -> None:
    settings, engine = fresh_engine(url)
    started = time.perf_counter()
    build(engine, members, assets)
    analyze(engine)
    print(f"{engine.dialect.name}: {members} members, {assets} assets built and analysed in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    headers = admin_headers(engine)

    def reference() -> int:
        with Session(engine) as session:
            return len(session.scalars(select(Asset)).all())

    floor, _ = timed(reference, runs)
    print(f"  reference: loading the {assets} asset rows alone: {floor:.3f} s")
    with TestClient(create_app(settings, engine)) as client:

        def fetch(path: str, **params: str) -> int:
            answer = client.get(f"/api/v1/renewal/{path}", params={"budget_date": "2026-10-01", **params},
                                headers=headers)  # fmt: skip
            answer.raise_for_status()
            return len(answer.content)

        for path, params in (("summary", {}), ("plan", {})):
            cold, warm, size = cold_and_warm(lambda p=path, q=params: fetch(p, **q), runs)
            print(f"  {path} (JSON): {_figures(cold, warm)}, {size / 1e6:.1f} MB (target < 2 s)")
        for report in ("plan", "obsolescence"):
            for format_ in ("csv", "xlsx", "pdf"):
                cold, warm, size = cold_and_warm(lambda r=report, f=format_: fetch(f"reports/{r}", format=f), runs)
                print(f"  {report} report as {format_.upper()}: {_figures(cold, warm)}, {size / 1e6:.2f} MB "
                      f"(target < 2 s)")  # fmt: skip

        def first_page(path: str, **extra: str) -> int:
            answer = client.get(path, headers=extra)
            answer.raise_for_status()
            return len(answer.content)

        seconds, _ = timed(lambda: first_page("/api/v1/assets?limit=50", **headers), runs * 3)
        print(f"  asset list, first page of 50 (API): {seconds * 1000:.0f} ms (target < 100 ms)")
        sign_in(client)
        seconds, _ = timed(lambda: first_page("/assets"), runs * 3)
        print(f"  asset list, first page (web page): {seconds * 1000:.0f} ms (target < 100 ms)")
    engine.dispose()


if __name__ == "__main__":
    raise SystemExit(main(__doc__, measure))
