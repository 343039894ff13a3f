"""Scale out under load: two server instances of two workers each on one durable PostgreSQL,
many simulated agents at once (``bench/load.py``'s traffic: contact, full inventory, then
contact + partial at each run), every machine reported by two agents at the same moment through
the two instances, each agent's runs going to the instances in turn (a load balancer).

Exactly-once, checked in the database afterwards: one asset per machine, one source per agent,
every inventory answered 200 applied once and in order (the last software version each agent
sent is the one stored for it; the history of each machine's versions is one unbroken chain),
no history row written twice.

Every interleaving is allowed, in particular the first report of a machine's second agent
landing between partials of the first one (its take-over of a section keeps the other source's
rows as they are once that source's partials committed: a batch locks the rows of the assets it
writes before reading them)."""

from __future__ import annotations

import asyncio
import copy
import json
import tempfile
import time
import zlib
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from server import migrations
from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset, AssetChange, InventorySource, SourceSection
from server.core.config import Settings
from server.core.db import make_engine
from tests.conftest import need
from tests.support.live import start_server
from tests.support.pgcluster import Cluster, find_bin_dir, free_port
from tests.utils import example, make_enrolment_token, make_member

MACHINES = 30  # two agents each: 60 agents at once
RUNS = 3  # per agent: one full inventory, then partials
INSTANCES = 2
WORKERS = 2
AGENTS = ("a", "b")
UPDATE = "mise-a-jour"  # the package whose version each partial changes

pytestmark = pytest.mark.slow


def _deviceid(machine: int, agent: str) -> str:
    return f"pc-{machine:04d}-{agent}-2026-11-23-10-00-00"


def _version(machine: int, agent: str, run: int) -> str:
    return f"{machine}.{AGENTS.index(agent)}.{run}"


def _as_machine(inventory: dict, machine: int, agent: str) -> dict:
    """An example inventory as ``agent``'s report of ``machine`` (its own serial, UUID, MACs)."""
    inventory = copy.deepcopy(inventory)
    content = inventory["content"]
    inventory["deviceid"] = _deviceid(machine, agent)
    content["bios"]["ssn"] = f"LOAD{machine:06d}"
    content["hardware"]["uuid"] = f"4c4c4544-0000-2000-8000-{machine:012x}"
    content["hardware"]["name"] = f"pc-{machine:04d}"
    for i, network in enumerate(content.get("networks", [])):
        if network.get("mac") and network["mac"] != "00:00:00:00:00:00":
            network["mac"] = f"00:1c:{(machine >> 8) & 255:02x}:{machine & 255:02x}:{i:02x}:00"
    return inventory


def _runs(machine: int, agent: str) -> list[tuple[bytes, bytes]]:
    """(contact, inventory) bodies of each run of one agent: full first, partials after, each run
    with a new version of one package."""
    full, partial = example("computer_1"), example("computer_1_partial_softs")
    bodies = []
    for run in range(RUNS):
        inventory = _as_machine(full if run == 0 else partial, machine, agent)
        inventory["content"]["softwares"].append(
            {"name": UPDATE, "version": _version(machine, agent, run), "arch": "x86_64", "from": "rpm"}
        )
        contact = {"action": "contact", "deviceid": inventory["deviceid"], "name": "GLPI-Agent", "version": "1.11",
                   "enabled-tasks": ["inventory"], "installed-tasks": ["inventory"]}  # fmt: skip
        bodies.append((zlib.compress(json.dumps(contact).encode()), zlib.compress(json.dumps(inventory).encode())))
    return bodies


async def _agents(urls: list[str], token: str) -> tuple[Counter, list[str], int, int]:
    """Every agent at once; each waits for its answer before its next request, as agents do.
    Returns the statuses, the failures, and how many inventories were answered 200."""
    statuses: Counter = Counter()
    failures: list[str] = []
    stored = retries = 0
    headers = {"Content-Type": "application/x-compress-zlib"}
    limits = httpx.Limits(max_connections=MACHINES * len(AGENTS), max_keepalive_connections=MACHINES * len(AGENTS))
    work = {(m, agent): _runs(m, agent) for m in range(MACHINES) for agent in AGENTS}

    async def agent(client: httpx.AsyncClient, machine: int, name: str, runs: range) -> None:
        nonlocal stored, retries
        for run in runs:
            if (machine, name) in failed:
                return  # an agent whose run failed stops: what it sent after would be out of order
            contact, inventory = work[machine, name][run]
            # Run after run on the other instance; the two agents of a machine on different ones.
            first = (run + AGENTS.index(name)) % len(urls)
            ids = {"X-Mutuparc-Inventory-Id": f"{_deviceid(machine, name)}-{run}"}  # as Mutuparc's agent
            for kind, body in (("contact", contact), ("inventory", inventory)):
                for attempt in range(3):  # a retry goes to the next instance, with the same id
                    url = f"{urls[(first + attempt) % len(urls)]}/t/{token}/front/inventory.php"
                    try:
                        answer = await client.post(url, content=body, headers=headers | ids)
                        break
                    except httpx.TransportError:  # a kept-alive connection the server had closed
                        retries += 1
                        if attempt == 2:
                            raise
                statuses[answer.status_code] += 1
                if answer.status_code != 200:
                    failures.append(f"{_deviceid(machine, name)} run {run} {kind}: {answer.status_code} "
                                    f"{answer.text[:200]}")  # fmt: skip
                    failed.add((machine, name))
                    return
                if kind == "inventory":
                    stored += 1

    failed: set[tuple[int, str]] = set()
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        await asyncio.gather(*(agent(client, m, name, range(RUNS)) for m in range(MACHINES) for name in AGENTS))
    return statuses, failures, stored, retries


def test_two_instances_of_two_workers_under_load_store_each_inventory_once(tmp_path):
    need(find_bin_dir() is not None, "PostgreSQL server binaries not installed")
    # Durable, as in production: an answered inventory is on disk. Its own folder: the postgres
    # user cannot enter pytest's tmp_path.
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="mutuparc-pg-")), free_port(), durable=True)
    cluster.start()
    engine = make_engine(Settings(database_url=cluster.url, _env_file=None))
    servers = []
    try:
        migrations.upgrade(engine)
        token = make_enrolment_token(engine, make_member(engine, "Servon"))
        with ThreadPoolExecutor(INSTANCES) as pool:
            servers = list(
                pool.map(
                    lambda n: start_server(cluster.url, tmp_path / f"server-{n}.log", workers=WORKERS), range(INSTANCES)
                )
            )
        started = time.monotonic()
        statuses, failures, stored, retries = asyncio.run(_agents([s.url for s in servers], token))
        elapsed = time.monotonic() - started
        assert not failures, failures[:5]
        assert stored == MACHINES * len(AGENTS) * RUNS
        with engine.connect() as connection:
            _assert_exactly_once(connection)
        print(f"\n{stored} inventories and {stored} contacts from {MACHINES * len(AGENTS)} agents in {elapsed:.1f} s "
              f"({stored / elapsed:.0f} inventories/s) through {INSTANCES} instances x {WORKERS} workers, "
              f"{retries} retries, answers {dict(statuses)}")  # fmt: skip
    finally:
        for server in servers:  # both at once: each waits for its workers to finish
            server.process.terminate()
        for server in servers:
            server.stop()
        engine.dispose()
        cluster.stop()


def _assert_exactly_once(connection) -> None:  # type: ignore[no-untyped-def]
    softwares = COMPONENT_TABLES["softwares"]
    assets = connection.execute(select(Asset.id, Asset.serial)).all()
    sources = connection.execute(
        select(
            InventorySource.id,
            InventorySource.asset_id,
            InventorySource.kind,
            InventorySource.key,
            InventorySource.scope,
            InventorySource.inventory_count,
        )
    ).all()
    # One asset per machine, each with the two agents of that machine and no other source.
    assert sorted(serial for _, serial in assets) == [f"LOAD{m:06d}" for m in range(MACHINES)]
    serial_of = dict(assets)
    by_asset = defaultdict(set)
    for source in sources:
        by_asset[serial_of[source.asset_id]].add(source.key)
    expected = {f"LOAD{m:06d}": {_deviceid(m, agent) for agent in AGENTS} for m in range(MACHINES)}
    assert dict(by_asset) == expected
    assert Counter((s.kind, s.key, s.scope) for s in sources).most_common(1)[0][1] == 1
    # Each inventory applied once: none lost, none twice.
    assert {s.key: s.inventory_count for s in sources} == {key: RUNS for keys in expected.values() for key in keys}

    # The last version each agent sent is the one kept for it: in the component table for the
    # source the asset shows, in source_section for the other one.
    shown = connection.execute(
        select(softwares.c.asset_id, softwares.c.source_id, softwares.c.version).where(softwares.c.name == UPDATE)
    ).all()
    assert sorted(asset_id for asset_id, *_ in shown) == sorted(serial_of)  # one row per asset, not two
    kept = {source_id: version for _, source_id, version in shown}
    documents = connection.execute(
        select(SourceSection.source_id, SourceSection.content).where(SourceSection.section == "softwares")
    ).all()
    for source_id, content in documents:
        versions = [r["version"] for r in content if r.get("name") == UPDATE]
        assert source_id not in kept and len(versions) == 1
        kept[source_id] = versions[0]
    last = {s.id: _version(int(s.key[3:7]), s.key[8], RUNS - 1) for s in sources}
    key_of = {s.id: s.key for s in sources}
    wrong = {key_of[i]: {"kept": kept.get(i), "last sent": want} for i, want in last.items() if kept.get(i) != want}
    assert wrong == {}

    # History, per machine: each version of the package appears once (no inventory's change
    # written twice), each agent's versions in the order it sent them, and the changes form one
    # chain (each starts where the previous ended: no change planned on a state already gone)
    # ending at the version shown. Both agents appear: the second one's first report takes the
    # section over, whichever it is (``server.ingest.precedence``).
    history = connection.execute(
        select(AssetChange.asset_id, AssetChange.field, AssetChange.old_value, AssetChange.new_value)
        .order_by(AssetChange.id)
    ).all()  # fmt: skip
    assert Counter(h.asset_id for h in history if h.field == "created") == Counter(list(serial_of))
    chains: dict[int, list[tuple[str | None, str | None]]] = defaultdict(list)
    for h in history:
        if h.field == f"softwares[{UPDATE} x86_64].version":
            chains[h.asset_id].append((h.old_value, h.new_value))
    assert sorted(chains) == sorted(serial_of)
    shown_version = {asset_id: version for asset_id, _, version in shown}
    for asset_id, changes in chains.items():
        news = [new for _, new in changes]
        assert len(news) == len(set(news)), (asset_id, changes)
        for agent in range(len(AGENTS)):
            runs = [int(v.split(".")[2]) for v in news if int(v.split(".")[1]) == agent]
            assert runs == sorted(runs), (asset_id, changes)
        assert all(changes[i][1] == changes[i + 1][0] for i in range(len(changes) - 1)), (asset_id, changes)
        assert news[-1] == shown_version[asset_id], (asset_id, changes)
