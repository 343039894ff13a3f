"""pysnmp values -> plain Python values (int, bytes, str dotted OIDs), None for "no such"."""

from __future__ import annotations

from typing import Any

from pysnmp.proto import rfc1902, rfc1905

_MISSING = (rfc1905.NoSuchObject, rfc1905.NoSuchInstance, rfc1905.EndOfMibView)
_NUMBERS = (rfc1902.Integer, rfc1902.Integer32, rfc1902.Gauge32, rfc1902.Counter32, rfc1902.Counter64,
            rfc1902.TimeTicks, rfc1902.Unsigned32)  # fmt: skip


def is_missing(value: Any) -> bool:
    return isinstance(value, _MISSING) or value is None


def plain(value: Any) -> Any:
    """The Python value of an SNMP value: ints, bytes (octet strings), dotted strings (OIDs, IPs)."""
    if isinstance(value, _MISSING):
        return None
    if isinstance(value, rfc1902.IpAddress):
        return ".".join(str(b) for b in value.asOctets())
    if isinstance(value, rfc1902.ObjectIdentifier):
        return ".".join(str(n) for n in value)
    if isinstance(value, rfc1902.OctetString):  # includes Opaque, Bits
        return value.asOctets()
    if isinstance(value, _NUMBERS):
        return int(value)
    if isinstance(value, rfc1902.Null):
        return None
    return value
