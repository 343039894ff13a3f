"""SSH collector speed: 200 replayed Cisco switches inventoried with bounded concurrency.

Each device is a replay server on loopback (tests/support/ssh_replay.py: banner, prompt, paging,
the recorded outputs of a Catalyst 2960-X stack), all served by a separate process so that the
devices' side does not share the collector's interpreter. Prints devices/s and peak memory of the
collector's run, next to two references in the same script at the same concurrency: a bare
paramiko login and one ``show version`` per device (the floor any SSH inventory pays), and a
bare paramiko login running the collector's own commands, each read to its prompt (the floor
of this inventory).

    python bench/ssh.py [--devices 200] [--concurrency 16]

The collector's CPU time is printed too: on a 2-core machine shared with the devices' process,
its run is bound by the interpreter (one GIL for every session), not by the network.
"""

from __future__ import annotations

import argparse
import json
import logging
import resource
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import paramiko
from common import PROJECT  # first: it puts the project on sys.path

from collector.ssh.connection import SshCredential, SshTarget
from collector.ssh.drivers.cisco_ios import CiscoIos
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


def bare_inventory(port: int) -> int:
    """The same conversation as the collector's with a Cisco switch, in bare paramiko: login, the
    prompt, paging and width off, then every command of the driver, each read to its prompt
    (TCP_NODELAY, as the collector: no Nagle delay per command)."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())  # noqa: S507 - loopback replay devices
    client.connect("127.0.0.1", port=port, username="admin", password="cisco", look_for_keys=False,  # noqa: S106
                   allow_agent=False, timeout=10, sock=sock)  # fmt: skip
    shell = client.invoke_shell(width=511, height=1000)
    shell.settimeout(10)
    received = b""
    while not received.rstrip().endswith((b"#", b">")):
        received += shell.recv(65536)
    prompt = received.rstrip().splitlines()[-1]
    size = 0
    for command in ("terminal width 511", "terminal length 0", *sorted(CiscoIos.commands)):
        shell.send(command.encode() + b"\n")
        received = b""
        while not (received.rstrip().endswith(prompt) and command.encode() in received):
            received += shell.recv(65536)
        size += len(received)
    client.close()
    return size


def serve(count: int) -> int:
    """The devices' process: start them, print their ports, serve until stdin closes."""
    # A client hanging up after its last command makes paramiko's server side log "Socket
    # exception: Connection reset by peer" once per session: normal here, not worth 200 lines.
    logging.getLogger("paramiko.transport").setLevel(logging.CRITICAL)
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
        # The devices' first connections cost their process more than the next ones: one untimed
        # pass first, so that every measure below (references and collector) finds them warm.
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(bare_login, [d.port for d in devices]))
        warm = time.perf_counter() - started
        print(f"  warm-up (untimed in the figures): bare paramiko login + show version, {warm:.1f} s")
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(bare_login, [d.port for d in devices]))
        floor = time.perf_counter() - started
        print(f"  reference, bare paramiko login + show version: {floor:.1f} s, {args.devices / floor:.1f} devices/s")
        cpu_before, started = _cpu(), time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(bare_inventory, [d.port for d in devices]))
        same = time.perf_counter() - started
        print(f"  reference, bare paramiko login + the collector's commands ({len(CiscoIos.commands)} + paging and "
              f"width off, each read to its prompt): {same:.1f} s, {args.devices / same:.1f} devices/s, "
              f"{(_cpu() - cpu_before) / args.devices * 1000:.0f} ms CPU per device")  # fmt: skip

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
        print(f"  collector (netmiko, {len(CiscoIos.commands)} commands, ntc-templates): {seconds:.1f} s, "
              f"{args.devices / seconds:.1f} devices/s, {ok}/{args.devices} ok; peak RSS {peak / 1024:.0f} MiB "
              f"(+{(peak - rss_before) / 1024:.0f} MiB during the run), {cpu:.1f} s CPU "
              f"({cpu / args.devices * 1000:.0f} ms per device)")  # fmt: skip
        print(f"  ratio to the references: {floor / seconds:.2f}x login + show version, {same / seconds:.2f}x login + "
              "the same commands (goal >= 0.5x)")  # fmt: skip
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
