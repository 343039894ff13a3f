from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.utils import SCHEMA

RECORDINGS = Path(__file__).parent / "recordings"


@pytest.fixture(scope="session")
def glpi_schema() -> dict:
    return json.loads(SCHEMA.read_text())


def recordings(platform: str) -> list[Path]:
    return sorted(p for p in (RECORDINGS / platform).iterdir() if p.is_dir())
