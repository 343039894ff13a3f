"""The server application: REST API, agent endpoint, error handling."""

from __future__ import annotations

import logging
import sys

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError, IntegrityError, InterfaceError, OperationalError

from server import api_docs, migrations, web
from server.api.router import api_router
from server.core import log_masking
from server.core.config import Settings, get_settings
from server.core.db import make_engine
from server.core.errors import DomainError, TooManyAttempts
from server.core.security_headers import SecurityHeaders
from server.ingest.endpoint import AgentEndpoint, agent_routes
from server.ingest.fast_path import AgentFastPath
from server.ingest.identity import extend_placeholders
from server.monitoring.metrics import router as metrics_router

log = logging.getLogger("mutuparc")


def create_app(settings: Settings | None = None, engine: Engine | None = None, *, check_schema: bool = True) -> FastAPI:
    settings = settings or get_settings()
    engine = engine or make_engine(settings)
    if settings.placeholders_file is not None:
        extend_placeholders(settings.placeholders_file)
    if check_schema:
        migrations.ensure_current(engine)
    app = FastAPI(
        title="Mutuparc",
        summary="Inventaire du parc informatique des services communs des collectivités",
        version="0.1.0",
        docs_url=None,  # served by api_docs from packaged files: FastAPI's own pages need a CDN
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.add_middleware(SecurityHeaders)
    app.include_router(api_router)
    app.include_router(metrics_router)
    api_docs.install(app)
    agents = AgentEndpoint(settings, engine)
    app.router.routes.extend(agent_routes(agents))

    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> Response:
        if web.wants_page(request):
            return web.error_page(request, exc)
        body: dict = {"detail": exc.message}
        if exc.details is not None:
            body["errors"] = exc.details
        headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
        if isinstance(exc, TooManyAttempts):
            headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse(body, status_code=exc.status, headers=headers)

    @app.exception_handler(OperationalError)
    @app.exception_handler(InterfaceError)
    async def _database_down(_request: Request, exc: Exception) -> JSONResponse:
        log.warning("database unavailable: %s", exc)
        return JSONResponse(
            {"detail": "database unavailable, retry later"}, status_code=503, headers={"Retry-After": "5"}
        )

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def _out_of_range(_request: Request, exc: Exception) -> JSONResponse:
        # An id like 2**70 in a URL: SQLite cannot bind it, PostgreSQL refuses it for the column.
        log.info("value refused by the database: %s", exc)
        return JSONResponse({"detail": "a value is out of range (too large a number?)"}, status_code=422)

    @app.exception_handler(IntegrityError)
    async def _conflict(_request: Request, exc: IntegrityError) -> JSONResponse:
        # Routes check what they refer to; this is the net under a check someone forgot.
        log.warning("integrity error answered 409: %s", exc.orig)
        return JSONResponse({"detail": "this conflicts with existing data or refers to a missing record"},
                            status_code=409)  # fmt: skip

    web.install(app, settings)
    # Last added, so outermost: agent posts skip the session and every other middleware.
    app.add_middleware(AgentFastPath, endpoint=agents)
    return app


def app_factory() -> FastAPI:
    """Entry point for ``uvicorn --factory server.main:app_factory`` (each worker builds its app)."""
    # Our own messages from INFO up; libraries only from WARNING (fontTools subsets every PDF's
    # fonts at INFO, alembic tells every revision it checks).
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("mutuparc").setLevel(logging.INFO)
    log_masking.install()  # enrolment tokens travel in request paths: never in the access log
    # Decoding threads are CPU-bound while the batch writer waits on the database: with the
    # default 5 ms GIL switch interval, the writer waits up to 5 ms after every statement.
    sys.setswitchinterval(0.0005)
    return create_app()
