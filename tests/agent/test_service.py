from __future__ import annotations

import random
import threading

import pytest

from agent import service
from agent.config import AgentConfig, ConfigError, load_config


def test_daily_runs_spread_over_the_jitter_window():
    config = AgentConfig(interval_hours=24, jitter_hours=4)
    rng = random.Random(1)
    delays = [service.next_delay(config, failures=0, rng=rng) for _ in range(1000)]
    assert 22 * 3600 <= min(delays) < 22.2 * 3600 and 25.8 * 3600 < max(delays) <= 26 * 3600


def test_backoff_grows_while_the_server_is_away_and_is_capped():
    config = AgentConfig()
    rng = random.Random(2)
    delays = [service.next_delay(config, failures=n, rng=rng) for n in range(1, 10)]
    assert 48 <= delays[0] <= 72 and 96 <= delays[1] <= 144
    assert max(delays) <= service.MAX_RETRY_SECONDS * 1.2


def test_daemon_waits_its_jitter_and_stops_when_asked(tmp_path, monkeypatch):
    runs, waits = [], []
    monkeypatch.setattr(service, "run_once", lambda config: runs.append(1) or type("R", (), {
        "status": "spooled", "message": "server away"})())  # fmt: skip
    stop = threading.Event()

    def sleep(seconds: float) -> bool:
        waits.append(seconds)
        if len(waits) == 3:
            stop.set()
        return stop.is_set()

    config = AgentConfig(state_dir=tmp_path, jitter_hours=1)
    assert service.run_forever(config, stop=stop, sleep=sleep, rng=random.Random(3)) == 0
    assert len(runs) == 2 and 0 <= waits[0] <= 3600
    assert 48 <= waits[1] <= 72 and 96 <= waits[2] <= 144  # retries of a spooled inventory back off


def test_config_file_environment_and_flags(tmp_path):
    config_file = tmp_path / "agent.toml"
    config_file.write_text('server = "https://parc.example/t/mpe_file/"\nfull_every_days = 3\ninterval_hours = 12\n')
    config = load_config(config_file, env={"MUTUPARC_AGENT_INTERVAL_HOURS": "6"}, tag="mairie")
    assert (config.server, config.full_every_days, config.interval_hours, config.tag) == (
        "https://parc.example/t/mpe_file/", 3.0, 6.0, "mairie")  # fmt: skip
    overridden = load_config(config_file, env={}, server="https://other/")
    assert overridden.server == "https://other/"


@pytest.mark.parametrize(
    ("text", "message"), [("servr = 'x'\n", "unknown settings servr"), ("interval_hours = 'soon'\n", "interval_hours")]
)
def test_config_errors_are_named(tmp_path, text, message):
    config_file = tmp_path / "agent.toml"
    config_file.write_text(text)
    with pytest.raises(ConfigError, match=message):
        load_config(config_file, env={})
