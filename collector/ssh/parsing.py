"""TextFSM parsing: our templates (device_profiles/ssh/templates) or ntc-templates'."""

from __future__ import annotations

import io
from functools import cache
from typing import Any

import textfsm

import device_profiles


class ParseError(ValueError):
    """A command's output is not what its template expects (garbage, an error message, ...)."""


@cache
def _template(name: str) -> str:
    return (device_profiles.ROOT / "ssh" / "templates" / f"{name}.textfsm").read_text("utf-8")


def parse(template: str, text: str) -> list[dict[str, Any]]:
    """Rows of ``text`` parsed with one of our templates, as dicts with lower-case keys."""
    try:
        fsm = textfsm.TextFSM(io.StringIO(_template(template)))
        rows = fsm.ParseText(text)
    except textfsm.TextFSMError as exc:
        raise ParseError(f"{template}: {exc}") from None
    return [dict(zip((h.lower() for h in fsm.header), row, strict=True)) for row in rows]


def parse_ntc(platform: str, command: str, text: str) -> list[dict[str, Any]]:
    """Rows parsed with the ntc-templates template for ``platform`` and ``command``."""
    from ntc_templates.parse import parse_output

    try:
        return parse_output(platform=platform, command=command, data=text)
    except Exception as exc:  # noqa: BLE001 - ntc-templates raises bare exceptions on bad input
        raise ParseError(f"{platform} {command!r}: {exc}") from None
