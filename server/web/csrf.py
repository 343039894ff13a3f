"""Cross-site request forgery protection (OWASP CSRF cheat sheet, as Django's CsrfViewMiddleware).

- A synchronizer token per session (``request.session["csrf_token"]``): created on the first page
  that shows a form, the sign-in page included (login CSRF), and replaced at sign-in since
  ``auth.sign_in`` starts a new session. Every form carries it in a hidden ``csrf_token`` field
  (``{{ csrf_field() }}``), masked with a fresh one-time pad on every page (BREACH), as Django does.
- Every changing page route (``csrf_protect``, a router dependency of the pages) checks that the
  request comes from this site (``Origin``, or ``Referer`` when a browser sent no ``Origin``) and
  that it carries the session's token (form field, or the ``X-CSRF-Token`` header).
- The REST API: browsers never send a bearer token on their own, so API tokens need no check; a
  write authenticated by the session cookie alone needs the same checks, the token in the
  ``X-CSRF-Token`` header (``check_cookie_write``, called by ``server.api.deps.get_principal``).

A refusal is a 403: a page in French (or English) for the pages, ``{"detail": ...}`` for the API.
"""

from __future__ import annotations

import base64
import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from jinja2 import pass_context
from markupsafe import Markup

from server.core import catalogue
from server.core.errors import Forbidden

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
SESSION_KEY = "csrf_token"
FIELD = "csrf_token"
HEADER = "x-csrf-token"
SECRET_BYTES = 32
DEFAULT_PORTS = {"http": 80, "https": 443}

# What the refusal page says (the API answers the English one).
MESSAGES = catalogue.by_language("csrf")


class CsrfRefused(Forbidden):
    def __init__(self, reason: str) -> None:
        super().__init__(MESSAGES["en"][reason])
        self.reason = reason


# -- the token ------------------------------------------------------------------------------


def _secret(request: Request) -> bytes:
    """The session's secret, created when first needed."""
    stored = request.session.get(SESSION_KEY)
    try:
        secret = bytes.fromhex(stored) if isinstance(stored, str) else b""
    except ValueError:
        secret = b""
    if len(secret) != SECRET_BYTES:
        secret = secrets.token_bytes(SECRET_BYTES)
        request.session[SESSION_KEY] = secret.hex()
    return secret


def _xor(left: bytes, right: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(left, right, strict=True))


def form_token(request: Request) -> str:
    """The session's token as a form shows it: a fresh pad, then the secret XOR the pad."""
    pad = secrets.token_bytes(SECRET_BYTES)
    return base64.urlsafe_b64encode(pad + _xor(pad, _secret(request))).decode().rstrip("=")


def _unmasked(token: str) -> bytes | None:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, TypeError):
        return None
    if len(raw) != 2 * SECRET_BYTES:
        return None
    return _xor(raw[:SECRET_BYTES], raw[SECRET_BYTES:])


def token_matches(request: Request, token: str | None) -> bool:
    stored = request.session.get(SESSION_KEY) if "session" in request.scope else None
    if not token or not isinstance(stored, str):
        return False
    sent = _unmasked(token.strip())
    try:
        return sent is not None and hmac.compare_digest(sent, bytes.fromhex(stored))
    except ValueError:
        return False


@pass_context
def csrf_field(context: dict) -> Markup:
    """``{{ csrf_field() }}`` in every POST form: the hidden field holding the token."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, form_token(context["request"]))


# -- the origin -----------------------------------------------------------------------------


def _origin(url: str) -> tuple[str, str, int] | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    return parts.scheme, parts.hostname.lower(), port or DEFAULT_PORTS[parts.scheme]


def _same_origin(request: Request, source: str) -> bool:
    """``source`` is the origin the request was sent to: its ``Host``, with the request's scheme
    (or the one a TLS reverse proxy says it received: a page cannot set that header)."""
    found = _origin(source)
    host = request.headers.get("host")
    if found is None or not host:
        return False
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    for scheme in {request.url.scheme, forwarded} & DEFAULT_PORTS.keys():
        if _origin(f"{scheme}://{host}") == found:
            return True
    return False


def _trusted(request: Request, source: str) -> bool:
    """``source`` is this server's own origin, or one the settings trust (a proxy's public one)."""
    if _same_origin(request, source):
        return True
    found = _origin(source)
    settings = getattr(request.app.state, "settings", None)
    trusted = settings.trusted_origin_list if settings is not None else []
    return found is not None and any(_origin(origin) == found for origin in trusted)


def check_origin(request: Request) -> None:
    """Refuse a request another site sent: ``Origin`` (``null`` included), else ``Referer``. With
    neither (not a browser, or an old one), the token alone decides, except over HTTPS where, as
    in Django, a browser always sends one of them. ``MUTUPARC_TRUSTED_ORIGINS`` adds origins, as
    Django's ``CSRF_TRUSTED_ORIGINS`` does, for a proxy that does not pass the Host header on."""
    origin = request.headers.get("origin")
    if origin is not None:
        if not _trusted(request, origin):
            raise CsrfRefused("origin")
        return
    referer = request.headers.get("referer")
    if referer is not None:
        if not _trusted(request, referer):
            raise CsrfRefused("origin")
        return
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    if "https" in (request.url.scheme, forwarded):
        raise CsrfRefused("origin")


# -- the checks -----------------------------------------------------------------------------


async def csrf_protect(request: Request) -> None:
    """Router dependency of the pages: every changing request from this site, with the token."""
    if request.method in SAFE_METHODS:
        return
    check_origin(request)
    token = request.headers.get(HEADER)
    if token is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        value = (await request.form()).get(FIELD)  # parsed once: the route's Form() fields reuse it
        token = value if isinstance(value, str) else None
    if not token_matches(request, token):
        raise CsrfRefused("token")


def check_cookie_write(request: Request) -> None:
    """A changing API request authenticated by the session cookie: the ``X-CSRF-Token`` header."""
    if request.method in SAFE_METHODS:
        return
    check_origin(request)
    if not token_matches(request, request.headers.get(HEADER)):
        raise CsrfRefused("token")


def install(app: FastAPI) -> None:
    @app.exception_handler(CsrfRefused)
    async def _refused(request: Request, exc: CsrfRefused) -> Response:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": exc.message}, status_code=403)
        from .pages import language, render  # the pages import this module

        settings = request.app.state.settings
        lang = language(request, settings)
        return render(request, settings, "error.html", None, status_code=403, title_key="forbidden",
                      message=MESSAGES.get(lang, MESSAGES["fr"])[exc.reason])  # fmt: skip
