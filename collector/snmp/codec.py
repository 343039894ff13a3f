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

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

GET, NEXT, RESPONSE, BULK, REPORT = 0xA0, 0xA1, 0xA2, 0xA5, 0xA8
_SEQUENCE, _INTEGER, _OCTETS, _NULL, _OID = 0x30, 0x02, 0x04, 0x05, 0x06
_IPADDRESS, _OPAQUE = 0x40, 0x44
_UNSIGNED = frozenset({0x41, 0x42, 0x43, 0x46, 0x47})  # Counter32, Gauge32, TimeTicks, Counter64, UInteger32
_MISSING = frozenset({_NULL, 0x80, 0x81, 0x82})  # NULL, noSuchObject, noSuchInstance, endOfMibView
MISSING = _MISSING
_LONG_ARC = re.compile(rb"[\x80-\xff]{5}")  # 32-bit sub-identifiers (RFC 2578): at most 5 base-128 digits
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")
_HEADS = tuple((0, b) if b < 40 else (1, b - 40) if b < 80 else (2, b - 80) for b in range(128))  # first byte

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
    if raw.isascii():  # every arc below 128, one byte each: the common case, done in C
        if not raw:
            raise CodecError("empty OID")
        return _HEADS[raw[0]] + tuple(raw[1:])
    if raw[-1] & 0x80:
        raise CodecError("truncated OID arc")
    if _LONG_ARC.search(raw):  # 6 digits or more: over 32 bits, and no unbounded integer to grow
        raise CodecError("OID arc over 32 bits")
    at = _HIGH_BYTE.search(raw).start()  # type: ignore[union-attr]
    arcs = list(raw[:at])  # the one-byte arcs before the first long one, in C
    append = arcs.append
    value = 0
    for byte in raw[at:]:
        if byte < 0x80:
            append(value | byte)
            value = 0
        else:
            value = (value | (byte & 0x7F)) << 7
    if max(arcs) >= 2**32:
        raise CodecError("OID arc over 32 bits")
    first = arcs[0]
    return ((0, first) if first < 40 else (1, first - 40) if first < 80 else (2, first - 80)) + tuple(arcs[1:])


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
    """The variable bindings of the SEQUENCE whose contents are ``data[pos:end]``.

    The hot loop of a walk: short-form lengths, one-byte arcs and the common value types are
    handled inline (nearly every varbind), the rest through ``_header``, ``decode_oid`` and
    ``_value``."""
    out: list[Varbind] = []
    append = out.append
    from_bytes = int.from_bytes
    heads = _HEADS
    try:
        while pos < end:
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
            raw = data[start:pos]
            name = heads[raw[0]] + tuple(raw[1:]) if raw and raw.isascii() else decode_oid(raw)
            tag, size = data[pos], data[pos + 1]
            if size < 0x80:
                start, pos = pos + 2, pos + 2 + size
                if pos > stop:
                    raise CodecError("varbind value beyond its varbind")
            else:
                start, pos = _header(data, pos, stop, None, "varbind value")
            if pos != stop:
                raise CodecError("bytes left over in a varbind")
            if tag == _OCTETS:
                append((name, data[start:pos]))
            elif tag == _INTEGER and start < pos:
                append((name, from_bytes(data[start:pos], "big", signed=True)))
            elif tag in _UNSIGNED and start < pos:
                append((name, from_bytes(data[start:pos], "big")))
            else:
                append((name, _value(tag, data[start:pos])))
    except IndexError:  # a tag or length byte past the end
        raise CodecError("truncated varbind") from None
    return out


def tail(data: bytes, pos: int, count: int) -> tuple[int, int, list[tuple[tuple[int, ...], int]]] | None:
    """A quick look at the response PDU at ``pos``, before (or instead of) decoding it:
    (error status, number of varbinds, [(name, value tag)] of the last ``count`` varbinds).

    What a walk needs to send its next request as soon as an answer arrives; only the lengths
    are read on the way. None for anything but a well-formed response: the full decode then
    says what is wrong."""
    try:
        end = len(data)
        if data[pos] != RESPONSE:
            return None
        pos, stop = _header(data, pos, end, RESPONSE, "PDU")
        _, pos = _int(data, pos, stop, "request id")
        error_status, pos = _int(data, pos, stop, "error status")
        _, pos = _int(data, pos, stop, "error index")
        pos, stop = _header(data, pos, stop, _SEQUENCE, "varbind list")
        starts = []
        while pos < stop:  # skip the varbinds, short-form lengths inline
            starts.append(pos)
            size = data[pos + 1]
            pos = pos + 2 + size if size < 0x80 else _header(data, pos, stop, _SEQUENCE, "varbind")[1]
        last = []
        for at in starts[-count:] if count > 0 else ():
            start, varbind_end = _header(data, at, stop, _SEQUENCE, "varbind")
            start, pos = _header(data, start, varbind_end, _OID, "varbind name")
            if pos >= varbind_end:
                return None
            last.append((decode_oid(data[start:pos]), data[pos]))
        return error_status, len(starts), last
    except (CodecError, IndexError):
        return None


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


def split_message(data: bytes) -> tuple[int, int, int]:
    """(version, where the community starts, where the PDU starts) of an SNMPv1/v2c message;
    for SNMPv3 (version 3) both positions are 0: ``decode_v3`` reads the rest."""
    start, end = _header(data, 0, len(data), _SEQUENCE, "message")
    if end != len(data):
        raise CodecError(f"{len(data) - end} bytes after the message")
    version, pos = _int(data, start, end, "version")
    if version == 3:
        return version, 0, 0
    start, pos = _header(data, pos, end, _OCTETS, "community")
    return version, start, pos


def request_id(data: bytes, pos: int) -> int:
    """The request id of the PDU at ``pos`` (its tag not checked: ``decode_pdu`` does)."""
    if pos >= len(data):
        raise CodecError("truncated message: no PDU")
    start, stop = _header(data, pos, len(data), None, "PDU")
    return _int(data, start, stop, "request id")[0]


def decode_pdu(data: bytes, community_at: int, pdu_at: int, version: int) -> Response:
    """The PDU of a message ``split_message`` read."""
    return _pdu(data, pdu_at, len(data), version, data[community_at:pdu_at])


def decode_message(data: bytes) -> Response:
    """An SNMPv1/v2c message carrying a response (or report) PDU."""
    version, community_at, pdu_at = split_message(data)
    if version == 3:
        raise CodecError("an SNMPv3 message: decode_v3 reads it")
    return decode_pdu(data, community_at, pdu_at, version)


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


def scoped_pdu_at(data: bytes) -> tuple[int, int]:
    """Where the PDU of a (decrypted) scopedPDU starts, and where the scoped PDU ends."""
    start, end = _header(data, 0, len(data), _SEQUENCE, "scoped PDU")
    # Block ciphers pad the plaintext: bytes after the scoped PDU are ignored, as RFC 3414 says.
    start, pos = _header(data, start, end, _OCTETS, "context engine id")
    start, pos = _header(data, pos, end, _OCTETS, "context name")
    return pos, end


def decode_scoped_pdu(data: bytes) -> Response:
    """A (decrypted) scopedPDU: context engine id, context name, then the PDU."""
    pos, end = scoped_pdu_at(data)
    return _pdu(data, pos, end, 3, b"")


def scoped_pdu(engine_id: bytes, pdu: bytes) -> bytes:
    return _tlv(_SEQUENCE, _tlv(_OCTETS, engine_id) + _tlv(_OCTETS, b"") + pdu)


def encode_v3(msg_id: int, flags: int, engine_id: bytes, boots: int, time: int, user: bytes, auth_size: int,
              priv: bytes, payload: bytes, encrypted: bool) -> tuple[bytes, int]:  # fmt: skip
    """The whole message with a zeroed digest of ``auth_size`` bytes, and where the digest is."""
    header = _tlv(_SEQUENCE, _integer(msg_id) + _MAX_SIZE + _FLAGS[flags] + _VERSION_3)
    before = _octets(engine_id) + _integer(boots) + _integer(time) + _octets(user)
    after = _tlv(_OCTETS, priv)
    parameters = _tlv(_OCTETS, _tlv(_SEQUENCE, before + _octets(b"\x00" * auth_size) + after))
    body = _VERSION_3 + header + parameters + (_tlv(_OCTETS, payload) if encrypted else payload)
    message = _tlv(_SEQUENCE, body)
    digest_at = len(message) - len(body) + len(_VERSION_3) + len(header) + len(parameters) - len(after) - auth_size
    return message, digest_at


# What every SNMPv3 message of a target repeats, encoded once.
_VERSION_3, _MAX_SIZE = _integer(3), _integer(65507)
_FLAGS = tuple(_tlv(_OCTETS, bytes((flags,))) for flags in range(256))


@lru_cache(maxsize=1024)
def _octets(value: bytes) -> bytes:
    """An OCTET STRING a target sends in every message (engine id, user name, zeroed digest)."""
    return _tlv(_OCTETS, value)


class PduTemplate(RequestTemplate):
    """A bare PDU (for an SNMPv3 scoped PDU): no version, no community."""

    def __init__(self) -> None:
        self._head = b""

    def pdu(self, kind: int, request_id: int, oids: Sequence[Sequence[int]], non_repeaters: int = 0,
            max_repetitions: int = 0) -> bytes:  # fmt: skip
        message = self.encode(kind, request_id, oids, non_repeaters, max_repetitions)
        start, _ = _header(message, 0, len(message), _SEQUENCE, "message")
        return message[start:]
