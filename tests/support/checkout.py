"""The checkout's own files, and copies of it elsewhere (a clone as a user would have it)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


def tracked_files() -> list[str]:
    """Files of the checkout: tracked, and new ones not ignored (what the next commit holds)."""
    if not (PROJECT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=PROJECT,
                            capture_output=True, text=True, check=True)  # fmt: skip
    return [name for name in listed.stdout.splitlines() if (PROJECT / name).is_file()]


def copy_checkout(target: Path) -> Path:
    """Copy the checkout's files to ``target`` (no virtualenv, no var/, no .git)."""
    for name in tracked_files():
        destination = target / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(PROJECT / name, destination)
    return target
