"""Body encodings used by inventory agents: zlib (RFC 1950), gzip (RFC 1952) or plain.

Decompression is bounded: a decompression bomb stops at ``limit`` bytes instead of eating memory.
"""

from __future__ import annotations

import zlib
from enum import StrEnum

from .errors import BadEncoding, PayloadTooLarge


class Encoding(StrEnum):
    PLAIN = "plain"
    ZLIB = "zlib"
    GZIP = "gzip"


CONTENT_TYPES: dict[Encoding, str] = {
    Encoding.ZLIB: "application/x-compress-zlib",
    Encoding.GZIP: "application/x-compress-gzip",
}
_ENCODING_BY_TYPE = {v: k for k, v in CONTENT_TYPES.items()}
# Some agents (and GLPI itself) also accept these spellings.
_ENCODING_BY_TYPE.update({"application/x-zlib": Encoding.ZLIB, "application/gzip": Encoding.GZIP})

_GZIP_MAGIC = b"\x1f\x8b"


def _looks_like_zlib(body: bytes) -> bool:
    # RFC 1950: CM=8 (deflate) in the low nibble of CMF, and CMF*256+FLG is a multiple of 31.
    return len(body) >= 2 and body[0] & 0x0F == 8 and (body[0] << 8 | body[1]) % 31 == 0


def declared_encoding(content_type: str | None) -> Encoding:
    """The encoding a Content-Type header announces (parameters ignored)."""
    if not content_type:
        return Encoding.PLAIN
    return _ENCODING_BY_TYPE.get(content_type.split(";", 1)[0].strip().lower(), Encoding.PLAIN)


def sniff(body: bytes, content_type: str | None = None) -> Encoding:
    """The encoding of ``body``: magic bytes win over the header, which agents get wrong.

    A body announced as compressed that is neither compressed nor a plain JSON/XML document
    is an error, named as such.
    """
    if body[:2] == _GZIP_MAGIC:
        return Encoding.GZIP
    if _looks_like_zlib(body):
        return Encoding.ZLIB
    declared = declared_encoding(content_type)
    if declared is not Encoding.PLAIN and body.lstrip()[:1] not in (b"{", b"<", b"["):
        raise BadEncoding(f"body announced as {CONTENT_TYPES[declared]} is not a valid {declared} stream")
    return Encoding.PLAIN


def decompress(body: bytes, encoding: Encoding, limit: int) -> bytes:
    """Decode ``body``; raise PayloadTooLarge past ``limit`` bytes of output, BadEncoding if broken."""
    if encoding is Encoding.PLAIN:
        if len(body) > limit:
            raise PayloadTooLarge(f"body is {len(body)} bytes, the limit is {limit}")
        return body
    wbits = zlib.MAX_WBITS | (16 if encoding is Encoding.GZIP else 0)
    inflater = zlib.decompressobj(wbits)
    try:
        out = inflater.decompress(body, limit + 1)
    except zlib.error as exc:
        raise BadEncoding(f"invalid {encoding} stream: {exc}") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise PayloadTooLarge(f"decompressed body exceeds the limit of {limit} bytes")
    if not inflater.eof:
        raise BadEncoding(f"truncated {encoding} stream")
    return out


def compress(data: bytes, encoding: Encoding) -> bytes:
    """Encode an answer. zlib uses the default level: FusionInventory only recognises its 78 9C header."""
    if encoding is Encoding.ZLIB:
        return zlib.compress(data)
    if encoding is Encoding.GZIP:
        import gzip

        return gzip.compress(data, mtime=0)
    return data
