"""Agent footprint: CPU time, wall time and peak RSS of a full inventory of this machine.

Installs ``mutuparc[agent]`` as a PC would (a wheel in a fresh virtualenv, no development
install: pip compiles its bytecode there, as on a PC), then runs its ``mutuparc-agent --local``,
Debian's ``fusioninventory-agent --local`` and the vendored GLPI Agent (``vendor/glpi-agent``, its
inventory task, with the Perl modules of Debian) in turn, several times, in the same run, and prints
the median of each. Each run is a fresh process measured with ``wait4`` (its own rusage and that of
the commands it ran). An agent that cannot run here is named, with the reason.

    python bench/agent.py [--runs 5]
    python bench/agent.py --same-as HEAD   # the inventory of this machine is the same as REV's agent's

``--same-as REV``: runs the agent of this checkout and the one of git revision REV (its ``agent``,
``wire`` and ``mutuparc`` folders) on this machine and compares their JSON, less what changes from
one run to the next (``accesslog``, ``versionprovider.program``, the free space of each drive).
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
GLPI_AGENT = PROJECT / "vendor" / "glpi-agent"
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


def glpi_agent(work: Path) -> tuple[list[str], Path, Path] | str:
    """(command, output folder, folder to run it from) of the vendored GLPI Agent's --local inventory,
    or why it cannot run here."""
    sys.path.insert(0, str(PROJECT))
    from tests.support.glpi_agent import MISSING, glpi_agent_command

    command = glpi_agent_command()
    if command is None:
        return f"not measured: {MISSING} missing" if shutil.which("perl") else "not measured: no perl"
    vardir, out = work / "glpi-var", work / "glpi"
    vardir.mkdir()
    out.mkdir()
    # As installed, with its default categories; no configuration file, its state in a private vardir
    # (run from there: bin/glpi-agent also looks for ./lib and ./etc), no HTTP daemon, inventory only.
    # --full: a whole inventory at every run, as Mutuparc's --local writes (not the sections that changed).
    options = ["--config=none", f"--vardir={vardir}", "--tasks=inventory", "--no-httpd", f"--local={out}", "--json",
               "--full"]  # fmt: skip
    return [*command, *options], out, vardir


def _comparable(message: dict) -> dict:
    """An inventory without what changes from one run to the next."""
    content = message.get("content", {})
    content.pop("accesslog", None)
    content.get("versionprovider", {}).pop("program", None)
    for drive in content.get("drives", []):
        drive.pop("free", None)
    return message


def same_as(revision: str) -> int:
    """Whether this checkout's agent and ``revision``'s make the same inventory of this machine."""
    import json

    work = Path(tempfile.mkdtemp(prefix="mutuparc-bench-agent-same-"))
    try:
        old = work / "old"
        old.mkdir()
        archive = subprocess.run(["git", "-C", str(PROJECT), "archive", revision, "agent", "wire", "mutuparc"],
                                 capture_output=True, check=True).stdout  # fmt: skip
        subprocess.run(["tar", "x", "-C", str(old)], input=archive, check=True)
        found = {}
        for name, tree in (("this checkout", PROJECT), (revision, old)):
            out = work / f"{len(found)}.json"
            run = subprocess.run([sys.executable, "-m", "agent", "--local", str(out), "--state-dir",
                                  str(work / "state")], cwd=tree, capture_output=True, text=True, env=ENV)  # fmt: skip
            if run.returncode != 0:
                print(f"{name}: the agent failed ({run.returncode}): {run.stderr}")
                return 1
            found[name] = _comparable(json.loads(out.read_text("utf-8")))
        ours, theirs = found.values()
        sections = sorted(set(ours["content"]) | set(theirs["content"]))
        differing = [s for s in sections if ours["content"].get(s) != theirs["content"].get(s)]
        items = sum(len(v) if isinstance(v, list) else 1 for v in ours["content"].values())
        same = f"the same inventory as {revision}'s agent (accesslog, program and free space aside)"
        verdict = f"different: {', '.join(differing)}" if differing else same
        print(f"{len(sections)} sections, {items} items: {verdict}")
        return 1 if differing or ours != theirs else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--same-as", metavar="REV", help="compare the inventory with that of git revision REV")
    args = parser.parse_args()
    if args.same_as:
        return same_as(args.same_as)
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
        print("fusioninventory-agent: not measured (not installed)")
    glpi = glpi_agent(work)
    glpi_cwd = PROJECT
    if isinstance(glpi, str):
        print(f"GLPI Agent: {glpi}")
    else:
        commands["glpi-agent --local (vendored)"] = glpi[0], glpi[1]
        glpi_cwd = glpi[2]
    results: dict[str, list[tuple[float, float, float, int]]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (command, _) in commands.items():
            results[name].append(measure(command, cwd=glpi_cwd if name.startswith("glpi-agent") else PROJECT))
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
    ours = medians.get("mutuparc-agent --local")
    print()
    for name, (wall, cpu, _rss) in medians.items():
        if ours and name != "mutuparc-agent --local":
            print(f"Mutuparc's agent against {name.split()[0]}: {wall / ours[0]:.1f}x faster (wall), "
                  f"{cpu / ours[1]:.1f}x less CPU")  # fmt: skip
    if ours:
        print(f"goal: >= 10x less CPU than fusioninventory-agent, <= 30 MiB (Mutuparc: {ours[2]:.1f} MiB)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
