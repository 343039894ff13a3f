"""Agent footprint: CPU time, wall time and peak RSS of a full inventory of this machine.

Installs ``mutuparc[agent]`` as a PC would (a wheel in a fresh virtualenv, no development
install), then runs its ``mutuparc-agent --local`` and Debian's ``fusioninventory-agent --local``
alternately, several times, in the same run, and prints the median of each. Each run is a fresh
process measured with ``wait4`` (its own rusage).

    python bench/agent.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
FUSION = "/usr/bin/fusioninventory-agent"
SETUP_PM = """package setup;
use strict; use warnings; use parent qw(Exporter);
our @EXPORT = ('%setup');
our %setup = (datadir => "/usr/share/fusioninventory", libdir => "/usr/share/fusioninventory/lib", vardir => "VARDIR");
1;
"""


# A PC's Python keeps compiled modules: do not measure recompilation on every run.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def install_agent(work: Path) -> Path:
    """A virtualenv with ``mutuparc[agent]`` installed from this checkout, as on a PC."""
    import venv

    target = work / "venv"
    venv.create(target, with_pip=True)
    pip = [str(target / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    source = work / "src"
    shutil.copytree(
        PROJECT,
        source,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "*.egg-info", "build", "__pycache__", ".*_cache", "tests"
        ),
    )
    subprocess.run([*pip, f"{source}[agent]"], check=True, env=ENV)
    return target / "bin" / "mutuparc-agent"


def measure(command: list[str], *, cwd: Path) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MiB, exit code) of one run of ``command``."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode


def output_size(directory: Path) -> int:
    """Size of the inventory file (each run rewrites the same one)."""
    return max((p.stat().st_size for p in directory.iterdir() if p.is_file()), default=0)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mutuparc-bench-agent-"))
    commands: dict[str, tuple[list[str], Path]] = {}
    ours_out = work / "mutuparc"
    ours_out.mkdir()
    print("installing mutuparc[agent] in a fresh virtualenv...", flush=True)
    agent = install_agent(work)
    commands["mutuparc-agent --local"] = (
        [str(agent), "--local", str(ours_out), "--state-dir", str(work / "state")],
        ours_out,
    )
    if Path(FUSION).exists() and shutil.which("perl"):
        lib, fusion_out = work / "fusion-lib", work / "fusion"
        lib.mkdir()
        fusion_out.mkdir()
        (lib / "setup.pm").write_text(SETUP_PM.replace("VARDIR", str(work / "fusion-var")))
        commands["fusioninventory-agent --local"] = (
            ["perl", f"-I{lib}", "-Msetup", FUSION, "--local", str(fusion_out), "--no-task", "deploy,esx,collect"],
            fusion_out,
        )
    else:
        print("fusioninventory-agent not installed: only Mutuparc's agent is measured")
    results: dict[str, list[tuple[float, float, float, int]]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (command, _) in commands.items():
            results[name].append(measure(command, cwd=PROJECT))
    print(f"\nfull inventory of this machine, median of {args.runs} runs each ({os.cpu_count()} CPUs)\n")
    print(f"{'agent':<32} {'wall s':>8} {'CPU s':>8} {'peak RSS MiB':>13} {'output KB':>10}")
    medians = {}
    for name, runs in results.items():
        failed = [r for r in runs if r[3] != 0]
        wall, cpu, rss = (statistics.median(r[i] for r in runs) for i in range(3))
        medians[name] = (wall, cpu, rss)
        size = output_size(commands[name][1]) // 1024
        note = f"  ({len(failed)} failed runs)" if failed else ""
        print(f"{name:<32} {wall:>8.3f} {cpu:>8.3f} {rss:>13.1f} {size:>10}{note}")
    if len(medians) == 2:
        (_, (ow, oc, _)), (_, (fw, fc, _)) = medians.items()
        print(f"\nMutuparc's agent is {fw / ow:.1f}x faster (wall) and uses {fc / oc:.1f}x less CPU "
              f"(goal: >= 10x less CPU, <= 30 MiB)")  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
