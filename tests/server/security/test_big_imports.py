"""A CSV import far beyond the limit is refused at once, without reading or parsing it whole."""

from __future__ import annotations

import resource
import time

from server.assets.csv_io import MAX_IMPORT_BYTES, MAX_IMPORT_LINES
from tests.utils import make_member, make_user


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_50_mb_import_is_refused_quickly_with_bounded_memory(client, engine) -> None:  # type: ignore[no-untyped-def]
    make_member(engine, "Servon")
    admin = make_user(engine, "dsit", role="admin")
    line = b"Servon;PC-0000000001;Dell Inc.;Latitude 5420;SN-000000001;2021-03-01\r\n"
    body = b"Membre;Nom;Fabricant;Modele;Numero de serie;Date d'achat\r\n" + line * (50 * 2**20 // len(line))
    before, started = _rss_mb(), time.monotonic()
    answer = client.post("/api/v1/assets/import", files={"file": ("parc.csv", body, "text/csv")},
                         data={"dry_run": "true"}, headers=admin)  # fmt: skip
    elapsed = time.monotonic() - started
    assert answer.status_code == 413 and "MB" in answer.json()["detail"], answer.text[:300]
    assert _rss_mb() - before < 200  # peak growth: the upload itself, not a parse of it
    print(f"50 MB import refused in {elapsed:.2f} s")


def test_too_many_lines_are_refused_before_parsing(client, engine) -> None:  # type: ignore[no-untyped-def]
    make_member(engine, "Servon")
    admin = make_user(engine, "dsit", role="admin")
    body = b"Membre;Nom\r\n" + b"Servon;x\r\n" * (MAX_IMPORT_LINES + 10)
    assert len(body) < MAX_IMPORT_BYTES
    answer = client.post("/api/v1/assets/import", files={"file": ("parc.csv", body, "text/csv")},
                         data={"dry_run": "true"}, headers=admin)  # fmt: skip
    assert answer.status_code == 413 and str(MAX_IMPORT_LINES) in answer.json()["detail"]
