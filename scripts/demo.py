"""``make demo``: the server on SQLite with a small parc, inventoried through the real paths.

1. create/upgrade the SQLite database (var/mutuparc.db), add the seed's members if absent;
2. start ``mutuparc server`` (its log: var/demo-server.log);
3. send inventories the way agents and collectors do (GLPI protocol over HTTP), and run
   Mutuparc's own agent on this machine;
4. run ``mutuparc collect`` against the datacenter's simulated network devices (snmpsim serving
   the device profiles' recordings: switches, firewalls, UPS, NAS) and a sweep for unaudited ones;
5. seed the money through the REST API (``demo_seed``): seed 004's 2022 keys and pools, priced
   and frozen renewal plans;
6. print the URL, an admin account and API token, and keep serving until Ctrl-C
   (``--smoke``: stop there, for the tests).

Whatever fails, everything the demo started is stopped before it exits.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

import demo_seed  # noqa: E402

from agent.transport import ServerTarget, TransportError  # noqa: E402
from server import migrations  # noqa: E402
from server.accounts import crud as accounts  # noqa: E402
from server.accounts.models import ApiToken, EnrolmentToken, EnrolmentTokenCreate, Role, TokenKind, UserAccount  # noqa: E402
from server.core.clock import utcnow  # noqa: E402
from server.core.config import get_settings  # noqa: E402
from server.core.db import make_engine, transaction  # noqa: E402
from server.core.security import token_hash  # noqa: E402
from server.tenancy import crud as tenancy  # noqa: E402
from server.tenancy.models import MemberCreate, MemberUpdate, SiteCreate  # noqa: E402
from tests.support.live import LiveServer, start_server  # noqa: E402

EXAMPLES = PROJECT / "vendor" / "glpi-inventory" / "examples"
VAR = PROJECT / "var"
READY = "Mutuparc is running"
# Seed 004: the shared IT service of Brie-Comte-Robert and the Communauté de communes de l'Orée de la Brie.
# Name, kind, INSEE code (SIREN for the EPCI), population (demo figures, near the INSEE ones), sites.
MEMBERS = [
    ("Brie-Comte-Robert", "commune", "77053", 20_187, ["Hôtel de ville", "Datacenter"]),
    ("Chevry-Cossigny", "commune", "77114", 4_402, ["Mairie"]),
    ("Servon", "commune", "77450", 3_476, ["Mairie"]),
    ("Varennes-Jarcy", "commune", "91631", 2_412, ["Mairie"]),
    ("CCOB", "epci", "247700065", 30_477, ["Siège", "Datacenter"]),
]
# The clear tokens the demo made, kept between runs so that each run reuses them (a new run
# adding tokens to the members page at each ``make demo`` is noise): the demo's local state.
TOKENS_FILE = VAR / "demo-tokens.json"
ADMIN = "admin"
ADMIN_PASSWORD = "mutuparc-demo"  # noqa: S105 - the demo's local account, printed for the user


def step(message: str) -> None:
    print(f"==> {message}", flush=True)


def free_port(preferred: int) -> int:
    with socket.socket() as sock:
        if sock.connect_ex(("127.0.0.1", preferred)) != 0:
            return preferred
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _kept_tokens() -> dict[str, str]:
    try:
        kept = json.loads(TOKENS_FILE.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in kept.items()} if isinstance(kept, dict) else {}


def _keep_tokens(tokens: dict[str, str]) -> None:
    TOKENS_FILE.write_text(json.dumps(tokens, indent=1, sort_keys=True), "utf-8")
    TOKENS_FILE.chmod(0o600)


def _still_live(session, model, token: str | None) -> bool:  # type: ignore[no-untyped-def]
    """The kept clear token still matches a live row of this database (it may have been reset)."""
    if not token:
        return False
    row = session.scalars(select(model).where(model.token_hash == token_hash(token))).first()
    if row is None or row.revoked_at is not None:
        return False
    expires = getattr(row, "expires_at", None)
    return expires is None or (expires if expires.tzinfo else expires.replace(tzinfo=dt.UTC)) > utcnow()


def enrolment_token(session, kept: dict[str, str], token_in: EnrolmentTokenCreate) -> str:  # type: ignore[no-untyped-def]
    """The demo's token labelled ``token_in.label``: the kept one if still live, else a new one."""
    key = f"enrolment:{token_in.label}"
    if not _still_live(session, EnrolmentToken, kept.get(key)):
        kept[key] = accounts.create_enrolment_token(session=session, token_in=token_in, created_by="demo")[1]
    return kept[key]


def seed(engine) -> tuple[str, dict[str, int], dict[str, str]]:  # type: ignore[no-untyped-def]
    """Members (with their INSEE code and population), sites, an admin and an agent enrolment
    token per member; a second run reuses the first one's tokens.

    Returns an admin API token, the member ids and the agent tokens by member name."""
    tokens: dict[str, str] = {}
    ids: dict[str, int] = {}
    kept = _kept_tokens()
    with transaction(engine) as session:
        for name, kind, insee, population, sites in MEMBERS:
            member = tenancy.member_by_name(session=session, name=name) or tenancy.create_member(
                session=session, member_in=MemberCreate(name=name, kind=kind, insee_code=insee, population=population)
            )
            if member.population is None and member.insee_code is None:  # a database of an older demo
                tenancy.update_member(session=session, member=member,
                                      member_in=MemberUpdate(insee_code=insee, population=population))  # fmt: skip
            ids[name] = member.id
            for site in sites:
                if tenancy.site_by_name(session=session, member_id=member.id, name=site) is None:
                    tenancy.create_site(session=session, site_in=SiteCreate(member_id=member.id, name=site))
            token_in = EnrolmentTokenCreate(member_id=member.id, kind=TokenKind.AGENT, label=f"démo {name}")
            tokens[name] = enrolment_token(session, kept, token_in)
        user = session.scalars(select(UserAccount).where(UserAccount.username == ADMIN)).first()
        user = user or accounts.create_user(session=session, username=ADMIN, role=Role.ADMIN, password=ADMIN_PASSWORD)
        if not _still_live(session, ApiToken, kept.get("api:demo")):
            kept["api:demo"] = accounts.create_api_token(session=session, user=user, name="demo")[1]
        api_token = kept["api:demo"]
    _keep_tokens(kept)
    return api_token, ids, tokens


def collector_token(engine, member: str) -> str:  # type: ignore[no-untyped-def]
    """The collector enrolment token of a member's datacenter (the same at every run)."""
    kept = _kept_tokens()
    with transaction(engine) as session:
        found = tenancy.member_by_name(session=session, name=member)
        site = tenancy.site_by_name(session=session, member_id=found.id, name="Datacenter")
        token_in = EnrolmentTokenCreate(member_id=found.id, site_id=site.id, kind=TokenKind.COLLECTOR,
                                        label=f"démo collecteur datacenter {member}")  # fmt: skip
        token = enrolment_token(session, kept, token_in)
    _keep_tokens(kept)
    return token


def collect_simulated_devices(url: str, token: str, stack: contextlib.ExitStack) -> None:
    """Poll every recorded device through a real snmpsim, as a datacenter collector would."""
    from tests.support.snmp_agents import SnmpSimulator, free_udp_port, recordings, snmpsim_command

    if snmpsim_command() is None:
        print("    no SNMP simulator (make snmpsim needs Debian's python3-venv and python3-gdbm): skipped")
        return
    devices = [name for name in sorted(recordings()) if name != "mib2_generic"]  # the camera is found by the sweep
    sweep_port = free_udp_port()
    simulator = SnmpSimulator.start()
    stack.callback(simulator.stop)
    # An unaudited camera answering on the network: the sweep finds it, the server lists it to audit.
    camera = SnmpSimulator.start([("127.0.0.42", sweep_port)], only=[],
                                 extra={"public": recordings()["mib2_generic"]})  # fmt: skip
    stack.callback(camera.stop)
    host, port = simulator.endpoints[0]
    config = {
        "server": f"{url}/t/{token}/",
        "state_dir": str(VAR / "demo-collector"),
        "credentials": {name: {"community": name} for name in devices} | {"public": {"community": "public"}},
        "targets": [{"host": host, "port": port, "credential": name, "name": name} for name in devices],
        "discovery": {
            "ranges": ["127.0.0.40-127.0.0.44"],
            "port": sweep_port,
            "credentials": ["public"],
            "icmp": False,
        },
    }
    path = VAR / "demo-collector.yml"
    path.write_text(json.dumps(config, indent=1), "utf-8")  # JSON is YAML
    done = subprocess.run([sys.executable, "-m", "mutuparc", "collect", "--config", str(path)], cwd=PROJECT,
                          capture_output=True, text=True, check=False)  # fmt: skip
    for line in done.stderr.strip().splitlines():
        print(f"    {line}")
    if done.returncode != 0:
        raise demo_seed.DemoError(f"the collector run failed (exit code {done.returncode})")


def send(url: str, token: str, message: dict, label: str) -> None:  # type: ignore[type-arg]
    try:
        ServerTarget(f"{url}/t/{token}/").send_inventory(message)
    except TransportError as exc:
        raise demo_seed.DemoError(f"{label}: refused ({exc})") from exc
    print(f"    {label}: stored")


def send_file(url: str, token: str, path: Path) -> None:
    send(url, token, json.loads(path.read_text("utf-8")), path.name)


def run_local_agent(url: str, token: str) -> None:
    agent = subprocess.run(
        [sys.executable, "-m", "agent", "--server", f"{url}/t/{token}/", "--state-dir", str(VAR / "demo-agent"),
         "--full"],
        cwd=PROJECT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    print(f"    {(agent.stdout or agent.stderr).strip()}")
    if agent.returncode != 0:
        raise demo_seed.DemoError(f"the agent run failed (exit code {agent.returncode})")


def populate(url: str, engine, api_token: str, ids: dict[str, int], tokens: dict[str, str],  # type: ignore[no-untyped-def]
             stack: contextlib.ExitStack) -> None:  # fmt: skip
    step("agents report (GLPI inventory protocol)")
    send_file(url, tokens["Servon"], EXAMPLES / "computer_1.json")
    for partial in sorted(EXAMPLES.glob("computer_1_partial_*.json")):
        send_file(url, tokens["Servon"], partial)
    step("this machine is inventoried by Mutuparc's agent")
    run_local_agent(url, tokens["CCOB"])
    step("network devices report (GLPI network inventory)")
    send_file(url, tokens["Brie-Comte-Robert"], EXAMPLES / "networkequipment_1.json")
    send_file(url, tokens["Chevry-Cossigny"], EXAMPLES / "printer_1.json")
    step("the datacenter collector polls its simulated devices (SNMP) and sweeps for unaudited ones")
    collect_simulated_devices(url, collector_token(engine, "Brie-Comte-Robert"), stack)
    send(url, collector_token(engine, "Brie-Comte-Robert"), demo_seed.storage_inventory(), "file server shares")

    api = demo_seed.Api(url, api_token)
    step(f"allocation {demo_seed.YEAR} (seed 004): tickets imported, shares measured, five pools")
    result = demo_seed.seed_allocation(api, ids)
    for total in result["totals"]:
        print(f"    {total['member']}: {total['value']} €")
    print(f"    {len(result['invoices'])} invoices between members (titres à émettre)")
    budget_date = f"{dt.date.today().year}-10-01"
    step(f"renewal: unit prices and each member's plan for {dt.date.today().year + 1}, frozen")
    lines, cost = demo_seed.seed_renewal(api, ids, budget_date)
    print(f"    {lines} lines to renew, {cost} € in all")
    for path, params, target in (
        ("/renewal/reports/plan", {"format": "pdf", "budget_date": budget_date}, "demo-plan.pdf"),
        (f"/allocation/{demo_seed.YEAR}/statements", {"format": "pdf"}, f"demo-statements-{demo_seed.YEAR}.pdf"),
    ):
        report = demo_seed.download(api, path, params, VAR / target)
        print(f"    report: {report.relative_to(PROJECT)}")


class Stopped(Exception):
    """SIGTERM or SIGHUP: unwind like Ctrl-C so that everything started is stopped."""


def _stop_on_signal(signum: int, _frame: object) -> None:
    for stopping in (signal.SIGTERM, signal.SIGHUP):  # once: a second signal must not interrupt the clean-up
        signal.signal(stopping, signal.SIG_IGN)
    raise Stopped(signal.Signals(signum).name)


def main() -> int:
    for stopping in (signal.SIGTERM, signal.SIGHUP):  # before anything is started, not only once ready
        signal.signal(stopping, _stop_on_signal)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="stop once everything is ready (tests)")
    smoke = parser.parse_args().smoke
    settings = get_settings()
    VAR.mkdir(exist_ok=True)
    step(f"database: {settings.database_url}")
    engine = make_engine(settings)
    migrations.upgrade(engine)
    api_token, ids, tokens = seed(engine)

    port = free_port(int(os.environ.get("MUTUPARC_DEMO_PORT", "8000")))
    log = VAR / "demo-server.log"
    step(f"starting the server on http://127.0.0.1:{port} (log: {log.relative_to(PROJECT)})")
    with contextlib.ExitStack() as stack:
        try:
            server: LiveServer = start_server(settings.database_url, log, port=port)
            stack.callback(server.stop)
            populate(server.url, engine, api_token, ids, tokens, stack)
        except (demo_seed.DemoError, RuntimeError, OSError) as exc:
            print(f"demo failed: {exc}", file=sys.stderr)
            return 1
        except (KeyboardInterrupt, Stopped):
            print("demo stopped before it was ready; everything it started is stopped", file=sys.stderr)
            return 130
        url = server.url
        print()
        print(f"  {READY}: {url}/  (sign in as {ADMIN} / {ADMIN_PASSWORD})")
        print(f"  Allocation {demo_seed.YEAR}:     {url}/allocation?year={demo_seed.YEAR}")
        print(f"  API documentation:   {url}/api/docs")
        print(f"  Admin API token:     {api_token}")
        print(f"  Try: curl -H 'Authorization: Bearer {api_token}' {url}/api/v1/assets")
        print(f"       curl -H 'Authorization: Bearer {api_token}' {url}/api/v1/audit/devices")
        print(f"       curl -H 'Authorization: Bearer {api_token}' -o plan.pdf {url}/api/v1/renewal/reports/plan")
        if smoke:
            return 0
        try:
            # In the try: a signal can land while this line is still being written (whoever
            # reads it may already have acted on it).
            print("  Press Ctrl-C to stop.", flush=True)
            return server.process.wait()
        except (KeyboardInterrupt, Stopped):
            return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
