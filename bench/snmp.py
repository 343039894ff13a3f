"""SNMP collector speed, against real agents on loopback started here.

1. Walk throughput (varbinds/s): the collector's GETBULK walker and net-snmp's ``snmpbulkwalk``
   (C) walking the same subtree of the same agent, alternately, in the same run; median of
   several rounds. Agents: net-snmp ``snmpd`` (this machine's MIB-2) and snmpsim (a 1,500-port
   switch recording). Target: the collector at 0.8x snmpbulkwalk or better.
2. A full run over 1,000 simulated devices (every shipped recording, spread over 1,000 loopback
   addresses served by snmpsim processes), with the collector's default settings. Target: under
   60 s on a 2-core machine.

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
from collector.snmp.session import MAX_REPETITIONS, Channels, Credential, SnmpSession  # noqa: E402
from tests.support.snmp_agents import Snmpd, SnmpSimulator, free_udp_port, recordings  # noqa: E402

MIB2 = "1.3.6.1.2.1"
IF_TABLE = "1.3.6.1.2.1.2.2"


def big_switch(path: Path, ports: int = 1500) -> Path:
    lines = ["1.3.6.1.2.1.1.1.0|4|Big chassis", "1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.99999.2"]
    for column, tag, value in (("1", "2", "{i}"), ("2", "4", "Ethernet{i}"), ("3", "2", "6"), ("5", "66", "1000000000"),
                               ("7", "2", "1"), ("8", "2", "1"), ("10", "65", "{i}000")):  # fmt: skip
        lines += [f"1.3.6.1.2.1.2.2.1.{column}.{i}|{tag}|{value.format(i=i)}" for i in range(1, ports + 1)]
    path.write_text("\n".join(lines) + "\n")
    return path


def snmpbulkwalk(port: int, community: str, root: str) -> tuple[float, int]:
    command = ["snmpbulkwalk", "-v2c", "-c", community, f"-Cr{MAX_REPETITIONS}", "-On", "-Oq", "-t", "5", "-r", "1",
               f"127.0.0.1:{port}", root]  # fmt: skip
    started = time.perf_counter()
    out = subprocess.run(command, capture_output=True, text=True, check=True, env={**os.environ, "MIBS": ""}).stdout
    return time.perf_counter() - started, sum(1 for line in out.splitlines() if line.startswith(f".{root}."))


def collector_walk(port: int, community: str, root: str) -> tuple[float, int]:
    async def walk() -> tuple[float, int]:
        channels = Channels()
        try:
            session = SnmpSession(channels, "127.0.0.1", Credential(community=community), port=port, timeout=5)
            started = time.perf_counter()
            rows = await session.walk([root])
            return time.perf_counter() - started, sum(len(column) for column in rows.values())
        finally:
            channels.close()

    return asyncio.run(walk())


def compare_walks(label: str, port: int, community: str, root: str, rounds: int) -> float:
    ours, theirs, count = [], [], 0
    for _ in range(rounds):
        seconds, count = collector_walk(port, community, root)
        ours.append(count / seconds)
        seconds, their_count = snmpbulkwalk(port, community, root)
        theirs.append(their_count / seconds)
        if their_count != count:
            print(f"  note: snmpbulkwalk read {their_count} varbinds, the collector {count}")
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"walk {label} ({count} varbinds, median of {rounds}): collector {statistics.median(ours):,.0f}/s, "
          f"snmpbulkwalk {statistics.median(theirs):,.0f}/s -> {ratio:.2f}x")  # fmt: skip
    return ratio


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
        print(f"{devices} simulated devices polled in {seconds:.1f} s (target < 60 s), collector CPU {used:.1f} s, "
              f"concurrency {config.concurrency}: {dict(counts)}")  # fmt: skip
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
    try:
        compare_walks("snmpd MIB-2", snmpd.port, "public", MIB2, args.rounds)
    finally:
        snmpd.stop()
    with tempfile.TemporaryDirectory() as work:
        simulator = SnmpSimulator.start(only=[], extra={"bigswitch": big_switch(Path(work) / "big.snmprec")})
        try:
            compare_walks("snmpsim ifTable 1,500 ports", simulator.endpoints[0][1], "bigswitch", IF_TABLE, args.rounds)
        finally:
            simulator.stop()
    thousand_devices(args.devices, args.simulators)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
