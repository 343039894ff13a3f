import gzip
import zlib

import pytest

from wire.compression import Encoding, compress, decompress, sniff
from wire.errors import BadEncoding, PayloadTooLarge


@pytest.mark.parametrize("level", [1, 6, 9])
def test_zlib_sniffed_at_any_level(level):
    assert sniff(zlib.compress(b"{}", level), None) is Encoding.ZLIB


def test_magic_bytes_win_over_a_wrong_header():
    assert sniff(gzip.compress(b"{}"), "application/json") is Encoding.GZIP
    assert sniff(b'{"a": 1}', "application/x-compress-zlib") is Encoding.PLAIN


def test_bounded_decompression():
    bomb = zlib.compress(b"\0" * 10_000_000)
    with pytest.raises(PayloadTooLarge):
        decompress(bomb, Encoding.ZLIB, 1_000_000)
    assert decompress(zlib.compress(b"abc"), Encoding.ZLIB, 3) == b"abc"


def test_broken_streams():
    with pytest.raises(BadEncoding, match="truncated"):
        decompress(zlib.compress(bytes(range(256)) * 40)[:50], Encoding.ZLIB, 100_000)
    with pytest.raises(BadEncoding):
        decompress(b"\x1f\x8b\x08garbage", Encoding.GZIP, 10_000)


def test_answers_use_the_zlib_header_fusioninventory_knows():
    assert compress(b"<REPLY/>", Encoding.ZLIB)[:2] == b"\x78\x9c"
