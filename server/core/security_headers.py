"""Security headers on every answer (OWASP secure headers): no sniffing, no framing by other
sites, no referrer to elsewhere, and for pages a Content-Security-Policy that only allows this
server. A pure ASGI middleware: it adds headers to the response start and nothing else, so the
agent endpoint's hot path pays a few dictionary lookups."""

from __future__ import annotations

from typing import Any

PAGE_POLICY = (
    b"default-src 'self'; "
    b"script-src 'self'; "  # no inline code: confirmations (data-confirm) by static/confirm.js
    b"style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
    b"object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
)


class SecurityHeaders:
    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(name, value) for name, value in COMMON if name not in present]
                if b"content-security-policy" not in present:  # the API docs set their own
                    headers.append((b"content-security-policy", PAGE_POLICY))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)
