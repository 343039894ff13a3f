"""How a CLI session reads (issue 27): one login per device for all its commands, each output read
to the prompt that ends it (not to the prompt quoted inside it), outputs as netmiko returns them."""

from __future__ import annotations

from pathlib import Path

import pytest

from collector.errors import HostKeyRefused
from collector.ssh.connection import CliSession, SshCredential, SshTarget
from tests.support.ssh_replay import ReplayDevice

QUOTING = (
    "Banner of the day\n"
    "sw-quote#\n"  # the prompt, alone on a line, in the middle of an output
    "sw-quote# show version\n"
    "last line"
)


class _Counting(ReplayDevice):
    logins = 0

    def _serve(self, connection) -> None:  # type: ignore[no-untyped-def]
        type(self).logins += 1
        super()._serve(connection)


@pytest.fixture(scope="module")
def device():
    replay = _Counting("sw-quote", {"show motd": QUOTING, "show clock": "*10:00:00.000 UTC Mon Dec 7 2026\n"}).start()
    yield replay
    replay.stop()


def _session(device: ReplayDevice, tmp_path: Path, **target: object) -> CliSession:
    return CliSession(SshTarget("127.0.0.1", device.port, timeout=5, **target), SshCredential("admin", "cisco"),  # type: ignore[arg-type]
                      tmp_path / "known_hosts", "cisco_ios")  # fmt: skip


def test_one_login_for_all_commands_and_whole_outputs(device, tmp_path):
    before = _Counting.logins
    session = _session(device, tmp_path)
    try:
        outputs = [session.run(command) for command in ("show motd", "show clock", "show motd", "show nothing")]
    finally:
        session.close()
    assert _Counting.logins - before == 1  # the host key check and the CLI share one login
    assert outputs[0] == outputs[2] == QUOTING  # the quoted prompt did not end the read
    assert outputs[1] == "*10:00:00.000 UTC Mon Dec 7 2026"
    assert "% Invalid input detected" in outputs[3]
    assert (tmp_path / "known_hosts").read_text().startswith("[127.0.0.1]:")  # pinned on first use


def test_unknown_host_key_refused_before_any_command(device, tmp_path):
    target = SshTarget("127.0.0.1", device.port, timeout=5)
    with pytest.raises(HostKeyRefused, match="trust on first use is off"):
        CliSession(target, SshCredential("admin", "cisco"), tmp_path / "known_hosts", "cisco_ios",
                   trust_on_first_use=False)  # fmt: skip
    assert not (tmp_path / "known_hosts").exists()
