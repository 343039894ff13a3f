"""``GET /metrics``: ingest counted by protocol and outcome, inventory figures read at scrape time,
a DSIT token required."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from server.monitoring.renewal_figures import forget
from tests.utils import example, make_enrolment_token, make_member, make_user, post_inventory, variant


def _samples(client, headers) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:  # type: ignore[no-untyped-def]
    answer = client.get("/metrics", headers=headers)
    assert answer.status_code == 200, answer.text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(answer.text) for s in family.samples}  # fmt: skip


def test_metrics_count_ingest_and_read_the_parc(client, engine) -> None:  # type: ignore[no-untyped-def]
    servon = make_member(engine, "Servon")
    admin = make_user(engine, "dsit", role="technician")
    ok, refused = ("mutuparc_ingest_requests_total", (("outcome", "ok"), ("protocol", "json"))), (
        "mutuparc_ingest_requests_total", (("outcome", "refused"), ("protocol", "json")))  # fmt: skip
    before = _samples(client, admin)
    token = make_enrolment_token(engine, servon)
    inventory = variant(example("computer_1"), deviceid="PC-COMPTA-2024", hardware__name="PC-COMPTA", bios__ssn="S-1")
    assert post_inventory(client, inventory, token=token).status_code == 200
    assert post_inventory(client, b'{"action": "inventory", "content": [1, 2', token=token).status_code == 400
    report = {"action": "collector_report", "collector": "coll-dc", "started_at": "2026-11-20T08:00:00Z",
              "finished_at": "2026-11-20T08:01:00Z",
              "devices": [{"host": "10.0.0.2", "status": "ok"}, {"host": "10.0.0.3", "status": "timeout"}]}  # fmt: skip
    collector = {"X-Mutuparc-Token": make_enrolment_token(engine, servon, kind="collector")}
    assert client.post("/api/v1/collector/reports", json=report, headers=collector).status_code == 200

    forget()  # the renewal figures are cached for minutes: the first scrape above filled the cache
    after = _samples(client, admin)
    assert after[ok] - before.get(ok, 0) == 1 and after[refused] - before.get(refused, 0) == 1
    servon_assets = [v for (name, labels), v in after.items()
                     if name == "mutuparc_assets" and ("member", "Servon") in labels]  # fmt: skip
    assert servon_assets == [1]
    run = (("collector", "coll-dc"), ("member", "Servon"))
    assert after[("mutuparc_collector_last_run_devices", (*run[:1], run[1], ("status", "timeout")))] == 1
    assert after[("mutuparc_collector_last_run_timestamp_seconds", run)] > 1.7e9
    assert after[("mutuparc_keys_snapshot_last_day_timestamp_seconds", ())] == 0  # no snapshot yet
    renewal = {dict(labels)["status"]: v for (name, labels), v in after.items()
               if name == "mutuparc_assets_renewal" and ("member", "Servon") in labels}  # fmt: skip
    assert sum(renewal.values()) == 1 and set(renewal) <= {"ok", "overdue", "os_eol", "renew_next_year", "model_eos"}


def test_metrics_need_a_dsit_token(client, engine) -> None:  # type: ignore[no-untyped-def]
    reader = make_user(engine, "lecteur", role="member_reader", member_id=make_member(engine, "Servon"))
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers=reader).status_code == 403  # per-member figures are the DSIT's
