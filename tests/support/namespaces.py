"""Run a program on this machine under another host name (a UTS namespace of its own): one real
machine then plays "PC-ACCUEIL-03" for the agents, without touching the machine's own name."""

from __future__ import annotations

import functools
import shutil
import subprocess


@functools.cache
def can_set_hostname() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(["unshare", "--uts", "hostname", "probe"], capture_output=True, check=False)
    return probe.returncode == 0


def with_hostname(command: list[str], hostname: str | None) -> list[str]:
    """``command`` run under ``hostname`` (as is when None)."""
    if hostname is None:
        return command
    return ["unshare", "--uts", "sh", "-c", 'hostname "$0" && exec "$@"', hostname, *command]
