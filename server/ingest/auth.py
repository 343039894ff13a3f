"""Which member an agent or collector reports for: its enrolment token.

The token can come in the URL (``/t/<token>/...``, works with every agent unchanged), in an
``X-Mutuparc-Token`` or ``Authorization: Bearer`` header, or as the agent's ``--tag``.
Without a token the inventory goes to quarantine, unless the server is set to refuse it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, or_, select, update

from server.accounts.models import EnrolmentToken, TokenKind
from server.assets.sources import is_address_only, member_scope, token_scope
from server.core.clock import utcnow
from server.core.config import Settings
from server.core.errors import DomainError, Forbidden, Unauthorized
from server.core.security import ENROLMENT_TOKEN_PREFIX, token_hash

LAST_USED_RESOLUTION = dt.timedelta(minutes=1)
TOKENS = EnrolmentToken.__table__


@dataclass(frozen=True, slots=True)
class Reporter:
    """Who sent an inventory, as far as the server can tell."""

    member_id: int | None = None
    site_id: int | None = None
    token_id: int | None = None
    kind: TokenKind | None = None
    label: str | None = None

    @property
    def quarantined(self) -> bool:
        return self.member_id is None

    def scope_for(self, device_id: str) -> str:
        """Where this reporter's device ids are looked up (see ``server.assets.sources``)."""
        if self.member_id is not None and self.token_id is not None and is_address_only(device_id):
            return token_scope(self.token_id)
        return member_scope(self.member_id)


ANONYMOUS = Reporter(label="anonymous")


def token_from_request(path_token: str | None, headers: Mapping[str, str]) -> str | None:
    if path_token:
        return path_token
    if headers.get("x-mutuparc-token"):
        return headers["x-mutuparc-token"].strip()
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        return authorization[7:].strip()
    return None


def token_from_tag(tag: str | None) -> str | None:
    """An agent ``--tag`` is a token only if it looks like one; other tags are plain labels."""
    return tag if tag and tag.startswith(ENROLMENT_TOKEN_PREFIX) else None


def resolve_reporters(
    connection: Connection, tokens: Iterable[str | None], settings: Settings
) -> dict[str | None, Reporter | DomainError]:
    """The reporter of each token (one query for all), or the error to answer.

    Unknown tokens are Unauthorized (401), revoked ones Forbidden (403).
    """
    wanted = set(tokens)
    resolved: dict[str | None, Reporter | DomainError] = {}
    if None in wanted:
        resolved[None] = (
            Unauthorized(
                "an enrolment token is required: give the agent a server URL ending in /t/<token>/ "
                "or a tag holding the token"
            )
            if settings.anonymous_inventory == "reject"
            else ANONYMOUS
        )
        wanted.discard(None)
    if not wanted:
        return resolved
    by_hash = {token_hash(t): t for t in wanted if t}
    rows = connection.execute(select(TOKENS).where(TOKENS.c.token_hash.in_(list(by_hash)))).mappings().all()
    found = {by_hash[row["token_hash"]]: row for row in rows}
    now = utcnow()
    used = []
    for token in wanted:
        row = found.get(token)
        if row is None:
            resolved[token] = Unauthorized("unknown enrolment token")
        elif row["revoked_at"] is not None:
            resolved[token] = Forbidden(f"enrolment token '{row['label']}' was revoked on {row['revoked_at']:%Y-%m-%d}")
        else:
            resolved[token] = Reporter(row["member_id"], row["site_id"], row["id"], row["kind"], row["label"])
            used.append(row["id"])
    if used:
        # Record use at most once a minute: every agent of a member shares the token row.
        connection.execute(
            update(TOKENS)
            .where(
                TOKENS.c.id.in_(used),
                or_(TOKENS.c.last_used_at.is_(None), TOKENS.c.last_used_at < now - LAST_USED_RESOLUTION),
            )
            .values(last_used_at=now)
        )
    return resolved


def resolve_reporter(connection: Connection, token: str | None, settings: Settings) -> Reporter:
    """The reporter for one token; raises Unauthorized (unknown) or Forbidden (revoked)."""
    result = resolve_reporters(connection, [token], settings)[token]
    if isinstance(result, DomainError):
        raise result
    return result
