"""One agent run: collect, decide full or partial, deliver (queued inventories first) or spool."""

# os.path, not pathlib: importing pathlib costs each agent run's start a tenth of its time (issue 27)
# ruff: noqa: PTH112, PTH118
from __future__ import annotations

import datetime as dt
import json
import os

from . import inventory
from ._log import log
from .state import ServerState, load_identity, write_atomically

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .config import AgentConfig


class RunResult:
    """What a run did: ``status`` is written, sent, spooled, refused or failed; ``content`` is that of
    the message written, sent or queued (``--debug`` lists it)."""

    __slots__ = ("collected", "content", "details", "message", "partial", "spool_delivered", "spool_remaining",
                 "status")  # fmt: skip

    def __init__(
        self,
        status: str,
        partial: bool = False,
        spool_delivered: int = 0,
        spool_remaining: int = 0,
        message: str = "",
        collected: inventory.Collected | None = None,
        content: dict[str, Any] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.status, self.partial, self.message = status, partial, message
        self.spool_delivered, self.spool_remaining = spool_delivered, spool_remaining
        self.collected, self.content = collected, content
        self.details = {} if details is None else details

    def __repr__(self) -> str:
        return f"RunResult(status={self.status!r}, partial={self.partial!r}, message={self.message!r})"


def collect_content(config: AgentConfig, module: Any = None, sources: Any = None) -> inventory.Collected:
    collected = inventory.collect(module, sources)
    if config.debug:  # what each part gave the inventory: a section with nothing in it is left out of it
        present = inventory.section_counts(inventory.glpi_content(collected))
        for run in collected.runs:
            if run.error:
                state = f"ERROR {run.error}"
            else:
                state = f"{present[run.section]} item(s)" if run.section in present else "nothing found: left out"
            log.info("  %-16s %7.1f ms  %s", run.section, run.seconds * 1000, state)
    return collected


def run_once(
    config: AgentConfig,
    *,
    local: str | os.PathLike[str] | None = None,
    full: bool = False,
    module: Any = None,
    sources: Any = None,
    now: dt.datetime | None = None,
) -> RunResult:
    """Inventory the machine and write it (``local``) or deliver it to ``config.server``."""
    now = now or dt.datetime.now(dt.UTC)
    collected = collect_content(config, module, sources)
    content = inventory.glpi_content(collected)
    hostname = (collected.sections.get("hardware") or {}).get("name") or "unknown"
    identity = load_identity(config.state_path, inventory.new_deviceid(hostname))
    if local is not None:
        message = inventory.build_message(content, deviceid=identity.deviceid, tag=config.tag)
        local = os.fspath(local)
        target = os.path.join(local, f"{identity.deviceid}.json") if os.path.isdir(local) else local
        body = json.dumps(message, ensure_ascii=False, default=str).encode() + b"\n"
        write_atomically(target, body, durable=False)
        return RunResult("written", message=target, collected=collected, content=content)
    if not config.server:
        return RunResult("failed", message="no server configured (--server URL or a config file)", collected=collected)

    from .spool import Spool  # here: a --local run neither queues nor sends
    from .transport import ServerTarget, TransportError, is_retryable, redact

    target_server = ServerTarget(
        config.server, token=config.token, ca_file=config.ca_file, timeout=config.timeout, agent_id=identity.agent_id
    )
    state = ServerState.load(config.state_dir, config.server)
    spool = Spool(
        config.state_dir / "spool" / state.path.stem,
        max_items=config.spool_max_items,
        max_bytes=config.spool_max_mb * 2**20,
    )
    flushed = spool.flush(target_server.send_inventory, is_retryable)
    if flushed.rejected:
        state.refused()
    sent_content, partial, hashes = state.plan(
        content, now=now, full_every=dt.timedelta(days=config.full_every_days), force_full=full
    )
    message = inventory.build_message(sent_content, deviceid=identity.deviceid, partial=partial, tag=config.tag)
    import uuid

    inventory_id = str(uuid.uuid4())
    result = RunResult("sent", partial=partial, spool_delivered=flushed.delivered, collected=collected,
                       content=sent_content)  # fmt: skip

    def spool_it(reason: str) -> RunResult:
        _, dropped = spool.add(message, inventory_id)
        state.sent(hashes, partial=partial, now=now)
        if dropped:
            state.refused()  # what the dropped inventories carried must go again, in full
        result.status, result.message = "spooled", reason
        result.spool_remaining = len(spool)
        return result

    if flushed.remaining:
        return spool_it(f"server unreachable, queued behind {flushed.remaining} inventories: {flushed.error}")
    try:
        target_server.send_inventory(message, inventory_id)
    except TransportError as exc:
        if exc.retryable:
            return spool_it(str(exc))
        state.refused()
        result.status, result.message = "refused", str(exc)
        return result
    state.sent(hashes, partial=partial, now=now)
    result.message = f"{'partial' if partial else 'full'} inventory {identity.deviceid} sent to {redact(config.server)}"
    return result
