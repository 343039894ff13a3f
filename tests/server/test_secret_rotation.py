"""Rotating the key that encrypts stored secrets: old and new key both read during the change,
``rotate`` re-encrypts everything, after which the old key is no longer needed."""

from __future__ import annotations

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from server.collectors import crud
from server.collectors.models import SnmpCredential
from server.collectors.schemas import SnmpCredentialIn
from server.core.config import Settings
from server.core.db import transaction
from server.core.errors import DomainError
from server.core.secretbox import SecretBox
from server.maintenance.secrets import rotate_secrets
from tests.utils import make_member

OLD, NEW = "old-key-" + "o" * 40, "new-key-" + "n" * 40


def _settings(db, key: str, previous: str | None = None) -> Settings:  # type: ignore[no-untyped-def]
    return Settings(database_url=db.url, secret_key=SecretStr(key),
                    secret_key_previous=SecretStr(previous) if previous else None, _env_file=None)  # fmt: skip


def _secrets(engine, box: SecretBox) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    with transaction(engine) as session:
        return crud.credentials_for_collector(session=session, box=box, member_id=session.scalars(
            select(SnmpCredential.member_id)).first())  # fmt: skip


def test_rotation_re_encrypts_every_stored_secret(db):
    member = make_member(db.engine, "Servon")
    old_box = SecretBox(_settings(db, OLD))
    with transaction(db.engine) as session:
        crud.save_credential(session=session, box=old_box, credential_in=SnmpCredentialIn(
            member_id=member, name="v2", version="2c", community="s3cr3t-comm"))  # fmt: skip
        crud.save_credential(session=session, box=old_box, credential_in=SnmpCredentialIn(
            member_id=member, name="v3", version="3", user="mutuparc", auth_key="authpass123",
            priv_key="privpass456"))  # fmt: skip
    before = _secrets(db.engine, old_box)

    with pytest.raises(DomainError, match="MUTUPARC_SECRET_KEY_PREVIOUS"):
        _secrets(db.engine, SecretBox(_settings(db, NEW)))  # a new key alone opens nothing
    both = SecretBox(_settings(db, NEW, previous=OLD))
    assert _secrets(db.engine, both) == before  # during the change, both keys read
    with transaction(db.engine) as session:
        assert rotate_secrets(session, both) == 3
    assert _secrets(db.engine, SecretBox(_settings(db, NEW))) == before  # the old key is not needed any more
    with pytest.raises(DomainError):
        _secrets(db.engine, old_box)
    with transaction(db.engine) as session:
        stored = " ".join(str(v) for row in session.scalars(select(SnmpCredential)) for v in row.model_dump().values())
    assert "s3cr3t-comm" not in stored and "privpass456" not in stored
