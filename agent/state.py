"""What the agent remembers between runs: its identity, and per server what was last sent.

Partial inventories: after a full inventory, only the sections whose content changed are sent
(with ``bios`` and ``hardware``, which identify the machine), until ``full_every`` has passed or
a section disappeared. The state is saved once the inventory is delivered *or spooled* (it
will be delivered, in order); when the server refuses an inventory, the next one is full.
"""

# os.path, not pathlib: importing pathlib costs each agent run's start a tenth of its time (issue 27)
# ruff: noqa: PTH103, PTH105, PTH108, PTH118, PTH123
from __future__ import annotations

import datetime as dt
import json
import os
import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

ALWAYS_SENT = ("bios", "hardware", "versionclient")


def write_atomically(path: str | os.PathLike[str], data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` so that a crash leaves either the old file or the new one, never half of it.

    ``durable`` also waits for the disk (fsync): what must survive a power cut (spool, state).
    """
    path = os.fspath(path)
    folder, name = os.path.split(path)
    folder = folder or "."
    os.makedirs(folder, exist_ok=True)
    temporary = os.path.join(folder, f".{name}.{os.getpid()}.tmp")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        import contextlib  # a failure only: no contextlib import at start-up

        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    if durable and hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        directory = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _load(path: str | os.PathLike[str]) -> dict[str, Any]:
    try:
        with open(path, encoding="utf-8") as file:
            return json.loads(file.read())
    except (OSError, ValueError):
        return {}


def section_digest(content: Any) -> str:
    import hashlib  # only when sending: OpenSSL's loading costs a --local run more than its collection of DMI

    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def server_slug(url: str) -> str:
    """A directory name for a server URL (its state and its spool)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", url)[:150]


class Identity:
    __slots__ = ("agent_id", "deviceid")

    def __init__(self, deviceid: str, agent_id: str) -> None:
        self.deviceid, self.agent_id = deviceid, agent_id

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Identity):
            return (self.deviceid, self.agent_id) == (other.deviceid, other.agent_id)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Identity(deviceid={self.deviceid!r}, agent_id={self.agent_id!r})"


def load_identity(state_dir: str | os.PathLike[str], new_deviceid: str) -> Identity:
    """The agent's deviceid and GLPI-Agent-ID, created on the first run and kept forever."""
    path = os.path.join(state_dir, "agent.json")
    saved = _load(path)
    if saved.get("deviceid") and saved.get("agent_id"):
        return Identity(saved["deviceid"], saved["agent_id"])
    import uuid

    identity = Identity(new_deviceid, str(uuid.uuid1()))
    write_atomically(path, json.dumps({"deviceid": identity.deviceid, "agent_id": identity.agent_id}).encode())
    return identity


class ServerState:
    """What was last sent to one server: the hash of each section, when the last full inventory went
    (ISO datetime), and whether the next one must be full."""

    __slots__ = ("force_full", "hashes", "last_full", "path")

    def __init__(
        self, path: Path, hashes: dict[str, str] | None = None, last_full: str | None = None, force_full: bool = False
    ) -> None:
        self.path, self.last_full, self.force_full = path, last_full, force_full
        self.hashes = {} if hashes is None else hashes

    def __repr__(self) -> str:
        return (f"ServerState(path={self.path!r}, hashes={self.hashes!r}, last_full={self.last_full!r}, "
                f"force_full={self.force_full!r})")  # fmt: skip

    @classmethod
    def load(cls, state_dir: str | os.PathLike[str], url: str) -> ServerState:
        from pathlib import Path  # sending only: the spool and its callers work with paths

        path = Path(state_dir) / "servers" / f"{server_slug(url)}.json"
        saved = _load(path)
        return cls(path, saved.get("hashes", {}), saved.get("last_full"), bool(saved.get("force_full")))

    def save(self) -> None:
        data = {"hashes": self.hashes, "last_full": self.last_full, "force_full": self.force_full}
        write_atomically(self.path, json.dumps(data, indent=1).encode())

    def plan(
        self, content: dict[str, Any], *, now: dt.datetime, full_every: dt.timedelta, force_full: bool = False
    ) -> tuple[dict[str, Any], bool, dict[str, str]]:
        """(content to send, whether it is partial, the section hashes to remember once sent)."""
        hashes = {name: section_digest(value) for name, value in content.items() if name != "versionclient"}
        due = self.last_full is None or now - dt.datetime.fromisoformat(self.last_full) >= full_every
        disappeared = set(self.hashes) - set(hashes)
        if force_full or self.force_full or due or disappeared:
            return content, False, hashes
        changed = {name for name, digest in hashes.items() if self.hashes.get(name) != digest}
        partial = {name: value for name, value in content.items() if name in changed or name in ALWAYS_SENT}
        return partial, True, hashes

    def sent(self, hashes: dict[str, str], *, partial: bool, now: dt.datetime) -> None:
        self.hashes = hashes
        if not partial:
            self.last_full = now.isoformat(timespec="seconds")
        self.force_full = False
        self.save()

    def refused(self) -> None:
        """The server refused an inventory: make sure the next one carries everything."""
        self.force_full = True
        self.save()
