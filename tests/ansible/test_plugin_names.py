"""Every module, filter, test and lookup plugin the roles, playbooks, inventory and templates name
exists (as Ansible resolves it, with the collections of the ``ansible`` package), and so do the
roles, tasks files, templates and handlers they refer to. A wrong name (``ansible.windows.win_dirname``
once failed the Windows agent role on every host) is otherwise only found when a play runs on a host.

The names are collected and resolved by ``plugin_names.py``, in a process of its own; the last
test puts wrong names in a copy of the roles and checks each one is reported."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ansible.plugin_names import CHECK
from tests.conftest import need
from tests.utils import PROJECT

ANSIBLE = PROJECT / "ansible"
SCRIPT = Path(__file__).with_name("plugin_names.py")


def _report(root: Path, out: Path) -> dict:
    need((Path(sys.executable).parent / "ansible-playbook").exists(), "ansible is not installed (pip install ansible)")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}, "ANSIBLE_NOCOLOR": "1"}
    done = subprocess.run([sys.executable, str(SCRIPT), str(root), str(out)], env=env, capture_output=True,
                          text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> dict:
    return _report(ANSIBLE, tmp_path_factory.mktemp("plugin-names") / "report.json")


def test_every_plugin_the_roles_name_exists(report: dict) -> None:
    assert report["unresolved"] == {"module": {}, "filter": {}, "test": {}, "lookup": {}}, report["unresolved"]
    assert report["problems"] == []


def test_the_names_are_collected_from_every_file(report: dict) -> None:
    """Not vacuous: the names known to be used are found, in every kind of file."""
    files = set(report["files"])
    assert {"site.yml", "agents.yml", "roles/mutuparc_agent/tasks/windows.yml",
            "roles/mutuparc_server/handlers/main.yml", "roles/mutuparc_server/vars/main.yml",
            "roles/mutuparc_collector/templates/collector.yml.j2", "inventories/example/group_vars/all/main.yml",
            "inventories/example/hosts.yml"} <= files  # fmt: skip
    used = report["used"]
    assert {"ansible.builtin.import_playbook", "ansible.builtin.assert", "ansible.builtin.template",
            "ansible.builtin.systemd_service", "ansible.windows.win_file", "ansible.windows.win_template",
            "chocolatey.chocolatey.win_chocolatey", "community.windows.win_scheduled_task",
            "community.postgresql.postgresql_user"} <= set(used["module"])  # fmt: skip
    assert {"ansible.builtin.win_dirname", "dirname", "length", "default", "urlencode", "to_json", "combine",
            "to_nice_yaml", "quote", "min"} <= set(used["filter"])  # fmt: skip
    windows_task = "roles/mutuparc_agent/tasks/windows.yml#1 (Create the agent's directories)"
    assert windows_task in used["filter"]["ansible.builtin.win_dirname"]
    # from assert's `that`, a bare expression
    assert (
        "roles/mutuparc_agent/tasks/main.yml#1 (Check the enrolment token is set (from Ansible Vault))"
        in (used["filter"]["length"])
    )
    assert {"when", "notify", "loop", "become", "no_log", "listen", "block"} <= set(report["keywords"])


def test_the_resolvers_reject_wrong_names(report: dict) -> None:
    assert report["check"] == CHECK
    assert not report["check"]["filter"]["ansible.windows.win_dirname"]
    assert report["check"]["filter"]["ansible.builtin.win_dirname"]


BROKEN_TASKS = """
- name: A made-up module
  ansible.builtin.no_such_module:
    path: "{{ lookup('no_such_lookup', 'x') | map('no_such_filter_in_map') | list }}"
  when: mutuparc_agent_home is no_such_test
  notify: No such handler

- name: A misspelt keyword
  ansible.builtin.debug:
    msg: "{{ item }}"
  with_no_such_loop_lookup: [a]
  notfy: Send a first inventory

- name: A missing tasks file
  ansible.builtin.include_tasks: no_such_file.yml

- name: A missing template
  ansible.builtin.template:
    src: no_such_template.j2
    dest: /tmp/x
    mode: "0644"
"""


def test_wrong_names_in_a_copy_of_the_roles_are_reported(tmp_path: Path) -> None:
    root = tmp_path / "ansible"
    shutil.copytree(ANSIBLE, root, ignore=shutil.ignore_patterns(".ansible", "vault.yml"))
    windows = root / "roles/mutuparc_agent/tasks/windows.yml"
    windows.write_text(windows.read_text().replace("ansible.builtin.win_dirname", "ansible.windows.win_dirname"))
    with (root / "roles/mutuparc_agent/tasks/linux.yml").open("a") as tasks:
        tasks.write(BROKEN_TASKS)
    with (root / "roles/mutuparc_server/templates/server.env.j2").open("a") as template:
        template.write(
            "X={{ x | no_such_template_filter }}\n{% if x is ansible.builtin.no_such_dotted_test %}{% endif %}\n"
        )
    with (root / "roles/mutuparc_collector/defaults/main.yml").open("a") as defaults:
        defaults.write("mutuparc_collector_x: \"{{ [1] | select('no_such_select_test') | list }}\"\n")
    with (root / "site.yml").open("a") as site:
        site.write("\n- name: A missing role\n  hosts: all\n  roles: [no_such_role]\n")

    report = _report(root, tmp_path / "report.json")
    unresolved = {kind: set(names) for kind, names in report["unresolved"].items()}
    assert unresolved == {
        "module": {"ansible.builtin.no_such_module", "notfy"},
        "filter": {"ansible.windows.win_dirname", "no_such_filter_in_map", "no_such_template_filter"},
        "test": {"no_such_test", "ansible.builtin.no_such_dotted_test", "no_such_select_test"},
        "lookup": {"no_such_lookup", "no_such_loop_lookup"},
    }
    assert report["unresolved"]["filter"]["ansible.windows.win_dirname"] == [
        "roles/mutuparc_agent/tasks/windows.yml#1 (Create the agent's directories)"
    ]
    problems = "\n".join(report["problems"])
    assert len(report["problems"]) == 5, problems
    for expected in ("notifies 'No such handler'", "one module per task, not ['ansible.builtin.debug', 'notfy']",
                     "no tasks file 'no_such_file.yml'", "no template 'no_such_template.j2'",
                     "no role 'no_such_role'"):  # fmt: skip
        assert expected in problems, problems
