"""The Ansible roles: linted with the production profile, and run for real with
``ansible-playbook -c local`` on this machine, rooted in a temporary directory (no system user,
no systemd: ``*_service_manager: none``). The server role installs the built wheel, writes its
configuration and migrates the database; the server is started from what the role installed; the
agent role installs the agent and sends its first inventory, which must reach the server. A second
run of both plays changes nothing."""

from __future__ import annotations

import grp
import json
import os
import pwd
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import need
from tests.support.pgcluster import free_port
from tests.utils import PROJECT

ANSIBLE = PROJECT / "ansible"
BIN = Path(sys.executable).parent
SECRET = "test-secret-key-0123456789-abcdefghijklmnop"

# Makes a virtualenv that also sees the project's own (already installed) dependencies, so that
# installing the wheel needs neither the network nor minutes of downloads.
VENV_WITH_DEPENDENCIES = """#!/bin/sh
set -e
for target in "$@"; do :; done  # the last argument; Ansible's pip module may add -p<python> before
{python} -m venv "$target"
echo {site_packages} > "$(ls -d "$target"/lib/python3*/site-packages)/project-dependencies.pth"
"""


def _tool(name: str) -> str:
    path = BIN / name
    need(path.exists(), f"{name} is not installed (pip install ansible ansible-lint)")
    return str(path)


def test_roles_pass_ansible_lint_production_profile() -> None:
    lint = subprocess.run([_tool("ansible-lint"), "--offline", "--profile", "production", "--nocolor", "."],
                          cwd=ANSIBLE, capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "Profile 'production' was required, and it passed" in lint.stdout + lint.stderr


def test_windows_agent_tasks_pass_the_syntax_check(tmp_path: Path) -> None:
    playbook = tmp_path / "windows.yml"
    playbook.write_text("- hosts: all\n  gather_facts: false\n  roles: [mutuparc_agent]\n")
    check = subprocess.run([_tool("ansible-playbook"), "--syntax-check", "-i", "pc.example,", str(playbook)],
                           env=_env(), capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert check.returncode == 0, check.stdout + check.stderr


def _env() -> dict[str, str]:
    return {**os.environ, "ANSIBLE_ROLES_PATH": str(ANSIBLE / "roles"), "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_LOCALHOST_WARNING": "false", "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "PATH": f"{BIN}:{os.environ.get('PATH', '')}"}  # fmt: skip


def _play(playbook: Path, extra: dict[str, object]) -> str:
    result = subprocess.run([_tool("ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook),
                             "-e", json.dumps(extra)], env=_env(), capture_output=True, text=True, timeout=900,
                            check=False)  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-3000:]
    return result.stdout


def _unchanged(output: str) -> None:
    """The recap says ``changed=0``; else the message names the tasks that changed something."""
    found = re.search(r"localhost\s*:\s*ok=\d+\s+changed=(\d+)", output)
    assert found, output[-2000:]
    blocks = output.split("TASK [")[1:]
    tasks = [block.split("]", 1)[0] for block in blocks if "\nchanged:" in block]
    assert found.group(1) == "0", f"changed on the second run: {tasks}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(PROJECT)],
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    return next(out.glob("mutuparc-*.whl"))


def test_server_and_agent_roles_deploy_and_run_twice_without_change(tmp_path: Path, wheel: Path) -> None:
    _tool("ansible-playbook")
    root = tmp_path / "root"
    venv_command = tmp_path / "venv-with-dependencies.sh"
    site_packages = next(Path(sys.prefix).glob("lib/python3*/site-packages"))
    venv_command.write_text(VENV_WITH_DEPENDENCIES.format(python=sys.executable, site_packages=site_packages))
    venv_command.chmod(0o755)
    user, group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
    port = free_port()
    server_vars = {
        "mutuparc_server_manage_user": False, "mutuparc_server_user": user, "mutuparc_server_group": group,
        "mutuparc_server_config_owner": user,
        "mutuparc_server_home": str(root / "opt/mutuparc"), "mutuparc_server_config_dir": str(root / "etc/mutuparc"),
        "mutuparc_server_state_dir": str(root / "var/lib/mutuparc"), "mutuparc_server_service_manager": "none",
        "mutuparc_server_database": "sqlite", "mutuparc_server_package": f"{wheel}[server]",
        "mutuparc_server_virtualenv_command": str(venv_command), "vault_mutuparc_secret_key": SECRET,
    }  # fmt: skip
    server_play = tmp_path / "server.yml"
    server_play.write_text("- hosts: localhost\n  roles: [mutuparc_server]\n")
    first = _play(server_play, server_vars)
    assert "changed: [localhost]" in first
    installed = root / "opt/mutuparc/venv/bin/mutuparc"
    env_file = root / "etc/mutuparc/server.env"
    assert installed.exists() and oct(env_file.stat().st_mode)[-3:] == "640"
    settings = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
    assert settings["MUTUPARC_SECRET_KEY"] == SECRET and settings["MUTUPARC_DATABASE_URL"].startswith("sqlite:///")
    assert (root / "opt/mutuparc/mutuparc-backup.sh").exists()

    env = {**os.environ, **settings}
    server = subprocess.Popen([str(installed), "server", "--port", str(port), "--log-level", "warning"],
                              cwd=root / "var/lib/mutuparc", env=env)  # fmt: skip
    try:
        _wait(f"http://127.0.0.1:{port}/api/v1/health")
        admin = subprocess.run([str(installed), "admin", "create-member", "Servon"], env=env, check=True,
                               capture_output=True, text=True)  # fmt: skip
        assert "Servon" in admin.stdout
        token = subprocess.run([str(installed), "admin", "create-enrolment-token", "Servon"], env=env, check=True,
                               capture_output=True, text=True).stdout.strip()  # fmt: skip
        api = subprocess.run([str(installed), "admin", "create-user", "dsit", "--role", "admin"], env=env,
                             check=True, capture_output=True, text=True).stdout  # fmt: skip
        api_token = re.search(r"API token: (mpa_\S+)", api).group(1)  # type: ignore[union-attr]

        agent_vars = {
            "mutuparc_agent_home": str(root / "opt/mutuparc-agent"), "mutuparc_agent_owner": user,
            "mutuparc_agent_config": str(root / "etc/agent.toml"),
            "mutuparc_agent_state_dir": str(root / "var/lib/mutuparc-agent"), "mutuparc_agent_service_manager": "none",
            "mutuparc_agent_package": f"{wheel}[agent]", "mutuparc_agent_virtualenv_command": str(venv_command),
            "mutuparc_agent_server": f"http://127.0.0.1:{port}/", "vault_mutuparc_agent_token": token,
        }  # fmt: skip
        agent_play = tmp_path / "agent.yml"
        agent_play.write_text("- hosts: localhost\n  roles: [mutuparc_agent]\n")
        assert "RUNNING HANDLER [mutuparc_agent : Send a first inventory]" in _play(agent_play, agent_vars)
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/assets",
                                         headers={"Authorization": f"Bearer {api_token}"})  # fmt: skip
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
            assets = json.load(answer)["data"]
        assert len(assets) == 1 and assets[0]["source"] == "agent"  # this machine, inventoried by the agent

        collector_vars = {
            "mutuparc_collector_manage_user": False, "mutuparc_collector_user": user,
            "mutuparc_collector_group": group,
            "mutuparc_collector_home": str(root / "opt/mutuparc-collector"),
            "mutuparc_collector_config": str(root / "etc/collector.yml"),
            "mutuparc_collector_state_dir": str(root / "var/lib/mutuparc-collector"),
            "mutuparc_collector_service_manager": "none", "mutuparc_collector_package": f"{wheel}[collector]",
            "mutuparc_collector_virtualenv_command": str(venv_command),
            "mutuparc_collector_server": f"http://127.0.0.1:{port}/", "vault_mutuparc_collector_token": token,
            "mutuparc_collector_credentials_from_server": False,
            "vault_mutuparc_collector_credentials": {"public": {"version": "2c", "community": "public"}},
            "mutuparc_collector_targets": [{"host": "127.0.0.1", "port": 1161, "credential": "public"}],
            "vault_mutuparc_collector_ssh": {"credentials": {"netadmin": {"username": "inventaire", "password": "x"}},
                                             "targets": [{"host": "127.0.0.1", "credential": "netadmin"}]},
        }  # fmt: skip
        collector_play = tmp_path / "collector.yml"
        collector_play.write_text("- hosts: localhost\n  roles: [mutuparc_collector]\n")
        assert "valid, 1 target(s), 1 credential(s), 1 SSH target(s)" in _play(collector_play, collector_vars)

        for play, variables in ((server_play, server_vars), (agent_play, agent_vars), (collector_play, collector_vars)):
            _unchanged(_play(play, variables))
    finally:
        server.terminate()
        server.wait(10)
    shutil.rmtree(root, ignore_errors=True)


def _wait(url: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")
