"""BER for SNMP messages, only what SNMPv1/v2c requests and responses use, written for speed.

A response is decoded in one pass into plain Python values, as ``values.plain`` gives them:
INTEGER, Counter32/64, Gauge32, TimeTicks -> int; OCTET STRING, Opaque -> bytes; OBJECT
IDENTIFIER, IpAddress -> dotted str; NULL, noSuchObject, noSuchInstance, endOfMibView -> None.
Requests are built from a per-channel template (version and community encoded once); only the
request id and the OIDs change. The one-arc OID ``1`` is encoded as net-snmp does (``1.0``), so
a walk of ``.1`` works.

Anything malformed (wrong tag, truncated or oversized length, indefinite length, an OID arc over
32 bits, bytes left over) raises ``CodecError``: lengths are checked against the bytes actually
received before anything is sliced, and nothing recurses, so no input can hang or allocate more
than its own size.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

GET, NEXT, RESPONSE, BULK, REPORT = 0xA0, 0xA1, 0xA2, 0xA5, 0xA8
_SEQUENCE, _INTEGER, _OCTETS, _NULL, _OID = 0x30, 0x02, 0x04, 0x05, 0x06
_IPADDRESS, _OPAQUE = 0x40, 0x44
_UNSIGNED = frozenset({0x41, 0x42, 0x43, 0x46, 0x47})  # Counter32, Gauge32, TimeTicks, Counter64, UInteger32
_MISSING = frozenset({_NULL, 0x80, 0x81, 0x82})  # NULL, noSuchObject, noSuchInstance, endOfMibView
_MAX_ARC_BYTES = 5  # 32-bit sub-identifiers (RFC 2578) need at most 5 base-128 digits

Varbind = tuple[tuple[int, ...], Any]


class CodecError(ValueError):
    """Bytes that are not an SNMP message; ``request_id`` is set when the header could be read."""

    def __init__(self, message: str, request_id: int | None = None) -> None:
        super().__init__(message)
        self.request_id = request_id


class Response:
    """A decoded response (or report) PDU."""

    __slots__ = ("community", "error_index", "error_status", "kind", "request_id", "varbinds", "version")

    def __init__(self, version: int, community: bytes, kind: int, request_id: int, error_status: int,
                 error_index: int, varbinds: list[Varbind]) -> None:  # fmt: skip
        self.version, self.community, self.kind = version, community, kind
        self.request_id, self.error_status, self.error_index = request_id, error_status, error_index
        self.varbinds = varbinds


# -- encoding ---------------------------------------------------------------------------------


def _length(n: int) -> bytes:
    if n < 0x80:
        return bytes((n,))
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes((0x80 | len(raw),)) + raw


def _tlv(tag: int, body: bytes) -> bytes:
    return bytes((tag,)) + _length(len(body)) + body


def _integer(value: int) -> bytes:
    return _tlv(_INTEGER, value.to_bytes(value.bit_length() // 8 + 1, "big", signed=True))


def encode_oid(oid: Sequence[int]) -> bytes:
    """The BER contents of an OID; ``(1,)`` is sent as ``1.0`` (BER needs two arcs)."""
    if not oid or not 0 <= oid[0] <= 2:
        raise CodecError(f"not an OID: {'.'.join(map(str, oid))!r}")
    second = oid[1] if len(oid) > 1 else 0
    if second < 0 or (oid[0] < 2 and second >= 40):
        raise CodecError(f"not an OID: {'.'.join(map(str, oid))!r}")
    arcs = [oid[0] * 40 + second, *oid[2:]]
    if all(0 <= arc < 0x80 for arc in arcs):
        return bytes(arcs)
    out = bytearray()
    for arc in arcs:
        if not 0 <= arc < 2**32:
            raise CodecError(f"OID arc out of range: {arc}")
        digits = [arc & 0x7F]
        arc >>= 7
        while arc:
            digits.append(0x80 | (arc & 0x7F))
            arc >>= 7
        out += bytes(reversed(digits))
    return bytes(out)


class RequestTemplate:
    """Requests of one (version, community): ``encode(kind, request_id, oids)`` -> message bytes."""

    def __init__(self, version: int, community: bytes) -> None:
        self._head = _integer(version) + _tlv(_OCTETS, community)

    def encode(self, kind: int, request_id: int, oids: Sequence[Sequence[int]], non_repeaters: int = 0,
               max_repetitions: int = 0) -> bytes:  # fmt: skip
        """GET/NEXT carry error status and index (0, 0) where GETBULK carries its two counts."""
        varbinds = b"".join(_tlv(_SEQUENCE, _tlv(_OID, encode_oid(oid)) + b"\x05\x00") for oid in oids)
        body = _integer(request_id) + _integer(non_repeaters) + _integer(max_repetitions)
        pdu = _tlv(kind, body + _tlv(_SEQUENCE, varbinds))
        return _tlv(_SEQUENCE, self._head + pdu)


# -- decoding ---------------------------------------------------------------------------------


def _header(data: bytes, pos: int, end: int, tag: int | None, what: str) -> tuple[int, int]:
    """(start of the contents, end of the contents) of the TLV at ``pos``, checked against ``end``."""
    if pos + 2 > end:
        raise CodecError(f"truncated {what}")
    if tag is not None and data[pos] != tag:
        raise CodecError(f"{what}: tag 0x{data[pos]:02x}, expected 0x{tag:02x}")
    first = data[pos + 1]
    pos += 2
    if first & 0x80:
        count = first & 0x7F
        if not 1 <= count <= 3:  # indefinite (0) or over 16 MiB: never SNMP over UDP
            raise CodecError(f"{what}: unsupported length form 0x{first:02x}")
        if pos + count > end:
            raise CodecError(f"truncated {what} length")
        first = int.from_bytes(data[pos : pos + count], "big")
        pos += count
    if pos + first > end:
        raise CodecError(f"{what}: length {first} beyond the {end - pos} bytes left")
    return pos, pos + first


def _int(data: bytes, pos: int, end: int, what: str) -> tuple[int, int]:
    start, stop = _header(data, pos, end, _INTEGER, what)
    if start == stop:
        raise CodecError(f"{what}: empty INTEGER")
    return int.from_bytes(data[start:stop], "big", signed=True), stop


def decode_oid(raw: bytes) -> tuple[int, ...]:
    if not raw:
        raise CodecError("empty OID")
    if raw.isascii():  # every arc below 128, one byte each: the common case, done in C
        first = raw[0]
        head = (0, first) if first < 40 else (1, first - 40) if first < 80 else (2, first - 80)
        return head + tuple(raw[1:])
    arcs: list[int] = []
    value = digits = 0
    for byte in raw:
        value = (value << 7) | (byte & 0x7F)
        digits += 1
        if digits > _MAX_ARC_BYTES:
            raise CodecError("OID arc over 32 bits")
        if not byte & 0x80:
            arcs.append(value)
            value = digits = 0
    if digits:
        raise CodecError("truncated OID arc")
    first = arcs[0]
    head = [0, first] if first < 40 else [1, first - 40] if first < 80 else [2, first - 80]
    return tuple(head + arcs[1:])


def _value(tag: int, raw: bytes) -> Any:
    if tag in (_OCTETS, _OPAQUE):
        return raw
    if tag == _INTEGER:
        if not raw:
            raise CodecError("empty INTEGER")
        return int.from_bytes(raw, "big", signed=True)
    if tag in _UNSIGNED:
        if not raw:
            raise CodecError(f"empty value of tag 0x{tag:02x}")
        return int.from_bytes(raw, "big")
    if tag in _MISSING:
        return None
    if tag == _OID:
        return ".".join(map(str, decode_oid(raw)))
    if tag == _IPADDRESS:
        return ".".join(map(str, raw))
    raise CodecError(f"unknown value tag 0x{tag:02x}")


def decode_varbinds(data: bytes, pos: int, end: int) -> list[Varbind]:
    """The variable bindings of the SEQUENCE whose contents are ``data[pos:end]``."""
    out: list[Varbind] = []
    append = out.append
    try:
        while pos < end:
            # Short-form lengths inline (nearly every varbind); the long form through _header.
            if data[pos] != _SEQUENCE:
                raise CodecError(f"varbind: tag 0x{data[pos]:02x}, expected 0x30")
            size = data[pos + 1]
            if size < 0x80:
                pos += 2
                stop = pos + size
                if stop > end:
                    raise CodecError("varbind beyond its list")
            else:
                pos, stop = _header(data, pos, end, _SEQUENCE, "varbind")
            if data[pos] != _OID:
                raise CodecError(f"varbind name: tag 0x{data[pos]:02x}, expected 0x06")
            size = data[pos + 1]
            if size < 0x80:
                start, pos = pos + 2, pos + 2 + size
                if pos > stop:
                    raise CodecError("varbind name beyond its varbind")
            else:
                start, pos = _header(data, pos, stop, _OID, "varbind name")
            name = decode_oid(data[start:pos])
            tag, size = data[pos], data[pos + 1]
            if size < 0x80:
                start, pos = pos + 2, pos + 2 + size
                if pos > stop:
                    raise CodecError("varbind value beyond its varbind")
            else:
                start, pos = _header(data, pos, stop, None, "varbind value")
            if pos != stop:
                raise CodecError("bytes left over in a varbind")
            append((name, _value(tag, data[start:pos])))
    except IndexError:  # a tag or length byte past the end
        raise CodecError("truncated varbind") from None
    return out


def _pdu(data: bytes, pos: int, end: int, version: int, community: bytes) -> Response:
    """The response (or report) PDU at ``pos``, the last thing before ``end``."""
    if pos >= end:
        raise CodecError("truncated message: no PDU")
    kind = data[pos]
    if kind not in (RESPONSE, REPORT):
        raise CodecError(f"PDU tag 0x{kind:02x}, expected a response")
    pos, stop = _header(data, pos, end, kind, "PDU")
    if stop != end:
        raise CodecError("bytes left over after the PDU")
    request_id, pos = _int(data, pos, end, "request id")
    try:
        error_status, pos = _int(data, pos, end, "error status")
        error_index, pos = _int(data, pos, end, "error index")
        start, stop = _header(data, pos, end, _SEQUENCE, "varbind list")
        if stop != end:
            raise CodecError("bytes left over in the PDU")
        varbinds = decode_varbinds(data, start, stop)
    except CodecError as exc:
        raise CodecError(str(exc), request_id) from None
    return Response(version, community, kind, request_id, error_status, error_index, varbinds)


def message_version(data: bytes) -> int:
    """The version field alone (0 = v1, 1 = v2c, 3 = v3), to route a datagram."""
    start, end = _header(data, 0, len(data), _SEQUENCE, "message")
    return _int(data, start, end, "version")[0]


def decode_message(data: bytes) -> Response:
    """An SNMPv1/v2c message carrying a response (or report) PDU."""
    start, end = _header(data, 0, len(data), _SEQUENCE, "message")
    if end != len(data):
        raise CodecError(f"{len(data) - end} bytes after the message")
    version, pos = _int(data, start, end, "version")
    start, pos = _header(data, pos, end, _OCTETS, "community")
    return _pdu(data, pos, end, version, data[start:pos])


# -- SNMPv3 framing (RFC 3412/3414); the security itself is usm.py's ---------------------------


class V3Message:
    """An SNMPv3 message split into its parts; ``auth_at`` is where the digest's bytes start."""

    __slots__ = ("auth", "auth_at", "boots", "engine_id", "flags", "msg_id", "payload", "plain", "priv", "time",
                 "user")  # fmt: skip

    def __init__(self, **parts: Any) -> None:
        for name, value in parts.items():
            setattr(self, name, value)


def decode_v3(data: bytes) -> V3Message:
    start, end = _header(data, 0, len(data), _SEQUENCE, "message")
    if end != len(data):
        raise CodecError(f"{len(data) - end} bytes after the message")
    version, pos = _int(data, start, end, "version")
    if version != 3:
        raise CodecError(f"version {version}, expected 3")
    start, pos = _header(data, pos, end, _SEQUENCE, "header")
    msg_id, field = _int(data, start, pos, "msgID")
    _size, field = _int(data, field, pos, "msgMaxSize")
    first, field = _header(data, field, pos, _OCTETS, "msgFlags")
    if field - first != 1:
        raise CodecError("msgFlags: one octet expected")
    flags = data[first]
    start, pos = _header(data, pos, end, _OCTETS, "security parameters")
    field, stop = _header(data, start, pos, _SEQUENCE, "security parameters")
    first, field = _header(data, field, stop, _OCTETS, "engine id")
    engine_id = data[first:field]
    boots, field = _int(data, field, stop, "engine boots")
    time, field = _int(data, field, stop, "engine time")
    first, field = _header(data, field, stop, _OCTETS, "user name")
    user = data[first:field]
    auth_at, field = _header(data, field, stop, _OCTETS, "auth parameters")
    auth = data[auth_at:field]
    first, field = _header(data, field, stop, _OCTETS, "privacy parameters")
    priv = data[first:field]
    if pos >= end:
        raise CodecError("truncated message: no scoped PDU")
    plain = data[pos] == _SEQUENCE
    start, stop = _header(data, pos, end, None, "scoped PDU")
    if stop != end or data[pos] not in (_SEQUENCE, _OCTETS):
        raise CodecError("scoped PDU: a SEQUENCE or an encrypted OCTET STRING expected")
    payload = data[pos:end] if plain else data[start:stop]
    return V3Message(msg_id=msg_id, flags=flags, engine_id=engine_id, boots=boots, time=time, user=user,
                     auth=auth, auth_at=auth_at, priv=priv, plain=plain, payload=payload)  # fmt: skip


def decode_scoped_pdu(data: bytes) -> Response:
    """A (decrypted) scopedPDU: context engine id, context name, then the PDU."""
    start, end = _header(data, 0, len(data), _SEQUENCE, "scoped PDU")
    # Block ciphers pad the plaintext: bytes after the scoped PDU are ignored, as RFC 3414 says.
    start, pos = _header(data, start, end, _OCTETS, "context engine id")
    start, pos = _header(data, pos, end, _OCTETS, "context name")
    return _pdu(data, pos, end, 3, b"")


def scoped_pdu(engine_id: bytes, pdu: bytes) -> bytes:
    return _tlv(_SEQUENCE, _tlv(_OCTETS, engine_id) + _tlv(_OCTETS, b"") + pdu)


def encode_v3(msg_id: int, flags: int, engine_id: bytes, boots: int, time: int, user: bytes, auth_size: int,
              priv: bytes, payload: bytes, encrypted: bool) -> tuple[bytes, int]:  # fmt: skip
    """The whole message with a zeroed digest of ``auth_size`` bytes, and where the digest is."""
    header = _tlv(_SEQUENCE, _integer(msg_id) + _integer(65507) + _tlv(_OCTETS, bytes((flags,))) + _integer(3))
    before = _tlv(_OCTETS, engine_id) + _integer(boots) + _integer(time) + _tlv(_OCTETS, user)
    after = _tlv(_OCTETS, priv)
    auth = _tlv(_OCTETS, b"\x00" * auth_size)
    parameters = _tlv(_OCTETS, _tlv(_SEQUENCE, before + auth + after))
    body = _integer(3) + header + parameters + (_tlv(_OCTETS, payload) if encrypted else payload)
    message = _tlv(_SEQUENCE, body)
    return message, len(message) - len(body) + len(_integer(3) + header) + (len(parameters) - len(after) - auth_size)


class PduTemplate(RequestTemplate):
    """A bare PDU (for an SNMPv3 scoped PDU): no version, no community."""

    def __init__(self) -> None:
        self._head = b""

    def pdu(self, kind: int, request_id: int, oids: Sequence[Sequence[int]], non_repeaters: int = 0,
            max_repetitions: int = 0) -> bytes:  # fmt: skip
        message = self.encode(kind, request_id, oids, non_repeaters, max_repetitions)
        start, _ = _header(message, 0, len(message), _SEQUENCE, "message")
        return message[start:]
