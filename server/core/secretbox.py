"""Secrets stored encrypted (SNMP communities and keys), with the server's secret key.

Fernet (AES-128-CBC + HMAC-SHA256) from ``cryptography``. The key is ``MUTUPARC_SECRET_KEY``;
without it one is generated on first use into ``MUTUPARC_SECRET_KEY_FILE`` (mode 0600), which
suits a single server; several instances must share the variable. Losing the key loses the
stored credentials, not the inventory.

Rotation: set the new key as ``MUTUPARC_SECRET_KEY`` and the old one as
``MUTUPARC_SECRET_KEY_PREVIOUS`` (both read, the new one writes), run ``mutuparc secrets
rotate`` to re-encrypt every stored secret with the new key, then drop the previous one.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from .config import Settings
from .errors import DomainError


def _key_material(settings: Settings) -> str:
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value()
    path = settings.secret_key_file
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def derived_key(settings: Settings, purpose: str) -> str:
    """A key for ``purpose`` (e.g. signing web session cookies) derived from the server's secret."""
    return hashlib.sha256(f"mutuparc {purpose}\0".encode() + _key_material(settings).encode()).hexdigest()


@cache
def _fernet(material: str) -> Fernet:
    digest = hashlib.sha256(b"mutuparc stored secrets\0" + material.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


class SecretBox:
    def __init__(self, settings: Settings) -> None:
        keys = [_fernet(_key_material(settings))]
        if settings.secret_key_previous is not None:
            keys.append(_fernet(settings.secret_key_previous.get_secret_value()))
        self._fernet = MultiFernet(keys)  # encrypts with the first key, decrypts with any

    def seal(self, value: str | None) -> str | None:
        return self._fernet.encrypt(value.encode()).decode() if value else None

    def open(self, sealed: str | None) -> str | None:
        if not sealed:
            return None
        try:
            return self._fernet.decrypt(sealed.encode()).decode()
        except InvalidToken:
            raise DomainError(
                "a stored secret cannot be decrypted: the server's secret key changed "
                "(set the old one as MUTUPARC_SECRET_KEY_PREVIOUS)"
            ) from None

    def rotate(self, sealed: str | None) -> str | None:
        """The same secret encrypted with the current key (raises like ``open`` if no key opens it)."""
        if not sealed:
            return sealed
        try:
            return self._fernet.rotate(sealed.encode()).decode()
        except InvalidToken:
            raise DomainError("a stored secret cannot be decrypted with the current or the previous key") from None
