"""Discovery sweep: which addresses of the configured ranges answer, and what they are.

Each address gets an ICMP echo (when the system allows it) and an SNMP GET of the system group
with each discovery credential in turn; a device that answers SNMP is identified with the
profiles. The server compares what answered with its inventory and lists the rest "to audit"
(seed 004: unaudited equipment is not tolerated on the network).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from .config import CollectorConfig
from .errors import CollectorError
from .icmp import Pinger
from .profiles import Profile
from .snmp.detect import identify
from .snmp.session import Channels, SnmpSession
from .snmp.transforms import SIMPLE

IF_PHYS_ADDRESS, IF_TYPE = "1.3.6.1.2.1.2.2.1.6", "1.3.6.1.2.1.2.2.1.3"
ETHERNET = 6


@dataclass
class Discovered:
    address: str
    via: list[str] = field(default_factory=list)  # "icmp", "snmp"
    mac: str | None = None
    sys_name: str | None = None
    sys_descr: str | None = None
    sys_object_id: str | None = None
    profile: str | None = None  # None: answers, but no profile knows it
    asset_type: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, [])}


@dataclass
class SweepResult:
    addresses: int = 0
    found: list[Discovered] = field(default_factory=list)
    icmp: bool = False  # whether ICMP could be used


async def _snmp_identity(channels: Channels, address: str, port: int, config: CollectorConfig,
                         profiles: dict[str, Profile], found: Discovered) -> None:  # fmt: skip
    for name in config.discovery_credentials:
        credential = config.credentials[name]
        session = SnmpSession(channels, address, credential, port=port,
                              timeout=config.discovery_timeout, retries=0, max_rows=16)  # fmt: skip
        try:
            ident = await identify(session, profiles)
        except (CollectorError, LookupError):
            continue
        found.via.append("snmp")
        found.sys_name, found.sys_descr, found.sys_object_id = ident.sys_name, ident.sys_descr, ident.sys_object_id
        if not ident.generic:
            found.profile, found.asset_type = ident.profile.id, ident.profile.asset_type
        try:  # the first Ethernet MAC, to recognise the device in the inventory
            walked = await session.walk([IF_TYPE, IF_PHYS_ADDRESS])
        except CollectorError:
            return
        types = walked.get(IF_TYPE, {})
        macs = [
            SIMPLE["mac"](mac) for index, mac in walked.get(IF_PHYS_ADDRESS, {}).items() if types.get(index) == ETHERNET
        ]
        found.mac = next((mac for mac in macs if mac), None)
        return


async def sweep(addresses: list[str], config: CollectorConfig, profiles: dict[str, Profile],
                progress: Callable[[Discovered | None], None] | None = None) -> SweepResult:  # fmt: skip
    """Probe every address (bounded concurrency); ``progress`` is called once per address."""
    result = SweepResult(addresses=len(addresses))
    pinger = Pinger.open() if config.discovery_icmp else None
    result.icmp = pinger is not None
    channels = Channels()
    limit = asyncio.Semaphore(config.concurrency)

    async def probe(address: str) -> None:
        found = Discovered(address)
        async with limit:
            if pinger is not None and await pinger.ping(address, config.discovery_timeout):
                found.via.append("icmp")
            await _snmp_identity(channels, address, config.discovery_port, config, profiles, found)
        if found.via:
            result.found.append(found)
        if progress:
            progress(found if found.via else None)

    try:
        await asyncio.gather(*(probe(a) for a in addresses))
    finally:
        if pinger is not None:
            await pinger.close()
        channels.close()
    result.found.sort(key=lambda d: tuple(int(p) for p in d.address.split(".") if p.isdigit()))
    return result
