from __future__ import annotations

from pathlib import Path

RECORDINGS = Path(__file__).parent / "recordings"


def recordings(platform: str) -> list[Path]:
    return sorted(p for p in (RECORDINGS / platform).iterdir() if p.is_dir())
