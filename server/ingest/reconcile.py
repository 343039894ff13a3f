"""Reconciliation: which existing asset, if any, a new reporter describes, and what it resembles
that it may not touch.

Rules (each a test in tests/server/ingest/test_reconcile.py and test_authority.py):

- **Only the reporter's own assets**: a member's token matches that member's assets (and claims
  a quarantined one); an inventory without a token matches quarantined assets only. An asset of
  another member is never matched: a resemblance to it is a *conflict* for the DSIT.
- **Keys in order of strength**: manufacturer + serial, system UUID, MAC of a physical
  interface, then the name. Placeholder values never match (``wire.identity``,
  ``wire/data/placeholders.json``).
- **Never across incompatible types**: a firewall is not a switch, a UPS is not a NAS.
- **No match a stronger key contradicts**: same name but a different real serial (or UUID, or
  model) is another machine.
- **A name alone is not enough**: a name match needs the same model to corroborate it;
  otherwise it is proposed to the DSIT as a suspected duplicate (a conflict of kind ``name``)
  and the reporter gets an asset of its own.

``Candidates`` fetches, in two queries, every asset that could match any of a batch's new
reporters (whatever their member: conflicts need them); matching is then done in memory, where
assets created earlier in the same batch are candidates too (two agents of one machine arriving
together still make one asset).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, or_, select, union

from server.assets.components import COMPONENT_TABLES
from server.assets.models import Asset
from server.conflicts.models import ConflictKind

from .bulk import one_of, read_together
from .identity import Identity

ASSET = Asset.__table__
_INTERFACES, _DEVICES = COMPONENT_TABLES["networks"], COMPONENT_TABLES["network_device"]
_EMPTY: list[str] = []


def _mac_owners(pg: bool) -> Any:
    return union(
        select(_INTERFACES.c.asset_id, _INTERFACES.c.mac).where(
            one_of(_INTERFACES.c.mac, "macs", pg),
            or_(_INTERFACES.c.virtual.is_(None), _INTERFACES.c.virtual.is_(False)),
        ),
        select(_DEVICES.c.asset_id, _DEVICES.c.mac).where(one_of(_DEVICES.c.mac, "macs", pg)),
    )


def _candidates(pg: bool) -> Any:
    """Assets sharing a serial, a UUID, a name or a MAC: a union of ids, each part served by its
    own index (an OR of the four would read the whole table)."""
    owners = _mac_owners(pg).subquery()
    ids = union(
        select(ASSET.c.id).where(one_of(ASSET.c.serial_key, "serials", pg)),
        select(ASSET.c.id).where(one_of(ASSET.c.uuid_key, "uuids", pg)),
        select(ASSET.c.id).where(one_of(ASSET.c.name_key, "names", pg)),
        select(owners.c.asset_id),
    )
    return select(ASSET).where(ASSET.c.merged_into_id.is_(None), ASSET.c.id.in_(ids))


# Keyed by "is PostgreSQL"; the MAC owners and the candidates are read together.
_MAC_OWNERS = {pg: _mac_owners(pg) for pg in (False, True)}
_CANDIDATES = {pg: _candidates(pg) for pg in (False, True)}

# Asset types that can be one device seen two ways; every other pair is two devices. "other"
# (type unknown) goes with anything.
_FAMILIES = (
    {"workstation", "laptop", "tablet", "thin_client", "server", "hypervisor", "vm", "nas", "san"},
    {"printer", "copier"},
    {"switch", "router"},
)
_FAMILY = {kind: index for index, family in enumerate(_FAMILIES) for kind in family}


def compatible_types(first: str | None, second: str | None) -> bool:
    if not first or not second or first == second or "other" in (first, second):
        return True
    return first in _FAMILY and _FAMILY.get(first) == _FAMILY.get(second)


def model_key(model: object) -> str | None:
    """Letters and digits of a model name, lower case: ``XPS 13 9350`` -> ``xps139350``."""
    key = re.sub(r"[^a-z0-9]", "", str(model).lower()) if model else ""
    return key or None


@dataclass(slots=True)
class Match:
    asset: dict[str, Any]
    reason: str  # serial | uuid | mac | name
    value: str


@dataclass(slots=True)
class Resemblance:
    """An asset the reporter looks like but may not (or should not, without a person) join."""

    asset: dict[str, Any]
    kind: ConflictKind
    value: str


@dataclass(slots=True)
class Assessment:
    match: Match | None = None
    conflicts: list[Resemblance] = field(default_factory=list)


def _contradicts(asset: Mapping[str, Any], identity: Identity, *, check_maker: bool = False,
                 check_model: bool = False) -> bool:  # fmt: skip
    pairs = [(asset["serial_key"], identity.serial_key), (asset["uuid_key"], identity.uuid_key)]
    if check_maker:
        pairs.append((asset["manufacturer_key"], identity.manufacturer_key))
    if check_model:
        pairs.append((model_key(asset["model"]), model_key(identity.model)))
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
        if serials or uuids or names or macs:
            pg = connection.dialect.name == "postgresql"
            params = {"serials": serials or _EMPTY, "uuids": uuids or _EMPTY, "names": names or _EMPTY,
                      "macs": macs or _EMPTY}  # fmt: skip
            owners, found.assets = read_together(connection, [(_MAC_OWNERS[pg], {"macs": params["macs"]}),
                                                              (_CANDIDATES[pg], params)])  # fmt: skip
            for row in owners:
                found.macs[row["asset_id"]].add(row["mac"])
            found.assets.sort(key=_most_recent_first)
        return found

    def add(self, asset: dict[str, Any], identity: Identity) -> None:
        """An asset created in this batch becomes a candidate for the next reporters."""
        self.assets.insert(0, asset)
        self.macs[asset["id"]].update(identity.macs)

    def _strong(
        self, asset: Mapping[str, Any], identity: Identity, *, strict: bool = True
    ) -> tuple[ConflictKind, str] | None:
        """The strongest key ``identity`` shares with ``asset`` (no name). ``strict`` (to match):
        only if no other key contradicts it; else (to flag a conflict) any shared key will do."""
        if not compatible_types(asset["asset_type"], identity.asset_type):
            return None

        def clear(**checks: bool) -> bool:
            return not strict or not _contradicts(asset, identity, **checks)

        serial, uuid, macs = identity.serial_key, identity.uuid_key, set(identity.macs)
        if serial and asset["serial_key"] == serial and clear(check_maker=True):
            return ConflictKind.SERIAL, serial
        if uuid and asset["uuid_key"] == uuid and clear():
            return ConflictKind.UUID, uuid
        shared = macs & self.macs.get(asset["id"], set())
        if shared and clear():
            return ConflictKind.MAC, ",".join(sorted(shared))
        return None

    def assess(self, identity: Identity, member_id: int | None) -> Assessment:
        """The asset ``identity`` describes among those its reporter may write, and the others it
        resembles.

        A member's token may write its member's assets and claim quarantined ones; without a
        token, only quarantined assets. Everything else it resembles by a strong key is a
        conflict; a same-name record of its own member without a corroborating model is a
        suspected duplicate.
        """
        writable = [a for a in self.assets if a["member_id"] in (member_id, None)]
        result = Assessment()
        for asset in writable:
            strong = self._strong(asset, identity)
            # serial before UUID before MAC: the list is scanned once per key strength
            if strong is not None and (result.match is None or _stronger(strong[0], result.match.reason)):
                result.match = Match(asset, str(strong[0]), strong[1])
        if result.match is None and identity.name_key:
            result.match = self._by_name(identity, member_id, writable, result)
        matched = result.match.asset["id"] if result.match is not None else None
        for asset in self.assets:
            if asset["member_id"] in (member_id, None) or asset["id"] == matched:
                continue
            strong = self._strong(asset, identity, strict=False)
            if strong is not None:
                result.conflicts.append(Resemblance(asset, strong[0], strong[1]))
        return result

    @staticmethod
    def _by_name(identity: Identity, member_id: int | None, writable: list[dict[str, Any]],
                 result: Assessment) -> Match | None:  # fmt: skip
        named = [a for a in writable if a["name_key"] == identity.name_key and a["member_id"] == member_id
                 and compatible_types(a["asset_type"], identity.asset_type)
                 and not _contradicts(a, identity, check_model=True)]  # fmt: skip
        mine = model_key(identity.model)
        confirmed = [a for a in named if mine and model_key(a["model"]) == mine]
        if len(confirmed) == 1:
            return Match(confirmed[0], "name", identity.name_key or "")
        # The name alone (or several records with it): not enough to pick one, for a person to confirm.
        result.conflicts += [Resemblance(a, ConflictKind.NAME, identity.name_key or "") for a in named[:MAX_SUSPECTS]]
        return None


_STRENGTH = {"serial": 3, "uuid": 2, "mac": 1, "name": 0}
MAX_SUSPECTS = 5  # same-name records proposed at most for one new record


def _stronger(kind: str, than: str) -> bool:
    return _STRENGTH[str(kind)] > _STRENGTH[than]


def find_match(connection: Connection, identity: Identity, member_id: int | None) -> Match | None:
    return Candidates.fetch(connection, [identity]).assess(identity, member_id).match
