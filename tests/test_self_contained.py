"""The repository stands alone: nothing reads outside it, and a copy with no sibling folder
collects the whole suite and runs the demo to its ready line (stopping all it started)."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

from tests.support.checkout import copy_checkout, tracked_files
from tests.support.pgcluster import free_port
from tests.utils import PROJECT

# What reaching outside the checkout looks like in code: the reference folder next to it, or
# paths built from the project root's parent.
# The reference folder's name is spelt once, here: this test names it only to forbid it.
SIBLING = "shared"
SIBLING_PATH = "../" + SIBLING
OUTSIDE = re.compile(
    re.escape(SIBLING_PATH) + r"|PROJECT\.parent|parents\[\d\]\s*/\s*\"\.\.\"|parent\s*/\s*\"" + SIBLING + '"'
)
DOCS = {".md", ".rst", ".txt"}
SELF = Path(__file__).relative_to(PROJECT).as_posix()


def test_no_file_but_docs_refers_outside_the_repository() -> None:
    offenders = []
    for name in tracked_files():
        if Path(name).suffix in DOCS or name == SELF:
            continue
        try:
            text = (PROJECT / name).read_text("utf-8")
        except UnicodeDecodeError:
            continue
        lines = enumerate(text.splitlines(), 1)
        offenders += [f"{name}:{number}: {line.strip()}" for number, line in lines if OUTSIDE.search(line)]
    assert not offenders, "\n".join(offenders)


def test_the_pattern_catches_what_it_must() -> None:
    for line in (f'X = PROJECT.parent / "{SIBLING}" / "reference"', f"see {SIBLING_PATH}/reference/x.md",
                 'EXAMPLES = Path(__file__).parents[2] / ".." / "x"'):  # fmt: skip
        assert OUTSIDE.search(line), line
    assert not OUTSIDE.search('EXAMPLES = PROJECT / "vendor" / "glpi-inventory"')


def test_the_eol_catalogue_is_built_from_the_vendored_files(tmp_path: Path) -> None:
    built = tmp_path / "eol.json"
    subprocess.run([sys.executable, "scripts/build_eol_catalogue.py", "vendor/endoflife/products", str(built)],
                   cwd=PROJECT, check=True, capture_output=True)  # fmt: skip
    shipped = json.loads((PROJECT / "server/renewal/data/eol.json").read_text("utf-8"))
    assert json.loads(built.read_text("utf-8"))["products"] == shipped["products"], "regenerate and commit eol.json"


@pytest.fixture(scope="module")
def alone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the checkout's files (tracked and new, not ignored) in a folder of its own."""
    copy = copy_checkout(tmp_path_factory.mktemp("alone") / "mutuparc")
    assert sorted(p.name for p in copy.parent.iterdir()) == ["mutuparc"]
    return copy


def _env(copy: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MUTUPARC_")}
    env["MUTUPARC_DEMO_PORT"] = str(free_port())
    simulator = PROJECT / ".venv-snmpsim" / "bin" / "snmpsim-command-responder"
    if simulator.exists():  # the copy has no virtualenv of its own: use the checkout's simulator
        env["MUTUPARC_SNMPSIM"] = str(simulator)
    return env


def _left_running(copy: Path) -> list[str]:
    left = []
    for process in psutil.process_iter(["cmdline", "cwd"]):
        try:
            if str(copy) in " ".join(process.info["cmdline"] or []) or str(process.info["cwd"] or "") == str(copy):
                left.append(" ".join(process.info["cmdline"] or []))
        except psutil.Error:
            continue
    return left


@pytest.mark.slow
def test_a_copy_alone_collects_the_whole_suite(alone: Path) -> None:
    where = subprocess.run([sys.executable, "-c", "import server, tests; print(server.__file__, tests.__file__)"],
                           cwd=alone, capture_output=True, text=True, check=True)  # fmt: skip
    assert all(path.startswith(str(alone)) for path in where.stdout.split()), where.stdout  # the copy's own code
    collected = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
                               cwd=alone, env=_env(alone), capture_output=True, text=True, timeout=300)  # fmt: skip
    assert collected.returncode == 0, collected.stdout[-3000:] + collected.stderr[-3000:]
    summary = collected.stdout.strip().splitlines()[-1]
    assert re.fullmatch(r"\d+ tests collected in [\d.]+s", summary), summary
    assert int(summary.split()[0]) > 500


@pytest.mark.slow
def test_a_copy_alone_runs_the_demo_to_its_ready_line(alone: Path) -> None:
    demo = subprocess.run([sys.executable, "scripts/demo.py", "--smoke"], cwd=alone, env=_env(alone),
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    output = demo.stdout + demo.stderr
    assert demo.returncode == 0, output
    assert "Mutuparc is running: http://127.0.0.1:" in output
    assert "Brie-Comte-Robert: 207337.12 €" in output and "8 invoices between members" in output  # seed 004
    assert re.search(r"[1-9]\d* lines to renew", output), output
    assert "Traceback" not in output and "fontTools" not in output
    assert (alone / "var" / "mutuparc.db").exists()
    for report in ("demo-plan.pdf", "demo-statements-2022.pdf"):  # the server wrote PDFs (fontTools ran)
        assert (alone / "var" / report).read_bytes().startswith(b"%PDF"), report
    server_log = (alone / "var" / "demo-server.log").read_text()
    assert "fontTools" not in server_log and "Traceback" not in server_log, server_log[-2000:]
    assert not _left_running(alone)


@pytest.mark.slow
def test_a_failing_demo_stops_what_it_started(alone: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(alone, broken, ignore=shutil.ignore_patterns("var"))
    (broken / "vendor" / "glpi-inventory" / "examples" / "printer_1.json").unlink()
    demo = subprocess.run([sys.executable, "scripts/demo.py", "--smoke"], cwd=broken, env=_env(broken),
                          capture_output=True, text=True, timeout=600)  # fmt: skip
    assert demo.returncode == 1, demo.stdout + demo.stderr
    assert "demo failed:" in demo.stderr and "printer_1.json" in demo.stderr
    assert "Traceback" not in demo.stderr
    assert not _left_running(broken)


def _demo_until(copy: Path, line: str) -> subprocess.Popen:
    """Start the demo (not --smoke) and return once it has printed a line starting with ``line``."""
    demo = subprocess.Popen([sys.executable, "scripts/demo.py"], cwd=copy, env=_env(copy), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)  # fmt: skip
    seen = []
    for printed in demo.stdout:  # type: ignore[union-attr]
        seen.append(printed)
        if printed.strip().startswith(line):
            return demo
    demo.wait()
    raise AssertionError(f"the demo ended (exit {demo.returncode}) before {line!r}:\n{''.join(seen)}")


@pytest.mark.slow
@pytest.mark.parametrize("when", ["==> the datacenter collector polls", "Press Ctrl-C to stop."])
def test_a_demo_sent_sigterm_stops_what_it_started(alone: Path, when: str) -> None:
    demo = _demo_until(alone, when)  # a second run on the same database: the demo runs again as it is
    assert _left_running(alone)  # the server (and the simulators) are up
    demo.send_signal(signal.SIGTERM)
    rest = demo.communicate(timeout=60)[0]
    assert demo.returncode == (0 if when.startswith("Press") else 130), rest
    assert "Traceback" not in rest, rest
    assert not _left_running(alone)
