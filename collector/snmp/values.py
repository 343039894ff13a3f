"""pysnmp values -> plain Python values (int, bytes, str dotted OIDs), None for "no such".

SNMPv2c and v3 answers decode to SNMPv2-SMI types (``rfc1902``), SNMPv1 answers to SMIv1's
(``rfc1155``) and to plain ASN.1 ones: both are read through the ASN.1 types they derive from.
"""

from __future__ import annotations

from typing import Any

from pyasn1.type import univ
from pysnmp.proto import rfc1155, rfc1902, rfc1905

# A Null value is an agent echoing the request: SNMPv1 does so for an absent OID (noSuchName).
_MISSING = (rfc1905.NoSuchObject, rfc1905.NoSuchInstance, rfc1905.EndOfMibView, univ.Null)
_ADDRESSES = (rfc1902.IpAddress, rfc1155.IpAddress)


def is_missing(value: Any) -> bool:
    return isinstance(value, _MISSING) or value is None


def plain(value: Any) -> Any:
    """The Python value of an SNMP value: ints, bytes (octet strings), dotted strings (OIDs, IPs)."""
    if isinstance(value, univ.Choice):  # SMIv1 NetworkAddress: an IpAddress inside
        value = value.getComponent() if value.isValue else None
    if is_missing(value):
        return None
    if isinstance(value, _ADDRESSES):
        return ".".join(str(b) for b in value.asOctets())
    if isinstance(value, univ.ObjectIdentifier):
        return ".".join(str(n) for n in value)
    if isinstance(value, univ.OctetString):  # includes Opaque, Bits
        return value.asOctets()
    if isinstance(value, univ.Integer):  # Integer32, Counter32/64, Gauge32, TimeTicks, Unsigned32...
        return int(value)
    return value
