"""``mutuparc-agent --debug`` lists the sections the inventory it wrote holds, with their counts,
and nothing else: a part that found nothing (no DMI in a container: an empty bios) is said to be
left out, never listed as collected."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import agent.inventory
from agent import _linux
from agent.cli import main
from tests.utils import PROJECT


def _listed(stderr: str) -> dict[str, int]:
    """The counts ``--debug`` prints after ``sections of the inventory written:``."""
    block = re.search(r"^sections of the inventory written:\n(\{\n.*?^\})$", stderr, re.M | re.S)
    assert block, stderr
    return json.loads(block.group(1))


def _written(folder: Path) -> dict:
    (path,) = folder.glob("*.json")
    content = json.loads(path.read_text("utf-8"))["content"]
    content.pop("versionclient")
    return content


def test_the_sections_listed_are_the_sections_written(tmp_path: Path) -> None:
    """This machine, for real, through the command."""
    out = tmp_path / "out"
    out.mkdir()
    result = subprocess.run([sys.executable, "-m", "agent", "--debug", "--local", str(out), "--state-dir",
                             str(tmp_path / "state")], cwd=PROJECT, capture_output=True, text=True, timeout=120,
                            check=False)  # fmt: skip
    assert result.returncode == 0, result.stderr
    content = _written(out)
    listed = _listed(result.stderr)
    assert listed == {name: len(v) if isinstance(v, list) else 1 for name, v in content.items()}
    for line in result.stderr.splitlines():  # the timing of each part says what it gave the inventory
        part = re.match(r"INFO\s+(\w+)\s+[\d.]+ ms\s+(.*)$", line)
        if part and part.group(2).endswith("item(s)"):
            assert part.group(1) in content, line
            assert part.group(2) == f"{listed[part.group(1)]} item(s)", line
        elif part:
            assert part.group(1) not in content, line
    left_out = re.search(r"^not available on this machine, left out: (.*)$", result.stderr, re.M)
    assert not left_out or not set(left_out.group(1).split(", ")) & set(content)


def test_a_part_that_found_nothing_is_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str],
                                               caplog: pytest.LogCaptureFixture) -> None:  # fmt: skip
    """A container: DMI gives no value at all, there is no battery, and one part fails."""

    def broken(_sources: object) -> object:
        raise PermissionError("/var/run/utmp")

    collectors = {**_linux.COLLECTORS, "bios": lambda _s: dict.fromkeys(("bios_version", "system_serial")),
                  "batteries": lambda _s: [], "users": broken}  # fmt: skip
    fake = SimpleNamespace(COLLECTORS=collectors, live_sources=_linux.live_sources)
    monkeypatch.setattr(agent.inventory, "platform_module", lambda name=None: fake)
    out = tmp_path / "out"
    out.mkdir()
    with caplog.at_level(logging.INFO, logger="mutuparc.agent"):
        assert main(["--debug", "--local", str(out), "--state-dir", str(tmp_path / "state")]) == 0
    stderr = capsys.readouterr().err
    content = _written(out)
    assert "bios" not in content and "batteries" not in content and "users" not in content
    assert set(_listed(stderr)) == set(content) and "hardware" in content
    assert "not available on this machine, left out: bios, batteries" in stderr
    assert "failed, left out: users" in stderr
    timings = [re.match(r"^\s*(\w+)\s+[\d.]+ ms\s+(.*)$", message) for message in caplog.messages]
    parts = {m.group(1): m.group(2) for m in timings if m}
    assert parts["bios"] == parts["batteries"] == "nothing found: left out"
    assert parts["users"].startswith("ERROR PermissionError") and parts["hardware"] == "1 item(s)"
