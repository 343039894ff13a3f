"""The agent's logger, imported on first use: ``logging`` costs as much to import as a whole
inventory of a PC takes to collect, and a quiet run logs nothing."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

NAME = "mutuparc.agent"


class _LazyLogger:
    def __getattr__(self, name: str) -> Any:
        import logging

        return getattr(logging.getLogger(NAME), name)


log = _LazyLogger()
