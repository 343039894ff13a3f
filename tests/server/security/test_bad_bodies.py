"""Bad bodies get a clear 4xx, never a 500: an XML encoding Python does not know, JSON nested
past any real message on the collector routes and on the REST API."""

from __future__ import annotations

from tests.utils import make_enrolment_token, make_member, make_user

DEEP = b"[" * 100_000 + b"]" * 100_000
SHALLOW_BUT_DEEP = b"[" * 5_000 + b"]" * 5_000  # small enough to be recorded by the audit


def test_an_unknown_xml_encoding_is_refused(client) -> None:  # type: ignore[no-untyped-def]
    body = b'<?xml version="1.0" encoding="EBCDIC-XX"?><REQUEST><QUERY>PROLOG</QUERY><DEVICEID>x</DEVICEID></REQUEST>'
    answer = client.post("/plugins/fusioninventory/", content=body, headers={"Content-Type": "application/xml"})
    assert 400 <= answer.status_code < 500 and b"unknown encoding" in answer.content


def test_deep_json_on_collector_routes_is_a_422(client, engine) -> None:  # type: ignore[no-untyped-def]
    token = make_enrolment_token(engine, make_member(engine, "Servon"), kind="collector")
    for path in ("/api/v1/collector/reports", "/api/v1/collector/host-keys"):
        for body in (DEEP, SHALLOW_BUT_DEEP):
            answer = client.post(path, content=body, headers={"Content-Type": "application/json",
                                                              "Authorization": f"Bearer {token}"})  # fmt: skip
            assert answer.status_code == 422, (path, answer.status_code, answer.text[:200])


def test_deep_json_on_the_rest_api_is_no_500(client, engine) -> None:  # type: ignore[no-untyped-def]
    admin = make_user(engine, "dsit", role="admin")
    answer = client.post("/api/v1/members", content=SHALLOW_BUT_DEEP,
                         headers={**admin, "Content-Type": "application/json"})  # fmt: skip
    assert 400 <= answer.status_code < 500, answer.text[:200]
