"""The API documentation pages, Swagger UI at /api/docs and ReDoc at /api/redoc, usable offline.

FastAPI's own pages load Swagger UI from a CDN: on a network with no Internet access they are blank.
The JavaScript and CSS here come from the ``fastapi-offline`` package (MIT; it ships Swagger UI,
Apache-2.0, and ReDoc, MIT) and are served by the server itself under /api/docs/static/.
"""

from __future__ import annotations

import base64
import hashlib
import re
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/api/docs"
REDOC_URL = "/api/redoc"
STATIC_URL = "/api/docs/static"
OAUTH2_REDIRECT_URL = "/api/docs/oauth2-redirect"
ASSETS = Path(str(files("fastapi_offline") / "static"))  # swagger-ui-bundle.js, swagger-ui.css, redoc...
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def confined(page: HTMLResponse) -> HTMLResponse:
    """The page may load and contact this server only: its inline scripts are allowed by their hash,
    and what the bundles would fetch elsewhere (ReDoc's "by Redocly" logo is on a CDN) is never asked."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in INLINE_SCRIPT.findall(bytes(page.body).decode())
    )
    page.headers["Content-Security-Policy"] = (
        f"default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'"
    )
    return page


def install(app: FastAPI) -> None:
    """Serve the documentation pages and their assets; the app is built with docs_url=redoc_url=None."""
    assert app.openapi_url, "the documentation pages need the OpenAPI document"
    openapi_url = app.openapi_url
    app.mount(STATIC_URL, StaticFiles(directory=ASSETS), name="api-docs-static")

    def root(request: Request) -> str:
        return request.scope.get("root_path", "").rstrip("/")

    @app.get(DOCS_URL, include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        prefix = root(request)
        return confined(
            get_swagger_ui_html(
                openapi_url=prefix + openapi_url,
                title=f"{app.title} · API",
                swagger_js_url=f"{prefix}{STATIC_URL}/swagger-ui-bundle.js",
                swagger_css_url=f"{prefix}{STATIC_URL}/swagger-ui.css",
                swagger_favicon_url=f"{prefix}{STATIC_URL}/favicon.png",
                oauth2_redirect_url=prefix + OAUTH2_REDIRECT_URL,
                init_oauth=app.swagger_ui_init_oauth,
                swagger_ui_parameters=app.swagger_ui_parameters,
            )
        )

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    def swagger_ui_oauth2_redirect() -> HTMLResponse:
        return confined(get_swagger_ui_oauth2_redirect_html())

    @app.get(REDOC_URL, include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        prefix = root(request)
        return confined(
            get_redoc_html(
                openapi_url=prefix + openapi_url,
                title=f"{app.title} · API",
                redoc_js_url=f"{prefix}{STATIC_URL}/redoc.standalone.js",
                redoc_favicon_url=f"{prefix}{STATIC_URL}/favicon.png",
                with_google_fonts=False,
            )
        )

    # The addresses FastAPI users try first.
    @app.get("/docs", include_in_schema=False)
    def docs_redirect(request: Request) -> RedirectResponse:
        return RedirectResponse(root(request) + DOCS_URL, status_code=307)

    @app.get("/openapi.json", include_in_schema=False)
    def openapi_redirect(request: Request) -> RedirectResponse:
        return RedirectResponse(root(request) + openapi_url, status_code=307)
