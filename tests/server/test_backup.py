"""``mutuparc backup`` and ``restore`` for real (subprocesses), on SQLite and PostgreSQL: what was
there at the backup comes back, what came after is gone, the audit chain still verifies."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import func, select

from server.assets.models import Asset
from server.audit.chain import verify
from server.tenancy.models import Member
from tests.utils import PROJECT, example, make_enrolment_token, make_member, post_inventory


def _mutuparc(url: str, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "MUTUPARC_DATABASE_URL": url}
    result = subprocess.run([sys.executable, "-m", "mutuparc", *args], cwd=PROJECT, env=env, capture_output=True,
                            text=True, timeout=180, check=False)  # fmt: skip
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _state(engine) -> tuple[list[str], int]:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        members = list(connection.execute(select(Member.name).order_by(Member.name)).scalars())
        return members, connection.execute(select(func.count()).select_from(Asset)).scalar_one()


def test_backup_then_restore_round_trip(db, client, tmp_path):
    engine = db.engine
    token = make_enrolment_token(engine, make_member(engine, "Redon"))
    assert post_inventory(client, example("computer_1"), token=token).status_code == 200
    _mutuparc(db.url, "admin", "create-member", "Servon")  # leaves an audit event
    saved = tmp_path / "mutuparc.backup"
    assert "backup written to" in _mutuparc(db.url, "backup", str(saved)).stdout
    before = _state(engine)
    assert before == (["Redon", "Servon"], 1)

    make_member(engine, "Bains-sur-Oust")  # after the backup: gone after the restore
    restored = _mutuparc(db.url, "restore", str(saved), "--yes").stdout
    engine.dispose()  # connections opened before the restore see dropped tables on PostgreSQL
    assert "audit chain: 1 rows, intact" in restored
    assert _state(engine) == before
    with engine.connect() as connection:
        report = verify(connection)
    assert report.ok and report.rows == 2  # the backup's event, and the restore itself

    wrong_kind = tmp_path / "not-a-backup"
    wrong_kind.write_bytes(b"hello")
    refused = _mutuparc(db.url, "restore", str(wrong_kind), "--yes", check=False)
    assert refused.returncode == 1 and "is not a" in refused.stderr
    assert _state(engine) == before


def test_a_backup_whose_audit_protection_was_dropped_is_refused(db, tmp_path):  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from server.audit.protection import DROP, missing_triggers

    engine = db.engine
    _mutuparc(db.url, "admin", "create-member", "Servon")  # an audit event
    with engine.begin() as connection:  # what someone with the database password could do
        for statement in DROP[connection.dialect.name]:
            connection.execute(text(statement))
    saved = tmp_path / "tampered.backup"
    _mutuparc(db.url, "backup", str(saved))
    make_member(engine, "Bains-sur-Oust")
    before = _state(engine)
    refused = _mutuparc(db.url, "restore", str(saved), "--yes", check=False)
    assert (
        refused.returncode == 1 and "protection trigger" in refused.stderr and "nothing was restored" in refused.stderr
    )
    assert _state(engine) == before
    forced = _mutuparc(db.url, "restore", str(saved), "--yes", "--force")
    engine.dispose()
    assert "restored from" in forced.stdout
    with engine.connect() as connection:  # the triggers are back, whatever the backup held
        assert missing_triggers(connection) == []
