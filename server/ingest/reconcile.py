"""Reconciliation: which existing asset, if any, an unknown reporter describes.

Keys are tried in order of strength: manufacturer + serial, system UUID, MAC of a physical
interface, then name within the same member. A candidate is refused when a stronger key
contradicts it (same name but a different real serial is another machine). Junk values never
match (see ``wire.identity``).

``Candidates`` fetches, in two queries, every asset that could match any of a batch's new
reporters; matching is then done in memory, where assets created earlier in the same batch are
candidates too (two agents of one machine arriving together still make one asset).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, bindparam, or_, select, union

from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset

from .identity import Identity

ASSET = Asset.__table__
_INTERFACES, _DEVICES = COMPONENT_TABLES["networks"], COMPONENT_TABLES["network_device"]
_EMPTY: list[str] = []

_CANDIDATES = select(ASSET).where(
    ASSET.c.merged_into_id.is_(None),
    or_(
        ASSET.c.serial_key.in_(bindparam("serials", expanding=True)),
        ASSET.c.uuid_key.in_(bindparam("uuids", expanding=True)),
        ASSET.c.name_key.in_(bindparam("names", expanding=True)),
        ASSET.c.id.in_(bindparam("mac_owners", expanding=True)),
    ),
)
_MAC_OWNERS = union(
    select(_INTERFACES.c.asset_id, _INTERFACES.c.mac).where(
        _INTERFACES.c.mac.in_(bindparam("macs", expanding=True)),
        or_(_INTERFACES.c.virtual.is_(None), _INTERFACES.c.virtual.is_(False)),
    ),
    select(_DEVICES.c.asset_id, _DEVICES.c.mac).where(_DEVICES.c.mac.in_(bindparam("macs", expanding=True))),
)


@dataclass(slots=True)
class Match:
    asset: dict[str, Any]
    reason: str  # serial | uuid | mac | name
    value: str


def _contradicts(asset: Mapping[str, Any], identity: Identity, *, check_maker: bool = False) -> bool:
    pairs = [(asset["serial_key"], identity.serial_key), (asset["uuid_key"], identity.uuid_key)]
    if check_maker:
        pairs.append((asset["manufacturer_key"], identity.manufacturer_key))
    return any(mine and theirs and mine != theirs for mine, theirs in pairs)


def _most_recent_first(asset: Mapping[str, Any]) -> tuple[bool, float, int]:
    seen = asset["last_seen"]
    return (seen is None, -seen.timestamp() if seen else 0.0, asset["id"])


@dataclass(slots=True)
class Candidates:
    assets: list[dict[str, Any]] = field(default_factory=list)
    macs: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def fetch(cls, connection: Connection, identities: Iterable[Identity]) -> Candidates:
        identities = list(identities)
        serials = sorted({i.serial_key for i in identities if i.serial_key})
        uuids = sorted({i.uuid_key for i in identities if i.uuid_key})
        names = sorted({i.name_key for i in identities if i.name_key})
        macs = sorted({m for i in identities for m in i.macs})
        found = cls()
        if macs:
            for asset_id, mac in connection.execute(_MAC_OWNERS, {"macs": macs}):
                found.macs[asset_id].add(mac)
        if serials or uuids or names or found.macs:
            params = {
                "serials": serials or _EMPTY,
                "uuids": uuids or _EMPTY,
                "names": names or _EMPTY,
                "mac_owners": sorted(found.macs) or [-1],
            }
            found.assets = [dict(row) for row in connection.execute(_CANDIDATES, params).mappings()]
            found.assets.sort(key=_most_recent_first)
        return found

    def add(self, asset: dict[str, Any], identity: Identity) -> None:
        """An asset created in this batch becomes a candidate for the next reporters."""
        self.assets.insert(0, asset)
        self.macs[asset["id"]].update(identity.macs)

    def match(self, identity: Identity, member_id: int | None) -> Match | None:
        """The asset ``identity`` describes among those the reporter may attach to, or None.

        With a member's token: that member's assets and the quarantine (claimed on match).
        Without a token: any asset, which keeps its member. Name matching is weaker: same member
        only (the quarantine only, without a token), and only when exactly one asset has the name.
        """
        serial, uuid, name, macs = identity.serial_key, identity.uuid_key, identity.name_key, set(identity.macs)
        visible = [a for a in self.assets if member_id is None or a["member_id"] in (member_id, None)]
        for asset in visible:
            if serial and asset["serial_key"] == serial and not _contradicts(asset, identity, check_maker=True):
                return Match(asset, "serial", serial)
        for asset in visible:
            if uuid and asset["uuid_key"] == uuid and not _contradicts(asset, identity):
                return Match(asset, "uuid", uuid)
        for asset in visible:
            if macs & self.macs.get(asset["id"], set()) and not _contradicts(asset, identity):
                return Match(asset, "mac", ",".join(sorted(macs)))
        named = [
            a
            for a in visible
            if name and a["name_key"] == name and a["member_id"] == member_id and not _contradicts(a, identity)
        ]
        if len(named) == 1:  # two machines of one member with that name: too weak to pick one
            return Match(named[0], "name", name)
        return None


def find_match(connection: Connection, identity: Identity, member_id: int | None) -> Match | None:
    return Candidates.fetch(connection, [identity]).match(identity, member_id)
