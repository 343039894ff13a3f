"""The real FusionInventory agent (Debian package ``fusioninventory-agent``), unchanged, with its
per-server state redirected into a private folder."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .namespaces import with_hostname

AGENT = "/usr/bin/fusioninventory-agent"
# The agent keeps per-server state in a directory fixed at build time (setup.pm): redirect it.
SETUP_PM = """package setup;
use strict; use warnings; use parent qw(Exporter);
our @EXPORT = ('%setup');
our %setup = (datadir => "/usr/share/fusioninventory", libdir => "/usr/share/fusioninventory/lib",
              vardir => "VARDIR");
1;
"""


def installed() -> bool:
    return Path(AGENT).exists() and shutil.which("perl") is not None


def run(server_url: str, vardir: Path, *, hostname: str | None = None) -> subprocess.CompletedProcess:
    """One inventory sent to ``server_url`` (under ``hostname`` if given); ``vardir`` keeps its state."""
    lib = vardir / "lib"
    lib.mkdir(parents=True, exist_ok=True)
    (lib / "setup.pm").write_text(SETUP_PM.replace("VARDIR", str(vardir)))
    command = ["perl", f"-I{lib}", "-Msetup", AGENT, "--server", server_url, "--tasks", "inventory", "--no-httpd",
               "--logger", "stderr", "--config", "none", "--debug"]  # fmt: skip
    return subprocess.run(with_hostname(command, hostname), capture_output=True, text=True, timeout=300, check=False)
