"""Many rows in one statement on PostgreSQL: ``INSERT … SELECT … FROM unnest(arrays)`` and
``UPDATE … FROM unnest(arrays)``, one array parameter per column.

psycopg's ``executemany`` (pipelined or not) still costs the database a Bind and an Execute per
row, and the server some 40 µs of Python per row; the full inventory of a new machine has some
80 component rows, a batch of them thousands. One statement per table with a list per column
costs one of each, and its text does not depend on the number of rows, so psycopg prepares it
once per connection.

Values go through each column type's own bind processor (enum members to text, UTC datetimes),
JSON is serialised here (orjson) and cast in SQL, so what is stored is what SQLAlchemy would
store. A column whose values are not all of one Python type (an integer in a text column, naive
and aware datetimes together) would be refused or converted differently inside an array: that
table's rows then go the ``executemany`` way, as on SQLite.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

import orjson
from sqlalchemy import ARRAY, JSON, Connection, Table, any_, bindparam, delete, insert, tuple_, update

from server.core.db import pipelined

Processor = Callable[[Any], Any] | None


def one_of(column: Any, name: str, pg: bool) -> Any:
    """``column IN (:name)`` for SQLite (expanded), ``column = ANY(:name)`` for PostgreSQL: one
    statement text whatever the number of values, which psycopg prepares once per connection
    instead of the database planning each list length anew."""
    if pg:
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))


def _json_text(value: Any) -> str:
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # integers beyond 64 bits, from the lenient JSON path
        return json.dumps(value, default=str)


@cache
def _column_plan(table: Table, name: str, dialect: Any) -> tuple[str, str, Processor, bool]:
    """(array type, SQL to read the value back, bind processor, JSON null for None) of a column."""
    column = table.c[name]
    if isinstance(column.type, JSON):
        # JSON(none_as_null=False) stores None as the JSON text 'null', like SQLAlchemy does.
        return "TEXT[]", "CAST({} AS JSON)", None, not column.type.none_as_null
    return _array_type(column, dialect), "{}", column.type.bind_processor(dialect), False


def _array_type(column: Any, dialect: Any) -> str:
    """The array type a column's values are sent as. Without a length: an explicit cast to
    VARCHAR(n) cuts a longer text where assigning it to the column refuses it, as it should."""
    name = column.type.compile(dialect=dialect)
    return "TEXT[]" if name.startswith(("VARCHAR", "CHAR")) else f"{name}[]"


def _kind(value: Any) -> Any:
    """The Python type an array element is dumped as (aware and naive datetimes differ)."""
    if isinstance(value, dt.datetime):
        return (dt.datetime, value.tzinfo is not None)
    return type(value)


def _column_values(connection: Connection, table: Table, name: str, values: list[Any]) -> list[Any] | None:
    """The column's values as one array parameter, or None when they cannot share one."""
    dialect = connection.dialect
    _, _, processor, json_null = _column_plan(table, name, dialect)
    if isinstance(table.c[name].type, JSON):
        return [("null" if json_null else None) if v is None else _json_text(v) for v in values]
    if processor is not None:
        values = [None if v is None else processor(v) for v in values]
    kinds = {_kind(v) for v in values if v is not None}
    return values if len(kinds) <= 1 else None


@cache
def _insert_sql(table: Table, columns: tuple[str, ...], dialect: Any) -> str:
    plans = [_column_plan(table, c, dialect) for c in columns]
    arrays = ", ".join(f"CAST(%(c{i})b AS {plan[0]})" for i, plan in enumerate(plans))
    names = ", ".join(f"c{i}" for i in range(len(columns)))
    reads = ", ".join(plan[1].format(f"v.c{i}") for i, plan in enumerate(plans))
    # Names come from the table's metadata, values are parameters.
    return (f'INSERT INTO {table.name} ({", ".join(columns)}) SELECT {reads} '  # noqa: S608
            f"FROM unnest({arrays}) AS v({names})")  # fmt: skip


def insert_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]],
                columns: tuple[str, ...] | None = None) -> None:  # fmt: skip
    """Insert ``rows`` (dicts; a missing key is NULL) into ``columns`` of ``table`` (default:
    every column but ``id``, which the database generates), without reading anything back."""
    if not rows:
        return
    columns = columns or _generated_id_omitted(table)
    if connection.dialect.name == "postgresql":
        arrays = [_column_values(connection, table, c, [row.get(c) for row in rows]) for c in columns]
        if all(a is not None for a in arrays):
            params = {f"c{i}": array for i, array in enumerate(arrays)}
            connection.exec_driver_sql(_insert_sql(table, columns, connection.dialect), params)
            return
    connection.execute(insert(table).inline(), [{c: row.get(c) for c in columns} for row in rows])


@cache
def _generated_id_omitted(table: Table) -> tuple[str, ...]:
    return tuple(c.name for c in table.columns if c.name != "id")


@cache
def _update_sql(table: Table, columns: tuple[str, ...], increments: tuple[str, ...], dialect: Any) -> str:
    key = table.c.id
    plans = [_column_plan(table, c, dialect) for c in columns]
    arrays = ", ".join([f"CAST(%(k)b AS {_array_type(key, dialect)})",
                        *(f"CAST(%(c{i})b AS {plan[0]})" for i, plan in enumerate(plans))])  # fmt: skip
    names = ", ".join(["k", *(f"c{i}" for i in range(len(columns)))])
    sets = [f"{c} = {plan[1].format(f'v.c{i}')}" for i, (c, plan) in enumerate(zip(columns, plans, strict=True))]
    sets += [f"{c} = {table.name}.{c} + 1" for c in increments]
    where = f"{table.name}.id = v.k"
    return f"UPDATE {table.name} SET {', '.join(sets)} FROM unnest({arrays}) AS v({names}) WHERE {where}"  # noqa: S608


def update_rows(connection: Connection, table: Table, rows: Sequence[dict[str, Any]], columns: tuple[str, ...],
                increments: tuple[str, ...] = ()) -> None:  # fmt: skip
    """Set ``columns`` of the rows whose ``id`` is each row's ``_id`` (and add one to each of
    ``increments``). The caller orders ``rows`` by id: rows are locked in that order."""
    if not rows:
        return
    if connection.dialect.name == "postgresql":
        arrays = [_column_values(connection, table, c, [row[c] for row in rows]) for c in columns]
        if all(a is not None for a in arrays):
            params: dict[str, Any] = {f"c{i}": array for i, array in enumerate(arrays)}
            params["k"] = [row["_id"] for row in rows]
            connection.exec_driver_sql(_update_sql(table, columns, increments, connection.dialect), params)
            return
    connection.execute(_update_statement(table, columns, increments), list(rows))


@cache
def _update_statement(table: Table, columns: tuple[str, ...], increments: tuple[str, ...]) -> Any:
    values: dict[str, Any] = {c: bindparam(c) for c in columns}
    values.update({c: table.c[c] + 1 for c in increments})
    return update(table).where(table.c.id == bindparam("_id")).values(values)


@cache
def _delete_statement(table: Table) -> Any:
    return delete(table).where(table.c.id.in_(bindparam("ids", expanding=True)))


def delete_ids(connection: Connection, table: Table, ids: Sequence[int]) -> None:
    """Delete the rows of ``table`` with these ids (one statement, whatever their number)."""
    if not ids:
        return
    if connection.dialect.name == "postgresql":
        sql = f"DELETE FROM {table.name} WHERE id = ANY(CAST(%(ids)b AS INTEGER[]))"  # noqa: S608
        connection.exec_driver_sql(sql, {"ids": list(ids)})
        return
    connection.execute(_delete_statement(table), {"ids": list(ids)})


def delete_pairs(connection: Connection, table: Table, columns: tuple[str, str],
                 pairs: Sequence[tuple[Any, Any]]) -> None:  # fmt: skip
    """Delete the rows of ``table`` whose two ``columns`` hold one of ``pairs``."""
    if not pairs:
        return
    first, second = columns
    if connection.dialect.name == "postgresql":
        types = [_array_type(table.c[c], connection.dialect) for c in columns]
        sql = (f"DELETE FROM {table.name} AS t USING unnest(CAST(%(a)b AS {types[0]}), CAST(%(b)b AS {types[1]}))"  # noqa: S608
               f" AS v(a, b) WHERE t.{first} = v.a AND t.{second} = v.b")  # fmt: skip
        connection.exec_driver_sql(sql, {"a": [p[0] for p in pairs], "b": [p[1] for p in pairs]})
        return
    connection.execute(delete(table).where(tuple_(table.c[first], table.c[second]).in_(list(pairs))))


@cache
def _read_plan(statement: Any, dialect: Any) -> tuple[str, tuple[str, ...], tuple[Processor, ...]]:
    """A SELECT's SQL text, its column names and the result processor of each (enums, UTC
    datetimes); SQL text as it is (with ``%(name)s`` parameters) for a statement run for its effect."""
    if isinstance(statement, str):
        return statement, (), ()
    compiled = statement.compile(dialect=dialect)
    columns = tuple(statement.selected_columns)
    names = tuple(c.key for c in columns)
    return compiled.string, names, tuple(c.type.result_processor(dialect, None) for c in columns)


def read_together(connection: Connection, reads: Sequence[tuple[Any, dict[str, Any]]]) -> list[list[dict[str, Any]]]:
    """Rows (as dicts) of several SELECTs; on PostgreSQL in one round trip (pipeline mode), the
    transaction's BEGIN with them. The statements are Core selects whose parameters need no bind
    processing (ids, texts, arrays of them), built once by the caller (they key a cache), or SQL
    texts (PostgreSQL only) run for their effect, such as taking locks (no rows returned)."""
    if connection.dialect.name != "postgresql":
        return [[dict(row) for row in connection.execute(statement, params).mappings()] for statement, params in reads]
    raw = connection.connection.driver_connection
    plans = [_read_plan(statement, connection.dialect) for statement, _ in reads]
    cursors = []
    with pipelined(connection):
        for (sql, _, _), (_, params) in zip(plans, reads, strict=True):
            cursor = raw.cursor()
            cursor.execute(sql, params)
            cursors.append(cursor)
    out = []
    for cursor, (_, names, processors) in zip(cursors, plans, strict=True):
        rows = cursor.fetchall() if names else []
        cursor.close()
        if any(processors):
            rows = [tuple(p(v) if p else v for p, v in zip(processors, row, strict=True)) for row in rows]
        out.append([dict(zip(names, row, strict=True)) for row in rows])
    return out
