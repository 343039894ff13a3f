"""Every module, filter, test and lookup plugin an Ansible tree names, and whether Ansible finds it.

``python tests/ansible/plugin_names.py ANSIBLE_DIR REPORT.json`` reads the playbooks
(``ANSIBLE_DIR/*.yml``), the roles' task and handler files, every other YAML file (defaults, vars,
inventories, ``*.example``) and the roles' templates, and writes a JSON report:

- ``used``: ``{kind: {name: [where, ...]}}`` for the kinds ``module``, ``filter``, ``test``, ``lookup``.
  Modules are the keys of a task that are not task keywords (Ansible's own list:
  ``Task``/``Handler``/``Block`` fields), or the value of ``action``/``local_action``. Filters,
  tests and lookups come from the Jinja syntax tree (``jinja2.Environment.parse``) of every
  templated string, of every conditional (``when``, ``changed_when``, ``failed_when``, ``until``,
  ``assert``'s ``that``: bare expressions) and of every template; also ``map('filter')``,
  ``select('test')``/``selectattr(..., 'test')`` and ``with_<lookup>`` loops.
- ``unresolved``: the same shape, for the names Ansible does not find: modules through
  ``module_loader.find_plugin_with_context``, filters and tests through ``filter_loader`` /
  ``test_loader`` then Jinja's builtins (what Ansible's template environment does), lookups
  through ``lookup_loader``.
- ``problems``: other wrong names: a task with no module or several, a role, a tasks file, a
  template or a handler (``notify``) that does not exist, a Jinja syntax error.
- ``check``: how the resolvers answer for a few fixed names, good and bad (the test's self-check).

Ansible is imported in that process only (it installs import hooks), configured by
``ANSIBLE_DIR/ansible.cfg`` as ``ansible-playbook`` run from there would be.
"""

from __future__ import annotations

import json
import os
import sys
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2 import nodes

KINDS = ("module", "filter", "test", "lookup")
CONDITIONALS = ("when", "changed_when", "failed_when", "until")
ASSERT = {"assert", "ansible.builtin.assert", "ansible.legacy.assert"}
INCLUDE_TASKS = {f"{prefix}{verb}_tasks" for prefix in ("", "ansible.builtin.", "ansible.legacy.")
                 for verb in ("include", "import")}  # fmt: skip
INCLUDE_ROLE = {f"{prefix}{verb}_role" for prefix in ("", "ansible.builtin.", "ansible.legacy.")
                for verb in ("include", "import")}  # fmt: skip
TEMPLATE = {"template", "ansible.builtin.template", "ansible.legacy.template", "win_template",
            "ansible.windows.win_template"}  # fmt: skip
IMPORT_PLAYBOOK = {"import_playbook", "ansible.builtin.import_playbook", "ansible.legacy.import_playbook"}
JINJA = jinja2.Environment(extensions=["jinja2.ext.loopcontrols", "jinja2.ext.do"])  # noqa: S701 - parsed, never rendered
ROLE_FOLDERS = ("tasks", "handlers")

# The resolvers' self-check: each name and what the resolver must answer.
CHECK: dict[str, dict[str, bool]] = {
    "module": {"ansible.builtin.copy": True, "ansible.windows.win_file": True,
               "community.postgresql.postgresql_db": True, "ansible.windows.win_dirname": False,
               "ansible.builtin.no_such_module": False, "no_such_collection.x.y": False},
    "filter": {"ansible.builtin.win_dirname": True, "win_dirname": True, "length": True,
               "community.general.json_query": True, "ansible.windows.win_dirname": False, "no_such_filter": False,
               "ansible.builtin.length": False},
    "test": {"defined": True, "ansible.builtin.version": True, "sameas": True, "no_such_test": False,
             "ansible.windows.no_such_test": False},
    "lookup": {"ansible.builtin.env": True, "file": True, "no_such_lookup": False,
               "ansible.builtin.no_such_lookup": False},
}  # fmt: skip


class Unsafe(str):
    """A ``!unsafe`` string: Ansible never templates it."""

    __slots__ = ()


class Loader(yaml.SafeLoader):
    """YAML as Ansible reads it: ``!unsafe`` strings are not templates, ``!vault`` values are opaque."""


Loader.add_constructor("!unsafe", lambda loader, node: Unsafe(loader.construct_scalar(node)))
Loader.add_constructor("!vault", lambda loader, node: Unsafe("<vault>"))


class Report:
    def __init__(self, root: Path, keywords: set[str]) -> None:
        self.root = root
        self.keywords = keywords
        self.used: dict[str, dict[str, list[str]]] = {kind: defaultdict(list) for kind in KINDS}
        self.problems: list[str] = []
        self.files: list[str] = []

    def name(self, kind: str, name: str, where: str) -> None:
        if where not in self.used[kind][name]:
            self.used[kind][name].append(where)

    # Jinja
    def template(self, text: str, where: str) -> None:
        try:
            tree = JINJA.parse(text)
        except jinja2.TemplateSyntaxError as error:
            self.problems.append(f"{where}: Jinja syntax error: {error.message} in {text!r}")
            return
        for node in tree.find_all(nodes.Filter):
            self.name("filter", node.name, where)
            first = _const(node.args, 0)
            if node.name == "map" and first is not None and not any(kw.key == "attribute" for kw in node.kwargs):
                self.name("filter", first, where)
            if node.name in ("select", "reject") and first is not None:
                self.name("test", first, where)
            if node.name in ("selectattr", "rejectattr") and (second := _const(node.args, 1)) is not None:
                self.name("test", second, where)
        for node in tree.find_all(nodes.Test):
            self.name("test", node.name, where)
        for node in tree.find_all(nodes.Call):
            is_lookup = isinstance(node.node, nodes.Name) and node.node.name in ("lookup", "query", "q")
            if is_lookup and (lookup := _const(node.args, 0)) is not None:
                self.name("lookup", lookup, where)

    def strings(self, value: Any, where: str) -> None:
        """Every templated string in a YAML value (Ansible templates only those with Jinja delimiters)."""
        if isinstance(value, Unsafe):
            return
        if isinstance(value, str):
            if any(mark in value for mark in ("{{", "{%", "{#")):
                self.template(value, where)
        elif isinstance(value, dict):
            for key, item in value.items():
                self.strings(key, where)
                self.strings(item, where)
        elif isinstance(value, list):
            for item in value:
                self.strings(item, where)

    def conditions(self, value: Any, where: str) -> None:
        """A conditional: a bare expression (or a list of them), or already a template."""
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and not isinstance(item, Unsafe):
                self.template(item if "{{" in item or "{%" in item else "{{ " + item + " }}", where)

    # Tasks and plays
    def tasks(self, tasks: Any, where: str, role: Path | None) -> None:
        if tasks is None:
            return
        if not isinstance(tasks, list):
            self.problems.append(f"{where}: not a list of tasks")
            return
        for number, task in enumerate(tasks, 1):
            self.task(task, f"{where}#{number}", role)

    def task(self, task: Any, where: str, role: Path | None) -> None:
        if not isinstance(task, dict):
            self.problems.append(f"{where}: a task is a mapping, not {task!r}")
            return
        where = f"{where} ({task['name']})" if isinstance(task.get("name"), str) else where
        blocks = ("block", "rescue", "always")
        self.strings({key: value for key, value in task.items() if key not in blocks}, where)
        for key in CONDITIONALS:
            if key in task:
                self.conditions(task[key], where)
        if any(key in task for key in blocks):
            for key in blocks:
                self.tasks(task.get(key), f"{where}/{key}", role)
            return
        modules = [key for key in task if key not in self.keywords and not key.startswith("with_")]
        for key in ("action", "local_action"):
            if key in task:
                value = task[key]
                modules.append(value.get("module", "") if isinstance(value, dict) else str(value).split(" ", 1)[0])
        for key in task:
            if key.startswith("with_"):
                self.name("lookup", key.removeprefix("with_"), where)
        if len(modules) != 1:
            self.problems.append(f"{where}: one module per task, not {modules} (a misspelt keyword?)")
        for module in modules:
            self.name("module", module, where)
            self.module_arguments(module, task, where, role)
        if "notify" in task:
            self.notify(task["notify"], where)

    def module_arguments(self, module: str, task: dict, where: str, role: Path | None) -> None:
        args = task.get(module)
        if module in ASSERT and isinstance(args, dict) and "that" in args:
            self.conditions(args["that"], where)
        if module in INCLUDE_TASKS and role is not None:
            path = args.get("file") if isinstance(args, dict) else args
            if isinstance(path, str) and "{{" not in path:
                tasks_dir = role / "tasks"
                if not (tasks_dir / path).is_file() and not (tasks_dir / f"{path}.yml").is_file():
                    self.problems.append(f"{where}: no tasks file {path!r} in {self.relative(tasks_dir)}")
        if module in INCLUDE_ROLE and isinstance(args, dict) and isinstance(args.get("name"), str):
            self.role(args["name"], where)
        if module in TEMPLATE and role is not None and isinstance(args, dict) and isinstance(args.get("src"), str):
            sources = [args["src"]]
            if "{{ item }}" in args["src"] and isinstance(task.get("loop"), list):
                sources = [args["src"].replace("{{ item }}", str(item)) for item in task["loop"]]
            for source in sources:
                if "{{" not in source and not (role / "templates" / source).is_file():
                    self.problems.append(f"{where}: no template {source!r} in {self.relative(role / 'templates')}")

    def notify(self, value: Any, where: str) -> None:
        for name in value if isinstance(value, list) else [value]:
            if name not in self.handler_names:
                self.problems.append(f"{where}: notifies {name!r}, which no handler is named or listens to")

    @cached_property
    def handler_names(self) -> set[str]:
        names: set[str] = set()
        for path in sorted(self.root.glob("roles/*/handlers/*.yml")) + sorted(self.root.glob("*.yml")):
            data = _load(path)
            plays = data if path.parent == self.root and isinstance(data, list) else [{"handlers": data}]
            for play in plays:
                for handler in (play.get("handlers") if isinstance(play, dict) else None) or []:
                    if isinstance(handler, dict):
                        names.add(handler.get("name"))
                        listen = handler.get("listen", [])
                        names.update(listen if isinstance(listen, list) else [listen])
        return names

    def role(self, name: str, where: str) -> None:
        if "{{" not in name and "." not in name and not (self.root / "roles" / name / "tasks").is_dir():
            self.problems.append(f"{where}: no role {name!r} in roles/")

    def playbook(self, path: Path) -> None:
        where = self.relative(path)
        plays = _load(path)
        if not isinstance(plays, list):
            self.problems.append(f"{where}: a playbook is a list of plays")
            return
        for number, play in enumerate(plays, 1):
            play_where = f"{where}#{number}"
            if not isinstance(play, dict):
                self.problems.append(f"{play_where}: a play is a mapping")
                continue
            self.strings(play, play_where)
            if "hosts" not in play:  # import_playbook
                included = [key for key in play if key not in self.keywords]
                if len(included) != 1:
                    self.problems.append(f"{play_where}: neither a play (hosts) nor one import_playbook: {included}")
                for key in included:
                    self.name("module", key, play_where)
                    if key in IMPORT_PLAYBOOK and not (path.parent / str(play[key])).is_file():
                        self.problems.append(f"{play_where}: no playbook {play[key]!r}")
                if "when" in play:
                    self.conditions(play["when"], play_where)
                continue
            for role in play.get("roles") or []:
                name = role.get("role", role.get("name")) if isinstance(role, dict) else role
                self.role(str(name), play_where)
                if isinstance(role, dict) and "when" in role:
                    self.conditions(role["when"], play_where)
            for key in ("pre_tasks", "tasks", "post_tasks", "handlers"):
                self.tasks(play.get(key), f"{play_where}/{key}", None)

    def relative(self, path: Path) -> str:
        return str(path.relative_to(self.root))

    def scan(self) -> None:
        playbooks = sorted(path for path in self.root.glob("*.yml") if isinstance(_load(path), list))
        task_files = sorted(path for folder in ROLE_FOLDERS for path in self.root.glob(f"roles/*/{folder}/**/*.yml"))
        for path in playbooks:
            self.files.append(self.relative(path))
            self.playbook(path)
        for path in task_files:
            self.files.append(self.relative(path))
            self.tasks(_load(path), self.relative(path), path.parents[1])
        for path in sorted(_yaml_files(self.root)):
            if path not in playbooks and path not in task_files:
                self.files.append(self.relative(path))
                self.strings(_load(path), self.relative(path))
        for path in sorted(self.root.glob("roles/*/templates/**/*")):
            if path.is_file():
                self.files.append(self.relative(path))
                self.template(path.read_text("utf-8"), self.relative(path))


def _const(args: list[nodes.Expr], index: int) -> str | None:
    if len(args) > index and isinstance(args[index], nodes.Const) and isinstance(args[index].value, str):
        return args[index].value
    return None


def _load(path: Path) -> Any:
    text = path.read_text("utf-8")
    if text.startswith("$ANSIBLE_VAULT"):
        return None
    return yaml.load(text, Loader=Loader)  # noqa: S506 - a SafeLoader


def _yaml_files(root: Path) -> Iterator[Path]:
    for path in root.rglob("*"):
        yaml_file = path.is_file() and path.name.endswith((".yml", ".yaml", ".yml.example", ".yaml.example"))
        if yaml_file and "templates" not in path.relative_to(root).parts and not path.name.startswith("."):
            yield path


def resolvers() -> dict[str, Callable[[str], bool]]:
    """Ansible's answer to "does this plugin exist?", kind by kind (Ansible imported here)."""
    from ansible.plugins.loader import filter_loader, init_plugin_loader, lookup_loader, module_loader, test_loader
    from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS

    init_plugin_loader()

    def jinja_plugin(loader: Any, builtins: dict) -> Callable[[str], bool]:
        def exists(name: str) -> bool:  # as Ansible's template environment looks a name up
            try:
                if loader.get(name) is not None:
                    return True
            except (KeyError, ValueError):
                pass
            return name in builtins

        return exists

    def lookup(name: str) -> bool:
        try:
            return lookup_loader.get(name) is not None
        except (KeyError, ValueError):
            return False

    return {
        "module": lambda name: bool(name) and module_loader.find_plugin_with_context(name).resolved,
        "filter": jinja_plugin(filter_loader, DEFAULT_FILTERS),
        "test": jinja_plugin(test_loader, DEFAULT_TESTS),
        "lookup": lookup,
    }


def task_keywords() -> set[str]:
    from ansible.playbook.block import Block
    from ansible.playbook.handler import Handler
    from ansible.playbook.playbook_include import PlaybookInclude
    from ansible.playbook.task import Task

    return {*Task.fattributes, *Handler.fattributes, *Block.fattributes, *PlaybookInclude.fattributes,
            "local_action"} - {"import_playbook"}  # fmt: skip


def main(root: Path, out: Path) -> None:
    os.environ["ANSIBLE_CONFIG"] = str(root / "ansible.cfg")
    warnings.simplefilter("ignore")  # cryptography's deprecation warnings, on import
    resolve = resolvers()
    report = Report(root, task_keywords())
    report.scan()
    used = {kind: dict(sorted(names.items())) for kind, names in report.used.items()}
    out.write_text(json.dumps({
        "files": report.files,
        "keywords": sorted(report.keywords),
        "used": used,
        "unresolved": {kind: {name: where for name, where in names.items() if not resolve[kind](name)}
                       for kind, names in used.items()},
        "problems": report.problems,
        "check": {kind: {name: bool(resolve[kind](name)) for name in names} for kind, names in CHECK.items()},
    }, indent=2))  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve(), Path(sys.argv[2]))
