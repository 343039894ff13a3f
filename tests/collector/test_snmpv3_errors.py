"""A refused SNMPv3 credential, against a real net-snmp snmpd: each cause its own device status and
a one-line message naming the target and the credential; ``probe`` exits non-zero on each.

(The session-level cases, message by message, are in ``test_corpus.py``.)
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import subprocess
import sys

from collector.config import CollectorConfig
from collector.profiles import load_profiles
from collector.report import build_report
from collector.runner import poll_all
from collector.snmp.session import Channels, Credential, SnmpSession
from tests.support.snmp_agents import SNMPD_AUTH_KEY, SNMPD_PRIV_KEY, SNMPD_USER, free_udp_port
from tests.utils import PROJECT

from .conftest import add_target

GOOD = Credential(version="3", name="dsit-v3", user=SNMPD_USER, auth_protocol="sha256", auth_key=SNMPD_AUTH_KEY,
                  priv_protocol="aes", priv_key=SNMPD_PRIV_KEY)  # fmt: skip
SYS_LOCATION = "1.3.6.1.2.1.1.6.0"
# credential change -> (status, words of the message)
CASES = {
    "wrong-privacy-key": ({"priv_key": "not-the-privacy-key"}, "wrong_privacy", "wrong privacy key"),
    "wrong-auth-protocol": ({"auth_protocol": "sha"}, "wrong_auth", "does not use SHA"),
    "unknown-user": ({"user": "nobody"}, "unknown_user", "no SNMPv3 user 'nobody'"),
    "short-key": ({"auth_key": "short"}, "short_key", "auth key has 5 characters"),
}


def test_each_refused_snmpv3_credential_has_its_own_status(snmpd) -> None:  # type: ignore[no-untyped-def]
    config = CollectorConfig(timeout=0.5, retries=0, deadline=10.0)
    for name, (change, _, _) in CASES.items():
        add_target(config, ("127.0.0.1", snmpd.port), name, dataclasses.replace(GOOD, name=name, **change))
    silent = free_udp_port()
    add_target(config, ("127.0.0.1", silent), "silent", dataclasses.replace(GOOD, name="silent"))
    add_target(config, ("127.0.0.1", snmpd.port), "good", GOOD)

    summary = asyncio.run(poll_all(config.targets, config, load_profiles()))
    results = {r.target.name: r for r in summary.results}
    assert results["good"].status == "ok", results["good"].message
    for name, (_, status, words) in CASES.items():
        result = results[name]
        assert result.status == status, (name, result.status, result.message)
        assert result.message.startswith(f"127.0.0.1:{snmpd.port} (credential {name}, user "), result.message
        assert words in result.message and "\n" not in result.message
    assert results["silent"].status == "timeout"
    assert f"127.0.0.1:{silent} (credential silent, user {SNMPD_USER}): no SNMP answer" in results["silent"].message
    assert len({r.status for r in summary.results}) == 6  # ok, timeout and four causes

    # Servers know these causes as auth_failure; the message still says which.
    now = dt.datetime.now(dt.UTC)
    sent = {d["name"]: d for d in build_report(summary, None, started=now, finished=now)["devices"]}
    assert {sent[name]["status"] for name in CASES} == {"auth_failure"}
    assert "wrong privacy key" in sent["wrong-privacy-key"]["message"]


def test_probe_exits_non_zero_with_the_cause(snmpd) -> None:  # type: ignore[no-untyped-def]
    done = subprocess.run(
        [sys.executable, "-m", "mutuparc", "collect", "probe", "127.0.0.1", "--port", str(snmpd.port),
         "--snmp-version", "3", "--user", SNMPD_USER, "--auth-protocol", "sha256", "--auth-key", SNMPD_AUTH_KEY,
         "--priv-key", "not-the-privacy-key", "--timeout", "0.5"],
        cwd=PROJECT, capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert done.stdout == ""
    line = done.stderr.strip().splitlines()[-1]
    assert line.startswith(f"wrong privacy: 127.0.0.1:{snmpd.port} (credential probe, user {SNMPD_USER}): "), line


def test_an_engine_clock_out_of_step_is_resynchronised(snmpd) -> None:  # type: ignore[no-untyped-def]
    """The agent answers a request outside its time window with a report carrying its clock:
    the collector takes it and asks again, once."""

    async def poll() -> tuple[dict, dict, int]:  # type: ignore[type-arg]
        channels = Channels()
        try:
            session = SnmpSession(channels, "127.0.0.1", GOOD, port=snmpd.port, timeout=1.0, retries=0)
            first = await session.get([SYS_LOCATION])
            (target,) = channels._targets.values()  # what discovery learnt about snmpd's engine
            target._time += 1000  # 1,000 s ahead: outside RFC 3414's 150 s window
            return first, await session.get([SYS_LOCATION]), target._time
        finally:
            channels.close()

    first, second, clock = asyncio.run(poll())
    assert first == second == {SYS_LOCATION: b"Salle de test"}
    assert clock < 1000  # the agent's clock again (seconds since it started), taken from its report
