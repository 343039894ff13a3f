"""Getting a run's results to the server, or keeping them until it is back.

Device inventories go to the agent endpoint (GLPI ``netinventory`` messages); the run report
(device statuses, discovered addresses) to ``/api/v1/collector/reports``. Both use the agent's
transport and spool: what the server cannot take now (down, 5xx) waits in the spool, oldest
first, and goes out before the next run's results; what it refuses as invalid is set aside.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from agent.spool import Spool
from agent.transport import ServerTarget, TransportError, is_retryable

from .config import CollectorConfig

REPORT_ACTION = "collector_report"
REPORTS_PATH = "api/v1/collector/reports"
CREDENTIALS_PATH = "api/v1/collector/credentials"
HOST_KEYS_PATH = "api/v1/collector/host-keys"
_TOKEN_PATH = re.compile(r"/t/([^/]+)(/.*)?$")


def endpoints(server: str, token: str | None) -> tuple[str, str, str | None]:
    """(agent endpoint, API base URL, token) from the configured server URL.

    The URL may carry the enrolment token (``https://parc.example/t/mpe_.../``), as agents' do.
    """
    parts = urlsplit(server)
    path = parts.path or "/"
    found = _TOKEN_PATH.search(path)
    if found:
        token = token or found.group(1)
        path = path[: found.start()] + "/"
    base = urlunsplit((parts.scheme, parts.netloc, path if path.endswith("/") else f"{path}/", "", ""))
    return server, base, token


@dataclass
class DeliveryReport:
    delivered: int = 0
    spooled: int = 0  # waiting for the server
    rejected: int = 0  # refused by the server as invalid, set aside in the spool's rejected/
    error: str | None = None

    def line(self) -> str:
        text = f"{self.delivered} sent to the server"
        if self.spooled:
            text += f", {self.spooled} kept for later ({self.error})"
        if self.rejected:
            text += f", {self.rejected} refused by the server (see the spool's rejected/ folder)"
        return text


class Delivery:
    def __init__(self, config: CollectorConfig, *, spool_items: int = 500) -> None:
        if not config.server:
            raise ValueError("no server configured")
        agent_url, base, token = endpoints(config.server, config.token)
        self._inventories = ServerTarget(agent_url, token=token, ca_file=config.ca_file, timeout=30)
        self._reports = ServerTarget(base + REPORTS_PATH, token=token, ca_file=config.ca_file, timeout=30)
        self._credentials = ServerTarget(base + CREDENTIALS_PATH, token=token, ca_file=config.ca_file, timeout=30)
        self._host_keys = ServerTarget(base + HOST_KEYS_PATH, token=token, ca_file=config.ca_file, timeout=30)
        self.spool = Spool(config.state_dir / "spool", max_items=max(spool_items, 3 * len(config.targets) + 10),
                           max_bytes=500 * 2**20)  # fmt: skip

    def fetch_credentials(self) -> dict[str, Any]:
        """The member's SNMP credentials kept (encrypted) by the server; raises TransportError."""
        answer = self._credentials.exchange({"action": "collector_credentials"})
        credentials = answer.get("credentials")
        if answer.get("status") != "ok" or not isinstance(credentials, dict):
            raise TransportError(f"server refused to give the credentials: {answer.get('message')}", retryable=False)
        return credentials

    def sync_host_keys(self, message: dict[str, Any]) -> dict[str, Any]:
        """Send the SSH host keys this collector holds; the member's pinned keys come back."""
        answer = self._host_keys.exchange(message)
        if answer.get("status") != "ok":
            raise TransportError(f"server refused the host keys: {answer.get('message')}", retryable=False)
        return answer

    def _send(self, message: dict[str, Any], message_id: str) -> None:
        target = self._reports if message.get("action") == REPORT_ACTION else self._inventories
        answer = target.exchange(message, inventory_id=message_id)
        if answer.get("status") != "ok":
            raise TransportError(f"server refused it: {answer.get('message')}", retryable=False)

    def deliver(self, messages: list[dict[str, Any]]) -> DeliveryReport:
        """Send what waits in the spool, then ``messages``; keep whatever cannot go now."""
        report = DeliveryReport()
        backlog = self.spool.flush(self._send, is_retryable)
        report.delivered, report.rejected = backlog.delivered, backlog.rejected
        pending = list(messages)
        if backlog.error is None:
            while pending:
                message = pending[0]
                try:
                    self._send(message, uuid.uuid4().hex)
                except TransportError as exc:
                    if exc.retryable:
                        report.error = str(exc)
                        break
                    report.rejected += 1
                    self.spool.keep_rejected(message, uuid.uuid4().hex)
                else:
                    report.delivered += 1
                pending.pop(0)
        else:
            report.error = backlog.error
        for message in pending:
            self.spool.add(message, uuid.uuid4().hex)
        report.spooled = len(self.spool)
        return report
