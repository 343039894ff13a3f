"""Server answers of the GLPI JSON and FusionInventory XML protocols.

See ``docs/agent-protocol.md`` section 4 for what real agents require: the XML
PROLOG answer must carry ``RESPONSE=SEND`` (FusionInventory), a JSON answer needs ``status`` and
``expiration`` > 0 for a GLPI Agent to switch to the JSON protocol, and a contact answer must
list ``tasks.inventory`` or the agent falls back to an extra XML PROLOG.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

# What Mutuparc tells agents it is: the GLPI version whose protocol it implements.
GLPI_COMPAT_VERSION = "10.0.16"
SERVED_TASKS = frozenset({"inventory"})


def ok_answer(expiration_hours: int) -> dict[str, Any]:
    return {"status": "ok", "expiration": expiration_hours}


def contact_answer(expiration_hours: int, enabled_tasks: list[str]) -> dict[str, Any]:
    """Tell the agent to run its inventory task now; tasks we do not serve are disabled."""
    answer: dict[str, Any] = {
        "status": "ok",
        "expiration": expiration_hours,
        "tasks": {"inventory": {"server": "glpi", "version": GLPI_COMPAT_VERSION}},
    }
    unserved = sorted(set(enabled_tasks) - SERVED_TASKS)
    if unserved:
        answer["disabled"] = unserved
        answer["message"] = "Mutuparc serves the inventory task only"
    return answer


def error_answer(message: str, expiration_hours: int) -> dict[str, Any]:
    return {"status": "error", "message": message, "expiration": expiration_hours}


def prolog_reply_xml(prolog_freq_hours: int) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<REPLY><PROLOG_FREQ>{prolog_freq_hours}</PROLOG_FREQ><RESPONSE>SEND</RESPONSE></REPLY>"
    ).encode()


def inventory_reply_xml() -> bytes:
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<REPLY><RESPONSE>SEND</RESPONSE></REPLY>'


def error_reply_xml(message: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<REPLY><ERROR>{escape(message)}</ERROR></REPLY>'.encode()


def expiration_seconds(value: Any, default: int = 24 * 3600) -> int:
    """An answer's ``expiration``: hours as a number, or a string like ``30s``, ``5m``, ``2h``, ``1d``."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    if isinstance(value, bool):
        return default
    if isinstance(value, int | float) and value > 0:
        return int(value * 3600)
    if isinstance(value, str) and value[:-1].isdigit() and value[-1:] in units:
        return int(value[:-1]) * units[value[-1]]
    if isinstance(value, str) and value.isdigit():
        return int(value) * 3600
    return default
