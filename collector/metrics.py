"""The collector's own Prometheus metrics, written after each run as a node_exporter textfile
(``<state_dir>/mutuparc_collector.prom``; point ``--collector.textfile.directory`` at the state
directory, or link the file): devices by protocol and status, run duration, messages waiting."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from prometheus_client import CollectorRegistry, Gauge, write_to_textfile

TEXTFILE = "mutuparc_collector.prom"


def write_run_metrics(state_dir: Path, statuses: dict[str, Counter[str]], seconds: float, spooled: int) -> Path:
    """``statuses``: per protocol (snmp, ssh), how many devices ended in each status."""
    registry = CollectorRegistry()
    devices = Gauge("mutuparc_collector_devices", "Devices of the last run by status", ["protocol", "status"],
                    registry=registry)  # fmt: skip
    for protocol_name, counts in statuses.items():
        for status, number in counts.items():
            devices.labels(protocol_name, status).set(number)
    Gauge("mutuparc_collector_run_seconds", "Duration of the last run", registry=registry).set(seconds)
    Gauge("mutuparc_collector_last_run_timestamp_seconds", "End of the last run", registry=registry).set(time.time())
    Gauge("mutuparc_collector_spooled_messages", "Messages waiting for the server", registry=registry).set(spooled)
    state_dir.mkdir(parents=True, exist_ok=True)
    path = state_dir / TEXTFILE
    write_to_textfile(str(path), registry)  # written to a temporary file, then renamed
    return path
