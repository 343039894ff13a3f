"""The agent's command line: ``mutuparc-agent`` (lean) and ``mutuparc agent`` (same options).

mutuparc-agent --server https://parc.example/t/mpe_xxxx/   # one inventory, now
mutuparc-agent --local inventory.json                       # write it, send nothing
mutuparc-agent --daemon                                     # daily, at a random time
mutuparc-agent --debug --local /tmp                         # what is collected, how long each part took
"""

from __future__ import annotations

# os.path, not pathlib: importing pathlib costs each agent run's start a tenth of its time (issue 27)
# ruff: noqa: PTH123
import os
import sys

from .config import ConfigError, load_config

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse

# The options (a value each, or a flag), for the fast reading of a command line.
VALUE_OPTIONS = ("server", "token", "tag", "ca_file", "config", "state_dir", "local", "send_file")
FLAG_OPTIONS = ("full", "daemon", "debug")


class Arguments:
    """The options of a command line, as argparse's Namespace holds them."""

    def __init__(self, **values: object) -> None:
        self.__dict__.update(dict.fromkeys(VALUE_OPTIONS))
        self.__dict__.update(dict.fromkeys(FLAG_OPTIONS, False))
        self.__dict__.update(values)


def parse_args(argv: list[str] | None = None) -> Arguments | argparse.Namespace:
    """The options of ``argv`` (default: ``sys.argv[1:]``): what argparse would make of a plain
    command line (``--option value``, ``--option=value``, flags), read without argparse, whose import
    and 11 formatters cost a run's start a tenth of its time; anything else (``--help``, an
    abbreviation, a value that looks like an option, an error) is argparse's to tell."""
    args = sys.argv[1:] if argv is None else list(argv)
    values: dict[str, object] = {}
    position = 0
    while position < len(args):
        word = args[position]
        spelled, equal, value = word[2:].partition("=")
        name = spelled.replace("-", "_")
        if not word.startswith("--") or "_" in spelled or name not in VALUE_OPTIONS + FLAG_OPTIONS:
            return parser().parse_args(argv)
        if name in FLAG_OPTIONS:
            if equal:
                return parser().parse_args(argv)
            values[name] = True
        else:
            if not equal:
                position += 1
                if position == len(args):
                    return parser().parse_args(argv)
                value = args[position]
            if value.startswith("-") or not value:  # argparse's own reading of such values differs
                return parser().parse_args(argv)
            values[name] = value
        position += 1
    return Arguments(**values)


def _formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's formatter at the terminal's width, without argparse importing shutil for it
    (and its compression modules) on every run: it builds one per ``add_argument``."""
    try:
        columns = int(os.environ.get("COLUMNS", "")) or os.get_terminal_size().columns
    except (ValueError, OSError):
        columns = 80
    import argparse

    return argparse.RawDescriptionHelpFormatter(prog, width=columns - 2)


def parser() -> argparse.ArgumentParser:
    import argparse

    p = argparse.ArgumentParser(prog="mutuparc-agent", description=__doc__, formatter_class=_formatter)
    p.add_argument("--server", help="server URL, e.g. https://parc.example/t/<enrolment token>/")
    p.add_argument("--token", help="enrolment token (when not in the URL)")
    p.add_argument("--tag", help="GLPI tag sent with the inventory")
    p.add_argument("--ca-file", help="trust only this CA certificate (PEM) for https")
    p.add_argument("--config", help="configuration file (TOML)")
    p.add_argument("--state-dir", help="where the agent keeps its identity, state and spool")
    p.add_argument("--local", help="write the inventory to this file or directory, send nothing")
    p.add_argument("--send-file", help="send an existing GLPI JSON inventory file")
    p.add_argument("--full", action="store_true", help="send a full inventory, even if a partial one would do")
    p.add_argument("--daemon", action="store_true", help="run forever: one inventory per interval, with jitter")
    p.add_argument("--debug", action="store_true", help="print what is collected and how long each part took")
    return p


def main(argv: list[str] | None = None) -> int:
    import gc

    args = parse_args(argv)
    collecting = gc.isenabled()
    if not args.daemon:  # one run, then the process ends: no garbage collector passes meanwhile
        gc.disable()
    try:
        return _run(args)
    finally:
        if collecting:
            gc.enable()


def entry() -> None:
    """The ``mutuparc-agent`` program (and ``python -m agent``): ``main()``, then the process ends at
    once, its output flushed. Freeing a run's objects one by one and tearing its modules down would
    cost a tenth of the run, and a run leaves nothing to clean: its files are written and closed."""
    code = main()
    if "logging" in sys.modules:  # --debug: what logging's exit handler would do
        sys.modules["logging"].shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken output: Python's own exit status for it
        os._exit(120)
    os._exit(code)


def _run(args) -> int:  # type: ignore[no-untyped-def]
    if args.debug:
        import logging

        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s", stream=sys.stderr)
    try:
        config = load_config(
            args.config,
            server=args.server,
            token=args.token,
            tag=args.tag,
            ca_file=args.ca_file,
            state_dir=args.state_dir,
            debug=args.debug or None,
        )
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    if args.send_file:
        return _send_file(args.send_file, config, args.local)
    if args.daemon:
        from .service import run_forever

        return run_forever(config)

    from .runner import run_once

    result = run_once(config, local=args.local, full=args.full)
    if args.debug and result.collected and result.content is not None:
        _print_sections(result)
    stream = sys.stdout if result.status in ("written", "sent", "spooled") else sys.stderr
    print(f"{result.status}: {result.message}", file=stream)
    return 0 if result.status in ("written", "sent", "spooled") else 1


def _print_sections(result) -> None:  # type: ignore[no-untyped-def]
    """--debug: the sections of the inventory written (sent, queued) with their counts, and the
    parts that gave nothing, which the inventory does not hold."""
    from .inventory import glpi_content, section_counts

    verb = {"written": "written", "sent": "sent", "spooled": "queued"}.get(result.status, "not delivered")
    partial = " (partial: the sections that changed)" if result.partial else ""
    print(f"sections of the inventory {verb}{partial}:", file=sys.stderr)
    import json

    print(json.dumps(section_counts(result.content), indent=1), file=sys.stderr)
    built = section_counts(glpi_content(result.collected))
    empty = [run.section for run in result.collected.runs if not run.error and run.section not in built]
    failed = [run.section for run in result.collected.runs if run.error]
    if empty:
        print(f"not available on this machine, left out: {', '.join(empty)}", file=sys.stderr)
    if failed:
        print(f"failed, left out: {', '.join(failed)}", file=sys.stderr)


def _send_file(path: str, config, local: str | None) -> int:  # type: ignore[no-untyped-def]
    import json

    try:
        with open(path, encoding="utf-8") as file:
            message = json.loads(file.read())
    except (OSError, ValueError) as exc:
        print(f"cannot read {path}: {exc}", file=sys.stderr)
        return 2
    if local is not None:
        with open(local, "w", encoding="utf-8") as file:
            file.write(json.dumps(message, indent=2, ensure_ascii=False))
        return 0
    if not config.server:
        print("--server URL or --local FILE is required", file=sys.stderr)
        return 2
    from .transport import ServerTarget, TransportError

    try:
        ServerTarget(config.server, token=config.token, ca_file=config.ca_file).send_inventory(message)
    except TransportError as exc:
        print(f"inventory not sent: {exc}", file=sys.stderr)
        return 1
    print(f"inventory {message.get('deviceid')} sent to {config.server}")
    return 0
