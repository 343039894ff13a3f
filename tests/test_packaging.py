"""The agent installs on a PC without the server's or the collectors' dependencies."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
import venv

import pytest

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
