"""One simulated agent machine in its own process, for crash tests: sends ``--count`` inventories
through the real agent transport and spool (contact, then the inventory with its idempotency
key), spooling whatever cannot be delivered and retrying until everything is through.

    python -m tests.support.agent_fleet --server URL --state DIR --machine 3 --count 20

Prints one JSON line: how many inventories were made, delivered, and the errors seen on the way.
"""

from __future__ import annotations

import argparse
import copy
import json
import time
import uuid
from collections import Counter
from pathlib import Path

from agent.spool import Spool
from agent.transport import ServerTarget, TransportError, is_retryable
from tests.utils import example


def machine_inventory(machine: int, number: int) -> dict:  # type: ignore[type-arg]
    """The computer_1 example as machine ``machine``; its software list says which inventory it is."""
    message = copy.deepcopy(example("computer_1"))
    message["deviceid"] = f"crash-pc-{machine:03d}-2026-11-23-10-00-00"
    content = message["content"]
    content["bios"]["ssn"] = f"CRASH{machine:05d}"
    content["hardware"]["name"] = f"crash-pc-{machine:03d}"
    content["softwares"] = [*content.get("softwares", [])[:20], {"name": f"inventory-{number:04d}", "version": "1"}]
    return message


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--server", required=True)
    parser.add_argument("--state", type=Path, required=True)
    parser.add_argument("--machine", type=int, required=True)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--pause", type=float, default=0.1, help="seconds between inventories")
    parser.add_argument("--deadline", type=float, default=180, help="give up delivering after this many seconds")
    args = parser.parse_args()

    target = ServerTarget(args.server, timeout=10, agent_id=str(uuid.uuid5(uuid.NAMESPACE_DNS, str(args.machine))))
    spool = Spool(args.state / "spool", max_items=1000, max_bytes=2**30)
    errors: Counter[str] = Counter()
    delivered = 0

    def flush() -> bool:
        nonlocal delivered
        result = spool.flush(target.send_inventory, is_retryable)
        delivered += result.delivered
        if result.error:
            errors[result.error.split(":")[0]] += 1
        return result.remaining == 0

    for number in range(args.count):
        inventory_id = f"{args.machine}-{number}-{uuid.uuid4()}"
        message = machine_inventory(args.machine, number)
        if flush():
            try:
                target.send_inventory(message, inventory_id)
                delivered += 1
            except TransportError as exc:
                errors[str(exc).split(":")[0]] += 1
                if not exc.retryable:
                    raise
                spool.add(message, inventory_id)
        else:
            spool.add(message, inventory_id)
        time.sleep(args.pause)
    give_up = time.monotonic() + args.deadline
    while not flush() and time.monotonic() < give_up:
        time.sleep(0.5)
    print(json.dumps({"machine": args.machine, "made": args.count, "delivered": delivered,
                      "spooled_left": len(spool), "errors": dict(errors)}))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
