"""Re-encrypting every stored secret with the current key (after a key rotation)."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from server.collectors.models import SnmpCredential
from server.core.secretbox import SecretBox

SEALED_COLUMNS = ("community_sealed", "auth_key_sealed", "priv_key_sealed")


def rotate_secrets(session: Session, box: SecretBox) -> int:
    """Encrypt every stored secret again with the current key; the number of values rewritten."""
    rewritten = 0
    for credential in session.scalars(select(SnmpCredential)):
        for column in SEALED_COLUMNS:
            sealed = getattr(credential, column)
            if sealed:
                setattr(credential, column, box.rotate(sealed))
                rewritten += 1
        session.add(credential)
    return rewritten
