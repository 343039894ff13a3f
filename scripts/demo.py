"""``make demo``: the server on SQLite with a small parc, inventoried through the real paths.

1. create/upgrade the SQLite database (var/mutuparc.db), add the seed's members if absent;
2. start ``mutuparc server``;
3. send inventories the way agents and collectors do (GLPI protocol over HTTP), and run
   Mutuparc's own agent on this machine;
4. run ``mutuparc collect`` against the datacenter's simulated network devices (snmpsim serving
   the device profiles' recordings: switches, firewalls, UPS, NAS) and a sweep for unaudited ones;
5. print the URL and an admin API token, and keep serving until Ctrl-C.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from sqlalchemy import select

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from agent.transport import ServerTarget, TransportError  # noqa: E402
from server import migrations  # noqa: E402
from server.accounts import crud as accounts  # noqa: E402
from server.accounts.models import EnrolmentTokenCreate, Role, TokenKind  # noqa: E402
from server.core.config import get_settings  # noqa: E402
from server.core.db import make_engine, transaction  # noqa: E402
from server.renewal.models import UnitPrice  # noqa: E402
from server.tenancy import crud as tenancy  # noqa: E402
from server.tenancy.models import MemberCreate, SiteCreate  # noqa: E402

EXAMPLES = PROJECT.parent / "shared" / "reference" / "glpi-inventory" / "examples"
# Seed 004: the shared IT service of Brie-Comte-Robert and the Communauté de communes de l'Orée de la Brie.
MEMBERS = [
    ("Brie-Comte-Robert", "commune", ["Hôtel de ville", "Datacenter"]),
    ("Chevry-Cossigny", "commune", ["Mairie"]),
    ("Servon", "commune", ["Mairie"]),
    ("Varennes-Jarcy", "commune", ["Mairie"]),
    ("CCOB", "epci", ["Siège"]),
]
DEMO_PRICES = [("workstation", 800, "poste standard"), ("laptop", 1100, "portable standard"), ("switch", 2500, None),
               ("firewall", 6000, None), ("nas", 4000, None), ("ups", 1800, None), ("ups_battery", 350, "batteries"),
               ("printer", 600, None), ("server", 9000, None)]  # fmt: skip
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


def seed(engine) -> tuple[str, dict[str, str]]:  # type: ignore[no-untyped-def]
    """Members, sites, an admin and enrolment tokens; returns an admin API token and a token per member."""
    tokens: dict[str, str] = {}
    with transaction(engine) as session:
        for name, kind, sites in MEMBERS:
            member = tenancy.member_by_name(session=session, name=name) or tenancy.create_member(
                session=session, member_in=MemberCreate(name=name, kind=kind)
            )
            for site in sites:
                if tenancy.site_by_name(session=session, member_id=member.id, name=site) is None:
                    tenancy.create_site(session=session, site_in=SiteCreate(member_id=member.id, name=site))
            token_in = EnrolmentTokenCreate(member_id=member.id, kind=TokenKind.AGENT, label=f"démo {name}")
            tokens[name] = accounts.create_enrolment_token(session=session, token_in=token_in, created_by="demo")[1]
        try:
            user = accounts.user_by_name(session=session, username=ADMIN)
        except Exception:  # noqa: BLE001 - NotFound: first run
            user = accounts.create_user(session=session, username=ADMIN, role=Role.ADMIN, password=ADMIN_PASSWORD)
        api_token = accounts.create_api_token(session=session, user=user, name="demo")[1]
        if session.scalars(select(UnitPrice)).first() is None:  # what the renewal plan is priced with
            session.add_all([UnitPrice(asset_type=kind, price=price, label=name) for kind, price, name in DEMO_PRICES])
    return api_token, tokens


def collector_token(engine) -> str:  # type: ignore[no-untyped-def]
    """A collector enrolment token for the datacenter of Brie-Comte-Robert (the DSIT's)."""
    with transaction(engine) as session:
        member = tenancy.member_by_name(session=session, name="Brie-Comte-Robert")
        site = tenancy.site_by_name(session=session, member_id=member.id, name="Datacenter")
        token_in = EnrolmentTokenCreate(member_id=member.id, site_id=site.id, kind=TokenKind.COLLECTOR,
                                        label="démo collecteur datacenter")  # fmt: skip
        return accounts.create_enrolment_token(session=session, token_in=token_in, created_by="demo")[1]


def collect_simulated_devices(url: str, token: str) -> None:
    """Poll every recorded device through a real snmpsim, as a datacenter collector would."""
    from tests.support.snmp_agents import SnmpSimulator, free_udp_port, recordings, snmpsim_command

    if snmpsim_command() is None:
        print("    no SNMP simulator (make snmpsim needs Debian's python3-venv and python3-gdbm): skipped")
        return
    devices = [name for name in sorted(recordings()) if name != "mib2_generic"]  # the camera is found by the sweep
    sweep_port = free_udp_port()
    simulator = SnmpSimulator.start()
    # An unaudited camera answering on the network: the sweep finds it, the server lists it to audit.
    camera = SnmpSimulator.start([("127.0.0.42", sweep_port)], only=[],
                                 extra={"public": recordings()["mib2_generic"]})  # fmt: skip
    host, port = simulator.endpoints[0]
    config = {
        "server": f"{url}/t/{token}/",
        "state_dir": str(PROJECT / "var" / "demo-collector"),
        "credentials": {name: {"community": name} for name in devices} | {"public": {"community": "public"}},
        "targets": [{"host": host, "port": port, "credential": name, "name": name} for name in devices],
        "discovery": {
            "ranges": ["127.0.0.40-127.0.0.44"],
            "port": sweep_port,
            "credentials": ["public"],
            "icmp": False,
        },
    }
    path = PROJECT / "var" / "demo-collector.yml"
    path.write_text(json.dumps(config, indent=1), "utf-8")  # JSON is YAML
    try:
        done = subprocess.run([sys.executable, "-m", "mutuparc", "collect", "--config", str(path)], cwd=PROJECT,
                              capture_output=True, text=True, check=False)  # fmt: skip
        for line in done.stderr.strip().splitlines():
            print(f"    {line}")
    finally:
        simulator.stop()
        camera.stop()


def wait_for(url: str, process: subprocess.Popen) -> None:
    for _ in range(300):
        if process.poll() is not None:
            sys.exit(f"the server stopped (exit code {process.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/api/v1/health", timeout=1):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.1)
    sys.exit("the server did not start within 30 s")


def send(url: str, token: str, path: Path) -> None:
    message = json.loads(path.read_text("utf-8"))
    try:
        ServerTarget(f"{url}/t/{token}/").send_inventory(message)
        print(f"    {path.name}: stored")
    except TransportError as exc:
        print(f"    {path.name}: refused ({exc})")


def main() -> int:
    settings = get_settings()
    step(f"database: {settings.database_url}")
    engine = make_engine(settings)
    migrations.upgrade(engine)
    api_token, tokens = seed(engine)

    port = free_port(int(os.environ.get("MUTUPARC_DEMO_PORT", "8000")))
    url = f"http://127.0.0.1:{port}"
    step(f"starting the server on {url}")
    server = subprocess.Popen(
        [sys.executable, "-m", "mutuparc", "server", "--port", str(port), "--log-level", "warning"], cwd=PROJECT
    )
    wait_for(url, server)

    step("agents report (GLPI inventory protocol)")
    send(url, tokens["Servon"], EXAMPLES / "computer_1.json")
    for partial in sorted(EXAMPLES.glob("computer_1_partial_*.json")):
        send(url, tokens["Servon"], partial)
    step("this machine is inventoried by Mutuparc's agent")
    agent = subprocess.run(
        [
            sys.executable,
            "-m",
            "agent",
            "--server",
            f"{url}/t/{tokens['CCOB']}/",
            "--state-dir",
            str(PROJECT / "var" / "demo-agent"),
            "--full",
        ],
        cwd=PROJECT,
        capture_output=True,
        text=True,
        check=False,
    )
    print(f"    {(agent.stdout or agent.stderr).strip()}")
    step("network devices report (GLPI network inventory)")
    send(url, tokens["Brie-Comte-Robert"], EXAMPLES / "networkequipment_1.json")
    send(url, tokens["Chevry-Cossigny"], EXAMPLES / "printer_1.json")
    step("the datacenter collector polls its simulated devices (SNMP) and sweeps for unaudited ones")
    collect_simulated_devices(url, collector_token(engine))

    print()
    print(f"  Mutuparc is running: {url}/  (sign in as {ADMIN} / {ADMIN_PASSWORD})")
    print(f"  API documentation:   {url}/api/docs")
    print(f"  Admin API token:     {api_token}")
    print(f"  Try: curl -H 'Authorization: Bearer {api_token}' {url}/api/v1/assets")
    print(f"       curl -H 'Authorization: Bearer {api_token}' {url}/api/v1/audit/devices")
    print(f"       curl -H 'Authorization: Bearer {api_token}' -o plan.pdf {url}/api/v1/renewal/reports/plan")
    print("  Press Ctrl-C to stop.")
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.send_signal(signal.SIGINT)
        server.wait(10)
        return 0


if __name__ == "__main__":
    sys.exit(main())
