"""The Ansible roles: linted with the production profile, and run for real with
``ansible-playbook -c local`` on this machine, rooted in a temporary directory (no system user,
no systemd: ``*_service_manager: none``). The wheel is built as ``make dist`` builds it and given
to the roles as a deployment gives it, through ``mutuparc_wheel`` (a file on the controller): each
role copies it into its home and installs it from that copy. The server role writes its
configuration and migrates the database; the server is started from what the role installed; the
agent role installs the agent and sends its first inventory, which must reach the server; the
collector role checks its configuration. A second run of the three plays changes nothing; a new
wheel file of the same version (``make dist`` again) is reinstalled. Without a wheel the roles
stop at once, saying to run ``make dist``; by default they take the newest one in the checkout."""

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
import zipfile
from pathlib import Path

import pytest

from tests.conftest import need
from tests.support.pgcluster import free_port
from tests.utils import PROJECT

ANSIBLE = PROJECT / "ansible"
BIN = Path(sys.executable).parent
SECRET = "test-secret-key-0123456789-abcdefghijklmnop"
NO_WHEEL = "no Mutuparc wheel: run `make dist` in the checkout, or set mutuparc_wheel"
ROLES = ("server", "collector", "agent")

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


def _checkout(tmp_path: Path, wheels: tuple[str, ...] = ()) -> Path:
    """A checkout's layout: ``ansible/`` (where the playbook is), next to ``dist/`` holding these files."""
    (tmp_path / "ansible").mkdir()
    if wheels:
        (tmp_path / "dist").mkdir()
    for name in wheels:
        (tmp_path / "dist" / name).write_bytes(b"")
    return tmp_path / "ansible"


def _probe(playbook_dir: Path, extra: dict[str, object], *expressions: str) -> dict[str, object]:
    """What the three roles' variables resolve to, once their defaults are loaded (their tasks are skipped)."""
    probe = {
        "name": "Resolved",
        "tags": ["probe"],
        "ansible.builtin.debug": {"msg": {expression: f"{{{{ {expression} }}}}" for expression in expressions}},
    }
    playbook = playbook_dir / "probe.yml"
    playbook.write_text(json.dumps([{"hosts": "localhost", "gather_facts": False,
                                     "roles": [f"mutuparc_{role}" for role in ROLES], "tasks": [probe]}]))  # fmt: skip
    done = subprocess.run([_tool("ansible-playbook"), "-i", "localhost,", "-c", "local", str(playbook),
                           "--tags", "probe", "-e", json.dumps(extra)],
                          env={**_env(), "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json"}, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    (task,) = json.loads(done.stdout)["plays"][0]["tasks"]
    return task["hosts"]["localhost"]["msg"]


def test_the_roles_take_the_newest_wheel_of_the_checkout_by_default(tmp_path: Path) -> None:
    versions = ("0.2.0", "0.9.0", "0.9.1", "0.10.0", "0.10.0rc1", "0.10.0.dev3")  # PEP 440: 0.10.0 is the newest
    wheels = tuple(f"mutuparc-{version}-py3-none-any.whl" for version in versions)
    ansible = _checkout(tmp_path, (*wheels, "mutuparc-0.11.0.tar.gz", "other-1.0-py3-none-any.whl"))
    files = [f"mutuparc_{role}_wheel_file" for role in ROLES]
    newest = str(tmp_path / "dist/mutuparc-0.10.0-py3-none-any.whl")
    assert _probe(ansible, {}, *files) == dict.fromkeys(files, newest)
    assert _probe(ansible, {}, "mutuparc_server_pip_name", "mutuparc_agent_win_pip_name") == {
        "mutuparc_server_pip_name": "/opt/mutuparc/mutuparc-0.10.0-py3-none-any.whl[server]",
        "mutuparc_agent_win_pip_name": "C:\\Program Files\\Mutuparc\\mutuparc-0.10.0-py3-none-any.whl[agent]",
    }
    # mutuparc_wheel: a file (relative to the directory ansible-playbook runs in, here the test's), or a pattern
    chosen = tmp_path / "dist/mutuparc-0.9.0-py3-none-any.whl"
    assert _probe(ansible, {"mutuparc_wheel": os.path.relpath(chosen)}, *files) == dict.fromkeys(files, str(chosen))
    pattern = {"mutuparc_wheel": str(tmp_path / "dist/mutuparc-0.9.*.whl")}
    newest_of_pattern = str(tmp_path / "dist/mutuparc-0.9.1-py3-none-any.whl")
    assert _probe(ansible, pattern, *files) == dict.fromkeys(files, newest_of_pattern)


def _role_vars(role: str, root: Path) -> dict[str, object]:
    """Enough for a role to get past its secrets check, every path in ``root``."""
    user, group = pwd.getpwuid(os.getuid()).pw_name, grp.getgrgid(os.getgid()).gr_name
    return {
        "server": {"mutuparc_server_manage_user": False, "mutuparc_server_user": user,
                   "mutuparc_server_group": group, "mutuparc_server_home": str(root / "opt/mutuparc"),
                   "mutuparc_server_config_dir": str(root / "etc"), "mutuparc_server_state_dir": str(root / "var"),
                   "mutuparc_server_service_manager": "none", "mutuparc_server_database": "sqlite",
                   "vault_mutuparc_secret_key": SECRET},
        "collector": {"mutuparc_collector_manage_user": False, "mutuparc_collector_user": user,
                      "mutuparc_collector_group": group, "mutuparc_collector_home": str(root / "opt/collector"),
                      "mutuparc_collector_config": str(root / "etc/collector.yml"),
                      "mutuparc_collector_state_dir": str(root / "var"), "mutuparc_collector_service_manager": "none",
                      "vault_mutuparc_collector_token": "mpe_x"},
        "agent": {"mutuparc_agent_home": str(root / "opt/agent"), "mutuparc_agent_owner": user,
                  "mutuparc_agent_config": str(root / "etc/agent.toml"), "mutuparc_agent_state_dir": str(root / "var"),
                  "mutuparc_agent_service_manager": "none", "vault_mutuparc_agent_token": "mpe_x"},
    }[role]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
def test_without_a_wheel_the_role_stops_at_once_saying_to_run_make_dist(tmp_path: Path, role: str) -> None:
    ansible = _checkout(tmp_path)  # no dist/
    playbook = ansible / "play.yml"
    playbook.write_text(f"- hosts: localhost\n  gather_facts: false\n  roles: [mutuparc_{role}]\n")
    done = subprocess.run([_tool("ansible-playbook"), "-i", "localhost,", "-c", "local", "--check", str(playbook),
                           "-e", json.dumps(_role_vars(role, tmp_path / "root"))], env=_env(), capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip
    assert done.returncode != 0, done.stdout
    failed = done.stdout.split("TASK [")[-1]
    assert failed.startswith(f"mutuparc_{role} : Check there is a wheel to install (or a package)]"), done.stdout
    assert NO_WHEEL in failed and str(tmp_path / "dist/mutuparc-*.whl") in failed, failed
    assert not (tmp_path / "root").exists()


def test_a_package_set_for_the_role_wins_over_the_wheel(tmp_path: Path) -> None:
    """``mutuparc_agent_package`` set: nothing is copied, pip is given the package as is (a run in check mode)."""
    ansible = _checkout(tmp_path, ("mutuparc-0.1.0-py3-none-any.whl",))
    playbook = ansible / "play.yml"
    playbook.write_text("- hosts: localhost\n  roles: [mutuparc_agent]\n  tasks:\n"
                        "    - {name: Installed, ansible.builtin.debug: {var: mutuparc_agent_pip_name}}\n")  # fmt: skip
    package = "/srv/mutuparc-0.1.0-py3-none-any.whl[agent]"
    extra = {**_role_vars("agent", tmp_path / "root"), "mutuparc_agent_package": package}
    done = subprocess.run([_tool("ansible-playbook"), "-i", "localhost,", "-c", "local", "--check", str(playbook),
                           "-e", json.dumps(extra)], env=_env(), capture_output=True, text=True, timeout=120,
                          check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    tasks = {block.split("]", 1)[0]: block for block in done.stdout.split("TASK [")[1:]}
    assert "skipping: [localhost]" in tasks["mutuparc_agent : Copy the wheel to the host"]
    assert "skipping: [localhost]" in tasks["mutuparc_agent : Reinstall the agent from the new wheel file"]
    assert "changed: [localhost]" in tasks["mutuparc_agent : Install the agent in its virtualenv"]
    assert f'"mutuparc_agent_pip_name": "{package}"' in tasks["Installed"]
    assert not (tmp_path / "root").exists()


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


def _changed_tasks(output: str) -> list[str]:
    blocks = re.split(r"^(?:TASK|RUNNING HANDLER) \[", output, flags=re.M)[1:]
    return [block.split("]", 1)[0] for block in blocks if "\nchanged:" in block]


def _unchanged(output: str) -> None:
    """The recap says ``changed=0``; else the message names the tasks that changed something."""
    found = re.search(r"localhost\s*:\s*ok=\d+\s+changed=(\d+)", output)
    assert found, output[-2000:]
    assert found.group(1) == "0", f"changed on the second run: {_changed_tasks(output)}"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Built as ``make dist`` builds it (``python -m build``: the source archive, then the wheel from
    it), into a temporary directory instead of the checkout's ``dist/``."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(PROJECT)],
                   check=True, capture_output=True, timeout=300)  # fmt: skip
    (built,) = out.glob("mutuparc-*.whl")
    return built


def _installed_from(venv: Path) -> str:
    """Where pip installed the venv's mutuparc from (PEP 610 ``direct_url.json``)."""
    (direct_url,) = venv.glob("lib/python3*/site-packages/mutuparc-*.dist-info/direct_url.json")
    return json.loads(direct_url.read_text())["url"]


def _rebuilt(wheel: Path, directory: Path) -> Path:
    """A new file of the same wheel, name and version (``make dist`` run again), with one more file."""
    directory.mkdir()
    rebuilt = directory / wheel.name
    with zipfile.ZipFile(wheel) as source, zipfile.ZipFile(rebuilt, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("agent/rebuilt.txt", "a later build\n")
    return rebuilt


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
        "mutuparc_server_database": "sqlite", "mutuparc_wheel": str(wheel),
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
    # installed from the copy of the wheel in the role's home, not from the controller's file
    assert _installed_from(root / "opt/mutuparc/venv") == (root / "opt/mutuparc" / wheel.name).as_uri()

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
            "mutuparc_wheel": str(wheel), "mutuparc_agent_virtualenv_command": str(venv_command),
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
        agent_home = root / "opt/mutuparc-agent"
        assert _installed_from(agent_home) == (agent_home / wheel.name).as_uri()

        collector_vars = {
            "mutuparc_collector_manage_user": False, "mutuparc_collector_user": user,
            "mutuparc_collector_group": group,
            "mutuparc_collector_home": str(root / "opt/mutuparc-collector"),
            "mutuparc_collector_config": str(root / "etc/collector.yml"),
            "mutuparc_collector_state_dir": str(root / "var/lib/mutuparc-collector"),
            "mutuparc_collector_service_manager": "none", "mutuparc_wheel": str(wheel),
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
        collector_home = root / "opt/mutuparc-collector"
        assert _installed_from(collector_home) == (collector_home / wheel.name).as_uri()

        for play, variables in ((server_play, server_vars), (agent_play, agent_vars), (collector_play, collector_vars)):
            _unchanged(_play(play, variables))

        # `make dist` again: a new file, the same version. pip alone would keep the installed one.
        rebuilt = _rebuilt(wheel, tmp_path / "rebuilt")
        output = _play(agent_play, {**agent_vars, "mutuparc_wheel": str(rebuilt)})
        assert _changed_tasks(output) == ["mutuparc_agent : Copy the wheel to the host",
                                          "mutuparc_agent : Reinstall the agent from the new wheel file",
                                          "mutuparc_agent : Send a first inventory"], output[-3000:]  # fmt: skip
        (marker,) = agent_home.glob("lib/python3*/site-packages/agent/rebuilt.txt")
        assert marker.read_text() == "a later build\n"
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
