"""A collection run: every target polled with bounded concurrency and a deadline per device.

One dead or misconfigured device never stalls the run: each gets its own status (ok, timeout,
auth_failure, unknown_profile, error) and the others go on.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .config import CollectorConfig, Target
from .errors import CollectorError
from .inventory import build_message
from .profiles import Profile
from .snmp.detect import identify
from .snmp.extract import read_device
from .snmp.session import Channels, SnmpSession

STATUSES = ("ok", "unknown_profile", "timeout", "wrong_auth", "wrong_privacy", "unknown_user", "short_key",
            "auth_failure", "error")  # fmt: skip


@dataclass
class DeviceResult:
    target: Target
    status: str
    message: str = ""
    warnings: list[str] = field(default_factory=list)
    profile: str | None = None
    seconds: float = 0.0
    inventory: dict[str, Any] | None = None
    sys_object_id: str | None = None
    sys_descr: str | None = None
    sys_name: str | None = None
    requests: int = 0  # SNMP requests sent, and variable bindings received: the device's cost
    varbinds: int = 0

    @property
    def host(self) -> str:
        return self.target.host

    @property
    def label(self) -> str:
        """How to name the device to a person: the configured name, else the address."""
        name = self.target.name or self.sys_name
        return f"{self.target.host} ({name})" if name and name != self.target.host else self.target.host


@dataclass
class RunSummary:
    results: list[DeviceResult] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def counts(self) -> Counter[str]:
        return Counter(r.status for r in self.results)

    def line(self) -> str:
        counts = self.counts
        parts = [f"{counts.get(status, 0)} {status.replace('_', ' ')}" for status in STATUSES if counts.get(status)]
        return f"{len(self.results)} devices in {self.seconds:.1f} s: " + (", ".join(parts) or "nothing")


async def poll_device(channels: Channels, target: Target, config: CollectorConfig,
                      profiles: dict[str, Profile]) -> DeviceResult:  # fmt: skip
    """Identify one device and read it, within the run's deadline."""
    started = time.monotonic()
    credential = config.credentials[target.credential]
    session = SnmpSession(channels, target.host, credential, port=target.port, timeout=config.timeout,
                          retries=config.retries, max_rows=config.max_rows)  # fmt: skip
    result = DeviceResult(target, "error")
    try:
        async with asyncio.timeout(config.deadline):
            ident = await identify(session, profiles)
            result.profile = ident.profile.id
            result.sys_object_id, result.sys_descr, result.sys_name = (ident.sys_object_id, ident.sys_descr,
                                                                       ident.sys_name)  # fmt: skip
            data = await read_device(session, ident.profile, ident.system)
            result.warnings = data.warnings
            result.inventory = build_message(data, ident.profile, target)
            if ident.generic:
                result.status = "unknown_profile"
                result.message = f"no profile for sysObjectID {ident.sys_object_id}: read with the generic one"
            else:
                result.status = "ok"
    except TimeoutError:
        result.status, result.message = "timeout", f"no complete answer within {config.deadline:.0f} s"
    except CollectorError as exc:
        result.status, result.message = exc.status, str(exc)
    except Exception as exc:  # noqa: BLE001 - a device's garbage must not end the run
        result.status, result.message = "error", f"{type(exc).__name__}: {exc}"
    result.seconds = time.monotonic() - started
    result.requests, result.varbinds = session.requests, session.varbinds
    return result


def _address_order(result: DeviceResult) -> tuple:  # type: ignore[type-arg]
    numbers = tuple(int(p) if p.isdigit() else 0 for p in result.host.split("."))
    return numbers, result.target.port, result.target.name or ""


async def poll_all(targets: list[Target], config: CollectorConfig, profiles: dict[str, Profile],
                   progress: Callable[[DeviceResult], None] | None = None) -> RunSummary:  # fmt: skip
    started = time.monotonic()
    channels = Channels()
    limit = asyncio.Semaphore(config.concurrency)
    summary = RunSummary()

    async def one(target: Target) -> None:
        async with limit:
            result = await poll_device(channels, target, config, profiles)
        summary.results.append(result)
        if progress:
            progress(result)

    try:
        await asyncio.gather(*(one(t) for t in targets))
    finally:
        channels.close()
    summary.results.sort(key=_address_order)
    summary.seconds = time.monotonic() - started
    return summary
