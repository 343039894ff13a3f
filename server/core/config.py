"""Server settings, from the environment (``MUTUPARC_*``) or a ``.env`` file.

One ``Settings`` object per process (``get_settings()``); nothing else reads ``os.environ``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("var") / "mutuparc.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MUTUPARC_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH}",
        description="SQLAlchemy URL; postgresql://user:pass@host/db uses psycopg 3.",
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
    secret_key_file: Path = Field(default=Path("var") / "secret.key")
    secret_key_previous: SecretStr | None = Field(
        default=None, description="the key before a rotation: still read, never written (mutuparc secrets rotate)"
    )
    session_cookie_secure: bool = Field(
        default=False, description="send the web session cookie over HTTPS only (set it when served behind TLS)"
    )
    session_hours: int = Field(default=10, ge=1, description="a web session ends after this many hours")

    @field_validator("database_url")
    @classmethod
    def _psycopg3(cls, url: str) -> str:
        # psycopg 3 is the PostgreSQL driver; plain postgresql:// would pick psycopg2.
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        return url

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@cache
def get_settings() -> Settings:
    return Settings()
