"""SNMP collector speed, against real agents on loopback started here.

1. Walk throughput (varbinds/s) and CPU per varbind: the collector's GETBULK walker and net-snmp's
   ``snmpbulkwalk`` (C) walking the same subtree of the same agent, alternately, in the same run;
   median of several rounds. Agents: net-snmp ``snmpd`` (this machine's MIB-2, and the whole
   agent from ``.1``) over v2c and over SNMPv3 authPriv (SHA-256 + AES), and snmpsim (a
   1,500-port switch recording). Goal: the collector at 0.8x snmpbulkwalk or better, i.e.
   15 us of CPU per varbind or less. One untimed walk of each first (the agent's caches warm
   for both); each collector walk discovers the engine and localises its SNMPv3 keys again, as
   for a new device (the passphrases' hashes, engine-independent, are kept: once per run).
2. A full run over 1,000 simulated devices (every shipped recording, spread over 1,000 loopback
   addresses served by snmpsim processes), with the collector's default settings. Goal: under
   15 s; beside it, the simulators' own ceiling: the run's requests at the rate snmpsim answers
   snmpbulkwalk (a C client), measured in the same run.

    python bench/snmp.py [--devices 1000] [--rounds 5] [--simulators 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from collector.config import CollectorConfig, Target  # noqa: E402
from collector.profiles import load_profiles  # noqa: E402
from collector.runner import poll_all  # noqa: E402
from collector.snmp import usm  # noqa: E402
from collector.snmp.session import MAX_REPETITIONS, Channels, Credential, SnmpSession  # noqa: E402
from tests.support.snmp_agents import (  # noqa: E402
    SNMPD_AUTH_KEY,
    SNMPD_PRIV_KEY,
    SNMPD_USER,
    Snmpd,
    SnmpSimulator,
    free_udp_port,
    recordings,
)

V3 = Credential(version="3", name="v3", user=SNMPD_USER, auth_protocol="sha256", auth_key=SNMPD_AUTH_KEY,
                priv_protocol="aes", priv_key=SNMPD_PRIV_KEY)  # fmt: skip
V3_ARGS = ["-v3", "-l", "authPriv", "-u", SNMPD_USER, "-a", "SHA-256", "-A", SNMPD_AUTH_KEY, "-x", "AES", "-X",
           SNMPD_PRIV_KEY]  # fmt: skip

MIB2 = "1.3.6.1.2.1"
IF_TABLE = "1.3.6.1.2.1.2.2"


def big_switch(path: Path, ports: int = 1500) -> Path:
    lines = ["1.3.6.1.2.1.1.1.0|4|Big chassis", "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.2"]
    for column, tag, value in (("1", "2", "{i}"), ("2", "4", "Ethernet{i}"), ("3", "2", "6"), ("5", "66", "1000000000"),
                               ("7", "2", "1"), ("8", "2", "1"), ("10", "65", "{i}000")):  # fmt: skip
        lines += [f"1.3.6.1.2.1.2.2.1.{column}.{i}|{tag}|{value.format(i=i)}" for i in range(1, ports + 1)]
    path.write_text("\n".join(lines) + "\n")
    return path


def snmpbulkwalk(port: int, credential: Credential, root: str) -> tuple[float, int]:
    auth = V3_ARGS if credential.version == "3" else ["-v2c", "-c", credential.community or "public"]
    command = ["snmpbulkwalk", *auth, f"-Cr{MAX_REPETITIONS}", "-On", "-Oq", "-t", "5", "-r", "1",
               f"127.0.0.1:{port}", f".{root}"]  # fmt: skip
    started = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, check=True, env={**os.environ, "MIBS": ""}).stdout
    return time.perf_counter() - started, sum(1 for line in out.splitlines() if line.startswith(f".{root}."))


def collector_walk(port: int, credential: Credential, root: str) -> tuple[float, float, int, str]:
    """(seconds, CPU seconds, varbinds, requests sent ahead) of one walk, engine discovery included
    for SNMPv3."""

    async def walk() -> tuple[float, float, int, str]:
        usm._keys.cache_clear()  # SNMPv3 keys localised again, as for a new device (passphrases: once a run)
        channels = Channels()
        try:
            session = SnmpSession(channels, "127.0.0.1", credential, port=port, timeout=5)
            started, cpu = time.perf_counter(), time.process_time()
            rows = await session.walk([root])
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            ahead = f"{session.sent_ahead} of {session.requests} requests sent before the previous answer was decoded"
            return seconds, cpu, sum(len(column) for column in rows.values()), ahead
        finally:
            channels.close()

    return asyncio.run(walk())


def compare_walks(label: str, port: int, credential: Credential, root: str, rounds: int) -> float:
    ours, theirs, cpu, count, ahead = [], [], [], 0, ""
    snmpbulkwalk(port, credential, root)  # untimed: the agent's caches warm for both, whoever goes first
    collector_walk(port, credential, root)
    for _ in range(rounds):
        seconds, used, count, ahead = collector_walk(port, credential, root)
        ours.append(count / seconds)
        cpu.append(used / count)
        seconds, their_count = snmpbulkwalk(port, credential, root)
        theirs.append(their_count / seconds)
        if abs(their_count - count) > 2:  # net-snmp prints a multi-line string as several lines
            print(f"  note: snmpbulkwalk read {their_count} varbinds, the collector {count}")
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"walk {label} ({count} varbinds, median of {rounds}): collector {statistics.median(ours):,.0f}/s "
          f"({1e6 * statistics.median(cpu):.1f} us CPU per varbind, goal <= 15), "
          f"snmpbulkwalk {statistics.median(theirs):,.0f}/s -> {ratio:.2f}x (goal >= 0.8x); {ahead}")  # fmt: skip
    return ratio


def simulator_rate(endpoint: tuple[str, int], community: str) -> float:
    """Requests per second one snmpsim process answers to snmpbulkwalk (C) on a recording."""
    command = ["snmpbulkwalk", "-v2c", "-c", community, f"-Cr{MAX_REPETITIONS}", "-On", "-Oq", "-t", "5",
               f"{endpoint[0]}:{endpoint[1]}", ".1.3.6.1"]  # fmt: skip
    started = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, check=True, env={**os.environ, "MIBS": ""}).stdout
    requests = sum(1 for _ in out.splitlines()) / MAX_REPETITIONS + 1
    return requests / (time.perf_counter() - started)


def thousand_devices(devices: int, simulators: int) -> None:
    found = recordings()
    names = sorted(found)
    addresses = [f"127.0.{1 + i // 250}.{1 + i % 250}" for i in range(devices)]
    port = free_udp_port()
    groups = [addresses[i::simulators] for i in range(simulators)]
    print(f"starting {simulators} snmpsim processes for {devices} addresses...", flush=True)
    started = time.perf_counter()
    running = [SnmpSimulator.start([(a, port) for a in group]) for group in groups]
    print(f"  ready in {time.perf_counter() - started:.1f} s")
    try:
        config = CollectorConfig()  # the defaults a site would run with
        config.credentials = {n: Credential(name=n, community=n) for n in names}
        config.targets = [Target(host=a, port=port, credential=names[i % len(names)]) for i, a in enumerate(addresses)]
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        started = time.perf_counter()
        summary = asyncio.run(poll_all(config.targets, config, load_profiles()))
        seconds = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        used = (after.ru_utime - cpu.ru_utime) + (after.ru_stime - cpu.ru_stime)
        counts = Counter(r.status for r in summary.results)
        requests = sum(r.requests for r in summary.results)
        varbinds = sum(r.varbinds for r in summary.results)
        print(f"  {requests} requests, {varbinds} varbinds: {1000 * used / devices:.0f} ms CPU per device, "
              f"{1000 * used / max(requests, 1):.2f} ms per request")  # fmt: skip
        largest = max(found, key=lambda name: found[name].stat().st_size)
        rate = statistics.median(simulator_rate((groups[0][0], port), largest) for _ in range(3))
        ceiling = requests / (rate * simulators)
        print(f"{devices} simulated devices polled in {seconds:.1f} s (goal < 15 s), collector CPU {used:.1f} s, "
              f"concurrency {config.concurrency}: {dict(counts)}")  # fmt: skip
        print(f"  simulators' ceiling: {requests} requests at {rate:,.0f}/s per snmpsim process (snmpbulkwalk) "
              f"x {simulators} = {ceiling:.1f} s")  # fmt: skip
    finally:
        for simulator in running:
            simulator.stop()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--simulators", type=int, default=2, help="snmpsim processes serving the devices")
    args = parser.parse_args()

    snmpd = Snmpd.start()
    v2c = Credential(community="public")
    try:
        compare_walks("snmpd MIB-2 v2c", snmpd.port, v2c, MIB2, args.rounds)
        compare_walks("snmpd MIB-2 v3 authPriv", snmpd.port, V3, MIB2, args.rounds)
        compare_walks("snmpd from .1 v2c", snmpd.port, v2c, "1", args.rounds)
    finally:
        snmpd.stop()
    with tempfile.TemporaryDirectory() as work:
        simulator = SnmpSimulator.start(only=[], extra={"bigswitch": big_switch(Path(work) / "big.snmprec")})
        try:
            port = simulator.endpoints[0][1]
            compare_walks("snmpsim ifTable 1,500 ports", port, Credential(community="bigswitch"), IF_TABLE, args.rounds)
        finally:
            simulator.stop()
    if args.devices:  # --devices 0: the walks only
        thousand_devices(args.devices, args.simulators)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
