"""``mutuparc collect``: poll the configured devices, sweep the discovery ranges, report to the server.

mutuparc collect --config collector.yml              # one run
mutuparc collect --config collector.yml --every 60   # a run every hour
mutuparc collect --config collector.yml --output out/  # write the messages, send nothing
mutuparc collect probe 10.0.0.10 --community public  # what would be sent for one device
mutuparc collect discover --config collector.yml     # the sweep alone
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from agent.transport import TransportError

from .config import CollectorConfig, Target, load_config
from .delivery import Delivery
from .discovery import SweepResult, sweep
from .errors import ConfigError
from .metrics import write_run_metrics
from .profiles import load_profiles
from .report import build_report
from .runner import DeviceResult, RunSummary, poll_all, poll_device
from .snmp.session import Channels, Credential


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def quiet_ssh_libraries() -> None:
    """paramiko logs a failed connection (no banner, reset, refused key exchange) with its whole
    traceback, which Python prints on stderr when logging is not set up: each device's status
    and message already say what went wrong, in one line."""
    import logging

    for name in ("paramiko", "netmiko"):
        logger = logging.getLogger(name)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


@contextmanager
def progress_bar(total: int, title: str) -> Iterator[Callable[[str], None]]:
    """A progress bar on a terminal; on a log, a line every tenth of the way."""
    if total == 0:
        yield lambda _: None
        return
    if sys.stderr.isatty():
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("{task.fields[last]}"))  # fmt: skip
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task(title, total=total, last="")
            yield lambda last: bar.update(task, advance=1, last=last)
        return
    done = 0
    step = max(1, total // 10) if total >= 50 else total  # a short run: no progress lines

    def advance(_: str) -> None:
        nonlocal done
        done += 1
        if done % step == 0 or done == total:
            _say(f"{title}: {done}/{total}")

    yield advance


def _poll(config: CollectorConfig, targets: list[Target]) -> RunSummary:
    profiles = load_profiles()
    with progress_bar(len(targets), "Polling") as advance:
        return asyncio.run(poll_all(targets, config, profiles, progress=lambda r: advance(f"{r.label}: {r.status}")))


def _sweep(config: CollectorConfig) -> SweepResult:
    addresses = config.discovery_addresses()
    with progress_bar(len(addresses), "Discovery") as advance:
        result = asyncio.run(sweep(addresses, config, load_profiles(),
                                   progress=lambda found: advance(found.address if found else "")))  # fmt: skip
    if not result.icmp and config.discovery_icmp:
        _say("ICMP is not allowed for this user: the sweep used SNMP only")
    return result


def _print_results(summary: RunSummary) -> None:
    for result in summary.results:
        if result.status != "ok":
            _say(f"  {result.label}: {result.status.replace('_', ' ')}: {result.message}")
        for warning in result.warnings:
            _say(f"  {result.label}: {warning}")
    _say(summary.line())


def _print_sweep(result: SweepResult) -> None:
    for found in result.found:
        what = found.profile or ("unknown SNMP device" if "snmp" in found.via else "answers ping only")
        name = f" {found.sys_name}" if found.sys_name else ""
        _say(f"  {found.address}{name}: {what} ({', '.join(found.via)})")
    _say(f"Discovery: {len(result.found)} of {result.addresses} addresses answer")


def _write(output: Path, messages: list[dict[str, Any]]) -> None:
    output.mkdir(parents=True, exist_ok=True)
    for message in messages:
        name = message.get("deviceid") or "report"
        (output / f"{name}.json").write_text(json.dumps(message, indent=1, ensure_ascii=False, default=str), "utf-8")
    _say(f"{len(messages)} messages written to {output}")


def _one_run(config: CollectorConfig, *, output: Path | None, discover: bool, poll: bool = True) -> None:
    started = dt.datetime.now(dt.UTC)
    summary = None
    if poll:
        summary = _poll(config, config.targets)
        _print_results(summary)
    swept = None
    if discover and config.discovery_ranges:
        swept = _sweep(config)
        _print_sweep(swept)
    over_ssh = _ssh(config, sync=output is None) if poll and config.ssh and config.ssh.targets else []
    messages = [r.inventory for r in (summary.results if summary else []) if r.inventory is not None]
    messages += [r.inventory for r in over_ssh if r.inventory is not None]
    messages.append(build_report(summary, swept, started=started, finished=dt.datetime.now(dt.UTC),
                                 ssh_results=over_ssh))  # fmt: skip
    statuses = {"snmp": summary.counts if summary else Counter(), "ssh": Counter(r.status for r in over_ssh)}
    seconds = (dt.datetime.now(dt.UTC) - started).total_seconds()
    if output is not None:
        _write(output, messages)
        write_run_metrics(config.state_dir, statuses, seconds, spooled=0)
        return
    delivery = Delivery(config)
    report = delivery.deliver(messages)
    _say(report.line())
    write_run_metrics(config.state_dir, statuses, seconds, spooled=report.spooled)


def _sync_host_keys(config: CollectorConfig) -> None:
    """known_hosts <-> the keys pinned on the server; offline, the local file goes on alone."""
    from .ssh import host_keys

    known_hosts = config.ssh.known_hosts  # type: ignore[union-attr]
    try:
        answer = Delivery(config).sync_host_keys(host_keys.message(known_hosts))
    except TransportError as exc:
        _say(f"SSH host keys not synchronised with the server ({exc}): using {known_hosts} alone")
        return
    for line in host_keys.apply_answer(known_hosts, answer):
        _say(f"  {line}")


def _ssh(config: CollectorConfig, *, sync: bool) -> list[Any]:
    from .ssh.runner import inventory_all

    settings = config.ssh
    quiet_ssh_libraries()
    if sync:
        _sync_host_keys(config)
    with progress_bar(len(settings.targets), "SSH") as advance:
        results = inventory_all(settings.jobs(), settings.known_hosts, concurrency=settings.concurrency,
                                trust_on_first_use=settings.trust_on_first_use,
                                progress=lambda r: advance(r.target.host))  # fmt: skip
    for result in results:
        detail = f" ({result.message})" if result.message else ""
        label = " ".join(filter(None, (result.target.host, result.target.name)))
        _say(f"  {label}: {result.status} over SSH{detail}")
    if sync:
        _sync_host_keys(config)  # the keys trusted on first use in this run, pinned on the server
    return results


def _fetch_credentials(config: CollectorConfig) -> bool:
    try:
        config.add_server_credentials(Delivery(config).fetch_credentials())
    except TransportError as exc:
        _say(f"cannot fetch the SNMP credentials from the server: {exc} (for offline runs, put them in the file)")
        return False
    except ConfigError as exc:
        _say(f"configuration error: {exc}")
        return False
    return True


def run(*, config: Path | None, output: Path | None = None, every: float | None = None,
        discover: bool = True, check: bool = False) -> int:  # fmt: skip
    if config is None:
        _say("a configuration file is required: mutuparc collect --config collector.yml")
        return 2
    try:
        settings = load_config(config)
        if output is None and not settings.server:
            raise ConfigError(f"{config}: no server to send to: set `server:` or use --output DIR")
    except ConfigError as exc:
        _say(f"configuration error: {exc}")
        return 2
    if check:
        ssh = f", {len(settings.ssh.targets)} SSH target(s)" if settings.ssh else ""
        _say(f"{config}: valid, {len(settings.targets)} target(s), {len(settings.credentials)} credential(s){ssh}")
        return 0
    while True:
        if settings.credentials_from_server and not _fetch_credentials(settings):
            return 1
        _one_run(settings, output=output, discover=discover)
        if not every:
            return 0
        _say(f"next run in {every:g} min")
        time.sleep(every * 60)


def discover(*, config: Path) -> int:
    try:
        settings = load_config(config)
    except ConfigError as exc:
        _say(f"configuration error: {exc}")
        return 2
    if not settings.discovery_ranges:
        _say(f"{config}: no discovery ranges (discovery.ranges)")
        return 2
    if not settings.discovery_credentials:
        _say("no discovery.credentials: devices are found by ICMP only and cannot be identified")
    output = None if settings.server else Path("discovery")
    _one_run(settings, output=output, discover=True, poll=False)
    return 0


def probe(*, host: str, port: int, credential: Credential, timeout: float) -> int:
    """Identify one device and print the message a run would send for it."""
    config = CollectorConfig(timeout=timeout, retries=1, deadline=max(30.0, timeout * 10),
                             credentials={credential.name: credential})  # fmt: skip
    target = Target(host=host, credential=credential.name, port=port)

    async def one() -> DeviceResult:
        channels = Channels()
        try:
            return await poll_device(channels, target, config, load_profiles())
        finally:
            channels.close()

    result = asyncio.run(one())
    status = result.status.replace("_", " ")
    if result.message.startswith(f"{host}:"):  # the message names the target and the credential itself
        _say(f"{status}: {result.message}")
    else:
        _say(f"{host}: {status}" + (f": {result.message}" if result.message else ""))
    if result.profile:
        _say(f"  profile {result.profile}; sysObjectID {result.sys_object_id}; sysDescr {result.sys_descr!r}")
    for warning in result.warnings:
        _say(f"  {warning}")
    if result.inventory is not None:
        print(json.dumps(result.inventory, indent=1, ensure_ascii=False, default=str))
    return 0 if result.status in ("ok", "unknown_profile") else 1
