"""The SNMP codec: values as pysnmp decodes them, the one-arc OID, and malformed answers
(truncated, wrong tags, huge lengths, deep nesting, random damage) -> ``CodecError``, never a
hang, another exception or an allocation beyond the input."""

from __future__ import annotations

import asyncio
import contextlib
import random

import pytest
from pyasn1.codec.ber import decoder, encoder
from pysnmp.proto import api, rfc1902, rfc1905

from collector.errors import DeviceTimeout, ProtocolError
from collector.snmp import codec
from collector.snmp.session import Channels, Credential, SnmpSession
from collector.snmp.values import plain

V2C = api.PROTOCOL_MODULES[api.SNMP_VERSION_2C]
VALUES = [
    rfc1902.Integer32(-5), rfc1902.Integer32(2**31 - 1), rfc1902.OctetString(b"Salle \xe9 1"), rfc1902.OctetString(b""),
    rfc1902.ObjectName("1.3.6.1.4.1.9.1.2571"), rfc1902.IpAddress("192.168.200.1"), rfc1902.Counter32(2**32 - 1),
    rfc1902.Gauge32(1_000_000_000), rfc1902.TimeTicks(123456), rfc1902.Opaque(b"\x9f\x78\x04\x3f\x80\x00\x00"),
    rfc1902.Counter64(2**64 - 1), rfc1902.Unsigned32(7), rfc1905.NoSuchObject(""), rfc1905.NoSuchInstance(""),
    rfc1905.EndOfMibView(""), rfc1902.Null(""),
]  # fmt: skip
NAMES = [(1, 3, 6, 1, 2, 1, 2, 2, 1, 2, i) for i in range(1, 10)] + [
    (1, 3, 6, 1, 4, 1, 2**32 - 1, 300, 0), (2, 999, 1), (1, 3, 6, 1, 2, 1, 4, 20, 1, 1, 192, 168, 200, 1),
    (1, 3, 6, 1, 6, 3, 16, 1, 5, 2, 1, 6, 6, 95), (0, 0), (1, 39), (1, 3, 6, 1, 2, 1, 1, 1, 0),
]  # fmt: skip


def pysnmp_response(request_id: int = 4242, varbinds: list | None = None) -> bytes:  # type: ignore[type-arg]
    pdu = V2C.ResponsePDU()
    V2C.apiPDU.set_defaults(pdu)
    V2C.apiPDU.set_request_id(pdu, request_id)
    V2C.apiPDU.set_varbinds(pdu, varbinds if varbinds is not None else list(zip(NAMES, VALUES, strict=True)))
    message = V2C.Message()
    V2C.apiMessage.set_defaults(message)
    V2C.apiMessage.set_community(message, "public")
    V2C.apiMessage.set_pdu(message, pdu)
    return encoder.encode(message)


def test_a_response_decodes_to_the_values_pysnmp_gives() -> None:
    data = pysnmp_response()
    answer = codec.decode_message(data)
    assert (answer.version, answer.community, answer.request_id, answer.error_status) == (1, b"public", 4242, 0)
    reference, _ = decoder.decode(data, asn1Spec=V2C.Message())
    expected = [
        (tuple(name), plain(value)) for name, value in V2C.apiPDU.get_varbinds(V2C.apiMessage.get_pdu(reference))
    ]
    assert answer.varbinds == expected
    assert answer.varbinds[0] == (NAMES[0], -5) and answer.varbinds[5][1] == "192.168.200.1"
    assert [v for _, v in answer.varbinds[-4:]] == [None] * 4  # noSuchObject/Instance, endOfMibView, NULL


def test_requests_decode_in_pysnmp_and_the_one_arc_oid_is_sent_as_net_snmp_does() -> None:
    template = codec.RequestTemplate(1, b"public")
    data = template.encode(codec.BULK, 2**31 - 1, [(1,), (1, 3, 6, 1, 4, 1, 2**32 - 1)], 0, 25)
    message, rest = decoder.decode(data, asn1Spec=V2C.Message())
    pdu = V2C.apiMessage.get_pdu(message)
    assert rest == b"" and V2C.apiBulkPDU.get_max_repetitions(pdu) == 25
    assert V2C.apiPDU.get_request_id(pdu) == 2**31 - 1
    assert [tuple(n) for n, _ in V2C.apiPDU.get_varbinds(pdu)] == [(1, 0), (1, 3, 6, 1, 4, 1, 2**32 - 1)]
    for bad in [(), (3, 1), (1, 40), (1, 3, -1), (1, 3, 2**32)]:
        with pytest.raises(codec.CodecError):
            template.encode(codec.GET, 1, [bad])


MALFORMED = {
    "empty": b"",
    "not a sequence": b"\x02\x01\x00",
    "huge length": b"\x30\x84\xff\xff\xff\xff" + b"\x00" * 16,
    "indefinite length": b"\x30\x80\x02\x01\x01\x00\x00",
    "length past the end": b"\x30\x7f\x02\x01\x01",
    "deep nesting": b"\x30\x82\x4e\x20" + b"\x30\x82\x4e\x1c" * 5000,
    "request PDU": codec.RequestTemplate(1, b"public").encode(codec.GET, 1, [(1, 3, 6)]),
    "arc over 32 bits": None,  # built below
}


def damaged(data: bytes, seed: int) -> bytes:
    rng = random.Random(seed)
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        position = rng.randrange(len(out))
        if choice < 0.5:
            out[position] = rng.randrange(256)
        elif choice < 0.7:
            out[position : position + 1] = b"\x84\xff\xff\xff\xff"
        elif choice < 0.85:
            del out[position : position + rng.randint(1, 8)]
        else:
            out[position:position] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
    return bytes(out)


def test_malformed_answers_are_a_clear_error() -> None:
    arc = pysnmp_response(varbinds=[((1, 3, 6, 1, 2, 1, 1, 1, 0), rfc1902.Integer32(1))])
    MALFORMED["arc over 32 bits"] = arc.replace(b"\x06\x08\x2b\x06\x01\x02\x01\x01\x01\x00",
                                                b"\x06\x0c\x2b" + b"\xff" * 10 + b"\x01")  # fmt: skip
    for data in MALFORMED.values():
        with pytest.raises(codec.CodecError):
            codec.decode_message(data)  # type: ignore[arg-type]
    good = pysnmp_response()
    for size in range(len(good)):  # every truncation
        with pytest.raises(codec.CodecError):
            codec.decode_message(good[:size])
    with pytest.raises(codec.CodecError, match="bytes after the message"):
        codec.decode_message(good + b"\x00")
    decoded = 0
    for seed in range(3000):  # random damage: a value or a CodecError, nothing else
        try:
            codec.decode_message(damaged(good, seed))
            decoded += 1
        except codec.CodecError:
            pass
    assert decoded < 3000


class Garbage(asyncio.DatagramProtocol):
    """A broken agent: answers each request with garbage, then a response with a damaged varbind."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        request, _ = decoder.decode(data, asn1Spec=V2C.Message())
        response = pysnmp_response(int(V2C.apiPDU.get_request_id(V2C.apiMessage.get_pdu(request))))
        self.transport.sendto(b"\x30\x03garbage", addr)  # type: ignore[attr-defined]
        self.transport.sendto(response.replace(b"\x02\x01\xfb", b"\x99\x01\xfb"), addr)  # type: ignore[attr-defined]


def test_a_broken_answer_fails_its_request_and_garbage_is_dropped() -> None:
    async def poll() -> None:
        transport, _ = await asyncio.get_running_loop().create_datagram_endpoint(Garbage, local_addr=("127.0.0.1", 0))
        port = transport.get_extra_info("sockname")[1]
        channels = Channels()
        try:
            session = SnmpSession(channels, "127.0.0.1", Credential(name="lan", community="public"), port=port,
                                  timeout=0.3, retries=0)  # fmt: skip
            await session.get(["1.3.6.1.2.1.1.5.0"])
        finally:
            channels.close()
            transport.close()

    with pytest.raises(ProtocolError, match=r"127\.0\.0\.1:\d+ \(credential lan\): unknown value tag 0x99") as error:
        asyncio.run(poll())
    assert not isinstance(error.value, DeviceTimeout)


def test_a_walk_of_dot_one_reads_the_whole_agent(snmpd) -> None:  # type: ignore[no-untyped-def]
    async def walk() -> dict[str, object]:
        channels = Channels()
        try:
            session = SnmpSession(channels, "127.0.0.1", Credential(community="public"), port=snmpd.port)
            return (await session.walk([".1"]))["1"]
        finally:
            channels.close()

    rows = asyncio.run(walk())
    assert rows["3.6.1.2.1.1.6.0"] == b"Salle de test"  # sysLocation
    assert len(rows) > 1000


def test_malformed_snmpv3_messages_are_a_clear_error() -> None:
    pdu = codec.PduTemplate().pdu(codec.GET, 7, [(1, 3, 6, 1, 2, 1, 1, 5, 0)])
    good, at = codec.encode_v3(9, 0x07, b"\x80\x00\x1f\x88\x04", 3, 1234, b"mutuparc", 24, b"salt" * 2, pdu, True)
    message = codec.decode_v3(good)
    assert (message.msg_id, message.flags, message.boots, message.time, message.user) == (9, 7, 3, 1234, b"mutuparc")
    assert message.auth_at == at and message.auth == b"\x00" * 24 and message.payload == pdu and not message.plain
    for size in range(len(good)):
        with pytest.raises(codec.CodecError):
            codec.decode_v3(good[:size])
    for seed in range(2000):  # random damage: a message or a CodecError, nothing else
        with contextlib.suppress(codec.CodecError):
            codec.decode_v3(damaged(good, seed))
    with pytest.raises(codec.CodecError):  # a decrypted scoped PDU that is garbage (a wrong privacy key)
        codec.decode_scoped_pdu(bytes(random.Random(1).randrange(256) for _ in range(64)))
