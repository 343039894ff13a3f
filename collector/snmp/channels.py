"""How requests reach a device: credentials, and one channel per device.

Every request goes through one UDP socket shared by the whole run and is framed and decoded by
the project's codec (``codec.py``): pysnmp's pyasn1 decoding was most of a walk's CPU.
SNMPv1/v2c channels carry their community; SNMPv3 channels carry a ``usm.UsmTarget`` per
(identity, device) -- engine id found by discovery, boots and time, localised keys -- with
pysnmp's USM services for the cryptography. Requests carry numeric OIDs as they are: no MIB
resolution on the hot path.

A request is an ``Exchange``: sent at once by ``start`` (resent by a loop timer on silence, no
task or ``wait_for`` per request), answered by the socket's ``datagram_received``, awaited by
``finish``. An exchange's hook sees the answer's PDU bytes before they are decoded, so that a walk
sends its next request first and decodes while the agent works (``session.SnmpSession.walk``)."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import itertools
import secrets
import socket
from collections.abc import Callable
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
RECEIVE_BUFFER = 4 << 20  # bytes asked for the socket's receive buffer (the kernel may cap it)

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


Hook = Callable[[bytes, int], None]


class Exchange:
    """One request in flight: resent by a timer on silence, answered through ``_Datagrams``.

    ``hook`` (optional) sees the answer's PDU bytes (decrypted for SNMPv3) as soon as they
    arrive, before they are decoded: a walk sends its next request from there."""

    __slots__ = ("address", "attempts", "channel", "discovery", "future", "hook", "kind", "max_repetitions",
                 "message", "oids", "request_id", "timer")  # fmt: skip

    def __init__(self, channel: _Channel, kind: str, oids: list[tuple[int, ...]], max_repetitions: int,
                 hook: Hook | None) -> None:  # fmt: skip
        self.channel, self.kind, self.oids, self.max_repetitions, self.hook = channel, kind, oids, max_repetitions, hook
        self.address = channel.address
        self.attempts = channel.retries
        self.discovery = False
        self.request_id = 0
        self.message: bytes | None = None
        self.future: asyncio.Future[Any] | None = None
        self.timer: asyncio.TimerHandle | None = None


class _Datagrams(asyncio.DatagramProtocol):
    """The run's one UDP socket: answers go to the exchange waiting for their request (or message) id."""

    def __init__(self) -> None:
        self.transport: asyncio.DatagramTransport | None = None
        self.pending: dict[int, Exchange] = {}
        self.loop = asyncio.get_running_loop()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        sock = transport.get_extra_info("socket")
        with contextlib.suppress(OSError):  # room for the answers of a run's many devices at once
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)

    def send(self, exchange: Exchange) -> None:
        self.transport.sendto(exchange.message, exchange.address)  # type: ignore[union-attr,arg-type]
        exchange.timer = self.loop.call_later(exchange.channel.timeout, self._silence, exchange)

    def _silence(self, exchange: Exchange) -> None:
        """No answer in time: send again while attempts remain, else the answer is None."""
        if self.pending.get(exchange.request_id) is not exchange:
            return
        if exchange.attempts > 0:
            exchange.attempts -= 1
            self.send(exchange)
            return
        del self.pending[exchange.request_id]
        if not exchange.future.done():  # type: ignore[union-attr]
            exchange.future.set_result(None)  # type: ignore[union-attr]

    def datagram_received(self, data: bytes, addr: tuple[str, int]) -> None:
        message: codec.V3Message | None = None
        try:
            version, community_at, pdu_at = codec.split_message(data)
            if version == 3:  # SNMPv3: usm.UsmTarget checks and decrypts it
                message = codec.decode_v3(data)
                request_id = message.msg_id
            else:
                request_id = codec.request_id(data, pdu_at)
        except codec.CodecError:
            return  # garbage that names no request: dropped
        exchange = self.pending.get(request_id)
        if exchange is None or exchange.address != addr[:2]:
            return  # late, duplicated, or not from the device asked
        del self.pending[request_id]
        exchange.timer.cancel()  # type: ignore[union-attr]
        if not exchange.future.done():  # type: ignore[union-attr]
            exchange.channel.answered(exchange, data, version, community_at, pdu_at, message)

    def error_received(self, exc: Exception) -> None:  # ICMP unreachable: the request times out
        pass

    def close(self) -> None:
        for exchange in self.pending.values():  # requests a device deadline abandoned: nobody waits any more
            exchange.timer.cancel()  # type: ignore[union-attr]
            exchange.future.cancel()  # type: ignore[union-attr]
        self.pending.clear()
        if self.transport is not None:
            self.transport.close()


def _call(hook: Hook, data: bytes, pdu_at: int) -> None:
    """A hook's failure only loses its head start: the answer is still decoded and delivered."""
    with contextlib.suppress(Exception):
        hook(data, pdu_at)


class _Channel:
    def __init__(self, datagrams: _Datagrams, address: tuple[str, int], *, timeout: float, retries: int) -> None:
        self._socket, self.address, self.timeout, self.retries = datagrams, address, timeout, retries

    def _register(self, exchange: Exchange, request_id: int, message: bytes) -> Exchange:
        exchange.request_id, exchange.message = request_id, message
        exchange.future = self._socket.loop.create_future()
        self._socket.pending[request_id] = exchange
        self._socket.send(exchange)
        return exchange

    def cancel(self, exchange: Exchange) -> None:
        """Forget a request (its answer, if any comes, is dropped)."""
        pending = self._socket.pending
        if pending.get(exchange.request_id) is exchange:
            del pending[exchange.request_id]
            exchange.timer.cancel()  # type: ignore[union-attr]
        if exchange.future is not None and not exchange.future.done():
            exchange.future.cancel()

    def start(self, kind: str, oids: list[tuple[int, ...]], max_repetitions: int = 0,
              hook: Hook | None = None) -> Exchange:  # fmt: skip
        raise NotImplementedError

    async def finish(self, exchange: Exchange) -> Answer:
        raise NotImplementedError

    def answered(self, exchange: Exchange, data: bytes, version: int, community_at: int, pdu_at: int,
                 message: codec.V3Message | None) -> None:  # fmt: skip
        raise NotImplementedError

    async def request(self, kind: str, oids: list[tuple[int, ...]], max_repetitions: int = 0) -> Answer:
        """One GET, GETNEXT or GETBULK: (errorIndication, errorStatus, errorIndex, [(OID, value)...])."""
        return await self.finish(self.start(kind, oids, max_repetitions))


class CommunityChannel(_Channel):
    """SNMPv1/v2c with the project's codec: one template per community, one decode per answer."""

    def __init__(self, datagrams: _Datagrams, credential: Credential, address: tuple[str, int], *, timeout: float,
                 retries: int) -> None:  # fmt: skip
        super().__init__(datagrams, address, timeout=timeout, retries=retries)
        self._v1 = credential.version == "1"
        self._template = codec.RequestTemplate(0 if self._v1 else 1, (credential.community or "public").encode())

    def start(self, kind: str, oids: list[tuple[int, ...]], max_repetitions: int = 0,
              hook: Hook | None = None) -> Exchange:  # fmt: skip
        """Send a request now; ``finish`` waits for its answer."""
        request_id = _next_request_id()
        if kind == "bulk" and not self._v1:
            message = self._template.encode(codec.BULK, request_id, oids, 0, max_repetitions)
        else:
            message = self._template.encode(codec.GET if kind == "get" else codec.NEXT, request_id, oids)
        return self._register(Exchange(self, kind, oids, max_repetitions, hook), request_id, message)

    def answered(self, exchange: Exchange, data: bytes, version: int, community_at: int, pdu_at: int,
                 message: codec.V3Message | None) -> None:  # fmt: skip
        result: Any
        if version == 3:
            result = codec.CodecError(f"an SNMPv3 answer to an SNMPv{'1' if self._v1 else '2c'} request")
        else:
            if exchange.hook is not None:
                _call(exchange.hook, data, pdu_at)
            try:
                result = codec.decode_pdu(data, community_at, pdu_at, version)
            except codec.CodecError as exc:
                result = exc
        exchange.future.set_result(result)  # type: ignore[union-attr]

    async def finish(self, exchange: Exchange) -> Answer:
        try:
            answer = await exchange.future  # type: ignore[misc]
        finally:
            self.cancel(exchange)
        if answer is None:
            return errind.requestTimedOut, 0, 0, []
        if isinstance(answer, codec.CodecError):
            return answer, 0, 0, []
        return None, answer.error_status, answer.error_index, answer.varbinds


class UsmChannel(_Channel):
    """SNMPv3 with the codec and ``usm.UsmTarget``: discovery on first use, one re-sync on a
    "not in time window" report."""

    def __init__(self, datagrams: _Datagrams, target: usm.UsmTarget, address: tuple[str, int], *, timeout: float,
                 retries: int) -> None:  # fmt: skip
        super().__init__(datagrams, address, timeout=timeout, retries=retries)
        self._target = target

    def start(self, kind: str, oids: list[tuple[int, ...]], max_repetitions: int = 0,
              hook: Hook | None = None) -> Exchange:  # fmt: skip
        """Send a request now (after discovery, in ``finish``, when the engine is still unknown)."""
        exchange = Exchange(self, kind, oids, max_repetitions, hook)
        if self._target.engine_id is None:
            return exchange  # not sent yet: finish() discovers the engine first
        request_id = _next_request_id()
        if kind == "bulk":
            pdu = _PDU.pdu(codec.BULK, request_id, oids, 0, max_repetitions)
        else:
            pdu = _PDU.pdu(codec.GET if kind == "get" else codec.NEXT, request_id, oids)
        msg_id = _next_request_id()
        return self._register(exchange, msg_id, self._target.encode(msg_id, pdu))

    def answered(self, exchange: Exchange, data: bytes, version: int, community_at: int, pdu_at: int,
                 message: codec.V3Message | None) -> None:  # fmt: skip
        result: Any
        if message is None:
            result = codec.CodecError(f"an SNMPv{version + 1 if version else 1} answer to an SNMPv3 request")
        elif exchange.discovery:
            result = (message, None)
        else:
            target = self._target
            opened = target.open(data, message)
            if isinstance(opened, errind.ErrorIndication):
                result = (message, opened)
            else:
                if exchange.hook is not None:
                    with contextlib.suppress(codec.CodecError):
                        _call(exchange.hook, opened, codec.scoped_pdu_at(opened)[0])
                result = (message, target.answer(opened, encrypted=not message.plain))
        exchange.future.set_result(result)  # type: ignore[union-attr]

    async def _wait(self, exchange: Exchange) -> Any:
        try:
            return await exchange.future  # type: ignore[misc]
        finally:
            self.cancel(exchange)

    async def finish(self, exchange: Exchange) -> Answer:
        target = self._target
        if exchange.message is None:  # discovery: one unauthenticated request, answered by a report
            discovery = Exchange(self, "get", [], 0, None)
            discovery.discovery = True
            msg_id = _next_request_id()
            self._register(discovery, msg_id, target.encode(msg_id, _PDU.pdu(codec.GET, _next_request_id(), [])))
            answer = await self._wait(discovery)
            if answer is None:
                return errind.requestTimedOut, 0, 0, []
            if isinstance(answer, codec.CodecError):
                return answer, 0, 0, []
            if not answer[0].engine_id:
                return errind.unknownEngineID, 0, 0, []
            target.learn(answer[0])
            exchange = self.start(exchange.kind, exchange.oids, exchange.max_repetitions, exchange.hook)
        for attempt in range(2):
            answer = await self._wait(exchange)
            if answer is None:
                return errind.requestTimedOut, 0, 0, []
            if isinstance(answer, codec.CodecError):
                return answer, 0, 0, []
            message, result = answer
            if isinstance(result, errind.NotInTimeWindow) and attempt == 0:
                target.learn(message)  # the report carries the engine's boots and time
                exchange = self.start(exchange.kind, exchange.oids, exchange.max_repetitions, exchange.hook)
                continue
            if isinstance(result, errind.ErrorIndication):
                return result, 0, 0, []
            return None, result.error_status, result.error_index, result.varbinds
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
            self._socket.close()
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
