"""Start-up helpers for what every program imports (the agent runs on each PC, once a day, and its
start-up is most of its cost): regular expressions compiled on first use, and small value classes
without the ``dataclasses`` machinery (which imports ``inspect``, ``ast`` and ``dis``)."""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class LazyPattern:
    """``re.compile(pattern, flags)`` on first use, then the compiled pattern's attributes as its own
    (``.search``, ``.match``...): a module's patterns cost nothing until one of them is needed."""

    def __init__(self, pattern: str | bytes, flags: int = 0) -> None:
        self._source = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name in ("_source", "_compiled"):
            raise AttributeError(name)
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self._compiled = re.compile(*self._source)
        value = getattr(compiled, name)
        setattr(self, name, value)  # found directly from now on
        return value

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[0]!r}, {self._source[1]!r})"


class Value:
    """A value class over its ``_fields`` (in order; ``__slots__`` holds them): equality and ``repr``
    as a dataclass gives them. Subclasses write their own ``__init__``."""

    __slots__ = ()
    _fields: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is self.__class__:
            return self._values() == other._values()  # type: ignore[attr-defined]
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # mutable: unhashable, as a dataclass with eq

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({fields})"


class FrozenValue(Value):
    """A ``Value`` that cannot change once built (a frozen dataclass): hashable, and assigning raises."""

    __slots__ = ()

    def __hash__(self) -> int:
        return hash(self._values())

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def _set(self, **values: Any) -> None:
        """For ``__init__`` only."""
        for name, value in values.items():
            object.__setattr__(self, name, value)
