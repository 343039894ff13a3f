"""SSH collector speed: 200 replayed Cisco switches inventoried with bounded concurrency.

Each device is a replay server on loopback (tests/support/ssh_replay.py: banner, prompt, paging,
the recorded outputs of a Catalyst 2960-X stack), all served by a separate process so that the
devices' side does not share the collector's interpreter. Prints devices/s and peak memory of the
collector's run, next to the reference in the same script: a bare paramiko login and one
``show version`` per device at the same concurrency (the floor any SSH inventory pays).

    python bench/ssh.py [--devices 200] [--concurrency 16]

The collector's CPU time is printed too: on a 2-core machine shared with the devices' process,
its run is bound by the interpreter (one GIL for every session), not by the network.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import paramiko
from common import PROJECT  # first: it puts the project on sys.path

from collector.ssh.connection import SshCredential, SshTarget
from collector.ssh.runner import inventory_all
from tests.support.ssh_replay import ReplayDevice, recordings


def bare_login(port: int) -> int:
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # noqa: S507 - loopback replay devices
    client.connect("127.0.0.1", port=port, username="admin", password="cisco", look_for_keys=False,  # noqa: S106
                   allow_agent=False, timeout=10)  # fmt: skip
    shell = client.invoke_shell()
    shell.settimeout(10)
    shell.send(b"terminal length 0\nshow version\n")
    received = b""
    while b"Configuration register" not in received:
        received += shell.recv(65536)
    client.close()
    return len(received)


def serve(count: int) -> int:
    """The devices' process: start them, print their ports, serve until stdin closes."""
    outputs = recordings("cisco_ios")
    devices = [ReplayDevice(f"sw-{n:03d}", outputs).start() for n in range(count)]
    print(json.dumps([d.port for d in devices]), flush=True)
    sys.stdin.read()
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        return serve(args.serve)
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(args.devices)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)  # fmt: skip
    ports = json.loads(server.stdout.readline())  # type: ignore[union-attr]
    devices = [_Port(port) for port in ports]
    print(f"{args.devices} replayed switches on loopback ({PROJECT.name}), concurrency {args.concurrency}")
    try:
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(bare_login, [d.port for d in devices]))
        floor = time.perf_counter() - started
        print(f"  reference, bare paramiko login + show version: {floor:.1f} s, {args.devices / floor:.1f} devices/s")

        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        cpu_before = _cpu()
        jobs = [(SshTarget("127.0.0.1", d.port, driver="cisco_ios", timeout=20), SshCredential("admin", "cisco"))
                for d in devices]  # fmt: skip
        with tempfile.TemporaryDirectory() as work:
            started = time.perf_counter()
            results = inventory_all(jobs, Path(work) / "known_hosts", concurrency=args.concurrency)
            seconds = time.perf_counter() - started
        cpu = _cpu() - cpu_before
        ok = sum(1 for r in results if r.status == "ok")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        print(f"  collector (netmiko, 5 commands, ntc-templates): {seconds:.1f} s, {args.devices / seconds:.1f} "
              f"devices/s, {ok}/{args.devices} ok; peak RSS {peak / 1024:.0f} MiB "
              f"(+{(peak - rss_before) / 1024:.0f} MiB during the run), {cpu:.1f} s CPU "
              f"({cpu / args.devices * 1000:.0f} ms per device)")  # fmt: skip
        print(f"  ratio to the reference: {floor / seconds:.2f}x (goal >= 0.5x)")
        if ok < args.devices:
            failed = {r.status for r in results if r.status != "ok"}
            print(f"  not ok: {failed}: {[r.message[:150] for r in results if r.status != 'ok'][:3]}")
    finally:
        server.stdin.close()  # type: ignore[union-attr]
        server.wait(10)
    return 0


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class _Port:
    def __init__(self, port: int) -> None:
        self.port = port


if __name__ == "__main__":
    raise SystemExit(main())
