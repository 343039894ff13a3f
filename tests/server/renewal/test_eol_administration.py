"""What the DSIT edits: a newer catalogue loaded with ``mutuparc eol update``, its own end-of-life
overrides and model end-of-support table; and the obsolescence report in CSV and XLSX."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import update

from server.assets.models import Asset
from server.core.db import transaction
from server.renewal.catalogue import shipped
from tests.utils import PROJECT, make_member, make_user


def _mutuparc(*args: str, db: Path) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    env = {**os.environ, "MUTUPARC_DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run([sys.executable, "-m", "mutuparc", *args], cwd=PROJECT, env=env, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip


def _match(db: Path, label: str) -> str:
    script = (
        "import sys; from server.core.config import get_settings; from server.core.db import make_engine;"
        "from sqlmodel import Session; from server.renewal import catalogue;"
        "found = catalogue.load(Session(make_engine(get_settings()))).match(sys.argv[1]);"
        "print(found.security_end if found else 'none')"
    )
    env = {**os.environ, "MUTUPARC_DATABASE_URL": f"sqlite:///{db}"}
    return subprocess.run([sys.executable, "-c", script, label], cwd=PROJECT, env=env, capture_output=True, text=True,
                          timeout=60, check=True).stdout.strip()  # fmt: skip


def test_eol_update_loads_a_newer_catalogue_without_a_code_change(tmp_path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "eol.db"
    assert _mutuparc("db", "upgrade", db=db).returncode == 0
    assert _match(db, "Debian GNU/Linux 12 (bookworm)") == str(_debian_12()["eol"])

    newer = json.loads(json.dumps(shipped()))
    _debian_12(newer)["eol"] = "2031-06-30"  # as if the project had extended its security support
    (tmp_path / "eol-2027.json").write_text(json.dumps(newer), "utf-8")
    loaded = _mutuparc("eol", "update", str(tmp_path / "eol-2027.json"), db=db)
    assert loaded.returncode == 0, loaded.stderr
    assert "release cycles from eol-2027.json" in loaded.stdout
    assert _match(db, "Debian GNU/Linux 12 (bookworm)") == "2031-06-30"

    (tmp_path / "broken.json").write_text('{"products": {"debian": {"cycles": "12"}}}', "utf-8")
    refused = _mutuparc("eol", "update", str(tmp_path / "broken.json"), db=db)
    assert refused.returncode == 1 and "product 'debian': 'cycles' must be a list" in refused.stderr
    (tmp_path / "truncated.json").write_text('{"products": {', "utf-8")
    assert "truncated.json" in _mutuparc("eol", "update", str(tmp_path / "truncated.json"), db=db).stderr
    assert _match(db, "Debian GNU/Linux 12 (bookworm)") == "2031-06-30"  # the good catalogue stays


def _debian_12(data: dict | None = None) -> dict:  # type: ignore[type-arg]
    return next(c for c in (data or shipped())["products"]["debian"]["cycles"] if c["cycle"] == "12")


def test_the_dsit_fills_what_the_catalogue_lacks(client, engine) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(engine, "dsit", role="admin")
    label = "DSM 7.1.1-42962 Update 6"
    assert client.get("/api/v1/eol/match", params={"label": label}, headers=admin).status_code == 404
    override = {"product": "synology-dsm", "cycle": "7.1", "label": "DSM 7.1", "pattern": r"^DSM 7\.1\b",
                "security_end": "2025-06-01", "note": "Synology product support status page"}  # fmt: skip
    bad = client.put("/api/v1/eol/overrides", json=[{**override, "pattern": "DSM (7"}], headers=admin)
    assert bad.status_code == 422 and "not a valid regular expression" in bad.text
    assert client.put("/api/v1/eol/overrides", json=[override], headers=admin).status_code == 200
    found = client.get("/api/v1/eol/match", params={"label": label}, headers=admin).json()
    assert (found["product"], found["cycle"], found["security_end"], found["source"]) == (
        "synology-dsm", "7.1", "2025-06-01", "override")  # fmt: skip

    reader = make_user(engine, "lecteur", role="member_reader", member_id=make_member(engine, "Servon"))
    assert client.put("/api/v1/eol/overrides", json=[], headers=reader).status_code == 403
    assert client.put("/api/v1/renewal/models", json=[], headers=reader).status_code == 403
    models = [{"manufacturer": "Netgear", "model_pattern": "^GS108T", "end_of_support": "2026-12-31"}]
    assert client.put("/api/v1/renewal/models", json=models, headers=admin).status_code == 200
    assert [m["model_pattern"] for m in client.get("/api/v1/renewal/models", headers=admin).json()] == ["^GS108T"]


def test_obsolescence_report_as_csv_and_xlsx(client, engine) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(engine, "dsit", role="admin")
    member = make_member(engine, "Servon")
    for name, since, os_label in (("PC-1", "2017-01-10", "Windows 10 Pro 22H2 build 19045"),
                                  ("PC-2", "2024-02-01", "Windows 11 Enterprise 25H2 build 26200")):  # fmt: skip
        created = client.post("/api/v1/assets", headers=admin, json={
            "member_id": member, "asset_type": "workstation", "name": name, "commissioning_date": since})  # fmt: skip
        assert created.status_code == 201, created.text
        with transaction(engine) as session:  # what the agent reports
            session.execute(update(Asset).where(Asset.id == created.json()["id"]).values(os_label=os_label))
    params = {"budget_date": "2026-10-01", "format": "csv"}
    csv_text = client.get("/api/v1/renewal/reports/obsolescence", params=params, headers=admin).content.decode()
    assert csv_text.startswith("\ufeffObsolescence du parc au 01/10/2026")
    rows = {line.split(";")[1]: line.split(";") for line in csv_text.splitlines()[2:]}
    assert rows["PC-1"][3] == "Cycle dépassé, Système plus supporté" and rows["PC-1"][4] == "10/01/2024"
    assert rows["PC-2"][3] == "À jour" and rows["PC-2"][5] == "2,66"

    xlsx = client.get("/api/v1/renewal/reports/obsolescence", params={**params, "format": "xlsx"}, headers=admin)
    book = load_workbook(BytesIO(xlsx.content))
    ages = {row[0]: row[1] for row in book["Âge moyen par type (ans)"].iter_rows(min_row=2, values_only=True)}
    assert ages == {"Poste fixe": round((9.72 + 2.66) / 2, 1)}
    detail = {row[1]: row for row in book["Détail"].iter_rows(min_row=2, values_only=True)}
    assert detail["PC-1"][4].date().isoformat() == "2024-01-10" and detail["PC-1"][5] == 9.72
