"""Secrets: random tokens stored as SHA-256, passwords hashed with argon2."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

_hasher = PasswordHasher()

# Not secrets: the visible prefix of each kind of token.
API_TOKEN_PREFIX = "mpa_"  # noqa: S105
ENROLMENT_TOKEN_PREFIX = "mpe_"  # noqa: S105


def new_token(prefix: str) -> str:
    """A URL-safe token with 256 bits of entropy, prefixed with its kind (easy to spot in logs)."""
    return prefix + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    # Tokens carry 256 random bits: a fast hash is enough and lets us look them up by hash.
    return hashlib.sha256(token.encode()).hexdigest()


def token_display_prefix(token: str) -> str:
    return token[:12]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, InvalidHashError):
        return False
