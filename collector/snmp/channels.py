"""How requests reach a device: credentials, and one channel per device.

Every request goes through one UDP socket shared by the whole run and is framed and decoded by
the project's codec (``codec.py``): pysnmp's pyasn1 decoding was most of a walk's CPU.
SNMPv1/v2c channels carry their community; SNMPv3 channels carry a ``usm.UsmTarget`` per
(identity, device) -- engine id found by discovery, boots and time, localised keys -- with
pysnmp's USM services for the cryptography. Requests carry numeric OIDs as they are: no MIB
resolution on the hot path."""

from __future__ import annotations

import asyncio
import ipaddress
import itertools
import secrets
import socket
from dataclasses import dataclass
from typing import Any

from pysnmp.hlapi.v3arch import asyncio as v3arch
from pysnmp.proto import errind

from collector.errors import ProtocolError

from . import codec, usm

AUTH_PROTOCOLS = {
    "none": v3arch.usmNoAuthProtocol, "md5": v3arch.usmHMACMD5AuthProtocol, "sha": v3arch.usmHMACSHAAuthProtocol,
    "sha224": v3arch.usmHMAC128SHA224AuthProtocol, "sha256": v3arch.usmHMAC192SHA256AuthProtocol,
    "sha384": v3arch.usmHMAC256SHA384AuthProtocol, "sha512": v3arch.usmHMAC384SHA512AuthProtocol,
}  # fmt: skip
PRIV_PROTOCOLS = {
    "none": v3arch.usmNoPrivProtocol, "des": v3arch.usmDESPrivProtocol, "aes": v3arch.usmAesCfb128Protocol,
    "aes128": v3arch.usmAesCfb128Protocol, "aes192": v3arch.usmAesCfb192Protocol,
    "aes256": v3arch.usmAesCfb256Protocol,
}  # fmt: skip
_PDU = codec.PduTemplate()

# (errorIndication, errorStatus, errorIndex, [(OID, plain value or None when absent), ...])
Answer = tuple[Any, Any, Any, list[tuple[Any, Any]]]


@dataclass(frozen=True, slots=True)
class Credential:
    """SNMP credentials: v2c community, or an SNMPv3 user (authPriv with SHA-2 + AES recommended)."""

    version: str = "2c"  # 1 | 2c | 3
    name: str = "default"  # the configuration's name for it
    community: str | None = None
    user: str | None = None
    auth_protocol: str = "sha"
    auth_key: str | None = None
    priv_protocol: str = "aes"
    priv_key: str | None = None

    @property
    def is_community(self) -> bool:
        return self.version in ("1", "2c")

    def usm_key(self) -> tuple[str | None, ...]:
        return (self.user, self.auth_protocol, self.auth_key, self.priv_protocol, self.priv_key)


class _Datagrams(asyncio.DatagramProtocol):
    """The run's one UDP socket: answers go to the request waiting for their request (or message) id."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.pending: dict[int, tuple[tuple[str, int], asyncio.Future[Any]]] = {}

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        answer: Any
        try:
            if codec.message_version(data) == 3:  # SNMPv3: usm.UsmTarget checks and decrypts it
                message = codec.decode_v3(data)
                answer, request_id = (data, message), message.msg_id
            else:
                answer = codec.decode_message(data)
                request_id = answer.request_id
        except codec.CodecError as exc:  # garbage: fail the request it names, else drop it
            answer, request_id = exc, exc.request_id
        waiting = self.pending.get(request_id) if request_id is not None else None
        if waiting is None or waiting[0] != addr[:2] or waiting[1].done():
            return  # late, duplicated, or not from the device asked
        if isinstance(answer, codec.CodecError):
            waiting[1].set_exception(answer)
        else:
            waiting[1].set_result(answer)

    def error_received(self, exc: Exception) -> None:  # ICMP unreachable: the request times out
        pass


class CommunityChannel:
    """SNMPv1/v2c with the project's codec: one template per community, one decode per answer."""

    def __init__(self, datagrams: _Datagrams, credential: Credential, address: tuple[str, int], *, timeout: float,
                 retries: int) -> None:  # fmt: skip
        self._socket = datagrams
        self._v1 = credential.version == "1"
        self._template = codec.RequestTemplate(0 if self._v1 else 1, (credential.community or "public").encode())
        self._address = address
        self._timeout = timeout
        self._retries = retries

    async def request(self, kind: str, oids: list[tuple[int, ...]], max_repetitions: int = 0) -> Answer:
        request_id = _next_request_id()
        if kind == "bulk" and not self._v1:
            message = self._template.encode(codec.BULK, request_id, oids, 0, max_repetitions)
        else:
            message = self._template.encode(codec.GET if kind == "get" else codec.NEXT, request_id, oids)
        try:
            answer = await _exchange(self._socket, self._address, request_id, message, self._timeout, self._retries)
        except codec.CodecError as exc:
            return exc, 0, 0, []
        if answer is None:
            return errind.requestTimedOut, 0, 0, []
        return None, answer.error_status, answer.error_index, answer.varbinds


async def _exchange(datagrams: _Datagrams, address: tuple[str, int], request_id: int, message: bytes,
                    timeout: float, retries: int) -> Any:  # fmt: skip
    """Send, resend on silence, and return what came back for ``request_id`` (None: silence)."""
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    pending = datagrams.pending
    pending[request_id] = (address, future)
    try:
        for _attempt in range(retries + 1):
            datagrams.transport.sendto(message, address)  # type: ignore[union-attr]
            try:
                return await asyncio.wait_for(asyncio.shield(future), timeout)
            except TimeoutError:
                continue
        return None
    finally:
        del pending[request_id]
        if not future.done():
            future.cancel()


class UsmChannel:
    """SNMPv3 with the codec and ``usm.UsmTarget``: discovery on first use, one re-sync on a
    "not in time window" report."""

    def __init__(self, datagrams: _Datagrams, target: usm.UsmTarget, address: tuple[str, int], *, timeout: float,
                 retries: int) -> None:  # fmt: skip
        self._socket, self._target, self._address = datagrams, target, address
        self._timeout, self._retries = timeout, retries

    async def _send(self, pdu: bytes) -> Any:
        msg_id = _next_request_id()
        message = self._target.encode(msg_id, pdu)
        return await _exchange(self._socket, self._address, msg_id, message, self._timeout, self._retries)

    async def request(self, kind: str, oids: list[tuple[int, ...]], max_repetitions: int = 0) -> Answer:
        target = self._target
        try:
            if target.engine_id is None:
                answer = await self._send(_PDU.pdu(codec.GET, _next_request_id(), []))
                if answer is None:
                    return errind.requestTimedOut, 0, 0, []
                if not answer[1].engine_id:
                    return errind.unknownEngineID, 0, 0, []
                target.learn(answer[1])
            for attempt in range(2):
                request_id = _next_request_id()
                if kind == "bulk":
                    pdu = _PDU.pdu(codec.BULK, request_id, oids, 0, max_repetitions)
                else:
                    pdu = _PDU.pdu(codec.GET if kind == "get" else codec.NEXT, request_id, oids)
                answer = await self._send(pdu)
                if answer is None:
                    return errind.requestTimedOut, 0, 0, []
                result = target.decode(*answer)
                if isinstance(result, errind.NotInTimeWindow) and attempt == 0:
                    target.learn(answer[1])  # the report carries the engine's boots and time
                    continue
                if isinstance(result, errind.ErrorIndication):
                    return result, 0, 0, []
                return None, result.error_status, result.error_index, result.varbinds
        except codec.CodecError as exc:
            return exc, 0, 0, []
        return errind.notInTimeWindow, 0, 0, []


_request_ids = itertools.count(1 + secrets.randbelow(2**30))


def _next_request_id() -> int:
    return next(_request_ids) % 2**31


Channel = CommunityChannel | UsmChannel


class Channels:
    """Everything a run talks through; ``close()`` it at the end of the run."""

    def __init__(self) -> None:
        self._socket: _Datagrams | None = None
        # What discovery learnt per (SNMPv3 identity, device): engine id, boots, time, keys.
        self._targets: dict[tuple[Any, ...], usm.UsmTarget] = {}

    async def open(self, credential: Credential, host: str, port: int, *, timeout: float, retries: int) -> Channel:
        if self._socket is None:
            _, self._socket = await asyncio.get_running_loop().create_datagram_endpoint(
                _Datagrams,
                family=socket.AF_INET,  # bound by the first send
            )
        address = await _resolve(host, port)
        if credential.is_community:
            return CommunityChannel(self._socket, credential, address, timeout=timeout, retries=retries)
        key = (*credential.usm_key(), *address)
        target = self._targets.get(key)
        if target is None:
            auth = credential.auth_protocol if credential.auth_key else "none"
            priv = credential.priv_protocol if credential.auth_key and credential.priv_key else "none"
            target = self._targets[key] = usm.UsmTarget(
                credential.user or "", auth, tuple(AUTH_PROTOCOLS[auth]), credential.auth_key,
                tuple(PRIV_PROTOCOLS[priv]), credential.priv_key if priv != "none" else None,
            )  # fmt: skip
        return UsmChannel(self._socket, target, address, timeout=timeout, retries=retries)

    def close(self) -> None:
        if self._socket is not None:
            for _address, future in self._socket.pending.values():
                future.cancel()  # requests a device deadline abandoned: nobody waits for them any more
            if self._socket.transport is not None:
                self._socket.transport.close()
            self._socket = None
        self._targets.clear()


async def _resolve(host: str, port: int) -> tuple[str, int]:
    """The IPv4 address answers come from (pysnmp's UDP targets are IPv4 too)."""
    try:
        return str(ipaddress.IPv4Address(host)), port
    except ValueError:
        pass
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, port, family=socket.AF_INET, type=socket.SOCK_DGRAM)
    except OSError as exc:
        raise ProtocolError(f"{host}: cannot resolve the name ({exc})") from None
    return found[0][4][0], port
