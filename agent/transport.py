"""HTTP exchange with the server, GLPI Agent JSON protocol (contact, then inventory).

Stdlib only (urllib): the agent must stay small. Bodies are zlib-compressed JSON; answers are
decoded by their Content-Type as GLPI Agents do. Errors say whether retrying can help: the
spool retries 5xx and network failures, and drops what the server refused as invalid (4xx).
"""

from __future__ import annotations

import json
import re
import ssl
import urllib.error
import urllib.request
import uuid
import zlib
from dataclasses import dataclass, field
from typing import Any

from mutuparc import __version__
from wire import protocol
from wire.compression import CONTENT_TYPES, Encoding, declared_encoding, decompress

USER_AGENT = f"Mutuparc-Agent_v{__version__}"
MAX_ANSWER_BYTES = 1024 * 1024
RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class TransportError(Exception):
    """The server could not be reached or refused the request."""

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = True) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable


@dataclass(slots=True)
class ServerTarget:
    url: str
    token: str | None = None
    ca_file: str | None = None  # trust only this CA (pinning); None: the system's CAs
    timeout: float = 60.0
    agent_id: str = field(default_factory=lambda: str(uuid.uuid1()))

    def _context(self) -> ssl.SSLContext | None:
        if not self.url.startswith("https:"):
            return None
        return ssl.create_default_context(cafile=self.ca_file)

    def exchange(self, message: dict[str, Any], *, inventory_id: str | None = None) -> dict[str, Any]:
        """POST one JSON message, return the decoded JSON answer.

        ``inventory_id`` lets the server recognise a resend of an inventory it already stored
        (the answer was lost), so that each inventory is applied exactly once.
        """
        body = protocol_body(message)
        headers = {
            "Content-Type": CONTENT_TYPES[Encoding.ZLIB],
            "User-Agent": USER_AGENT,
            "GLPI-Agent-ID": self.agent_id,
            "Pragma": "no-cache",
        }
        if self.token:
            headers["X-Mutuparc-Token"] = self.token
        if inventory_id:
            headers["X-Mutuparc-Inventory-Id"] = inventory_id
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=self._context()) as response:  # noqa: S310
                return _answer(response.read(MAX_ANSWER_BYTES + 1), response.headers.get("Content-Type"))
        except urllib.error.HTTPError as exc:
            payload = exc.read(MAX_ANSWER_BYTES)
            try:
                message_text = _answer(payload, exc.headers.get("Content-Type")).get("message") or exc.reason
            except TransportError:
                message_text = exc.reason
            raise TransportError(
                f"server answered {exc.code}: {message_text}",
                status=exc.code,
                retryable=exc.code in RETRYABLE_STATUSES,
            ) from None
        except (urllib.error.URLError, TimeoutError, ConnectionError, ssl.SSLError) as exc:
            reason = getattr(exc, "reason", exc)
            raise TransportError(f"cannot reach {redact(self.url)}: {reason}") from None

    def send_inventory(self, message: dict[str, Any], inventory_id: str | None = None) -> dict[str, Any]:
        """Contact the server, then send ``message`` if it asks for an inventory (as GLPI does)."""
        contact = {
            "action": "contact",
            "deviceid": message["deviceid"],
            "name": "Mutuparc-Agent",
            "version": USER_AGENT.split("_v", 1)[1],
            "enabled-tasks": ["inventory"],
            "installed-tasks": ["inventory"],
        }
        if message.get("tag"):
            contact["tag"] = message["tag"]
        answer = self.exchange(contact)
        if answer.get("status") != "ok":
            raise TransportError(f"server refused the contact: {answer.get('message')}", retryable=False)
        if "inventory" in answer.get("disabled", []):
            raise TransportError("the server disabled the inventory task for this agent", retryable=False)
        answer = self.exchange(message, inventory_id=inventory_id)
        if answer.get("status") != "ok":
            raise TransportError(f"server refused the inventory: {answer.get('message')}", retryable=False)
        return answer


_TOKEN_IN_URL = re.compile(r"(/t/)([^/]{0,8})[^/]*")


def redact(url: str) -> str:
    """The server URL as it may appear in logs: the enrolment token in it shortened."""
    return _TOKEN_IN_URL.sub(lambda m: f"{m.group(1)}{m.group(2)}…", url)


def protocol_body(message: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode())


def _answer(payload: bytes, content_type: str | None) -> dict[str, Any]:
    if len(payload) > MAX_ANSWER_BYTES:
        raise TransportError("answer too large")
    try:
        plain = decompress(payload, declared_encoding(content_type), MAX_ANSWER_BYTES)
        answer = json.loads(plain or b"{}")
    except (ValueError, UnicodeDecodeError) as exc:
        raise TransportError(f"unreadable answer from the server: {exc}") from None
    if not isinstance(answer, dict):
        raise TransportError("unexpected answer from the server")
    return answer


def next_run_seconds(answer: dict[str, Any]) -> int:
    return protocol.expiration_seconds(answer.get("expiration"))


def is_retryable(exc: Exception) -> bool:
    return isinstance(exc, TransportError) and exc.retryable
