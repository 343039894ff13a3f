"""Domain errors, turned into JSON answers by one handler (see ``server.main``)."""

from __future__ import annotations


class DomainError(Exception):
    status = 400

    def __init__(self, message: str, *, details: object = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details


class NotFound(DomainError):
    status = 404


class Forbidden(DomainError):
    status = 403


class Unauthorized(DomainError):
    status = 401


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    status = 422


class TooLarge(DomainError):
    status = 413


class TooManyAttempts(DomainError):
    status = 429

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
