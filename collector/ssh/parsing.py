"""TextFSM parsing: our templates (device_profiles/ssh/templates) or ntc-templates'."""

from __future__ import annotations

import io
import re
import threading
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import textfsm

import device_profiles

EXCERPT = 200  # characters of the offending text a warning quotes
_INPUT_LINE = re.compile(r"Input Line: (?P<line>.*)$", re.S)
# Cisco long interface names (CDP, some LLDP outputs) -> the short ones ifName and the other
# commands use, so that one port is one entry whichever command named it.
CISCO_SHORT = (("TwentyFiveGigE", "Twe"), ("HundredGigE", "Hu"), ("FortyGigabitEthernet", "Fo"),
               ("TenGigabitEthernet", "Te"), ("TwoGigabitEthernet", "Tw"), ("GigabitEthernet", "Gi"),
               ("FastEthernet", "Fa"), ("Port-channel", "Po"))  # fmt: skip


class ParseError(ValueError):
    """A command's output is not what its template expects (garbage, an error message, ...).

    ``command``, ``line`` (1-based, in the output) and ``excerpt`` (the first ``EXCERPT``
    characters of the offending text) say where, when the parser knows it."""

    def __init__(self, message: str, *, command: str | None = None, line: int | None = None,
                 excerpt: str | None = None) -> None:  # fmt: skip
        self.command, self.line, self.excerpt = command, line, excerpt
        where = f"{command}: " if command and not message.startswith(command) else ""
        if line is not None:
            where += f"line {line}: "
        super().__init__(f"{where}{message}" + (f": {excerpt!r}" if excerpt is not None else ""))


def offending(text: str, error: str) -> tuple[int | None, str]:
    """The line number and the first characters of the line a TextFSM error names (its message
    ends with ``Input Line: <line>``), else of the output itself."""
    found = _INPUT_LINE.search(error)
    if found:
        wanted = found["line"].rstrip("\r\n")
        lines = text.splitlines()
        for candidate in (wanted, wanted.removesuffix(".")):
            for number, line in enumerate(lines, start=1):
                if line == candidate or line.rstrip() == candidate.rstrip():
                    return number, line[:EXCERPT]
        return None, wanted[:EXCERPT]
    return None, text[:EXCERPT]


def _error(what: str, text: str, exc: Exception) -> ParseError:
    message = str(exc)
    line, excerpt = offending(text, message)
    reason = _INPUT_LINE.sub("", message).rstrip(". ") or type(exc).__name__
    return ParseError(reason, command=what, line=line, excerpt=excerpt)


@cache
def _template(name: str) -> str:
    return (device_profiles.ROOT / "ssh" / "templates" / f"{name}.textfsm").read_text("utf-8")


def parse(template: str, text: str, command: str | None = None) -> list[dict[str, Any]]:
    """Rows of ``text`` parsed with one of our templates, as dicts with lower-case keys."""
    try:
        fsm = textfsm.TextFSM(io.StringIO(_template(template)))
        rows = fsm.ParseText(text)
    except textfsm.TextFSMError as exc:
        raise _error(command or template, text, exc) from None
    return [dict(zip((h.lower() for h in fsm.header), row, strict=True)) for row in rows]


def parse_ntc(platform: str, command: str, text: str) -> list[dict[str, Any]]:
    """Rows parsed with the ntc-templates template for ``platform`` and ``command``.

    As ntc-templates' ``parse_output`` does, with each template compiled once per thread and
    reset between outputs (``parse_output`` reads and compiles it again for every output: most
    of an SSH inventory's CPU). Commands that several templates parse together go through
    ``parse_output`` itself."""
    from ntc_templates.parse import parse_output

    try:
        path = _ntc_template(platform, command)
        if path is None:
            return parse_output(platform=platform, command=command, data=text)
        compiled: dict[Path, textfsm.TextFSM] = _COMPILED.__dict__.setdefault("templates", {})
        fsm = compiled.get(path)
        if fsm is None:
            with path.open(encoding="utf-8") as template:
                fsm = compiled[path] = textfsm.TextFSM(template)
        else:
            fsm.Reset()
        rows = fsm.ParseText(text)
        header = [name.lower() for name in fsm.header]
        return [dict(zip(header, row, strict=True)) for row in rows]
    except Exception as exc:  # noqa: BLE001 - ntc-templates raises bare exceptions on bad input
        raise _error(command, text, exc) from None


_COMPILED = threading.local()  # TextFSM objects hold a parse's state: one per thread


@lru_cache(maxsize=512)
def _ntc_template(platform: str, command: str) -> Path | None:
    """The one ntc-templates template file of ``platform`` and ``command`` (None: none, or several)."""
    from ntc_templates.parse import _get_template_dir
    from textfsm import clitable

    directory = _get_template_dir()
    with _INDEX_LOCK:
        index = clitable.CliTable("index", directory).index
        row = index.GetRowMatch({"Command": command, "Platform": platform})
    if not row:
        return None
    names = index.index[row]["Template"].split(":")
    return Path(directory) / names[0] if len(names) == 1 else None


_INDEX_LOCK = threading.Lock()


def port_name(name: Any) -> str:
    """An interface name as the switch's ifName has it (``GigabitEthernet1/0/1`` -> ``Gi1/0/1``)."""
    text = str(name or "").strip()
    for long, short in CISCO_SHORT:
        if text.startswith(long) and text[len(long) : len(long) + 1].isdigit():
            return short + text[len(long) :]
    return text
