"""The agent's start-up and lean readers (issue 27): what a run imports, and each replacement of a
library call checked against the library on this machine (psutil, subprocess, argparse, ipaddress,
platform), so that the inventory stays what it was."""

from __future__ import annotations

import datetime as dt
import ipaddress
import itertools
import os
import platform
import random
import shutil
import subprocess
import sys

import psutil
import pytest

from agent import _common, _linux, _linux_kernel, _linux_system, cli, inventory
from tests.utils import PROJECT
from wire import glpi_json, sections
from wire.fields import TEXT, Kind
from wire.model import Contact, Inventory

# What a --local run must not import: each costs a run's start more than a section's collection.
HEAVY = {"psutil", "subprocess", "dataclasses", "typing", "pathlib", "inspect", "argparse", "hashlib", "zoneinfo",
         "platform", "ipaddress", "socket", "logging", "tomllib", "importlib.resources", "selectors",
         "threading"}  # fmt: skip


def test_a_local_run_imports_only_what_it_needs(tmp_path):
    """``-S``: no site-packages (so no psutil either), only the checkout: what the agent itself imports,
    on a run after the first (which makes the agent's identity with uuid)."""
    out, state = tmp_path / "out", tmp_path / "state"
    out.mkdir()
    command = [sys.executable, "-S", "-X", "importtime", "-m", "agent", "--local", str(out), "--state-dir", str(state)]
    for _ in range(2):
        run = subprocess.run(command, cwd=PROJECT, capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
    imported = {line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert {"agent._linux", "agent._linux_kernel", "wire.sections"} <= imported
    assert not HEAVY & imported, sorted(HEAVY & imported)
    assert len(list(out.iterdir())) == 1


def _addresses(found: dict) -> list:
    return [(name, [(int(e.family), e.address, e.netmask) for e in entries]) for name, entries in found.items()]


def test_kernel_readers_give_what_psutil_gives():
    assert _addresses(_linux_kernel.net_if_addrs()) == _addresses(psutil.net_if_addrs())
    assert {n: (s.isup, s.mtu) for n, s in _linux_kernel.net_if_stats().items()} == {
        n: (s.isup, s.mtu) for n, s in psutil.net_if_stats().items()
    }
    ours, theirs = _linux_kernel.disk_partitions(), psutil.disk_partitions(all=False)
    assert ours is not None
    assert [(p.device, p.mountpoint, p.fstype, p.opts) for p in ours] == [
        (p.device, p.mountpoint, p.fstype, p.opts) for p in theirs
    ]
    for partition in ours:
        assert _linux_kernel.disk_usage(partition.mountpoint).total == psutil.disk_usage(partition.mountpoint).total
    assert _linux_kernel.users() == [u.name for u in psutil.users()]
    assert _linux_kernel.boot_time() == psutil.boot_time()


NAMESPACE_SCRIPT = """
ip link set lo up
ip link add d0 type veth peer name d0p
ip link set d0 up
ip addr add 10.0.0.1/24 dev d0
ip addr add 10.0.0.2/24 dev d0 label d0:1
ip addr add 10.9.0.1/8 dev d0
ip addr add 2001:db8::1/64 dev d0
ip addr add 2001:db8:1::1/48 dev d0
ip link add br0 type bridge 2>/dev/null || true
ip tuntap add tun0 mode tun && ip link set tun0 up && ip addr add 192.168.5.1 peer 192.168.5.2 dev tun0
exec "$0" -c "$1"
"""
NAMESPACE_CHECK = """
import psutil
from agent import _linux_kernel as k
def addresses(found):
    return [(n, [(int(e.family), e.address, e.netmask) for e in v]) for n, v in found.items()]
assert addresses(k.net_if_addrs()) == addresses(psutil.net_if_addrs()), (k.net_if_addrs(), psutil.net_if_addrs())
assert {n: (s.isup, s.mtu) for n, s in k.net_if_stats().items()} == {
    n: (s.isup, s.mtu) for n, s in psutil.net_if_stats().items()}
print(sorted(k.net_if_addrs()))
"""


def test_kernel_readers_give_what_psutil_gives_on_a_busier_network():
    """A network namespace with an alias (an address label), several addresses of each family, a veth
    pair, a bridge and a point-to-point tun without hardware address."""
    if not shutil.which("unshare") or not shutil.which("ip"):
        pytest.skip("needs unshare and ip (iproute2)")
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a network namespace here: {probe.stderr.decode().strip()}")
    run = subprocess.run(["unshare", "-n", "sh", "-ec", NAMESPACE_SCRIPT, sys.executable, NAMESPACE_CHECK],
                         cwd=PROJECT, capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "'d0:1'" in run.stdout and "'tun0'" in run.stdout


def _volatile(content: dict) -> dict:
    content = {**content, "accesslog": None}
    content["drives"] = [{k: v for k, v in d.items() if k != "free"} for d in content.get("drives", [])]
    return content


def test_the_inventory_is_the_one_psutil_gives(monkeypatch):
    """This machine's inventory with the kernel readers, and with psutil as the agent used it before."""
    ours = _volatile(inventory.glpi_content(inventory.collect(_linux, _linux.live_sources())))
    monkeypatch.setattr(_linux, "_interfaces", lambda: None)  # psutil's net_if_addrs and net_if_stats
    monkeypatch.setattr(_linux_kernel, "disk_partitions", lambda: None)  # psutil's disk_partitions and disk_usage
    monkeypatch.setattr(_linux_kernel, "users", lambda: [u.name for u in psutil.users()])
    monkeypatch.setattr(_linux_kernel, "boot_time", psutil.boot_time)
    theirs = _volatile(inventory.glpi_content(inventory.collect(_linux, _linux.live_sources())))
    assert ours == theirs
    assert ours["networks"] and ours["drives"] and ours["operatingsystem"]["boot_time"]


def _network(address: str | None, mask: str | None) -> str | None:
    if not address or not mask:
        return None
    try:
        return str(ipaddress.ip_network(f"{address}/{mask}", strict=False).network_address)
    except ValueError:
        return None


def test_subnets_are_those_of_ipaddress():
    addresses = ["192.0.2.2", "127.0.0.1", "0.0.0.0", "255.255.255.255", "01.2.3.4", "1.2.3", "1.2.3.4.5",
                 "256.1.1.1", "1.2.3.4/8", "fe80::1", "fd00::2", "::1", " 1.2.3.4", "١.2.3.4", "", None]  # fmt: skip
    masks = ["255.255.255.0", "255.0.0.0", "0.0.0.0", "255.255.255.255", "0.0.0.255", "255.0.255.0", "24", "32",
             "33", "08", "ffff:ffff:ffff:ffff::", "64", "129", "/24", "", None, "255.255.0.1", "٢٤"]  # fmt: skip
    for address, mask in itertools.product(addresses, masks):
        assert _linux._subnet(address, mask) == _network(address, mask), (address, mask)
    rng = random.Random(27)
    for _ in range(3000):
        address = ".".join(str(rng.randrange(300)) for _ in range(4))
        dotted = ".".join(rng.choice(["255", "0", "254", "128", "1"]) for _ in "1234")
        netmask = str(ipaddress.IPv4Address(0xFFFFFFFF ^ (0xFFFFFFFF >> rng.randrange(33))))
        mask = rng.choice([str(rng.randrange(40)), dotted, netmask])
        assert _linux._subnet(address, mask) == _network(address, mask), (address, mask)


def test_platform_words_are_those_of_the_platform_module():
    processor = subprocess.run(["uname", "-p"], capture_output=True, text=True, check=False).stdout.strip()
    if processor not in ("unknown", os.uname().machine, ""):
        pytest.skip(f"uname -p names the processor here ({processor}): platform.platform() shows it")
    assert _linux_system.platform_name() == platform.platform()
    assert _linux_system.python_version() == platform.python_version()
    assert _linux_system.python_implementation() == platform.python_implementation()


def test_firewalld_is_asked_only_where_it_is_installed(monkeypatch):
    """Without a firewalld unit file the entry is what systemctl says of an unknown unit ("off")."""
    src = _linux.live_sources()
    if src.which("ufw") or not src.which("systemctl"):
        pytest.skip("needs systemctl and no ufw")
    if _linux_system.firewalld_unit_installed():
        pytest.skip("firewalld is installed here")
    without = _linux_system.firewalls(src)
    monkeypatch.setattr(_linux_system, "firewalld_unit_installed", lambda: True)
    assert _linux_system.firewalls(src) == without
    assert without[0] == {"description": "firewalld", "status": "off"}


COMMANDS = [
    ["sh", "-c", "echo hello; echo err >&2"],
    ["sh", "-c", "printf 'a\\r\\nb\\rc\\nd'"],
    ["sh", "-c", "printf '\\351t\\303\\251'"],  # an undecodable byte, then UTF-8
    ["sh", "-c", "exit 3"],
    ["sh", "-c", "kill -9 $$"],
    ["sh", "-c", "head -c 300000 /dev/zero | tr '\\0' x"],
    ["sh", "-c", "cat"],  # stdin is /dev/null
    ["sh", "-c", "trap '' PIPE; yes | head -c 10 >/dev/null; kill -l $(( $? - 128 )) 2>/dev/null; echo $?"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[-1][:30])
def test_commands_run_as_subprocess_runs_them(command):
    env = {**os.environ, "LC_ALL": "C"}
    expected = subprocess.run([shutil.which(command[0]), *command[1:]], capture_output=True, text=True,
                              errors="replace", env=env, stdin=subprocess.DEVNULL, timeout=10, check=False)  # fmt: skip
    code, output = _linux.spawn([shutil.which(command[0]), *command[1:]], env, 10)  # type: ignore[misc]
    assert code == expected.returncode
    text = output.decode(_linux._locale_encoding(), "replace").replace("\r\n", "\n").replace("\r", "\n")
    assert text == expected.stdout


def test_a_command_that_outlives_its_timeout_is_killed():
    started = dt.datetime.now()
    assert _linux.spawn([shutil.which("sleep"), "5"], dict(os.environ), 0.3) is None  # type: ignore[list-item]
    assert _linux.spawn([shutil.which("sh"), "-c", "exec >&-; sleep 5"], dict(os.environ), 0.3) is None  # type: ignore[list-item]
    assert (dt.datetime.now() - started).total_seconds() < 3
    assert _linux.live_sources().run("no-such-command-anywhere") is None


ARGUMENTS = [[], ["--local", "/tmp/x", "--state-dir", "/tmp/s"], ["--local=/tmp/x"], ["--debug", "--local", "/tmp"],
             ["--full", "--server", "https://x/t/a/", "--tag", "mairie"], ["--local"], ["--loc", "/x"],
             ["--local", "-x"], ["--state_dir", "/x"], ["--full=1"], ["--local", "a", "--local", "b"],
             ["--server=https://a=b"], ["--ca-file", "/c.pem", "--token", "mpe_x"], ["x"], ["--", "--full"],
             ["--send-file", "f.json", "--local", "out.json"], ["--daemon", "--config", "/etc/a.toml"],
             ["--local", "/tmp/a_b"], ["--local", ""]]  # fmt: skip


@pytest.mark.parametrize("argv", ARGUMENTS, ids=" ".join)
def test_the_command_line_reads_as_argparse_reads_it(argv, capsys):
    def parsed(parse):  # type: ignore[no-untyped-def]
        try:
            return vars(parse(argv))
        except SystemExit as exc:
            return ("exit", exc.code, capsys.readouterr().err)

    assert parsed(cli.parse_args) == parsed(cli.parser().parse_args)


def test_the_pci_header_type_is_read_alone(tmp_path):
    (tmp_path / "config").write_bytes(bytes(range(64)))
    src = _linux.LinuxSources(tmp_path)
    assert src.read_at("config", 0x0E, 1) == b"\x0e" and src.read_at("config", 70, 1) == b""
    assert src.read_at("missing", 0, 1) is None
    live = _linux.live_sources()
    for device in live.listdir("sys/bus/pci/devices")[:4]:
        whole = live.read_bytes(f"sys/bus/pci/devices/{device}/config")
        assert live.read_at(f"sys/bus/pci/devices/{device}/config", 0x0E, 1) == (whole[0x0E:0x0F] if whole else None)


def test_wire_value_classes_behave_as_the_dataclasses_did():
    kind = Kind("text", str)
    assert kind == Kind("text", str) and hash(kind) == hash(Kind("text", str)) and kind != TEXT
    with pytest.raises(AttributeError):
        kind.name = "other"  # type: ignore[misc]
    section = sections.SECTIONS["softwares"]
    assert section == sections.SECTIONS["softwares"] and repr(section).startswith("Section(name='softwares'")
    assert sections.CARTRIDGES.reshape is not None and sections.CARTRIDGES.unshape is not None
    assert repr(sections.Field("name", "name")) == f"Field(key='name', glpi='name', kind={TEXT!r})"
    contact = Contact("pc-1")
    contact.tag = "mairie"
    assert contact == Contact("pc-1", tag="mairie") and contact.enabled_tasks == []
    message = {"deviceid": "pc-1", "content": {"versionclient": "x", "hardware": {"name": "pc"}}}
    parsed = glpi_json.parse_message(message)
    assert isinstance(parsed, Inventory) and parsed.sections["hardware"]["name"] == "pc"
    with pytest.raises(TypeError):
        hash(parsed)


def test_users_and_networks_records_keep_their_shape():
    assert _common.users(["DOM\\ann", "bob", "bob"]) == [{"login": "ann", "domain": "DOM"},
                                                          {"login": "bob", "domain": None}]  # fmt: skip
