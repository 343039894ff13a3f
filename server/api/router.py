"""Every domain's routes under /api/v1."""

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import SQLAlchemyError

from server import migrations
from server.accounts.routes import router as accounts_router
from server.allocation.routes import router as allocation_router
from server.assets.routes import router as assets_router
from server.audit.requests import capture_body
from server.audit.routes import router as audit_router
from server.collectors.routes import router as collectors_router
from server.conflicts.routes import router as conflicts_router
from server.printing.routes import router as printing_router
from server.renewal.routes import router as renewal_router
from server.tenancy.routes import router as tenancy_router

api_router = APIRouter(prefix="/api/v1", dependencies=[Depends(capture_body)])
api_router.include_router(tenancy_router)
api_router.include_router(assets_router)
api_router.include_router(printing_router)
api_router.include_router(accounts_router)
api_router.include_router(collectors_router)
api_router.include_router(conflicts_router)
api_router.include_router(allocation_router)
api_router.include_router(renewal_router)
api_router.include_router(audit_router)


@api_router.get("/health", tags=["health"])
def health(request: Request) -> JSONResponse:
    """Ready to serve: the database answers and its schema is the code's (503 otherwise, so a
    load balancer or a monitoring probe takes this instance out). ``/live`` only says the process runs."""
    try:
        revision = migrations.current_revision(request.app.state.engine)
    except SQLAlchemyError as exc:
        return JSONResponse({"status": "unavailable", "database": "unreachable", "detail": str(exc).splitlines()[0]},
                            status_code=503, headers={"Retry-After": "5"})  # fmt: skip
    head = migrations.head_revision()
    ok = revision == head
    return JSONResponse({"status": "ok" if ok else "unavailable", "database": "ok", "schema": revision,
                         "expected_schema": head}, status_code=200 if ok else 503)  # fmt: skip


@api_router.get("/live", tags=["health"])
def live() -> dict[str, str]:
    return {"status": "ok"}
