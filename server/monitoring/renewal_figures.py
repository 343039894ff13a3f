"""Assets to renew per member and reason, for ``/metrics``: the same assessment as the renewal
reports, cached a few minutes per process (≈2 s for 100,000 assets, too slow for every scrape)."""

from __future__ import annotations

import threading
import time
from collections import Counter

from sqlmodel import Session

from server.renewal import catalogue
from server.renewal.assess import Assessor, default_budget_date

CACHE_SECONDS = 300
_lock = threading.Lock()
_cached: tuple[float, Counter[tuple[int, str]]] | None = None


def renewal_counts(session: Session, stale_days: int) -> Counter[tuple[int, str]]:
    """(member id, status) -> assets: ``ok`` or the first reason (overdue, os_eol, model_eos...)."""
    global _cached
    with _lock:
        if _cached is not None and time.monotonic() - _cached[0] < CACHE_SECONDS:
            return _cached[1]
        assessor = Assessor(session, catalogue.load(session), budget_date=default_budget_date(), stale_days=stale_days)
        counts = Counter((a.member_id, a.status) for a in assessor.assess() if a.member_id is not None)
        _cached = (time.monotonic(), counts)
        return counts


def forget() -> None:
    """Drop the cache (tests, and after a change that must show at once)."""
    global _cached
    with _lock:
        _cached = None
