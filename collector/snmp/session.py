"""One SNMP conversation with one device: GET of scalars, GETBULK walks of table columns.

The table walker asks for several columns in one GETBULK (like snmptable), stops each column
where it leaves its subtree, and protects itself from broken agents: non-increasing OIDs end the
column, and a row limit bounds huge tables.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from functools import partial
from typing import Any

from collector.errors import (
    SHORT_KEY,
    UNKNOWN_USER,
    WRONG_AUTH,
    WRONG_PRIVACY,
    AuthFailure,
    DeviceTimeout,
    ProtocolError,
)

from . import codec
from .channels import AUTH_PROTOCOLS, PRIV_PROTOCOLS, Channel, Channels, Credential, Exchange, Hook

__all__ = ["AUTH_PROTOCOLS", "PRIV_PROTOCOLS", "Channels", "Credential", "SnmpSession"]

# pysnmp's errorIndication classes when an SNMPv3 agent refuses the credentials.
_AUTH_ERRORS = frozenset({
    "UnknownUserName", "WrongDigest", "UnsupportedSecurityLevel", "DecryptionError", "UnknownSecurityName",
    "AuthenticationFailure", "AuthenticationError", "NotInTimeWindow", "NoAuthentication", "NoEncryption",
    "UnsupportedAuthProtocol", "UnsupportedPrivProtocol",
})  # fmt: skip
MIN_KEY_LENGTH = 8  # RFC 3414: SNMPv3 passphrases of fewer characters are refused (net-snmp too)
SYS_DESCR = (1, 3, 6, 1, 2, 1, 1, 1, 0)


class CredentialRefused(AuthFailure):
    """An SNMPv3 credential the device (or the collector) refuses, and why: ``reason`` is one of
    ``short_key``, ``unknown_user``, ``wrong_digest`` (auth key or protocol), ``privacy`` (privacy
    key or protocol: the device stays silent on what it cannot decrypt), ``security_level``,
    ``other``. Each of the first four has its own device status (``STATUS_BY_REASON``), the
    others stay ``auth_failure``; the message says what to fix."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.status = STATUS_BY_REASON.get(reason, AuthFailure.status)


STATUS_BY_REASON = {"short_key": SHORT_KEY, "unknown_user": UNKNOWN_USER, "wrong_digest": WRONG_AUTH,
                    "privacy": WRONG_PRIVACY}  # fmt: skip


_REASONS = {"UnknownUserName": "unknown_user", "UnknownSecurityName": "unknown_user", "WrongDigest": "wrong_digest",
            "AuthenticationFailure": "wrong_digest", "AuthenticationError": "wrong_digest",
            "DecryptionError": "privacy", "UnsupportedSecurityLevel": "security_level",
            "NoAuthentication": "security_level", "NoEncryption": "security_level"}  # fmt: skip
_ERROR_NAMES = {1: "tooBig", 3: "badValue", 4: "readOnly", 5: "genErr", 6: "noAccess", 16: "authorizationError"}
GET_CHUNK = 24  # OIDs per GET request: small enough for any agent's PDU size
MAX_REPETITIONS = 25
# Variable bindings asked per GETBULK: many columns of short tables would otherwise bring back
# rows past their end (decoded for nothing), and big responses get fragmented or refused.
VARBIND_BUDGET = 60
MAX_ROWS = 50_000
_INDEX = tuple(".".join(["%d"] * arcs) for arcs in range(129))  # row index texts of up to 128 arcs


def _oid(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.strip(".").split("."))


def _who(host: str, port: int, credential: Credential) -> str:
    """``10.0.0.1:161 (credential dsit-v3, user inventaire)``: the target and the credential."""
    user = f", user {credential.user}" if credential.version == "3" else ""
    return f"{host}:{port} (credential {credential.name}{user})"


def _refusal(reason: str, who: str, credential: Credential, detail: str) -> CredentialRefused:
    auth, priv = credential.auth_protocol.upper(), credential.priv_protocol.upper()
    fix = {
        "unknown_user": f"the device knows no SNMPv3 user {credential.user!r}: check the user name",
        "wrong_digest": f"authentication failed: wrong auth key, or the device does not use {auth}",
        "privacy": f"the device does not decrypt the requests: wrong privacy key, or it does not use {priv}",
        "security_level": "the device refuses this security level (authPriv, authNoPriv): match the user's",
    }.get(reason, "SNMPv3 credentials refused")
    return CredentialRefused(f"{who}: SNMPv3 credentials refused: {fix} ({detail})", reason)


def _raise_for(error_indication: Any, error_status: Any, host: str, port: int = 161,
               credential: Credential | None = None) -> None:  # fmt: skip
    credential = credential or Credential()
    who = _who(host, port, credential)
    if error_indication:
        text = str(error_indication)
        name = type(error_indication).__name__
        if name in _AUTH_ERRORS:
            raise _refusal(_REASONS.get(name, "other"), who, credential, text)
        if name == "RequestTimedOut":
            hint = "wrong community" if credential.is_community else "wrong SNMPv3 engine or port"
            raise DeviceTimeout(f"{who}: no SNMP answer (device down, filtered, or {hint})")
        raise ProtocolError(f"{who}: {text}")
    if error_status and int(error_status) not in (0, 2):  # 2 = noSuchName (v1) is "absent", not an error
        status = int(error_status)
        raise ProtocolError(f"{who}: SNMP error {_ERROR_NAMES.get(status, 'code')} ({status})")


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
        self.sent_ahead = 0  # requests a walk sent before the answer before them was decoded
        self._silence_checked = False

    async def _open(self) -> Channel:
        if self._channel is None:
            self._check_keys()
            self._channel = await self.channels.open(self.credential, self.host, self.port, timeout=self.timeout,
                                                     retries=self.retries)  # fmt: skip
        return self._channel

    def _start(self, channel: Channel, kind: str, oids: list[tuple[int, ...]], max_repetitions: int = 0,
               hook: Hook | None = None) -> Exchange:  # fmt: skip
        self.requests += 1
        try:
            return channel.start(kind, oids, max_repetitions, hook)
        except codec.CodecError as exc:  # an OID that cannot be sent
            raise ProtocolError(f"{_who(self.host, self.port, self.credential)}: {exc}") from None

    async def _finish(self, channel: Channel, exchange: Exchange) -> tuple[Any, ...]:
        answer = await channel.finish(exchange)
        if type(answer[0]).__name__ == "RequestTimedOut" and not self._silence_checked:
            self._silence_checked = True
            await self._why_silent()
        return answer

    async def _request(self, kind: str, oids: list[tuple[int, ...]], max_repetitions: int = 0) -> tuple[Any, ...]:
        """One GET, GETNEXT or GETBULK: (errorIndication, errorStatus, errorIndex, [(OID, value)...])."""
        channel = await self._open()
        return await self._finish(channel, self._start(channel, kind, oids, max_repetitions))

    def _check_keys(self) -> None:
        """Keys pysnmp would refuse with a WrongValueError naming an OID: say which and why."""
        credential = self.credential
        if credential.is_community:
            return
        for what, key in (("auth", credential.auth_key), ("privacy", credential.priv_key)):
            if key is not None and len(key) < MIN_KEY_LENGTH:
                who = _who(self.host, self.port, credential)
                message = f"{who}: the SNMPv3 {what} key has {len(key)} characters, at least {MIN_KEY_LENGTH} needed"
                raise CredentialRefused(message, "short_key")

    async def _why_silent(self) -> None:
        """An SNMPv3 agent drops what it cannot decrypt (a wrong privacy key or protocol) as it
        drops everything when it is down. One authNoPriv request of the same user tells them
        apart, as net-snmp's own check does: an answer (even a refusal for the security level)
        means the agent is there and the user authenticates, so the privacy part is wrong."""
        credential = self.credential
        if credential.version != "3" or not credential.priv_key:
            return
        probe = dataclasses.replace(credential, priv_key=None, priv_protocol="none")
        channel = await self.channels.open(probe, self.host, self.port, timeout=self.timeout, retries=0)
        self.requests += 1
        error, _status, _index, _varbinds = await channel.request("get", [SYS_DESCR])
        name = type(error).__name__ if error else None
        who = _who(self.host, self.port, credential)
        if name == "RequestTimedOut":
            return  # silent either way: a real timeout
        if name in ("UnknownUserName", "UnknownSecurityName"):
            raise _refusal("unknown_user", who, credential, "the device answered an authNoPriv probe")
        if name in ("WrongDigest", "AuthenticationFailure", "AuthenticationError"):
            raise _refusal("wrong_digest", who, credential, "the device answered an authNoPriv probe")
        raise _refusal("privacy", who, credential, "authNoPriv requests of this user are answered, authPriv ones not")

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
                _raise_for(error, status, self.host, self.port, self.credential)
                for name, value in varbinds:
                    self.varbinds += 1
                    if value is not None:
                        found[".".join(map(str, name))] = value
                break
        return found

    async def walk(self, columns: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Rows of table columns: {column oid: {row index: value}}, several columns per request.

        A column longer than ``max_rows`` is cut there and named in ``truncated``.

        The walk is sequential (one request in flight), but each next request leaves as soon as
        an answer arrives: a hook reads the last row's names (``codec.tail``) and sends the
        request the walk will most likely make, then the answer is decoded and processed while
        the agent works on it. The walk checks that this request is the one it would have made
        (not when a column ends in the middle, a row limit cuts it, or the agent goes backwards)
        and sends the right one otherwise.
        """
        roots = {c.strip("."): _oid(c) for c in columns}
        results: dict[str, dict[str, Any]] = {c: {} for c in roots}
        cursor = dict(roots)  # column -> last OID received
        v1 = self.credential.version == "1"
        kind = "next" if v1 else "bulk"
        max_rows = self.max_rows
        ahead: dict[tuple[tuple[int, ...], ...], Exchange] = {}  # requests sent ahead, by their OIDs
        channel = await self._open() if cursor else None

        def follow(active: list[str], oids: list[tuple[int, ...]], data: bytes, pdu_at: int) -> None:
            """The hook: the request that follows an answer, sent before the answer is decoded."""
            width = len(active)
            peek = codec.tail(data, pdu_at, width)
            if peek is None:
                return
            status, count, last = peek
            if status or not count or count % width or (v1 and count != width):
                return
            rows = count // width
            columns, names = [], []
            for column, asked, (name, tag) in zip(active, oids, last, strict=True):
                root = roots[column]
                if (tag in codec.MISSING or name[: len(root)] != root or name <= asked
                        or len(results[column]) + rows >= max_rows):  # fmt: skip
                    continue
                columns.append(column)
                names.append(name)
            if names:
                exchange = self._start(channel, kind, names, _repetitions(len(names)),  # type: ignore[arg-type]
                                       partial(follow, columns, names))  # fmt: skip
                ahead[tuple(names)] = exchange
                self.sent_ahead += 1

        try:
            while cursor:
                active = list(cursor)
                oids = [cursor[c] for c in active]
                exchange = ahead.pop(tuple(oids), None)
                if exchange is None:  # nothing sent ahead, or not this request
                    for stale in ahead.values():
                        channel.cancel(stale)  # type: ignore[union-attr]
                    ahead.clear()
                    exchange = self._start(channel, kind, oids, _repetitions(len(oids)),  # type: ignore[arg-type]
                                           partial(follow, active, oids))  # fmt: skip
                error, status, index, flat = await self._finish(channel, exchange)  # type: ignore[arg-type]
                if v1:
                    position = int(index or 0) - 1
                    if status and int(status) == 2 and 0 <= position < len(active) and len(active) > 1:
                        # SNMPv1 fails the whole GETNEXT when one column reaches the end of the MIB,
                        # the one errorIndex names: that column is done, the others go on.
                        cursor.pop(active[position])
                        continue
                if status and int(status) == 2:  # v1 end of MIB
                    break
                _raise_for(error, status, self.host, self.port, self.credential)
                self._take(active, flat, roots, results, cursor)
        finally:
            for stale in ahead.values():
                channel.cancel(stale)  # type: ignore[union-attr]
        return results

    def _take(self, active: list[str], flat: list[tuple[tuple[int, ...], Any]], roots: dict[str, tuple[int, ...]],
              results: dict[str, dict[str, Any]], cursor: dict[str, tuple[int, ...]]) -> None:  # fmt: skip
        """Rows of one answer into ``results``; columns that end leave ``cursor``."""
        width = len(active)
        finished: set[str] = set()
        seen = 0
        max_rows = self.max_rows
        for offset, column in enumerate(active):
            root = roots[column]
            size = len(root)
            after = (*root[:-1], root[-1] + 1)  # the subtree is [root, after) in OID order
            rows = results[column]
            last = cursor[column]
            for name, value in flat[offset::width]:
                seen += 1
                if value is None or not last < name < after:
                    finished.add(column)  # left the column, end of MIB, or a broken agent going backwards
                    break
                arcs = len(name) - size
                rows[_INDEX[arcs] % name[size:] if arcs < len(_INDEX) else ".".join(map(str, name[size:]))] = value
                last = name
                if len(rows) >= max_rows:
                    self.truncated.add(column)
                    finished.add(column)
                    break
            cursor[column] = last
        self.varbinds += seen
        if not flat:
            finished.update(active)
        for column in finished:
            cursor.pop(column, None)


def _repetitions(columns: int) -> int:
    return max(1, min(MAX_REPETITIONS, VARBIND_BUDGET // columns))
