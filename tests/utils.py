"""Factories and helpers for tests: members, tokens, users, inventories."""

from __future__ import annotations

import copy
import gzip
import json
import zlib
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from server.accounts import crud as accounts
from server.accounts.models import EnrolmentTokenCreate, Role, TokenKind
from server.core.db import transaction
from server.tenancy import crud as tenancy
from server.tenancy.models import MemberCreate, SiteCreate

PROJECT = Path(__file__).resolve().parents[1]
EXAMPLES = PROJECT / "vendor" / "glpi-inventory" / "examples"
SCHEMA = PROJECT / "wire" / "data" / "inventory.schema.json"


def example(name: str) -> dict[str, Any]:
    return json.loads((EXAMPLES / f"{name}.json").read_text("utf-8"))


def make_member(engine: Engine, name: str = "Servon", **fields: Any) -> int:
    with transaction(engine) as session:
        return tenancy.create_member(session=session, member_in=MemberCreate(name=name, **fields)).id


def make_site(engine: Engine, member_id: int, name: str = "Mairie") -> int:
    with transaction(engine) as session:
        return tenancy.create_site(session=session, site_in=SiteCreate(member_id=member_id, name=name)).id


def make_enrolment_token(engine: Engine, member_id: int, *, site_id: int | None = None, kind: str = "agent") -> str:
    with transaction(engine) as session:
        token_in = EnrolmentTokenCreate(member_id=member_id, site_id=site_id, kind=TokenKind(kind), label="test")
        return accounts.create_enrolment_token(session=session, token_in=token_in, created_by="test")[1]


def make_user(
    engine: Engine, username: str, *, role: str = "admin", member_id: int | None = None, password: str | None = None
) -> dict[str, str]:
    """Create a user with an API token; returns its Authorization headers."""
    with transaction(engine) as session:
        user = accounts.create_user(
            session=session, username=username, role=Role(role), member_id=member_id, password=password
        )
        token = accounts.create_api_token(session=session, user=user, name="test")[1]
    return {"Authorization": f"Bearer {token}"}


def encode(obj: dict[str, Any] | bytes, encoding: str = "zlib") -> tuple[bytes, str]:
    body = obj if isinstance(obj, bytes) else json.dumps(obj).encode()
    if encoding == "zlib":
        return zlib.compress(body), "application/x-compress-zlib"
    if encoding == "gzip":
        return gzip.compress(body), "application/x-compress-gzip"
    return body, "application/json"


def post_inventory(
    client,
    obj: dict[str, Any] | bytes,
    *,
    token: str | None = None,
    encoding: str = "zlib",
    path: str = "/front/inventory.php",
    headers: dict[str, str] | None = None,
):  # type: ignore[no-untyped-def]
    body, content_type = encode(obj, encoding)
    url = f"/t/{token}{path}" if token else path
    return client.post(url, content=body, headers={"Content-Type": content_type, **(headers or {})})


def answer_json(response) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Decode an agent-endpoint answer as an agent would (by Content-Type)."""
    content = response.content
    content_type = response.headers.get("content-type", "")
    if content_type.startswith("application/x-compress-zlib"):
        content = zlib.decompress(content)
    elif content_type.startswith("application/x-compress-gzip"):
        content = gzip.decompress(content)
    return json.loads(content)


def variant(inventory: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of an inventory with ``deviceid`` and content sections changed.

    ``changes`` keys are ``deviceid`` or ``section__field`` (one-record sections), e.g.
    ``bios__ssn="X"``, ``hardware__name="pc2"``.
    """
    copied = copy.deepcopy(inventory)
    for key, value in changes.items():
        if key == "deviceid":
            copied["deviceid"] = value
            continue
        section, field = key.split("__", 1)
        if value is None:
            copied["content"].get(section, {}).pop(field, None)
        else:
            copied["content"].setdefault(section, {})[field] = value
    return copied
