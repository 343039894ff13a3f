"""Mutuparc server: inventory store, GLPI-compatible agent endpoint, REST API."""

from sqlmodel import SQLModel

# Deterministic constraint names, so that migrations can address them on every database.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
