import datetime as dt

import pytest

from wire import fields


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  Firefox ", "Firefox"),
        ("a\x00b\x07", "ab"),
        ("é\ud800", "é?"),
        (12, "12"),
        (True, None),
        ({"a": 1}, None),
        ("   ", None),
        (b"caf\xc3\xa9", "café"),
    ],
)
def test_text(raw, expected):
    assert fields.text(raw) == expected


def test_text_is_bounded():
    assert len(fields.text("x" * 10_000)) == fields.MAX_TEXT


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (5, 5),
        ("42", 42),
        (" 7 ", 7),
        ("3.9", 3),
        (2.5, 2),
        (2**64, None),
        (float("nan"), None),
        ("x", None),
        (True, None),
        (None, None),
    ],
)
def test_integer(raw, expected):
    assert fields.integer(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2016-02-06", dt.date(2016, 2, 6)),
        ("2016-02-06 10:11:12", dt.date(2016, 2, 6)),
        ("06/02/2016", dt.date(2016, 2, 6)),  # French order first
        ("20160206", dt.date(2016, 2, 6)),
        ("2019-02-31", None),
        ("0000-00-00", None),
        ("1601-01-01", None),
        ("soon", None),
    ],
)
def test_date(raw, expected):
    assert fields.date(raw) == expected


def test_datetime_accepts_iso_with_offset():
    assert fields.datetime("2020-06-09T07:58:08+02:00") == dt.datetime(2020, 6, 9, 7, 58, 8)
    assert fields.datetime("2020-06-09") == dt.datetime(2020, 6, 9)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("00-1A-2B-3C-4D-5E", "00:1a:2b:3c:4d:5e"), ("001a.2b3c.4d5e", "00:1a:2b:3c:4d:5e"), ("zz", None)],
)
def test_mac(raw, expected):
    assert fields.mac(raw) == expected


def test_sizes_round_trip_in_glpi_units():
    assert fields.MIB_AS_BYTES.parse(40189) == 40189 * 2**20
    assert fields.MIB_AS_BYTES.build(40189 * 2**20 + 5) == 40189
    assert fields.MB_AS_BYTES.parse("256060") == 256_060_000_000
    assert fields.MB_AS_BYTES.parse(-1) is None
