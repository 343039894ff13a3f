"""One exception tree for everything that can be wrong with a payload on the wire.

Every error names what is wrong and, where it applies, where (a JSON-pointer-like path),
so that the server can answer a clear 4xx and an agent can log something useful.
"""

from __future__ import annotations


class WireError(ValueError):
    """A payload that cannot be accepted as it is."""

    status = 400

    def __init__(self, reason: str, path: str | None = None) -> None:
        self.reason = reason
        self.path = path
        super().__init__(f"{path}: {reason}" if path else reason)


class PayloadTooLarge(WireError):
    """The body, once decompressed, is bigger than the configured limit."""

    status = 413


class BadEncoding(WireError):
    """The body is not what its Content-Type or magic bytes announce (broken zlib/gzip, bad charset)."""


class BadSyntax(WireError):
    """The body is not well-formed JSON or XML."""


class SchemaViolation(WireError):
    """Well-formed, but not a valid inventory message."""


class UnsupportedMessage(WireError):
    """A valid message asking for something this peer does not serve (an agent task we do not run)."""

    status = 501
