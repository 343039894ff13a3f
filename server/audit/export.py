"""The audit chain as a file: CSV (opens in LibreOffice) or JSON Lines, with the verification
result and the head at the end, so the file can be re-checked on its own (``verify_file``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from server.core.tabular import read_rows, write_rows

from .chain import HASHED_FIELDS, Verification, check_rows, rows_in_order

COLUMNS = [*HASHED_FIELDS, "prev_hash", "hash"]


def render(connection: Connection, format: str) -> tuple[bytes, str, str]:
    rows = list(rows_in_order(connection))
    report = check_rows(rows)
    summary = {"verified": report.ok, "rows": report.rows, "head_seq": report.head_seq,
               "head_hash": report.head_hash, "problems": report.problems}  # fmt: skip
    if format == "jsonl":
        lines = [json.dumps(row, ensure_ascii=False) for row in rows] + [json.dumps({"summary": summary})]
        return ("\n".join(lines) + "\n").encode(), "application/x-ndjson", "mutuparc-audit.jsonl"
    table: list[list[Any]] = [COLUMNS]
    table += [["" if row[c] is None else row[c] for c in COLUMNS] for row in rows]
    table.append([])
    table += [["#", key, json.dumps(value, ensure_ascii=False) if isinstance(value, list) else value]
              for key, value in summary.items()]  # fmt: skip
    return write_rows(table), "text/csv; charset=utf-8", "mutuparc-audit.csv"


def verify_file(path: Path) -> Verification:
    """Re-check an exported CSV or JSON Lines file without any database."""
    data = path.read_bytes()
    if path.suffix == ".jsonl":
        rows = [json.loads(line) for line in data.decode().splitlines() if line.strip()]
        rows = [row for row in rows if "summary" not in row]
    else:
        header, lines = read_rows(data)
        rows = []
        for line in lines:
            if not line or line[0] == "#":
                continue
            row: dict[str, Any] = dict(zip(header, line, strict=False))
            row["seq"] = int(row["seq"])
            row["member_id"] = int(row["member_id"]) if row["member_id"] else None
            rows.append(row)
    return check_rows(rows)
