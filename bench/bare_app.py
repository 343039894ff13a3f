"""The reference for bench/ingest.py: an endpoint that only reads, decompresses and parses.

Run under the same uvicorn as the real server, it is the ceiling of what any inventory
endpoint written this way could reach on this machine.
"""

from __future__ import annotations

import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from wire.compression import decompress, sniff

OK = orjson.dumps({"status": "ok", "expiration": 24})


async def bare(request: Request) -> Response:
    body = await request.body()
    plain = decompress(body, sniff(body, request.headers.get("content-type")), 20 * 1024 * 1024)
    orjson.loads(plain)
    return Response(OK, media_type="application/json")


app = Starlette(routes=[Route("/front/inventory.php", bare, methods=["POST"])])
