"""Security headers on every answer, and a health route that tells when the database is down."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import create_engine

from server.core.config import Settings
from server.main import create_app
from server.migrations import head_revision


def test_health_reports_the_database_and_its_schema(client) -> None:  # type: ignore[no-untyped-def]
    answer = client.get("/api/v1/health")
    assert answer.status_code == 200
    assert answer.json() == {"status": "ok", "database": "ok", "schema": head_revision(),
                             "expected_schema": head_revision()}  # fmt: skip
    assert client.get("/api/v1/live").json() == {"status": "ok"}


def test_health_is_503_when_the_database_is_down(tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings = Settings(database_url="postgresql://mutuparc@127.0.0.1:1/nowhere", data_dir=tmp_path, _env_file=None)
    down = create_engine(settings.database_url, connect_args={"connect_timeout": 2})
    with TestClient(create_app(settings, down, check_schema=False)) as client:
        answer = client.get("/api/v1/health")
        assert answer.status_code == 503 and answer.json()["database"] == "unreachable"
        assert client.get("/api/v1/live").status_code == 200  # the process itself runs


def test_every_answer_carries_the_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    for path in ("/login", "/api/v1/health", "/front/inventory.php", "/static/mutuparc.css"):
        answer = client.get(path)
        assert answer.headers["x-content-type-options"] == "nosniff", path
        assert answer.headers["x-frame-options"] == "DENY", path
        assert answer.headers["referrer-policy"] == "same-origin", path
        policy = answer.headers["content-security-policy"]
        assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, path
    docs = client.get("/api/docs")
    assert docs.headers["content-security-policy"].count("content-security-policy") == 0
    assert "worker-src 'self' blob:" in docs.headers["content-security-policy"]  # the docs keep their own policy
