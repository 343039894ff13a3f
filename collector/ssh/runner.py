"""Inventory many devices over SSH with bounded concurrency; each device gets a status and one
device's failure (wrong password, changed host key, timeout, garbage output) never stops the run."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .connection import CliSession, ExecSession, Session, SshCredential, SshError, SshTarget
from .drivers import DRIVERS, Driver
from .inventory import build_message
from .parsing import ParseError


@dataclass
class SshResult:
    target: SshTarget
    status: str  # ok | auth_failure | host_key | timeout | parse_error | refused_command | error
    message: str = ""
    driver: str | None = None
    inventory: dict[str, Any] | None = None
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def open_session(target: SshTarget, credential: SshCredential, driver: type[Driver], known_hosts: Path,
                 trust_on_first_use: bool) -> Session:  # fmt: skip
    if driver.session_kind == "exec":
        return ExecSession(target, credential, known_hosts, trust_on_first_use)
    return CliSession(target, credential, known_hosts, driver.netmiko_type or driver.name, trust_on_first_use)


# What ``show version`` says -> the driver (netmiko's SSHDetect tries dozens of platforms with
# long waits; the ones we have drivers for are told apart by one read-only command).
CLI_SIGNATURES = (("Cisco IOS", "cisco_ios"), ("FortiGate", "fortinet"), ("FortiOS", "fortinet"),
                  ("ArubaOS-CX", "aruba_aoscx"), ("AOS-CX", "aruba_aoscx"), ("ProCurve", "hp_procurve"),
                  ("Press any key to continue", "hp_procurve"))  # fmt: skip
# On a Linux host: (read-only probe, what its output shows, driver); plain "linux" when none answers.
LINUX_FLAVOURS = (("cat /etc.defaults/VERSION", re.compile(r"^productversion=", re.M), "synology"),
                  ("pveversion", re.compile(r"^pve-manager/"), "proxmox"),
                  ("virsh --version", re.compile(r"^\d+\.\d+"), "libvirt"))  # fmt: skip


def linux_flavour(session: ExecSession) -> str:
    for probe, signature, driver in LINUX_FLAVOURS:
        if signature.search(session.run(probe)):
            return driver
    return "linux"


def detect(target: SshTarget, credential: SshCredential, known_hosts: Path, trust_on_first_use: bool) -> str:
    """``--driver auto``: Linux when ``uname`` answers on an exec channel (then Synology, Proxmox
    or libvirt by what their own commands answer); FortiOS when
    ``get system status`` does (it answers CLI commands on exec channels); else what the
    interactive CLI's ``show version`` says."""
    banner = ""
    for probe in ("uname -s", "get system status", None):
        session = ExecSession(target, credential, known_hosts, trust_on_first_use)  # one connection per probe
        try:
            banner = session.run(probe) if probe else session.shell_read("show version")
            if banner.strip() == "Linux":
                return linux_flavour(session)
        except SshError:
            continue  # network CLIs often refuse exec channels: the next probe asks the shell
        finally:
            session.close()
        for signature, driver in CLI_SIGNATURES:
            if signature in banner:
                return driver
    raise SshError(f"{target.host}: platform not recognised (no known signature in 'uname', 'get system status' "
                   "or 'show version')")  # fmt: skip


def inventory_one(target: SshTarget, credential: SshCredential, known_hosts: Path,
                  trust_on_first_use: bool = True) -> SshResult:  # fmt: skip
    started = time.monotonic()
    result = SshResult(target, "ok")
    session = None
    try:
        name = target.driver if target.driver != "auto" else detect(target, credential, known_hosts,
                                                                      trust_on_first_use)  # fmt: skip
        if name not in DRIVERS:
            raise SshError(f"unknown driver {name!r} (known: {', '.join(sorted(DRIVERS))})")
        result.driver = name
        session = open_session(target, credential, DRIVERS[name], known_hosts, trust_on_first_use)
        found = DRIVERS[name](session, target.shares).inventory()
        result.warnings = found.warnings
        result.inventory = build_message(found, target)
    except ParseError as exc:
        result.status, result.message = "parse_error", str(exc)
    except SshError as exc:
        result.status, result.message = exc.status, str(exc)
    except Exception as exc:  # noqa: BLE001 - one device's surprise must not stop the run
        result.status, result.message = "error", f"{type(exc).__name__}: {exc}"
    finally:
        if session is not None:
            session.close()
        result.seconds = time.monotonic() - started
    return result


def inventory_all(targets: list[tuple[SshTarget, SshCredential]], known_hosts: Path, *, concurrency: int = 16,
                  trust_on_first_use: bool = True, progress: Callable[[SshResult], None] | None = None,
                  ) -> list[SshResult]:  # fmt: skip
    """Every target, ``concurrency`` at a time (netmiko is blocking: threads)."""
    results: list[SshResult] = []
    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        futures = [pool.submit(inventory_one, target, credential, known_hosts, trust_on_first_use)
                   for target, credential in targets]  # fmt: skip
        for future in futures:
            results.append(future.result())
            if progress:
                progress(results[-1])
    return results
