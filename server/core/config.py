"""Server settings, from the environment (``MUTUPARC_*``), a ``.env`` file or a configuration file.

One ``Settings`` object per process (``get_settings()``); nothing else reads ``os.environ``.

Where the data lives (the SQLite database, the generated secret key): the data directory,
``MUTUPARC_DATA_DIR`` (``mutuparc --data-dir``); in a Mutuparc checkout (the folder of its
``pyproject.toml``, or a folder that holds ``var/mutuparc.db``), its ``var/`` folder.
``MUTUPARC_DATABASE_URL`` names the database itself (PostgreSQL). With neither, outside a
checkout, there is no database to use: ``get_settings()`` raises ``SettingsError`` saying so,
rather than create ``var/mutuparc.db`` in whatever folder a command was run from.

The configuration file holds ``MUTUPARC_*=value`` lines, as ``.env``: ``MUTUPARC_CONFIG`` if set
(empty: none), else ``/etc/mutuparc/server.env`` when it exists (the file the Ansible role
writes). ``./.env`` overrides it, and the environment overrides both.
"""

from __future__ import annotations

import os
import re
import tomllib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, PrivateAttr, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("var") / "mutuparc.db"
SYSTEM_CONFIG = Path("/etc/mutuparc/server.env")
DatabaseOrigin = Literal["url", "data_dir", "checkout"]


class SettingsError(ValueError):
    """The settings cannot be used (invalid value, unreadable file, no database configured)."""


def is_checkout(folder: Path) -> bool:
    """A Mutuparc checkout (its ``pyproject.toml``), or a folder a server already keeps its data in."""
    if (folder / DEFAULT_SQLITE_PATH).is_file():
        return True
    try:
        project = tomllib.loads((folder / "pyproject.toml").read_text("utf-8")).get("project", {})
    except (OSError, ValueError):
        return False
    return isinstance(project, dict) and project.get("name") == "mutuparc"


def _hide_password(url: str) -> str:
    return re.sub(r"^([^:/]+://[^:/@]*:)[^@/]*@", r"\1***@", url)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUPARC_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; postgresql://user:pass@host/db uses psycopg 3. "
        "Unset: SQLite, mutuparc.db in the data directory.",
    )
    data_dir: Path | None = Field(
        default=None,
        description="the SQLite database and the generated secret key; unset: var/ of a Mutuparc checkout",
    )
    db_pool_size: int = Field(default=10, ge=1)
    max_inventory_bytes: int = Field(default=20 * 1024 * 1024, ge=1024, description="decompressed body limit")
    inventory_expiration_hours: int = Field(default=24, ge=1, description="delay agents wait before next run")
    stale_days: int = Field(default=30, ge=1, description="an asset not seen for this many days is stale")
    anonymous_inventory: Literal["quarantine", "reject"] = Field(
        default="quarantine",
        description="inventories without an enrolment token: keep them in quarantine, or refuse them",
    )
    keep_raw_inventory: bool = Field(default=True, description="archive the last raw inventory of each source")
    language: Literal["fr", "en"] = "fr"
    secret_key: SecretStr | None = Field(
        default=None,
        description="encrypts stored secrets (SNMP credentials); every server instance needs the same one. "
        "Unset: a key is generated once in secret_key_file.",
    )
    secret_key_file: Path = Field(
        default=Path("var") / "secret.key",
        description="unset: secret.key in the data directory (without one: var/ of the current directory)",
    )
    secret_key_previous: SecretStr | None = Field(
        default=None, description="the key before a rotation: still read, never written (mutuparc secrets rotate)"
    )
    session_cookie_secure: bool = Field(
        default=False, description="send the web session cookie over HTTPS only (set it when served behind TLS)"
    )
    session_hours: int = Field(default=10, ge=1, description="a web session ends after this many hours")
    session_idle_minutes: int = Field(
        default=30, ge=1, description="a web session ends after this many minutes without a request"
    )
    api_token_days: int = Field(default=365, ge=1, description="an API token expires after this many days by default")
    trusted_origins: str = Field(
        default="",
        description="comma-separated origins (https://parc.example.fr) the pages may be posted from besides "
        "their own host: the public address of a reverse proxy that rewrites the Host header",
    )
    trusted_proxies: str = Field(
        default="127.0.0.1",
        description="comma-separated addresses (or *) of reverse proxies whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed: the client address sign-in throttling and the journal see",
    )

    @property
    def trusted_origin_list(self) -> list[str]:
        return [origin.strip().rstrip("/") for origin in self.trusted_origins.split(",") if origin.strip()]

    placeholders_file: Path | None = Field(
        default=None,
        description="more values that identify no device (same shape as wire/data/placeholders.json), "
        "never used to match assets",
    )

    @field_validator("data_dir", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: object) -> object:
        return None if value == "" else value

    @field_validator("database_url")
    @classmethod
    def _psycopg3(cls, url: str) -> str:
        # psycopg 3 is the PostgreSQL driver; plain postgresql:// would pick psycopg2.
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    _database_origin: DatabaseOrigin | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _locate_data(self) -> Settings:
        """The data directory, and what it implies for the database and the secret key file."""
        here = Path.cwd()
        origin: DatabaseOrigin | None = None
        if self.data_dir is not None:
            self.data_dir, origin = (here / self.data_dir.expanduser()).resolve(), "data_dir"
        elif is_checkout(here):
            self.data_dir, origin = here / "var", "checkout"
        if self.database_url:
            origin = "url"
        else:  # without a data directory: the file it would be, for the message saying it is not used
            self.database_url = f"sqlite:///{(self.data_dir or here / 'var') / 'mutuparc.db'}"
        if "secret_key_file" not in self.model_fields_set:
            self.secret_key_file = (self.data_dir or here / "var") / "secret.key"
        self._database_origin = origin
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def database_configured(self) -> bool:
        """False when nothing says which database to use (no URL, no data directory, no checkout)."""
        return self._database_origin is not None

    @property
    def database_label(self) -> str:
        """The database for messages: the password hidden, a SQLite file with its absolute path."""
        url = self.database_url
        if self.is_sqlite and url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            path = url[len("sqlite:///") :]
            if path and not path.startswith(":memory:"):
                url = f"sqlite:///{Path(path).absolute()}"
        return _hide_password(url)


def not_configured_message(settings: Settings) -> str:
    would = settings.database_url.removeprefix("sqlite:///")
    return (
        f"No database configured: {Path.cwd()} is not a Mutuparc checkout, and this command would create "
        f"{would} here. Set MUTUPARC_DATABASE_URL (postgresql://user:password@host/mutuparc), or a data "
        "directory for the SQLite database and the secret key (mutuparc --data-dir DIR, or MUTUPARC_DATA_DIR=DIR), "
        f"in the environment or in {SYSTEM_CONFIG} (MUTUPARC_CONFIG=FILE for another file); or run the command "
        "from the Mutuparc checkout."
    )


def _config_files() -> tuple[Path, ...]:
    named = os.environ.get("MUTUPARC_CONFIG")
    if named is not None:
        if not named:
            return ()
        path = Path(named).expanduser()
        if not path.is_file():
            raise SettingsError(f"MUTUPARC_CONFIG={named}: no such file")
    elif SYSTEM_CONFIG.exists():
        path = SYSTEM_CONFIG
    else:
        return ()
    if not os.access(path, os.R_OK):
        raise SettingsError(
            f"cannot read {path} (the server's configuration): run the command as the user the server runs as, "
            "or set MUTUPARC_CONFIG to another file (empty: none)"
        )
    return (path,)


def _invalid(exc: ValidationError) -> SettingsError:
    problems = []
    for error in exc.errors():
        name = "MUTUPARC_" + "_".join(str(part) for part in error["loc"]).upper()
        problems.append(f"{name}: {error['msg']}" if error["loc"] else error["msg"])
    return SettingsError("invalid setting " + "; ".join(problems))


def use_data_dir(path: Path) -> None:
    """``mutuparc --data-dir``: before ``get_settings()``; also for the processes this one starts
    (the server's workers), hence through the environment."""
    os.environ["MUTUPARC_DATA_DIR"] = str(path.expanduser().absolute())
    get_settings.cache_clear()


@cache
def get_settings() -> Settings:
    """The settings of this process; ``SettingsError`` when they are invalid or name no database."""
    try:
        settings = Settings(_env_file=(*_config_files(), Path(".env")))  # type: ignore[call-arg]
    except ValidationError as exc:
        raise _invalid(exc) from None
    if not settings.database_configured:
        raise SettingsError(not_configured_message(settings))
    return settings
