"""One SNMP conversation with one device: GET of scalars, GETBULK walks of table columns.

The table walker asks for several columns in one GETBULK (like snmptable), stops each column
where it leaves its subtree, and protects itself from broken agents: non-increasing OIDs end the
column, and a row limit bounds huge tables.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from collector.errors import AuthFailure, DeviceTimeout, ProtocolError

from .channels import AUTH_PROTOCOLS, PRIV_PROTOCOLS, Channel, Channels, Credential
from .values import is_missing, plain

__all__ = ["AUTH_PROTOCOLS", "PRIV_PROTOCOLS", "Channels", "Credential", "SnmpSession"]

# pysnmp's errorIndication classes when an SNMPv3 agent refuses the credentials.
_AUTH_ERRORS = frozenset({
    "UnknownUserName", "WrongDigest", "UnsupportedSecurityLevel", "DecryptionError", "UnknownSecurityName",
    "AuthenticationFailure", "AuthenticationError", "NotInTimeWindow", "NoAuthentication", "NoEncryption",
    "UnsupportedAuthProtocol", "UnsupportedPrivProtocol",
})  # fmt: skip
GET_CHUNK = 24  # OIDs per GET request: small enough for any agent's PDU size
MAX_REPETITIONS = 25
# Variable bindings asked per GETBULK: many columns of short tables would otherwise bring back
# rows past their end (decoded for nothing), and big responses get fragmented or refused.
VARBIND_BUDGET = 60
MAX_ROWS = 50_000


def _oid(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.strip(".").split("."))


def _raise_for(error_indication: Any, error_status: Any, host: str) -> None:
    if error_indication:
        text = str(error_indication)
        if type(error_indication).__name__ in _AUTH_ERRORS:
            raise AuthFailure(f"{host}: SNMPv3 credentials refused ({text})")
        if type(error_indication).__name__ == "RequestTimedOut":
            raise DeviceTimeout(f"{host}: no SNMP answer (device down, filtered, or wrong community)")
        raise ProtocolError(f"{host}: {text}")
    if error_status and int(error_status) not in (0, 2):  # 2 = noSuchName (v1) is "absent", not an error
        raise ProtocolError(f"{host}: SNMP error {error_status.prettyPrint()}")


class SnmpSession:
    def __init__(self, channels: Channels, host: str, credential: Credential, *, port: int = 161,
                 timeout: float = 2.0, retries: int = 1, max_rows: int = MAX_ROWS) -> None:  # fmt: skip
        self.channels = channels
        self.host = host
        self.port = port
        self.credential = credential
        self.timeout = timeout
        self.retries = retries
        self._channel: Channel | None = None
        self.max_rows = max_rows
        self.truncated: set[str] = set()  # table columns cut at max_rows
        self.requests = 0
        self.varbinds = 0

    async def _request(self, kind: str, oids: list[tuple[int, ...]], max_repetitions: int = 0) -> tuple[Any, ...]:
        """One GET, GETNEXT or GETBULK: (errorIndication, errorStatus, errorIndex, [(OID, value)...])."""
        if self._channel is None:
            self._channel = await self.channels.open(self.credential, self.host, self.port, timeout=self.timeout,
                                                     retries=self.retries)  # fmt: skip
        self.requests += 1
        return await self._channel.request(kind, oids, max_repetitions)

    async def get(self, oids: Iterable[str]) -> dict[str, Any]:
        """Values of scalar OIDs (absent ones are left out)."""
        wanted = list(dict.fromkeys(o.strip(".") for o in oids))
        found: dict[str, Any] = {}
        for start in range(0, len(wanted), GET_CHUNK):
            chunk = wanted[start : start + GET_CHUNK]
            while chunk:
                error, status, index, varbinds = await self._request("get", [_oid(o) for o in chunk])
                if status and int(status) == 2 and self.credential.version == "1":
                    # SNMPv1 fails the whole request for one absent OID, the one errorIndex names (from
                    # 1): ask again without it; one by one when the agent does not say which.
                    position = int(index or 0) - 1
                    if 0 <= position < len(chunk):
                        chunk = chunk[:position] + chunk[position + 1 :]
                        continue
                    for oid in chunk if len(chunk) > 1 else ():
                        found.update(await self.get([oid]))
                    break
                _raise_for(error, status, self.host)
                for name, value in varbinds:
                    self.varbinds += 1
                    if not is_missing(value):
                        found[".".join(map(str, name))] = plain(value)
                break
        return found

    async def walk(self, columns: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Rows of table columns: {column oid: {row index: value}}, several columns per request.

        A column longer than ``max_rows`` is cut there and named in ``truncated``.
        """
        roots = {c.strip("."): _oid(c) for c in columns}
        results: dict[str, dict[str, Any]] = {c: {} for c in roots}
        cursor = dict(roots)  # column -> last OID received
        while cursor:
            active = list(cursor)
            if self.credential.version == "1":
                error, status, _, flat = await self._request("next", [cursor[c] for c in active])
                rows = [flat]
            else:
                repetitions = max(1, min(MAX_REPETITIONS, VARBIND_BUDGET // len(active)))
                error, status, _, flat = await self._request("bulk", [cursor[c] for c in active], repetitions)
                rows = [flat[i : i + len(active)] for i in range(0, len(flat), len(active))]
            if status and int(status) == 2:  # v1 end of MIB
                break
            _raise_for(error, status, self.host)
            finished: set[str] = set()
            for row in rows:
                for column, (name, value) in zip(active, row, strict=False):
                    if column in finished:
                        continue
                    self.varbinds += 1
                    oid = tuple(name)
                    root = roots[column]
                    if is_missing(value) or oid[: len(root)] != root or oid <= cursor[column]:
                        finished.add(column)  # left the column, end of MIB, or a broken agent going backwards
                        continue
                    results[column][".".join(map(str, oid[len(root) :]))] = plain(value)
                    cursor[column] = oid
                    if len(results[column]) >= self.max_rows:
                        self.truncated.add(column)
                        finished.add(column)
            if not rows or not any(rows):
                finished.update(active)
            for column in finished:
                cursor.pop(column, None)
        return results
