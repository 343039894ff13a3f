"""The agent installs on a PC without the server's or the collectors' dependencies."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from tests.support.checkout import copy_checkout
from tests.utils import PROJECT

FORBIDDEN = {"fastapi", "sqlmodel", "sqlalchemy", "pysnmp", "netmiko", "paramiko", "uvicorn", "psycopg"}


def _name(requirement: str) -> str:
    return requirement.split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower()


def test_agent_extra_declares_no_server_dependency():
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    declared = {_name(r) for r in project["dependencies"] + project["optional-dependencies"]["agent"]}
    assert not declared & FORBIDDEN


@pytest.mark.slow
def test_agent_only_install_works(tmp_path):
    """pip install '.[agent]' into a fresh venv: no forbidden package, and the agent runs."""
    # Build from a copy: building in place would leave build/ and *.egg-info in the checkout.
    source = tmp_path / "src"
    shutil.copytree(
        PROJECT,
        source,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "*.egg-info", "build", "__pycache__", ".*_cache"),
    )
    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    python = target / "bin" / "python"
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", f"{source}[agent]"],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    listed = subprocess.run([python, "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True)
    installed = {line.split("==")[0].lower() for line in listed.stdout.splitlines()}
    assert "psutil" in installed and not installed & FORBIDDEN, sorted(installed & FORBIDDEN)
    out = tmp_path / "inventory.json"
    run = subprocess.run(
        [target / "bin" / "mutuparc-agent", "--local", out, "--state-dir", tmp_path / "state"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(out.read_text())["content"]["hardware"]["name"]
    assert sys.prefix != str(target)


@pytest.mark.slow
def test_make_dist_builds_a_wheel_that_installs_and_runs(tmp_path):
    """``make dist`` in a copy of the checkout, then the wheel alone in a fresh venv: the server
    extra installs, ``mutuparc --help`` works and the migrations it ships create a database."""
    source = copy_checkout(tmp_path / "src")
    venv_dir = Path(sys.prefix)  # the suite's own virtualenv builds; -o: never reinstall it from the copy
    make = subprocess.run(["make", "dist", f"VENV={venv_dir}", "-o", f"{venv_dir}/.installed"], cwd=source,
                          capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert make.returncode == 0, make.stdout[-2000:] + make.stderr[-2000:]
    wheels = list((source / "dist").glob("mutuparc-*-py3-none-any.whl"))
    assert len(wheels) == 1 and not (source / "build").exists()
    with zipfile.ZipFile(wheels[0]) as wheel:
        names = set(wheel.namelist())
    for shipped in ("server/renewal/data/eol.json", "wire/data/inventory.schema.json", "server/migrations/env.py",
                    "device_profiles/schema.json"):  # fmt: skip
        assert shipped in names, shipped
    assert not any(name.startswith(("tests/", "vendor/", "scripts/")) for name in names)

    target = tmp_path / "venv"
    venv.create(target, with_pip=True)
    pip = [target / "bin" / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    install = subprocess.run([*pip, f"{wheels[0]}[server]"], capture_output=True, text=True, timeout=900, check=False)
    assert install.returncode == 0, install.stderr[-3000:]
    mutuparc = target / "bin" / "mutuparc"
    helped = subprocess.run([mutuparc, "--help"], capture_output=True, text=True, timeout=60, check=False)
    assert helped.returncode == 0 and "server" in helped.stdout, helped.stderr
    env = {"PATH": os.environ["PATH"], "MUTUPARC_DATABASE_URL": f"sqlite:///{tmp_path / 'parc.db'}"}
    upgraded = subprocess.run([mutuparc, "db", "upgrade"], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=120, check=False)  # fmt: skip
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    assert (tmp_path / "parc.db").stat().st_size > 0
