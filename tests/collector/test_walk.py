"""Walks that send each next request as soon as an answer arrives (before decoding it): the rows
are those of a plain sequential walk, columns that end, rows cut at the limit and agents going
backwards are handled as before, and no request sent ahead is left waiting."""

from __future__ import annotations

import asyncio
import os
import subprocess
from typing import Any

import pytest
from pyasn1.codec.ber import decoder
from pysnmp.proto import api, rfc1902, rfc1905

from collector.snmp.session import Channels, Credential, SnmpSession
from tests.collector.test_codec import pysnmp_response
from tests.support.snmp_agents import SNMPD_AUTH_KEY, SNMPD_PRIV_KEY, SNMPD_USER

V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
TABLE = (1, 3, 6, 1, 4, 1, 99999, 1)
ROWS = 40
V3 = Credential(version="3", name="v3", user=SNMPD_USER, auth_protocol="sha256", auth_key=SNMPD_AUTH_KEY,
                priv_protocol="aes", priv_key=SNMPD_PRIV_KEY)  # fmt: skip
IF_COLUMNS = ["1.3.6.1.2.1.2.2.1.1", "1.3.6.1.2.1.2.2.1.3", "1.3.6.1.2.1.2.2.1.4", "1.3.6.1.2.1.4.20.1.2"]


class TableAgent(asyncio.DatagramProtocol):
    """GETBULK over a 3-column table of ROWS rows (values: column * 1000 + row); ``backwards_at``
    makes column 2 answer an earlier OID at that row, as a broken agent does."""

    def __init__(self, backwards_at: int | None = None) -> None:
        self.names = sorted((*TABLE, column, row) for column in (1, 2, 3) for row in range(1, ROWS + 1))
        self.backwards_at = backwards_at
        self.requests = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def _after(self, oid: tuple[int, ...]) -> tuple[tuple[int, ...], Any]:
        following = next((name for name in self.names if name > oid), None)
        if following is None:
            return oid, rfc1905.EndOfMibView("")
        if self.backwards_at is not None and following == (*TABLE, 2, self.backwards_at):
            return (*TABLE, 2, 1), rfc1902.Integer32(-1)
        return following, rfc1902.Integer32(following[-2] * 1000 + following[-1])

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        self.requests += 1
        request, _ = decoder.decode(data, asn1Spec=V2C.Message())
        pdu = V2C.apiMessage.get_pdu(request)
        oids = [tuple(name) for name, _ in V2C.apiPDU.get_varbinds(pdu)]
        repetitions = int(V2C.apiBulkPDU.get_max_repetitions(pdu))
        varbinds, cursor = [], list(oids)
        for _ in range(repetitions):
            for position, oid in enumerate(cursor):
                name, value = self._after(oid)
                varbinds.append((name, value))
                cursor[position] = name
        response = pysnmp_response(int(V2C.apiPDU.get_request_id(pdu)), varbinds)
        self.transport.sendto(response, addr)  # type: ignore[attr-defined]


def walk_table(agent: TableAgent, **session: Any) -> tuple[dict[str, dict[str, Any]], SnmpSession, int]:
    async def run() -> tuple[dict[str, dict[str, Any]], SnmpSession, int]:
        loop = asyncio.get_running_loop()
        transport, _ = await loop.create_datagram_endpoint(lambda: agent, local_addr=("127.0.0.1", 0))
        channels = Channels()
        try:
            port = transport.get_extra_info("sockname")[1]
            snmp = SnmpSession(channels, "127.0.0.1", Credential(community="public"), port=port, timeout=1,
                               **session)  # fmt: skip
            rows = await snmp.walk([".".join(map(str, (*TABLE, column))) for column in (1, 2, 3)])
            await asyncio.sleep(0.05)  # answers to requests sent ahead and abandoned: dropped
            return rows, snmp, len(channels._socket.pending)  # type: ignore[union-attr]
        finally:
            channels.close()
            transport.close()

    return asyncio.run(run())


def expected(column: int, rows: int = ROWS) -> dict[str, int]:
    return {str(row): column * 1000 + row for row in range(1, rows + 1)}


def test_a_walk_reads_every_row_and_leaves_nothing_waiting() -> None:
    agent = TableAgent()
    rows, session, waiting = walk_table(agent)
    prefix = ".".join(map(str, TABLE))
    assert rows == {f"{prefix}.{column}": expected(column) for column in (1, 2, 3)}
    assert waiting == 0 and session.requests == agent.requests
    # 3 columns, 20 rows a request (the 60-varbind budget): 2 requests, then the one that ends them,
    # each after the first sent as soon as the answer before it arrived
    assert session.requests == 3 and session.sent_ahead == 2


def test_rows_cut_at_the_limit_and_an_agent_going_backwards() -> None:
    agent = TableAgent()
    rows, session, waiting = walk_table(agent, max_rows=25)
    prefix = ".".join(map(str, TABLE))
    assert rows == {f"{prefix}.{column}": expected(column, 25) for column in (1, 2, 3)}
    assert session.truncated == {f"{prefix}.{column}" for column in (1, 2, 3)}
    assert waiting == 0 and session.requests == agent.requests

    agent = TableAgent(backwards_at=30)
    rows, session, waiting = walk_table(agent)
    assert rows[f"{prefix}.2"] == expected(2, 29)  # column 2 ends where the agent went back
    assert rows[f"{prefix}.1"] == expected(1) and rows[f"{prefix}.3"] == expected(3)
    assert waiting == 0 and session.requests == agent.requests


def snmpbulkwalk(port: int, credential: Credential, column: str) -> dict[str, int]:
    auth = (["-v3", "-l", "authPriv", "-u", SNMPD_USER, "-a", "SHA-256", "-A", SNMPD_AUTH_KEY, "-x", "AES", "-X",
             SNMPD_PRIV_KEY] if credential.version == "3" else ["-v2c", "-c", "public"])  # fmt: skip
    out = subprocess.run(["snmpbulkwalk", *auth, "-Cr25", "-On", "-Oq", "-Oe", f"127.0.0.1:{port}", f".{column}"],
                         capture_output=True, text=True, check=True, env={**os.environ, "MIBS": ""}).stdout  # fmt: skip
    rows = (line.split(" ", 1) for line in out.splitlines())
    return {name[len(column) + 2 :]: int(value) for name, value in rows}


@pytest.mark.parametrize("version", ["2c", "3"])
def test_walks_of_snmpd_match_net_snmp(snmpd, version: str) -> None:  # type: ignore[no-untyped-def]
    credential = V3 if version == "3" else Credential(community="public")

    async def walk() -> dict[str, dict[str, Any]]:
        channels = Channels()
        try:
            session = SnmpSession(channels, "127.0.0.1", credential, port=snmpd.port)
            rows = await session.walk(IF_COLUMNS)
            assert not channels._socket.pending  # type: ignore[union-attr]
            return rows
        finally:
            channels.close()

    rows = asyncio.run(walk())
    for column in IF_COLUMNS:
        assert rows[column] == snmpbulkwalk(snmpd.port, credential, column), column
        assert rows[column]
