"""Daemon mode: one inventory per interval at a random moment, queued inventories retried with backoff.

The jitter spreads the agents of a whole parc over the window (10,000 PCs must not hit the
server in the same minute). On Linux the recommended setup is the systemd timer shipped in
``agent/data/`` (``RandomizedDelaySec`` does the jitter); this loop is for the Windows service
and for machines without systemd.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable

from ._log import log
from .config import AgentConfig
from .runner import run_once

MIN_RETRY_SECONDS = 60.0
MAX_RETRY_SECONDS = 3600.0


def next_delay(config: AgentConfig, *, failures: int, rng: random.Random) -> float:
    """Seconds to wait: the interval with jitter, or, while the server is away, exponential backoff."""
    if failures:
        backoff = min(MAX_RETRY_SECONDS, MIN_RETRY_SECONDS * 2 ** (failures - 1))
        return backoff * rng.uniform(0.8, 1.2)
    interval = config.interval_hours * 3600
    jitter = config.jitter_hours * 3600
    return max(60.0, interval - jitter / 2 + rng.uniform(0, jitter))


def run_forever(
    config: AgentConfig,
    *,
    stop: threading.Event | None = None,
    sleep: Callable[[float], bool] | None = None,
    rng: random.Random | None = None,
) -> int:
    """Run until ``stop`` is set (the Windows service sets it); returns the exit code."""
    stop = stop or threading.Event()
    wait = sleep or stop.wait
    rng = rng or random.Random()
    # First run at a random moment of the jitter window: a parc rebooted at 8:00 must not report at 8:00.
    if wait(rng.uniform(0, config.jitter_hours * 3600)):
        return 0
    failures = 0
    while not stop.is_set():
        started = time.monotonic()
        try:
            result = run_once(config)
            log.info("%s: %s", result.status, result.message)
            failures = failures + 1 if result.status == "spooled" else 0
        except Exception:  # noqa: BLE001 - the daemon must survive anything a run throws
            log.exception("inventory run failed")
            failures += 1
        delay = next_delay(config, failures=failures, rng=rng)
        log.info("next inventory in %.0f s (run took %.1f s)", delay, time.monotonic() - started)
        if wait(delay):
            break
    return 0
