"""The run report a collector sends after each run: how each device answered, what the sweep found.

The server keeps the statuses (a device that stops answering shows up) and lists discovered
addresses that match nothing in the inventory as "to audit".
"""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Sequence
from typing import Any

from mutuparc import __version__

from .delivery import REPORT_ACTION
from .discovery import SweepResult
from .errors import wire_status
from .runner import RunSummary


def build_report(summary: RunSummary | None, sweep: SweepResult | None, *, started: dt.datetime,
                 finished: dt.datetime, ssh_results: Sequence[Any] = ()) -> dict[str, Any]:  # fmt: skip
    report: dict[str, Any] = {
        "action": REPORT_ACTION,
        "collector": socket.gethostname(),
        "version": __version__,
        "started_at": started.isoformat(),
        "finished_at": finished.isoformat(),
    }
    if summary is not None:
        report["devices"] = [
            {"host": r.host, "port": r.target.port, "name": r.target.name or r.sys_name,
             "status": wire_status(r.status), "message": r.message or None, "profile": r.profile,
             "sys_object_id": r.sys_object_id, "seconds": round(r.seconds, 3)}
            for r in summary.results
        ]  # fmt: skip
    if ssh_results:
        report.setdefault("devices", [])
        report["devices"] += [
            {"host": r.target.host, "port": r.target.port, "name": r.target.name, "status": r.status,
             "message": r.message or None, "profile": f"ssh:{r.driver}" if r.driver else "ssh",
             "seconds": round(r.seconds, 3)}
            for r in ssh_results
        ]  # fmt: skip
    if sweep is not None:
        report["sweep"] = {"addresses": sweep.addresses, "icmp": sweep.icmp}
        report["discovered"] = [found.as_dict() for found in sweep.found]
    return report
