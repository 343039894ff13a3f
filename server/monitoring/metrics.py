"""``GET /metrics`` (Prometheus text format, DSIT API token): ingest counts and latency by protocol
and outcome, counted in each worker; assets per member and type, stale and quarantined assets,
the last collector run per member and collector, the last allocation-key snapshot, read from the
database at scrape time (the same figures whichever worker answers); assets to renew per member
and reason, from an assessment cached a few minutes.

With several workers, set ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory, as prometheus-client
documents) so that the ingest counters of every worker are added up.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from sqlalchemy import func, select
from sqlmodel import Session

from server.allocation.models import KeySnapshot
from server.api.deps import PrincipalDep, SessionDep, SettingsDep
from server.assets.models import Asset
from server.assets.vocab import LifecycleStatus
from server.collectors.models import CollectorRun
from server.conflicts.models import AssetConflict, ConflictStatus
from server.core.clock import utcnow
from server.tenancy.models import Member

from .renewal_figures import CACHE_SECONDS, renewal_counts

INGEST_REQUESTS = Counter("mutuparc_ingest_requests", "Agent endpoint requests", ["protocol", "outcome"])
INGEST_SECONDS = Histogram("mutuparc_ingest_seconds", "Agent endpoint answer time", ["protocol"],
                           buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))  # fmt: skip


def outcome(status: int) -> str:
    if status < 300:
        return "ok"
    if status == 503:
        return "unavailable"
    return "refused" if status < 500 else "error"


class InventoryFigures:
    """A prometheus-client custom collector reading the database at each scrape."""

    def __init__(self, session: Session, stale_days: int) -> None:
        self.session, self.stale_days = session, stale_days

    def collect(self) -> Iterator[Metric]:
        assets = GaugeMetricFamily("mutuparc_assets", "Assets in service", labels=["member", "type"])
        stale = GaugeMetricFamily("mutuparc_assets_stale", "Assets in service not seen within the stale window",
                                  labels=["member"])  # fmt: skip
        quarantined = GaugeMetricFamily("mutuparc_assets_quarantined", "Assets waiting for a member")
        runs = GaugeMetricFamily("mutuparc_collector_last_run_devices", "Devices of the last run by status",
                                 labels=["member", "collector", "status"])  # fmt: skip
        run_time = GaugeMetricFamily("mutuparc_collector_last_run_timestamp_seconds", "End of the last run",
                                     labels=["member", "collector"])  # fmt: skip
        snapshot = GaugeMetricFamily("mutuparc_keys_snapshot_last_day_timestamp_seconds",
                                     "Day of the last allocation-key snapshot (0: none)")  # fmt: skip
        stale_before = utcnow() - dt.timedelta(days=self.stale_days)
        in_service = (Asset.merged_into_id.is_(None), Asset.lifecycle_status == LifecycleStatus.IN_SERVICE)
        connection = self.session.connection()
        names = dict(connection.execute(select(Member.id, Member.name)).all())
        per_type = select(Asset.member_id, Asset.asset_type, func.count()).where(*in_service)
        for member, asset_type, number in connection.execute(per_type.group_by(Asset.member_id, Asset.asset_type)):
            if member is None:
                quarantined.add_metric([], number)
            else:
                assets.add_metric([names.get(member, str(member)), str(asset_type)], number)
        old = select(Asset.member_id, func.count()).where(*in_service, Asset.member_id.is_not(None),
                                                           Asset.last_seen < stale_before)  # fmt: skip
        for member, number in connection.execute(old.group_by(Asset.member_id)):
            stale.add_metric([names.get(member, str(member))], number)
        latest = (select(CollectorRun.member_id, CollectorRun.collector, func.max(CollectorRun.id).label("id"))
                  .group_by(CollectorRun.member_id, CollectorRun.collector).subquery())  # fmt: skip
        for run in connection.execute(select(CollectorRun).join(latest, CollectorRun.id == latest.c.id)):
            labels = [names.get(run.member_id, str(run.member_id)), run.collector]
            for status in ("ok", "timeout", "auth_failure", "unknown_profile", "error"):
                runs.add_metric([*labels, status], getattr(run, status))
            run_time.add_metric(labels, run.finished_at.replace(tzinfo=dt.UTC).timestamp())
        day = connection.execute(select(func.max(KeySnapshot.day))).scalar()
        snapshot.add_metric([], dt.datetime.combine(day, dt.time(), dt.UTC).timestamp() if day else 0)
        renewal = GaugeMetricFamily("mutuparc_assets_renewal",
                                    "Assessed assets by renewal status (ok, overdue, os_eol, model_eos...), "
                                    f"refreshed every {CACHE_SECONDS // 60} minutes",
                                    labels=["member", "status"])  # fmt: skip
        for (member, status), number in sorted(renewal_counts(self.session, self.stale_days).items()):
            renewal.add_metric([names.get(member, str(member)), status], number)
        conflicts = GaugeMetricFamily("mutuparc_asset_conflicts_open",
                                      "Inventories that resembled an asset they could not touch, to resolve",
                                      labels=["kind"])  # fmt: skip
        open_ones = select(AssetConflict.kind, func.count()).where(AssetConflict.status == ConflictStatus.OPEN)
        for kind, number in connection.execute(open_ones.group_by(AssetConflict.kind)):
            conflicts.add_metric([str(kind)], number)
        yield from (assets, stale, quarantined, runs, run_time, snapshot, renewal, conflicts)


router = APIRouter(tags=["monitoring"])


@router.get("/metrics", include_in_schema=False)
def metrics(session: SessionDep, principal: PrincipalDep, settings: SettingsDep) -> Response:
    """Prometheus text format; scrape with a DSIT API token (``authorization: credentials``)."""
    principal.require_dsit()
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)
    else:
        registry.register(_Process())
    registry.register(InventoryFigures(session, settings.stale_days))
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


class _Process:
    """This worker's own counters (the default registry's ingest metrics)."""

    def collect(self) -> Iterator[Metric]:
        yield from INGEST_REQUESTS.collect()
        yield from INGEST_SECONDS.collect()
