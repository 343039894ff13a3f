"""The real GLPI Agent (Perl), run from the copy vendored in ``vendor/glpi-agent`` (see its ORIGIN.md).

Its Perl dependencies come from Debian packages (``make deb-test`` installs them). Every run is
isolated: no configuration file is read (``--config=none``), the agent's state lives in a private
``vardir``, no HTTP daemon is started, and only the inventory task runs.
"""

from __future__ import annotations

import functools
import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path

from .namespaces import with_hostname

PROJECT = Path(__file__).resolve().parents[2]
HOME = PROJECT / "vendor" / "glpi-agent"
LIB = HOME / "lib"
BIN = HOME / "bin" / "glpi-agent"

# What the vendored agent loads on Linux (each from the Debian package named in the reason below).
PERL_MODULES = (
    "UNIVERSAL::require",
    "Cpanel::JSON::XS",
    "XML::LibXML",
    "Data::UUID",
    "DateTime",
    "DateTime::TimeZone",
    "LWP::UserAgent",
    "HTTP::Cookies",
    "Net::IP",
    "File::Which",
    "Text::Template",
    "YAML::Tiny",
    "Compress::Zlib",
    "Digest::SHA",
)
MISSING = (
    "GLPI Agent: perl and its Debian packages (libcpanel-json-xs-perl libxml-libxml-perl libdata-uuid-perl "
    "libdatetime-perl libuniversal-require-perl libwww-perl libnet-ip-perl libfile-which-perl "
    "libtext-template-perl libyaml-tiny-perl)"
)
# Sections that change at every run and that a DSIT does not inventory: left out unless asked.
DEFAULT_NO_CATEGORY = ("process", "environment")


@functools.cache
def _command() -> tuple[str, ...] | None:
    perl = shutil.which("perl")
    if perl is None or not BIN.is_file():
        return None
    probe = "".join(f"require {module};" for module in PERL_MODULES)
    loaded = subprocess.run([perl, "-e", probe], capture_output=True, env=_env(), check=False)
    if loaded.returncode != 0:
        return None
    return (perl, f"-I{LIB}", str(BIN))


def glpi_agent_command() -> list[str] | None:
    """``perl -I vendor/glpi-agent/lib vendor/glpi-agent/bin/glpi-agent``, or None when perl or a module is missing."""
    command = _command()
    return list(command) if command else None


def _env() -> dict[str, str]:
    # Nothing from the caller's Perl setup (PERL5LIB, PERL5OPT, …) may change what runs.
    return {key: value for key, value in os.environ.items() if not key.startswith("PERL")}


def _options(vardir: Path, no_category: Sequence[str]) -> list[str]:
    vardir.mkdir(parents=True, exist_ok=True)  # a missing vardir would make the agent fall back to ./var
    vardir = vardir.resolve()  # the agent runs from it (see _run)
    options = [
        "--config=none",
        f"--vardir={vardir}",
        "--tasks=inventory",
        "--no-httpd",
        "--logger=stderr",
        "--debug",
    ]
    if no_category:
        options.append(f"--no-category={','.join(no_category)}")
    return options


def _run(
    arguments: list[str], vardir: Path, timeout: float, hostname: str | None = None
) -> subprocess.CompletedProcess:
    command = glpi_agent_command()
    if command is None:
        raise RuntimeError(MISSING)
    # Run from the private vardir: bin/glpi-agent also looks for ./lib and the configuration in ./etc.
    cwd = vardir.resolve()
    return subprocess.run(with_hostname(command + arguments, hostname), cwd=cwd, env=_env(), capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip


def run_local(
    out_dir: Path,
    vardir: Path,
    *,
    no_category: Sequence[str] = DEFAULT_NO_CATEGORY,
    full: bool = True,
    extra: Sequence[str] = (),
    timeout: float = 300,
) -> dict:
    """``glpi-agent --local OUT_DIR --json``: the JSON inventory it writes, as a dict.

    The agent writes ``OUT_DIR/<deviceid>.json``. ``full`` (the default) asks for a whole inventory even when
    ``vardir`` already holds the state of a previous run (otherwise the agent sends only the changed sections).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    arguments = [*_options(vardir, no_category), f"--local={out_dir.resolve()}", "--json"]
    if full:
        arguments.append("--full")
    arguments += extra
    result = _run(arguments, vardir, timeout)
    saved = re.search(r"^\[info\] Inventory saved in (.+\.json)$", result.stderr, re.MULTILINE)
    if result.returncode != 0 or saved is None:
        raise RuntimeError(f"glpi-agent --local failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return json.loads(Path(saved.group(1)).read_text("utf-8"))


def run_server(
    url: str,
    vardir: Path,
    *,
    no_category: Sequence[str] = DEFAULT_NO_CATEGORY,
    extra: Sequence[str] = (),
    timeout: float = 300,
    hostname: str | None = None,
) -> subprocess.CompletedProcess:
    """``glpi-agent --server URL``: one run of the inventory task against a server (on loopback in tests),
    under ``hostname`` if given (see tests.support.namespaces).

    The exit code is 0 even when the server refused the inventory: callers read ``stderr`` (the log).
    """
    arguments = [*_options(vardir, no_category), f"--server={url}", "--timeout=60", *extra]
    return _run(arguments, vardir, timeout, hostname)
