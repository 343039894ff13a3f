"""The web interface: server-rendered pages (Jinja2), French by default, for the DSIT and for
members' representatives. No build step: the stylesheet is in ``static/``, charts are SVG drawn
by the templates."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from server.core.config import Settings
from server.core.errors import DomainError

from . import allocation_pages, conflict_pages, plan_pages, printer_pages
from .auth import install_sessions
from .pages import render, router

STATIC = Path(__file__).parent / "static"


def install(app: FastAPI, settings: Settings) -> None:
    install_sessions(app, settings)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(router)
    app.include_router(allocation_pages.router)
    app.include_router(plan_pages.router)
    app.include_router(conflict_pages.router)
    app.include_router(printer_pages.router)


def wants_page(request: Request) -> bool:
    """A browser asking for a page (errors then come as a page, not as JSON)."""
    return not request.url.path.startswith("/api/") and "text/html" in request.headers.get("accept", "")


def error_page(request: Request, exc: DomainError) -> HTMLResponse:
    settings = request.app.state.settings
    key = "forbidden" if exc.status == 403 else "not_found"
    return render(request, settings, "error.html", None, status_code=exc.status if exc.status in (403, 404) else 400,
                  title_key=key, message=exc.message)  # fmt: skip
