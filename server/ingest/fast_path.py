"""Agent posts straight to the agent endpoint, ahead of the application's middleware and routes.

Agents post thousands of inventories a second; the web session, security headers and route
matching of the API and pages are no use to them (agent ingest keeps its own history, and the
endpoint answers every error itself). This pure ASGI middleware, outermost, hands a POST to one
of GLPI's agent URLs to the endpoint and everything else to the application. GETs and unknown
paths still go through the routes (``agent_routes``), which answer the same way.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from .endpoint import AGENT_PATHS, AgentEndpoint

_PATHS = frozenset(("/", *AGENT_PATHS))


def agent_path_params(path: str) -> dict[str, str] | None:
    """The path parameters of an agent URL (``{}`` or ``{"token": ...}``), or None for another URL."""
    if path in _PATHS:
        return {}
    if path.startswith("/t/"):
        token, slash, rest = path[3:].partition("/")
        if token and slash and ("/" + rest == "/" or "/" + rest in AGENT_PATHS):
            return {"token": token}
    return None


class AgentFastPath:
    def __init__(self, app: Any, endpoint: AgentEndpoint) -> None:
        self.app = app
        self.endpoint = endpoint

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            params = agent_path_params(scope["path"])
            if params is not None:
                scope["path_params"] = params
                response = await self.endpoint.serve_http(Request(scope, receive))
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
