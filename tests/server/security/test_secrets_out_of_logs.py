"""Tokens never reach a log: a real server's access log masks the enrolment token in /t/<token>/."""

from __future__ import annotations

import logging
import zlib

import httpx

from server.core.log_masking import SecretMaskingFilter, mask
from tests.support.live import start_server
from tests.utils import example, make_enrolment_token, make_member


def test_masking_keeps_four_characters_of_each_token() -> None:
    assert mask("POST /t/mpe_Secret123456/front/inventory.php HTTP/1.1") == "POST /t/mpe_…/front/inventory.php HTTP/1.1"
    assert mask("GET /api/v1/x?token=mpa_abcdefgh&x=1") == "GET /api/v1/x?token=mpa_…&x=1"
    assert mask("Authorization: Bearer mpa_abcdefgh") == "Authorization: Bearer mpa_…"
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "POST", "/t/mpe_zzzzzzzz/", "1.1", 200), None)  # fmt: skip
    SecretMaskingFilter().filter(record)
    assert "zzzz" not in record.getMessage() and "/t/mpe_…/" in record.getMessage()


def test_a_real_server_logs_no_enrolment_token(engine, tmp_path) -> None:  # type: ignore[no-untyped-def]
    member = make_member(engine, "Servon")
    agent, collector = make_enrolment_token(engine, member), make_enrolment_token(engine, member, kind="collector")
    log = tmp_path / "server.log"
    server = start_server(str(engine.url.render_as_string(hide_password=False)), log, log_level="info")
    try:
        body = zlib.compress(example("computer_1").__repr__().encode())  # refused (not JSON): still logged
        for token in (agent, collector):
            headers = {"Content-Type": "application/x-compress-zlib"}
            httpx.post(f"{server.url}/t/{token}/", content=body, headers=headers)
            httpx.get(f"{server.url}/t/{token}/front/inventory.php")
    finally:
        server.stop()
    written = log.read_text()
    assert "/t/" in written, written[-2000:]  # the requests are in the access log...
    for token in (agent, collector):
        assert token not in written and token[4:] not in written  # ...their tokens are not
