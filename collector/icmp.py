"""ICMP echo ("ping") for discovery sweeps, when the system lets this process send it.

Root (or CAP_NET_RAW) gets a raw socket; other users an unprivileged ICMP datagram socket when
``net.ipv4.ping_group_range`` includes their group. Otherwise ``Pinger.open`` returns None and
the sweep relies on SNMP alone. One socket serves every ping of a sweep: replies are matched
to their request by sequence number.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import struct
from itertools import count

ECHO_REQUEST, ECHO_REPLY = 8, 0


def _checksum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack(f"!{len(data) // 2}H", data))
    total = (total >> 16) + (total & 0xFFFF)
    total += total >> 16
    return ~total & 0xFFFF


def echo_request(identifier: int, sequence: int) -> bytes:
    payload = b"mutuparc-discovery"
    header = struct.pack("!BBHHH", ECHO_REQUEST, 0, 0, identifier, sequence)
    return struct.pack("!BBHHH", ECHO_REQUEST, 0, _checksum(header + payload), identifier, sequence) + payload


class Pinger:
    def __init__(self, sock: socket.socket, raw: bool) -> None:
        self._sock = sock
        self._raw = raw
        self._identifier = os.getpid() & 0xFFFF
        self._sequences = count(1)
        self._waiting: dict[int, tuple[str, asyncio.Future[bool]]] = {}
        self._reader: asyncio.Task[None] | None = None

    @classmethod
    def open(cls) -> Pinger | None:
        """A pinger, or None when this process may not send ICMP."""
        for kind, raw in ((socket.SOCK_RAW, True), (socket.SOCK_DGRAM, False)):
            try:
                sock = socket.socket(socket.AF_INET, kind, socket.IPPROTO_ICMP)
            except OSError:
                continue
            sock.setblocking(False)
            return cls(sock, raw)
        return None

    async def ping(self, address: str, timeout: float = 1.0) -> bool:
        """Whether ``address`` answers an echo request within ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        if self._reader is None:
            self._reader = loop.create_task(self._read_replies())
        sequence = next(self._sequences) & 0xFFFF
        future: asyncio.Future[bool] = loop.create_future()
        self._waiting[sequence] = (address, future)
        try:
            await loop.sock_sendto(self._sock, echo_request(self._identifier, sequence), (address, 0))
            return await asyncio.wait_for(future, timeout)
        except (TimeoutError, OSError):
            return False
        finally:
            self._waiting.pop(sequence, None)

    async def _read_replies(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            packet, (sender, _) = await loop.sock_recvfrom(self._sock, 2048)
            if self._raw:  # a raw socket hands over the IP header too
                packet = packet[(packet[0] & 0x0F) * 4 :]
            if len(packet) < 8:
                continue
            kind, _, _, identifier, sequence = struct.unpack("!BBHHH", packet[:8])
            # A datagram socket's identifier is chosen by the kernel; a raw one sees every reply.
            if kind != ECHO_REPLY or (self._raw and identifier != self._identifier):
                continue
            waiting = self._waiting.get(sequence)
            if waiting and waiting[0] == sender and not waiting[1].done():
                waiting[1].set_result(True)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        self._sock.close()
