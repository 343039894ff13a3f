"""Secrets never reach a log line: enrolment and API tokens in request paths and query strings
are masked before any handler formats the record (uvicorn's access log included)."""

from __future__ import annotations

import logging
import re
from typing import Any

# /t/<token>/ (the agent endpoint's path), ?token=..., and bearer tokens quoted in messages.
_SECRETS = re.compile(r"(?P<keep>/t/|[?&](?:token|access_token)=|Bearer\s+)(?P<secret>[A-Za-z0-9_\-.~%]{4,})")


def mask(text: str) -> str:
    """``text`` with every token shown by its first 4 characters only (``/t/mpe_…/``)."""
    return _SECRETS.sub(lambda m: f"{m['keep']}{m['secret'][:4]}…", text)


def _masked(value: Any) -> Any:
    return mask(value) if isinstance(value, str) else value


class SecretMaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: _masked(v) for k, v in record.args.items()}
        return True


def _add(filterer: logging.Filterer) -> None:
    if not any(isinstance(f, SecretMaskingFilter) for f in filterer.filters):
        filterer.addFilter(SecretMaskingFilter())


def install() -> None:
    """On the loggers uvicorn writes request lines to, and on every handler of those and of the
    root logger (a logger's own filters do not see records propagated from its children)."""
    for name in ("uvicorn.access", "uvicorn.error", "uvicorn", ""):
        logger = logging.getLogger(name)
        _add(logger)
        for handler in logger.handlers:
            _add(handler)
