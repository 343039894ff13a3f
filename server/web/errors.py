"""Errors as pages: a browser asking for a page gets the error in the page layout with a way back
(404, 403, 405, 422, 500...), API clients keep FastAPI's JSON answers."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .pages import language, render
from .text import TEXT

log = logging.getLogger("mutuparc")

# The page's title and explanation for an HTTP status; other statuses read as "refused".
TITLES = {401: "forbidden", 403: "forbidden", 404: "not_found", 405: "not_found", 409: "conflict",
          413: "invalid", 422: "invalid", 429: "throttled_title", 500: "server_error"}  # fmt: skip


def wants_page(request: Request) -> bool:
    """A browser asking for a page (errors then come as a page, not as JSON)."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def page(request: Request, status: int, message: str | None = None, fields: list[str] | None = None) -> Response:
    """The error page; the signed-in user is not looked up (the database may be the trouble)."""
    key = TITLES.get(status, "invalid")
    return render(request, request.app.state.settings, "error.html", None, status_code=status, title_key=key,
                  message=message, fields=fields or [], status=status)  # fmt: skip


def _field_names(request: Request, exc: RequestValidationError) -> list[str]:
    """The fields a request got wrong, as ``member_id (query)`` (names, not pydantic's prose)."""
    where = TEXT[language(request, request.app.state.settings)]
    names: list[str] = []
    for error in exc.errors():
        loc = [str(part) for part in error.get("loc", ())]
        if len(loc) >= 2:
            name = f"{loc[-1]} ({where.get('loc_' + loc[0], loc[0])})"
            if name not in names:
                names.append(name)
    return names


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if wants_page(request):
            return page(request, exc.status_code)
        return await http_exception_handler(request, exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        if wants_page(request):
            return page(request, 422, fields=_field_names(request, exc))
        return await request_validation_exception_handler(request, exc)

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        # Starlette still logs and re-raises the exception: this only chooses what the user sees.
        if wants_page(request):
            return page(request, 500)
        return PlainTextResponse("Internal Server Error", status_code=500)


def domain_error_page(request: Request, exc: Any) -> Response:
    """A ``DomainError`` (404 beyond the scope, 403, 409, 422 with its message) as a page."""
    return page(request, exc.status, None if exc.status in (401, 403, 404) else exc.message)
