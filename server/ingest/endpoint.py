"""The agent endpoint: GLPI Agent JSON and FusionInventory XML, on GLPI's own URLs.

A plain Starlette endpoint (no FastAPI validation layer). Each request is decoded in a worker
thread; inventories then go to a ``Batcher`` that stores whatever arrived together in one
transaction, and each request is answered once its inventory is committed. Every failure is a
4xx/5xx with a body that names the problem, in the protocol and compression the agent used; see
``docs/agent-protocol.md`` for what each agent understands.
"""

from __future__ import annotations

import contextlib
import logging
import time
from dataclasses import dataclass

import orjson
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route

from server.assets.vocab import AssetSource
from server.core.config import Settings
from server.core.errors import DomainError
from server.monitoring.metrics import INGEST_REQUESTS, INGEST_SECONDS, outcome
from wire import protocol
from wire.compression import CONTENT_TYPES, Encoding, compress, declared_encoding
from wire.errors import PayloadTooLarge, WireError
from wire.model import Contact, Inventory, Prolog

from .auth import Reporter, resolve_reporters, token_from_request, token_from_tag
from .batcher import Batcher
from .decode import Decoded, decode
from .store import Item, StoreResult, archive, store_inventories

log = logging.getLogger("mutuparc.ingest")

# GLPI's URLs (core, and the glpiinventory / fusioninventory plugins), also under /t/<token>/.
AGENT_PATHS = (
    "/front/inventory.php",
    "/plugins/glpiinventory/",
    "/plugins/glpiinventory/front/communication.php",
    "/marketplace/glpiinventory/",
    "/marketplace/glpiinventory/front/communication.php",
    "/plugins/fusioninventory/",
    "/plugins/fusioninventory/front/communication.php",
)
STORE_ATTEMPTS = 3
# How long a worker trusts a token it checked for a prolog or contact. Those only greet (every
# agent run starts with one, half of all requests); the inventory that follows is checked again
# in its own transaction, so a token revoked meanwhile still writes nothing.
GREETING_TOKEN_SECONDS = 10.0
GREETING_TOKENS_KEPT = 10_000
# Bodies up to this size (contacts, prologs, most partial inventories) are decoded in the event
# loop, larger ones in a worker thread; at zlib's ratio (at most ~1,000:1) even a crafted one
# holds the loop for milliseconds only.
INLINE_BODY_BYTES = 4096


class _NeedsDatabase(Exception):
    """Raised by an offline ``prepare`` that would have to query the database."""


@dataclass(slots=True)
class Answer:
    status: int
    body: bytes
    protocol: str  # json | xml

    def response(self, encoding: Encoding) -> Response:
        plain_type = "application/json" if self.protocol == "json" else "application/xml"
        if encoding is Encoding.PLAIN:
            return Response(self.body, self.status, media_type=plain_type)
        return Response(compress(self.body, encoding), self.status, media_type=CONTENT_TYPES[encoding])


@dataclass(slots=True)
class Pending:
    """A decoded inventory waiting to be stored, and how to answer once it is."""

    item: Item
    protocol: str
    encoding: Encoding
    agent_id: str | None


async def _read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"body is {declared} bytes, the limit is {limit}")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"body exceeds the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


class AgentEndpoint:
    def __init__(self, settings: Settings, engine: Engine) -> None:
        self.settings = settings
        self.engine = engine
        self.batcher = Batcher(self.store_batch)
        self._greeting_tokens: dict[str | None, tuple[float, Reporter | DomainError]] = {}

    # -- answers --------------------------------------------------------------------------

    def _json(self, status: int, obj: dict) -> Answer:  # type: ignore[type-arg]
        return Answer(status, orjson.dumps(obj), "json")

    def _error(self, status: int, message: str, protocol_name: str) -> Answer:
        if protocol_name == "xml":
            return Answer(status, protocol.error_reply_xml(message), "xml")
        return self._json(status, protocol.error_answer(message, self.settings.inventory_expiration_hours))

    def answer(self, pending: Pending, result: StoreResult | BaseException) -> Answer:
        if isinstance(result, StoreResult):
            if pending.protocol == "xml" and not pending.agent_id:
                return Answer(200, protocol.inventory_reply_xml(), "xml")
            return self._json(200, protocol.ok_answer(self.settings.inventory_expiration_hours))
        if isinstance(result, DomainError):
            return self._error(result.status, result.message, pending.protocol)
        if isinstance(result, OperationalError | InterfaceError):
            return self._error(503, "database unavailable, retry later", pending.protocol)
        if isinstance(result, DataError):
            return self._error(422, f"a value was refused by the database: {result.orig}", pending.protocol)
        return self._error(500, "internal error, the inventory was not stored", pending.protocol)

    # -- HTTP -----------------------------------------------------------------------------

    async def serve_http(self, request: Request) -> Response:
        started = time.perf_counter()
        response, protocol_name = await self._serve(request)
        INGEST_REQUESTS.labels(protocol_name, outcome(response.status_code)).inc()
        INGEST_SECONDS.labels(protocol_name).observe(time.perf_counter() - started)
        return response

    async def _serve(self, request: Request) -> tuple[Response, str]:
        """The answer, and the protocol the agent spoke (json, xml; "http" when it never said)."""
        if request.method == "GET":
            # GLPI Agents only GET after a "pending" answer, which this server never gives.
            return self._error(405, "inventories are sent with POST", "json").response(Encoding.PLAIN), "http"
        try:
            body = await _read_body(request, self.settings.max_inventory_bytes)
        except PayloadTooLarge as exc:
            return self._error(413, str(exc), "json").response(Encoding.PLAIN), "http"
        except ClientDisconnect:
            return Response(status_code=400), "http"
        token = token_from_request(request.path_params.get("token"), request.headers)
        agent_id = request.headers.get("glpi-agent-id")
        content_type = request.headers.get("content-type")
        inventory_id = request.headers.get("x-mutuparc-inventory-id")
        prepared: Pending | tuple[Answer, Encoding] | None = None
        if len(body) <= INLINE_BODY_BYTES:
            # A contact or a partial decodes in less time than a hop to a thread and back.
            with contextlib.suppress(_NeedsDatabase):
                prepared = self.prepare(body, content_type, token, agent_id, inventory_id, offline=True)
        if prepared is None:
            prepared = await run_in_threadpool(self.prepare, body, content_type, token, agent_id, inventory_id)
        if isinstance(prepared, tuple):
            answer, encoding = prepared
            return answer.response(encoding), answer.protocol
        result = await self.batcher.submit(prepared.item)
        return self.answer(prepared, result).response(prepared.encoding), prepared.protocol

    def handle(self, body: bytes, content_type: str | None, token: str | None, agent_id: str | None):  # type: ignore[no-untyped-def]
        """Serve one request synchronously, without batching (in-process use: benchmarks, tools)."""
        prepared = self.prepare(body, content_type, token, agent_id)
        if isinstance(prepared, tuple):
            return prepared
        return self.answer(prepared, self.store_batch([prepared.item])[0]), prepared.encoding

    # -- decoding -------------------------------------------------------------------------

    def prepare(  # type: ignore[no-untyped-def]
        self,
        body: bytes,
        content_type: str | None,
        token: str | None,
        agent_id: str | None,
        inventory_id: str | None = None,
        *,
        offline: bool = False,
    ):
        """An inventory to store (Pending), or the answer to send at once with its encoding.
        ``offline``: raise ``_NeedsDatabase`` rather than query the database (in the event loop)."""
        protocol_name = "xml" if body.lstrip()[:1] == b"<" else "json"
        encoding = declared_encoding(content_type)
        try:
            decoded = decode(body, content_type, self.settings.max_inventory_bytes)
        except WireError as exc:
            log.info("refused agent request: %s", exc)
            return self._error(exc.status, str(exc), protocol_name), encoding
        encoding, protocol_name = decoded.encoding, decoded.protocol
        message = decoded.message
        try:
            if isinstance(message, Prolog | Contact):
                return self._greet(message, token, agent_id, offline), encoding
            item = self._item(decoded, message, body, token, agent_id)
            item.inventory_id = inventory_id
            return Pending(item, protocol_name, encoding, agent_id)
        except DomainError as exc:
            return self._error(exc.status, exc.message, protocol_name), encoding
        except (OperationalError, InterfaceError) as exc:
            log.warning("database unavailable: %s", exc)
            return self._error(503, "database unavailable, retry later", protocol_name), encoding

    def _greet(self, message: Prolog | Contact, token: str | None, agent_id: str | None, offline: bool) -> Answer:
        expiration = self.settings.inventory_expiration_hours
        if isinstance(message, Prolog):
            if token:  # refuse a bad URL token at once; tags only come with the inventory
                self._check_greeting_token(token, offline)
            if agent_id:
                return self._json(200, protocol.ok_answer(expiration))
            return Answer(200, protocol.prolog_reply_xml(expiration), "xml")
        self._check_greeting_token(token or token_from_tag(message.tag), offline)
        return self._json(200, protocol.contact_answer(expiration, message.enabled_tasks))

    def _check_greeting_token(self, token: str | None, offline: bool = False) -> None:
        """Raise the token's error (unknown, revoked), from what this worker checked in the last
        ``GREETING_TOKEN_SECONDS``, else from the database."""
        now = time.monotonic()
        known = self._greeting_tokens.get(token)
        if known is not None and known[0] > now:
            result = known[1]
        elif offline:
            raise _NeedsDatabase
        else:
            with self.engine.begin() as connection:
                result = resolve_reporters(connection, [token], self.settings)[token]
            if len(self._greeting_tokens) >= GREETING_TOKENS_KEPT:
                self._greeting_tokens.clear()
            self._greeting_tokens[token] = (now + GREETING_TOKEN_SECONDS, result)
        if isinstance(result, DomainError):  # a new one each time: a raised error keeps its traceback
            raise type(result)(result.message, details=result.details)

    def _item(
        self, decoded: Decoded, inventory: Inventory, body: bytes, token: str | None, agent_id: str | None
    ) -> Item:
        raw = None
        if self.settings.keep_raw_inventory and not inventory.partial:
            # Archive the body as received when it already is zlib: no second compression.
            is_zlib = decoded.encoding is Encoding.ZLIB
            raw = archive(body if is_zlib else decoded.body, is_zlib=is_zlib)
        return Item(
            inventory,
            token=token or token_from_tag(inventory.tag),
            kind=AssetSource.COLLECTOR if inventory.action == "netinventory" else AssetSource.AGENT,
            agent_uuid=agent_id,
            raw=raw,
            raw_format=decoded.protocol,
        )

    # -- storing --------------------------------------------------------------------------

    def store_batch(self, items: list[Item]) -> list[StoreResult | BaseException]:
        """Store a batch in one transaction; if that fails, each item alone, so one bad item
        costs only its own inventory. Runs in a worker thread."""
        for attempt in range(1, STORE_ATTEMPTS + 1):
            try:
                with self.engine.begin() as connection:
                    return list(store_inventories(connection, items, self.settings, commit=True))
            except IntegrityError:
                # Two batches created the same source at once: the retry finds it.
                if attempt == STORE_ATTEMPTS and len(items) == 1:
                    log.exception("inventory %s not stored", items[0].inventory.deviceid)
                    return [RuntimeError("conflict")]
            except (OperationalError, InterfaceError) as exc:
                # A deadlock, or a connection that died with a database restart: try again.
                if (_is_deadlock(exc) or exc.connection_invalidated) and attempt < STORE_ATTEMPTS:
                    continue
                log.warning("database unavailable while storing inventories: %s", exc)
                return [exc] * len(items)
            except DataError as exc:
                if len(items) == 1:
                    log.info("inventory %s refused by the database: %s", items[0].inventory.deviceid, exc.orig)
                    return [exc]
                break
            except Exception as exc:
                if len(items) == 1:
                    # A bug, not bad input: answer something agents log, keep the worker alive.
                    log.exception("unexpected error while storing inventory %s", items[0].inventory.deviceid)
                    return [exc]
                break
        return [self.store_batch([item])[0] for item in items]


def _is_deadlock(exc: Exception) -> bool:
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    return code in ("40P01", "40001")  # deadlock detected, serialization failure


def agent_routes(endpoint_of: AgentEndpoint) -> list[Route]:
    """The agent URLs as routes (GETs, and POSTs when the fast path is not installed)."""
    endpoint = endpoint_of.serve_http  # a bound method: Starlette passes a Request
    routes = [Route("/", endpoint, methods=["POST"])]
    for path in AGENT_PATHS:
        routes.append(Route(path, endpoint, methods=["POST", "GET"]))
    routes.append(Route("/t/{token}/", endpoint, methods=["POST", "GET"]))
    for path in AGENT_PATHS:
        routes.append(Route("/t/{token}" + path, endpoint, methods=["POST", "GET"]))
    return routes
