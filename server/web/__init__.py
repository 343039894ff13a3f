"""The web interface: server-rendered pages (Jinja2), French by default, for the DSIT and for
members' representatives. No build step: the stylesheet is in ``static/``, charts are SVG drawn
by the templates."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles

from server.core.config import Settings
from server.core.errors import DomainError

from . import (
    allocation_pages,
    asset_forms,
    conflict_pages,
    credential_pages,
    errors,
    member_pages,
    merge_pages,
    plan_pages,
    printer_pages,
    user_pages,
)
from .auth import install_sessions
from .pages import router

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI, settings: Settings) -> None:
    install_sessions(app, settings)
    errors.install(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_api_route("/favicon.ico", favicon, include_in_schema=False)
    app.include_router(router)
    app.include_router(allocation_pages.router)
    app.include_router(plan_pages.router)
    app.include_router(conflict_pages.router)
    app.include_router(printer_pages.router)
    app.include_router(member_pages.router)
    app.include_router(user_pages.router)
    app.include_router(asset_forms.router)
    app.include_router(merge_pages.router)
    app.include_router(credential_pages.router)


def favicon() -> FileResponse:
    """Browsers ask for /favicon.ico whatever the page says: the SVG logo, cached for a day."""
    return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml",
                        headers={"Cache-Control": "public, max-age=86400"})  # fmt: skip


def wants_page(request: Request) -> bool:
    """A browser asking for a page (errors then come as a page, not as JSON)."""
    return errors.wants_page(request)


def error_page(request: Request, exc: DomainError) -> Response:
    return errors.domain_error_page(request, exc)
