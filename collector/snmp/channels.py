"""How requests reach a device, with pysnmp: credentials, and one channel per device.

Communities (SNMPv1/v2c) go through pysnmp's light ``v1arch`` dispatcher, shared by the whole
run. SNMPv3 needs the full engine (USM: keys, engine discovery, time windows): one engine per
SNMPv3 identity, because an engine knows a user by name only and two credentials may use the
same name with different keys. Requests carry numeric OIDs as they are: the high-level API's
MIB resolution of each requested OID would cost a quarter of a poll's CPU.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from pysnmp.entity.rfc3413 import cmdgen
from pysnmp.hlapi.v1arch import asyncio as v1arch
from pysnmp.hlapi.v3arch import asyncio as v3arch
from pysnmp.hlapi.v3arch.asyncio.lcd import CommandGeneratorLcdConfigurator
from pysnmp.proto.rfc1902 import Null, ObjectName

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
_LCD = CommandGeneratorLcdConfigurator()
_GENERATORS = {"get": cmdgen.GetCommandGenerator(), "next": cmdgen.NextCommandGenerator()}
_BULK = cmdgen.BulkCommandGenerator()
_NULL = Null("")

# (errorIndication, errorStatus, errorIndex, [(OID, value), ...])
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


class CommunityChannel:
    def __init__(self, dispatcher: v1arch.SnmpDispatcher, credential: Credential, target: Any) -> None:
        self._dispatcher = dispatcher
        self._auth = v1arch.CommunityData(
            credential.community or "public", mpModel=0 if credential.version == "1" else 1
        )
        self._target = target

    async def request(self, kind: str, oids: list[tuple[int, ...]], max_repetitions: int = 0) -> Answer:
        varbinds = [(ObjectName(oid), _NULL) for oid in oids]
        if kind == "bulk":
            error, status, index, found = await v1arch.bulk_cmd(
                self._dispatcher, self._auth, self._target, 0, max_repetitions, *varbinds, lookupMib=False
            )
        else:
            command = v1arch.get_cmd if kind == "get" else v1arch.next_cmd
            error, status, index, found = await command(self._dispatcher, self._auth, self._target, *varbinds,
                                                        lookupMib=False)  # fmt: skip
        return error, status, index, [(vb[0], vb[1]) for vb in found]


class UsmChannel:
    def __init__(self, engine: v3arch.SnmpEngine, credential: Credential, target: Any) -> None:
        self._engine = engine
        self._auth = v3arch.UsmUserData(
            credential.user or "",
            authKey=credential.auth_key,
            privKey=credential.priv_key,
            authProtocol=AUTH_PROTOCOLS[credential.auth_protocol] if credential.auth_key else v3arch.usmNoAuthProtocol,
            privProtocol=PRIV_PROTOCOLS[credential.priv_protocol] if credential.priv_key else v3arch.usmNoPrivProtocol,
        )
        self._target = target

    async def request(self, kind: str, oids: list[tuple[int, ...]], max_repetitions: int = 0) -> Answer:
        address, _ = _LCD.configure(self._engine, self._auth, self._target, b"")
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()

        def done(_engine, _handle, error, status, index, varbinds, _context) -> None:  # type: ignore[no-untyped-def]
            if not future.done():
                future.set_result((error, status, index, list(varbinds or [])))

        varbinds = [(ObjectName(oid), _NULL) for oid in oids]
        if kind == "bulk":
            _BULK.send_varbinds(self._engine, address, None, b"", 0, max_repetitions, varbinds, done)
        else:
            _GENERATORS[kind].send_varbinds(self._engine, address, None, b"", varbinds, done)
        return await future


Channel = CommunityChannel | UsmChannel


class Channels:
    """Everything a run talks through; ``close()`` it at the end of the run."""

    def __init__(self) -> None:
        self._dispatcher: v1arch.SnmpDispatcher | None = None
        self._engines: dict[tuple[str | None, ...], v3arch.SnmpEngine] = {}

    async def open(self, credential: Credential, host: str, port: int, *, timeout: float, retries: int) -> Channel:
        if credential.is_community:
            if self._dispatcher is None:
                self._dispatcher = v1arch.SnmpDispatcher()
            target = await v1arch.UdpTransportTarget.create((host, port), timeout=timeout, retries=retries)
            return CommunityChannel(self._dispatcher, credential, target)
        engine = self._engines.get(credential.usm_key())
        if engine is None:
            engine = self._engines[credential.usm_key()] = v3arch.SnmpEngine()
        target = await v3arch.UdpTransportTarget.create((host, port), timeout=timeout, retries=retries)
        return UsmChannel(engine, credential, target)

    def close(self) -> None:
        if self._dispatcher is not None:
            # Requests a device deadline abandoned are still pending; pysnmp 7.1 would call their
            # callbacks with the wrong arguments on close(). Nobody waits for them any more.
            self._dispatcher._pendingReqs.clear()
            self._dispatcher.close()
            self._dispatcher = None
        for engine in self._engines.values():
            engine.close_dispatcher()
        self._engines.clear()
