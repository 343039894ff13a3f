"""Hostile agent requests for fuzzing the inventory endpoint, as hypothesis strategies.

Shared by ``tests/server/ingest/test_fuzz.py`` (a few hundred cases in ``make test``) and
``bench/fuzz_ingest.py`` (10,000). Each case is a body and a Content-Type: malformed or
truncated JSON and XML, valid inventories with values of the wrong type, huge strings, deep
nesting, duplicated keys, invalid UTF-8, compressed or mislabelled, corrupted streams and
decompression bombs. What the server must do with them: answer below 500 and, when it refuses
one, write nothing.
"""

from __future__ import annotations

import copy
import gzip
import json
import zlib
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from hypothesis import strategies as st

from tests.utils import EXAMPLES
from wire.compression import declared_encoding, decompress


@dataclass(frozen=True)
class FuzzCase:
    kind: str
    body: bytes
    content_type: str | None

    def __repr__(self) -> str:  # hypothesis prints failing cases: keep them short
        return f"FuzzCase({self.kind!r}, {self.body[:120]!r}... ({len(self.body)} bytes), {self.content_type!r})"


CONTENT_TYPES = [
    None,
    "application/json",
    "application/xml",
    "application/x-compress-zlib",
    "application/x-compress-gzip",
    "application/x-zlib",
    "application/gzip",
    "text/plain; charset=latin-1",
    "multipart/form-data; boundary=x",
]


@cache
def _examples() -> tuple[dict[str, Any], ...]:
    return tuple(json.loads(path.read_text("utf-8")) for path in sorted(EXAMPLES.glob("*.json")))


@cache
def _bomb(kind: str) -> bytes:
    """Small bodies that decompress to far more than the server's 20 MiB limit."""
    inflated = b'{"action":"inventory","deviceid":"bomb","content":{"x":"' + b"0" * (64 * 1024 * 1024)
    return zlib.compress(inflated, 9) if kind == "zlib" else gzip.compress(inflated, 9)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    """Every path to a value inside an inventory (dict keys and list indexes)."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value[:3]):
            found += _paths(child, (*prefix, index))
    return found


def _replace(document: Any, path: tuple, value: Any) -> Any:  # type: ignore[type-arg]
    copied = copy.deepcopy(document)
    target = copied
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copied


@st.composite
def wrong_types(draw: st.DrawFn) -> FuzzCase:
    """A real inventory with one value anywhere replaced by any JSON value (or removed)."""
    inventory = draw(st.sampled_from(_examples()))
    path = draw(st.sampled_from(_paths(inventory)))
    value = draw(json_values)
    changed = _replace(inventory, path, value)
    return FuzzCase("wrong type", json.dumps(changed).encode(), "application/json")


@st.composite
def huge_strings(draw: st.DrawFn) -> FuzzCase:
    inventory = draw(st.sampled_from(_examples()))
    path = draw(st.sampled_from(_paths(inventory)))
    size = draw(st.sampled_from([300, 5_000, 70_000, 1_000_000, 6_000_000]))
    character = draw(st.sampled_from(["x", "é", "\u202e", "\x00", "😀"]))
    changed = _replace(inventory, path, character * size)
    return FuzzCase("huge string", json.dumps(changed).encode(), "application/json")


@st.composite
def deep_nesting(draw: st.DrawFn) -> FuzzCase:
    depth = draw(st.sampled_from([100, 1_000, 20_000, 200_000]))
    opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}")]))
    body = b'{"action":"inventory","deviceid":"deep","content":{"hardware":' + opener * depth + b"1" + closer * depth
    body += b"}}"
    xml = draw(st.booleans())
    if xml:
        body = b"<REQUEST><DEVICEID>deep</DEVICEID><QUERY>INVENTORY</QUERY><CONTENT>"
        body += b"<A>" * depth + b"x" + b"</A>" * depth + b"</CONTENT></REQUEST>"
    return FuzzCase("deep nesting", body, "application/xml" if xml else "application/json")


@st.composite
def duplicated_keys(draw: st.DrawFn) -> FuzzCase:
    inventory = draw(st.sampled_from(_examples()))
    text = json.dumps(inventory)
    key = draw(st.sampled_from(["deviceid", "content", "action", "itemtype"]))
    duplicate = json.dumps(draw(json_values))
    text = text.replace(f'"{key}": ', f'"{key}": {duplicate}, "{key}": ', 1)
    return FuzzCase("duplicated keys", text.encode(), "application/json")


@st.composite
def truncated(draw: st.DrawFn) -> FuzzCase:
    body = json.dumps(draw(st.sampled_from(_examples()))).encode()
    cut = draw(st.integers(min_value=0, max_value=len(body) - 1))
    return FuzzCase("truncated", body[:cut], draw(st.sampled_from(CONTENT_TYPES)))


@st.composite
def json_lexical(draw: st.DrawFn) -> FuzzCase:
    """Valid inventories with lexical traps: invalid UTF-8, lone surrogates, NaN, 1e400, NUL."""
    inventory = draw(st.sampled_from(_examples()))
    path = draw(st.sampled_from(_paths(inventory)))
    marker = "@@FUZZ@@"
    text = json.dumps(_replace(inventory, path, marker)).encode()
    trap = draw(st.sampled_from([b"NaN", b"Infinity", b"1e400", b"-0", b'"\\ud800"', b'"\xff\xfe"', b'"\x00"',
                                 b"123456789012345678901234567890", b'"\\u0000"', b"[]", b"{}"]))  # fmt: skip
    return FuzzCase("lexical", text.replace(f'"{marker}"'.encode(), trap), "application/json")


xml_names = st.sampled_from(["REQUEST", "QUERY", "DEVICEID", "CONTENT", "HARDWARE", "BIOS", "SOFTWARES", "NAME",
                             "SSN", "CPUS", "STORAGES", "x", "REQUEST:x"])  # fmt: skip
xml_texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=30) | st.sampled_from(
    ["INVENTORY", "PROLOG", "SNMPQUERY", "&amp;", "&xxe;", "]]>", "<![CDATA[x]]>", "&#0;", "&#xD800;"]
)


def _xml_element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(
        lambda name, inner: f"<{name}>{''.join(inner)}</{name}>", xml_names, st.lists(children, max_size=4)
    )


@st.composite
def xml_documents(draw: st.DrawFn) -> FuzzCase:
    tree = draw(st.recursive(xml_texts, _xml_element, max_leaves=15))
    prefix = draw(st.sampled_from([
        "", '<?xml version="1.0" encoding="UTF-8"?>', '<?xml version="1.0" encoding="ISO-8859-1"?>',
        '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    ]))  # fmt: skip
    body = f"{prefix}<REQUEST><DEVICEID>fuzz-xml</DEVICEID><QUERY>INVENTORY</QUERY>{tree}</REQUEST>"
    return FuzzCase("xml", body.encode(), draw(st.sampled_from(CONTENT_TYPES)))


garbage = st.builds(lambda body, ctype: FuzzCase("garbage", body, ctype), st.binary(max_size=2_000),
                    st.sampled_from(CONTENT_TYPES))  # fmt: skip
bombs = st.builds(lambda kind, ctype: FuzzCase(f"{kind} bomb", _bomb(kind), ctype), st.sampled_from(["zlib", "gzip"]),
                  st.sampled_from(CONTENT_TYPES))  # fmt: skip

plain_cases = st.one_of(
    wrong_types(), huge_strings(), deep_nesting(), duplicated_keys(), truncated(), json_lexical(), xml_documents(),
    garbage,
)  # fmt: skip


@st.composite
def compressed(draw: st.DrawFn) -> FuzzCase:
    """Any case above, compressed (zlib or gzip), possibly mislabelled and possibly corrupted."""
    case = draw(plain_cases)
    kind = draw(st.sampled_from(["zlib", "gzip"]))
    body = zlib.compress(case.body) if kind == "zlib" else gzip.compress(case.body)
    if draw(st.booleans()):
        position = draw(st.integers(min_value=0, max_value=len(body) - 1))
        body = body[:position] + bytes([body[position] ^ 0xFF]) + body[position + 1 :]
    return FuzzCase(f"{kind} {case.kind}", body, draw(st.sampled_from(CONTENT_TYPES)))


hostile_requests = st.one_of(plain_cases, compressed(), bombs)


# -- the harness: send cases, check what the server did ---------------------------------------


def _fingerprint_query():  # type: ignore[no-untyped-def]
    from sqlalchemy import func, select

    from server.assets.components import COMPONENT_TABLES
    from server.assets.models import Asset, AssetChange, InventorySource

    tables = [Asset.__table__, InventorySource.__table__, AssetChange.__table__, *COMPONENT_TABLES.values()]
    return select(*(select(func.count()).select_from(t).scalar_subquery() for t in tables))


@dataclass
class FuzzReport:
    cases: int = 0
    refused: int = 0
    unsupported: int = 0
    accepted: int = 0
    server_errors: int = 0
    partial_writes: int = 0
    valid_sent: int = 0
    valid_refused: int = 0
    failures: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"{self.cases} hostile cases: {self.refused} refused (4xx), {self.unsupported} unsupported action "
                f"or query (501, as GLPI), {self.accepted} accepted, "
                f"{self.server_errors} server errors (5xx), {self.partial_writes} partial writes; "
                f"{self.valid_sent} valid inventories sent in between, {self.valid_refused} refused")  # fmt: skip


class FuzzHarness:
    """Posts hostile cases through an HTTP client (TestClient or httpx) and checks each outcome.

    Every ``valid_every`` cases a valid inventory of a new machine is sent: all must be stored.
    A refused case must leave every inventory table exactly as it was.
    """

    PATH = "/front/inventory.php"

    def __init__(self, client: Any, engine: Any, token: str, valid_every: int = 10) -> None:
        self.client, self.engine, self.token, self.valid_every = client, engine, token, valid_every
        self.report = FuzzReport()
        self._query = _fingerprint_query()

    def fingerprint(self) -> tuple[int, ...]:
        with self.engine.connect() as connection:
            return tuple(connection.execute(self._query).one())

    def _post(self, body: bytes, content_type: str | None) -> Any:
        headers = {"Content-Type": content_type} if content_type else {}
        return self.client.post(f"/t/{self.token}{self.PATH}", content=body, headers=headers)

    def send(self, case: FuzzCase) -> int:
        report = self.report
        before = self.fingerprint()
        response = self._post(case.body, case.content_type)
        report.cases += 1
        answer = decompress(response.content, declared_encoding(response.headers.get("content-type")), 2**20)
        if response.status_code == 501 and b"not served by this server" in answer:
            report.unsupported += 1  # the protocol's answer to an action or query we do not serve
            if self.fingerprint() != before:
                report.partial_writes += 1
                report.failures.append(f"refused (501) but tables changed: {case!r}")
        elif response.status_code >= 500:
            report.server_errors += 1
            report.failures.append(f"{response.status_code} for {case!r}: {response.content[:200]!r}")
        elif response.status_code >= 400:
            report.refused += 1
            if self.fingerprint() != before:
                report.partial_writes += 1
                report.failures.append(f"refused ({response.status_code}) but tables changed: {case!r}")
        else:
            report.accepted += 1
        if report.cases % self.valid_every == 0:
            self.send_valid()
        return response.status_code

    def send_valid(self) -> None:
        number = self.report.valid_sent
        inventory = copy.deepcopy(_examples()[0])
        inventory["deviceid"] = f"fuzz-valid-{number}"
        inventory["content"]["bios"]["ssn"] = f"FUZZ{number:06d}"
        inventory["content"]["hardware"]["name"] = f"fuzz-pc-{number}"
        response = self._post(zlib.compress(json.dumps(inventory).encode()), "application/x-compress-zlib")
        self.report.valid_sent += 1
        if response.status_code != 200:
            self.report.valid_refused += 1
            self.report.failures.append(f"valid inventory {number} refused: {response.status_code} {response.text}")

    def valid_stored(self) -> int:
        from sqlalchemy import func, select

        from server.assets.models import InventorySource

        query = select(func.count()).where(InventorySource.key.like("fuzz-valid-%"))
        with self.engine.connect() as connection:
            return connection.execute(query).scalar_one()
