"""Source scopes: within whose authority a device id is looked up.

A device id (an agent's ``deviceid``, a collector's ``snmp-sn-…``) is not a secret: anyone can
send it. So a source is always found within the scope of the reporter that sends it:

- ``member:<id>``: a member's enrolment tokens (every agent and collector of the member);
- ``quarantine``: inventories sent without a token;
- ``token:<id>``: a collected device known only by its address (``snmp-ip-…``), for the one
  collector that polls it (every commune has a 192.168.1.1).

An asset's sources follow it: when the DSIT gives an asset to a member (quarantine assignment,
a move, a conflict resolved), its member- and quarantine-scoped sources are re-scoped to that
member, so that the member's tokens keep updating it and nobody else's do.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, exists, update

from .models import InventorySource

QUARANTINE = "quarantine"
ADDRESS_ONLY_PREFIXES = ("snmp-ip-", "ssh-ip-")
SOURCE = InventorySource.__table__


def member_scope(member_id: int | None) -> str:
    return QUARANTINE if member_id is None else f"member:{member_id}"


def token_scope(token_id: int) -> str:
    return f"token:{token_id}"


def is_address_only(device_id: str) -> bool:
    return device_id.startswith(ADDRESS_ONLY_PREFIXES)


def rescope(connection: Connection, asset_ids: list[int], member_id: int) -> None:
    """Give the member- and quarantine-scoped sources of these assets to ``member_id``.

    A source whose id the member already uses on another asset keeps its scope (the unique key
    would clash): its reports then stay with that other asset.
    """
    if not asset_ids:
        return
    target = member_scope(member_id)
    other = SOURCE.alias("other")
    clash = exists().where(and_(other.c.kind == SOURCE.c.kind, other.c.key == SOURCE.c.key, other.c.scope == target))
    statement = (
        update(SOURCE)
        .where(SOURCE.c.asset_id.in_(asset_ids), SOURCE.c.scope != target, ~SOURCE.c.scope.like("token:%"), ~clash)
        .values(scope=target)
    )
    connection.execute(statement)
