"""The example inventory, set up as ``ansible/README.md`` says, gives every host its variables.

In a copy of ``ansible/`` (the repository's files are never touched), the README's ``sh`` lines
are run in order with bash: ``make dist`` first, at the checkout's root (here it only leaves a
stand-in wheel in ``dist/`` next to the copy: the roles need its path, not its contents), then in
``ansible/`` the ``cp`` of each ``vault.yml.example`` to its ``vault.yml``, the secrets filled in
(what the reader does between the lines), ``ansible-vault encrypt``, then ``ansible-playbook
site.yml`` with ``--list-hosts`` instead of ``--ask-vault-pass`` (the vault password comes from a
file). Then ``ansible-inventory --host`` shows, for a host of each group (server, collector, each
member's agents, Windows), the variables of ``group_vars/all/main.yml``, of the vault files and of
the host's own groups; and a play with the three roles (its only task a ``debug``: nothing
connects to the hosts) shows what the roles see once their defaults are loaded: the real server
URL, each member's token, no become on Windows (from ``agents.yml``), the wheel ``make dist`` built.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.conftest import need
from tests.utils import PROJECT

ANSIBLE = PROJECT / "ansible"
README = ANSIBLE / "README.md"
BIN = Path(sys.executable).parent
SECRET = "test-secret-key-0123456789-abcdefghijklmnop"
SERVER_URL = "https://parc.dsit.example/"
WHEEL = "mutuparc-0.1.0-py3-none-any.whl"  # what `make dist` builds

# What the test does with each README line (a rule matching no line fails: the table follows the README).
RULES = {
    r"^make dist(\s|$)": "make the wheel",
    r"^cd ansible$": "skip",  # the next lines run in the copy of ansible/
    r"^pip install ": "skip",  # the test's virtualenv has them (pyproject's dev extra)
    r"^cp ": "run",
    r"^ansible-vault encrypt ": "fill in, run",
    r"^ansible-playbook site\.yml --ask-vault-pass$": "run with --list-hosts",
}

HOSTS = {
    "server": "parc.dsit.example",
    "collector": "collecteur-dc.dsit.example",
    "servon": "pc-compta.servon.example",
    "chevry-windows": "pc-mairie.chevry.example",
}


@dataclass
class Inventory:
    root: Path
    env: dict[str, str]
    before: dict  # every host's variables before the README's lines
    ran: list[str]
    list_hosts: str

    def run(self, *command: str) -> str:
        done = subprocess.run(command, cwd=self.root, env=self.env, capture_output=True, text=True, timeout=300,
                              check=False, stdin=subprocess.DEVNULL)  # fmt: skip
        assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
        return done.stdout

    def host(self, name: str) -> dict:
        return json.loads(self.run(str(BIN / "ansible-inventory"), "-i", "inventories/example", "--host", name))


def readme_lines() -> list[str]:
    lines: list[str] = []
    for block in re.findall(r"^```sh\n(.*?)^```", README.read_text("utf-8"), re.S | re.M):
        lines += [line.strip() for line in block.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return lines


def fill_in(root: Path) -> None:
    """The reader's part: real values in the copied vault files, one token per group."""
    for vault in root.glob("inventories/example/group_vars/*/vault.yml"):
        text = vault.read_text().replace('"mpe_..."', f'"mpe_{vault.parent.name}"')
        vault.write_text(re.sub(r"(?m)^vault_mutuparc_secret_key: .*$", f"vault_mutuparc_secret_key: {SECRET}", text))


@pytest.fixture(scope="module")
def inventory(tmp_path_factory: pytest.TempPathFactory) -> Inventory:
    need((BIN / "ansible-inventory").exists(), "ansible is not installed (pip install ansible)")
    work = tmp_path_factory.mktemp("inventory")
    root = work / "ansible"
    shutil.copytree(ANSIBLE, root, ignore=shutil.ignore_patterns(".ansible", "vault.yml"))  # the examples only
    (work / "home").mkdir()
    password = work / "vault-password"
    password.write_text("a vault password for the test\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("ANSIBLE_")}
    env |= {"HOME": str(work / "home"), "PATH": f"{BIN}:{env.get('PATH', '')}", "PYTHONWARNINGS": "ignore",
            "ANSIBLE_VAULT_PASSWORD_FILE": str(password), "ANSIBLE_NOCOLOR": "1"}  # fmt: skip
    inv = Inventory(root, env, {}, [], "")
    inv.before = json.loads(inv.run(str(BIN / "ansible-inventory"), "-i", "inventories/example", "--list"))

    lines = readme_lines()
    assert [rule for rule in RULES if not any(re.search(rule, line) for line in lines)] == [], lines
    assert re.match(r"make dist(\s|$)", lines[0]), f"the steps start with `make dist`: {lines}"
    for line in lines:
        actions = [action for rule, action in RULES.items() if re.search(rule, line)]
        assert len(actions) == 1, f"a README line this test does not know: {line}"
        if actions[0] == "skip":
            continue
        if actions[0] == "make the wheel":  # at the checkout's root, next to ansible/
            (work / "dist").mkdir()
            (work / "dist" / WHEEL).write_bytes(b"")
            inv.ran.append(line)
            continue
        if actions[0] == "fill in, run":
            fill_in(root)
        if actions[0] == "run with --list-hosts":
            line = line.replace("--ask-vault-pass", "--list-hosts")
        output = inv.run("bash", "-c", line)
        inv.ran.append(line)
        if "--list-hosts" in line:
            inv.list_hosts = output
    return inv


def test_the_readme_steps_make_every_vault_file_and_encrypt_it(inventory: Inventory) -> None:
    group_vars = inventory.root / "inventories/example/group_vars"
    examples = sorted(path.parent.name for path in group_vars.glob("*/vault.yml.example"))
    assert examples == ["all", "chevry_pcs", "servon_pcs"]
    copied = sorted(re.findall(r"group_vars/(\w+)/vault\.yml$", "\n".join(inventory.ran), re.M))
    assert copied == examples  # each example has its cp line in the README
    for group in examples:
        assert (group_vars / group / "vault.yml").read_text().startswith("$ANSIBLE_VAULT;"), group
    assert not list(group_vars.glob("*.yml")), "a group_vars/<group>.yml is ignored next to group_vars/<group>/"


def test_site_yml_runs_each_play_on_its_hosts(inventory: Inventory) -> None:
    hosts = {}
    for block in re.split(r"\n\s*play #\d+ ", inventory.list_hosts)[1:]:  # play #1 (pattern): name ... hosts (n):
        pattern = re.match(r"\(([^)]+)\)", block).group(1)  # type: ignore[union-attr]
        hosts[pattern] = set(re.findall(r"^ {6}(\S+)$", block, re.M))
    assert hosts == {
        "mutuparc_servers": {"parc.dsit.example"},
        "mutuparc_collectors": {"collecteur-dc.dsit.example"},
        "mutuparc_agents": {"pc-compta.servon.example", "pc-accueil.servon.example", "pc-mairie.chevry.example"},
    }, inventory.list_hosts


def test_the_vault_examples_themselves_are_not_read(inventory: Inventory) -> None:
    """Before the README's lines no vault variable is defined: what the hosts get below is the vault files'."""
    for name, variables in inventory.before["_meta"]["hostvars"].items():
        assert variables["mutuparc_agent_server"] == SERVER_URL, name
        assert not [key for key in variables if key.startswith("vault_")], name


@pytest.mark.parametrize("group", HOSTS)
def test_each_host_sees_main_vault_and_its_group_vars(inventory: Inventory, group: str) -> None:
    variables = inventory.host(HOSTS[group])
    # group_vars/all/main.yml (not the roles' defaults: https://parc.example/)
    assert variables["mutuparc_agent_server"] == variables["mutuparc_collector_server"] == SERVER_URL
    assert variables["mutuparc_wheel"] == "{{ playbook_dir | dirname }}/dist/mutuparc-*.whl"
    assert variables["mutuparc_server_nginx_server_name"] == "parc.dsit.example"
    assert variables["mutuparc_server_nginx_enabled"] is True
    # group_vars/all/vault.yml, decrypted
    assert variables["vault_mutuparc_secret_key"] == SECRET
    assert variables["vault_mutuparc_collector_token"] == "mpe_all"
    assert variables["vault_mutuparc_postgresql_password"] == "..."
    assert variables["vault_mutuparc_collector_credentials"]["datacenter"]["version"] == "3"
    assert variables["vault_mutuparc_collector_ssh"]["targets"][0]["credential"] == "netadmin"
    # the host's own groups
    member = {"servon": "servon", "chevry-windows": "chevry"}.get(group)
    for other in {"servon", "chevry"} - {member}:
        assert f"vault_{other}_agent_token" not in variables
    if member:
        assert variables["mutuparc_agent_token"] == f"{{{{ vault_{member}_agent_token | default('') }}}}"
        assert variables[f"vault_{member}_agent_token"] == f"mpe_{member}_pcs"
    else:
        assert "mutuparc_agent_token" not in variables
    if group == "chevry-windows":
        assert variables["ansible_connection"] == "winrm"
        assert variables["ansible_winrm_transport"] == "ntlm"
    else:
        assert "ansible_connection" not in variables
    if group == "collector":
        assert variables["mutuparc_collector_targets"][0] == {"host": "10.0.0.10", "credential": "datacenter",
                                                              "asset_type": "nas"}  # fmt: skip


def test_the_roles_see_the_inventory_values_over_their_defaults(inventory: Inventory) -> None:
    become = yaml.safe_load((inventory.root / "agents.yml").read_text())[0]["become"]
    probe = [{"name": "What the roles see", "hosts": "all", "gather_facts": False,
              "roles": ["mutuparc_server", "mutuparc_collector", "mutuparc_agent"],  # their defaults; tasks skipped
              "tasks": [{"name": "Resolved", "tags": ["probe"], "ansible.builtin.debug": {"msg": {
                  "agent_server": "{{ mutuparc_agent_server }}", "agent_token": "{{ mutuparc_agent_token }}",
                  "collector_server": "{{ mutuparc_collector_server }}",
                  "collector_token": "{{ mutuparc_collector_token }}",
                  "secret_key": "{{ mutuparc_server_secret_key }}", "agents_become": become,
                  "wheels": ["{{ mutuparc_server_wheel_file }}", "{{ mutuparc_collector_wheel_file }}",
                             "{{ mutuparc_agent_wheel_file }}"]}}}]}]  # fmt: skip
    (inventory.root / "probe.yml").write_text(json.dumps(probe))
    env = {**inventory.env, "ANSIBLE_STDOUT_CALLBACK": "ansible.posix.json"}
    done = subprocess.run([str(BIN / "ansible-playbook"), "-i", "inventories/example", "probe.yml", "--tags", "probe",
                           "-e", "ansible_host=127.0.0.1"], cwd=inventory.root, env=env, capture_output=True,
                          text=True, timeout=300, check=False, stdin=subprocess.DEVNULL)  # fmt: skip
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr
    (task,) = json.loads(done.stdout)["plays"][0]["tasks"]
    seen = {host: result["msg"] for host, result in task["hosts"].items()}
    wheel = str(inventory.root.parent / "dist" / WHEEL)  # the checkout's, found from group_vars/all/main.yml
    common = {"agent_server": SERVER_URL, "collector_server": SERVER_URL, "collector_token": "mpe_all",
              "secret_key": SECRET, "wheels": [wheel, wheel, wheel]}  # fmt: skip
    assert seen == {
        "parc.dsit.example": {**common, "agent_token": "", "agents_become": True},
        "collecteur-dc.dsit.example": {**common, "agent_token": "", "agents_become": True},
        "pc-compta.servon.example": {**common, "agent_token": "mpe_servon_pcs", "agents_become": True},
        "pc-accueil.servon.example": {**common, "agent_token": "mpe_servon_pcs", "agents_become": True},
        "pc-mairie.chevry.example": {**common, "agent_token": "mpe_chevry_pcs", "agents_become": False},
    }
