"""``mutuparc agent``: one inventory run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .transport import ServerTarget, TransportError


def run(*, server_url: str | None, local: Path | None, send_file: Path | None, token: str | None) -> int:
    if send_file is None:
        print("Inventory collection is not available in this version: use --send-file.", file=sys.stderr)
        return 2
    try:
        message = json.loads(send_file.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        print(f"cannot read {send_file}: {exc}", file=sys.stderr)
        return 2
    if local is not None:
        local.write_text(json.dumps(message, indent=2, ensure_ascii=False), "utf-8")
        return 0
    if not server_url:
        print("--server URL or --local FILE is required", file=sys.stderr)
        return 2
    try:
        ServerTarget(server_url, token=token).send_inventory(message)
    except TransportError as exc:
        print(f"inventory not sent: {exc}", file=sys.stderr)
        return 1
    print(f"inventory {message.get('deviceid')} sent to {server_url}")
    return 0
