"""The collector's known_hosts, kept in step with the host keys its member has pinned on the server.

Before an SSH run the collector sends the keys it holds and receives every key pinned for its
member, which becomes its known_hosts: a reinstalled collector (or a second one, another site)
thus refuses a device whose key changed, and never trusts a key the server has not seen. After
the run it sends the keys it trusted on first use, for the server to pin them.
"""

from __future__ import annotations

import base64
import socket
from pathlib import Path
from typing import Any

import paramiko

from .connection import load_known_hosts, save_known_hosts

HOST_KEYS_ACTION = "collector_host_keys"


def read_entries(known_hosts: Path) -> list[dict[str, str]]:
    keys = load_known_hosts(known_hosts)
    return [{"host": host, "key_type": key_type, "key": key.get_base64()}
            for host in keys for key_type, key in keys[host].items()]  # fmt: skip


def write_entries(known_hosts: Path, entries: list[dict[str, str]]) -> None:
    keys = paramiko.HostKeys()
    for entry in entries:
        try:
            key = paramiko.PKey.from_type_string(entry["key_type"], base64.b64decode(entry["key"]))
        except (paramiko.SSHException, ValueError):
            continue  # a key type paramiko cannot read: left out (the server still reports any other key)
        keys.add(entry["host"], entry["key_type"], key)
    save_known_hosts(keys, known_hosts)


def message(known_hosts: Path) -> dict[str, Any]:
    return {"action": HOST_KEYS_ACTION, "collector": socket.gethostname(), "keys": read_entries(known_hosts)}


def apply_answer(known_hosts: Path, answer: dict[str, Any]) -> list[str]:
    """Write the member's pinned keys as known_hosts; the conflicts, as lines to show."""
    write_entries(known_hosts, answer.get("keys") or [])
    return [f"{c['host']}: the server has another {c['key_type']} key pinned ({c['pinned']}) than this "
            f"collector ({c['reported']}): the server's is kept, the device will be refused until it matches"
            for c in answer.get("conflicts") or []]  # fmt: skip
