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


# -- GLPI Agent's own parsers, run on recorded files ------------------------------------------------
# What GLPI Agent makes of a recorded input (a dmidecode output, an EDID, lspci...): the reference the
# Mutuparc agent's Linux collectors are compared with on machines that are not this one.

SHARE = HOME / "share"
_PERL_PRELUDE = r"""
use strict; use warnings;
use Cpanel::JSON::XS;
use GLPI::Agent::Tools;
use GLPI::Agent::Tools::Generic;
my $ids = $ENV{MUTUPARC_GLPI_IDS};
if ($ids) {  # pci.ids, usb.ids, edid.ids from one folder, never the system's newer copies
    no warnings 'redefine';
    *GLPI::Agent::Tools::Generic::_getIdsFile = sub { my %p = @_; return "$ids/$p{idsfile}" };
}
sub slurp { my ($f) = @_; open(my $h, '<:raw', $f) or die "$f: $!"; local $/; my $d = <$h>; close $h; $d }
sub out { print Cpanel::JSON::XS->new->canonical->allow_nonref->allow_blessed->convert_blessed->encode($_[0]) }
"""


def glpi_perl(code: str, *, ids_dir: Path | None = SHARE, timeout: float = 120) -> object:
    """Run Perl ``code`` with the vendored agent's modules loaded (``out($x)`` prints the result) and return
    what it printed, decoded from JSON. ``ids_dir``: where pci.ids, usb.ids and edid.ids are read from."""
    command = glpi_agent_command()
    if command is None:
        raise RuntimeError(MISSING)
    env = {**_env(), "LC_ALL": "C"}
    if ids_dir is not None:
        env["MUTUPARC_GLPI_IDS"] = str(ids_dir)
    result = subprocess.run([command[0], f"-I{LIB}", "-e", _PERL_PRELUDE + code], capture_output=True, text=True,
                            env=env, timeout=timeout, check=False)  # fmt: skip
    if result.returncode != 0:
        raise RuntimeError(f"perl failed ({result.returncode}):\n{result.stderr}")
    return json.loads(result.stdout)


def _perl_string(value: str | Path) -> str:
    return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"


def glpi_screens(edid_files: Sequence[Path]) -> dict[str, dict]:
    """GLPI Agent's Generic::Screen on each EDID file: {file name: monitor (GLPI keys, lower case)}."""
    code = "use GLPI::Agent::Task::Inventory::Generic::Screen;\nmy %r;\n"
    for path in edid_files:
        edid, name = _perl_string(path), _perl_string(path.name)
        code += (f"{{ my @s = GLPI::Agent::Task::Inventory::Generic::Screen::_getScreens("
                 f"screens => [{{ edid => slurp({edid}) }}]); $r{{{name}}} = $s[0]; }}\n")  # fmt: skip
    found = glpi_perl(code + "out(\\%r);")
    return {name: _lower(screen) for name, screen in found.items()}  # type: ignore[union-attr]


def glpi_dmidecode(path: Path) -> dict[str, object]:
    """GLPI Agent's Dmidecode modules on a dmidecode output: bios, memories, cpus, ports, slots, powersupplies."""
    file = _perl_string(path)
    code = f"""
use GLPI::Agent::Inventory;
use GLPI::Agent::Logger;
for my $m (qw(Bios Memory Ports Slots Psu)) {{
    "GLPI::Agent::Task::Inventory::Generic::Dmidecode::$m"->require() or die
}}
my $inventory = GLPI::Agent::Inventory->new(logger => GLPI::Agent::Logger->new(logger => []));
GLPI::Agent::Task::Inventory::Generic::Dmidecode::Psu::doInventory(inventory => $inventory, file => {file},
    logger => GLPI::Agent::Logger->new(logger => []));
out({{
    bios => scalar(GLPI::Agent::Task::Inventory::Generic::Dmidecode::Bios::_getBios(file => {file})),
    memories => scalar(GLPI::Agent::Task::Inventory::Generic::Dmidecode::Memory::_getMemories(file => {file})),
    cpus => [ getCpusFromDmidecode(file => {file}) ],
    ports => scalar(GLPI::Agent::Task::Inventory::Generic::Dmidecode::Ports::_getPorts(file => {file})),
    slots => scalar(GLPI::Agent::Task::Inventory::Generic::Dmidecode::Slots::_getSlots(file => {file})),
    powersupplies => $inventory->getSection('POWERSUPPLIES'),
}});
"""
    return _lower(glpi_perl(code))  # type: ignore[return-value]


def glpi_pci(lspci_file: Path, ids_dir: Path = SHARE) -> dict[str, object]:
    """GLPI Agent's Generic::PCI modules on an ``lspci -v -nn`` output: controllers, sounds, videos, modems."""
    file = _perl_string(lspci_file)
    code = f"""
for my $m (qw(Controllers Sounds Videos Modems)) {{
    "GLPI::Agent::Task::Inventory::Generic::PCI::$m"->require() or die
}}
out({{
    controllers => [ GLPI::Agent::Task::Inventory::Generic::PCI::Controllers::_getControllers(file => {file}) ],
    sounds => [ GLPI::Agent::Task::Inventory::Generic::PCI::Sounds::_getSounds(file => {file}) ],
    videos => [ GLPI::Agent::Task::Inventory::Generic::PCI::Videos::_getVideos(file => {file}, xrandr => 0) ],
    modems => [ GLPI::Agent::Task::Inventory::Generic::PCI::Modems::_getModems(file => {file}) ],
}});
"""
    return _lower(glpi_perl(code, ids_dir=ids_dir))  # type: ignore[return-value]


def glpi_usb(lsusb_file: Path, ids_dir: Path = SHARE) -> list[dict]:
    """GLPI Agent's Generic::USB on an ``lsusb -v`` output."""
    code = f"""
use GLPI::Agent::Task::Inventory::Generic::USB;
out([ GLPI::Agent::Task::Inventory::Generic::USB::_getDevices(file => {_perl_string(lsusb_file)}) ]);
"""
    return _lower(glpi_perl(code, ids_dir=ids_dir))  # type: ignore[return-value]


def glpi_lvm(pvs: Path, vgs: Path, lvs: Path) -> dict[str, object]:
    """GLPI Agent's Linux::LVM on recorded ``pvs``, ``vgs`` and ``lvs`` outputs."""
    code = f"""
use GLPI::Agent::Task::Inventory::Linux::LVM;
out({{
    physical_volumes => [ GLPI::Agent::Task::Inventory::Linux::LVM::_getPhysicalVolumes(file => {_perl_string(pvs)}) ],
    volume_groups => [ GLPI::Agent::Task::Inventory::Linux::LVM::_getVolumeGroups(file => {_perl_string(vgs)}) ],
    logical_volumes => [ GLPI::Agent::Task::Inventory::Linux::LVM::_getLogicalVolumes(file => {_perl_string(lvs)}) ],
}});
"""
    return _lower(glpi_perl(code, ids_dir=None))  # type: ignore[return-value]


def glpi_accounts(passwd: Path, group: Path, last_output: Path) -> dict[str, object]:
    """GLPI Agent's Generic::Users on recorded /etc/passwd, /etc/group and ``last -w`` output."""
    code = f"""
use GLPI::Agent::Task::Inventory::Generic::Users;
my @users = GLPI::Agent::Task::Inventory::Generic::Users::_getLocalUsers(file => {_perl_string(passwd)});
my @groups = GLPI::Agent::Task::Inventory::Generic::Users::_getLocalGroups(file => {_perl_string(group)});
my %primary; push @{{$primary{{$_->{{gid}}}}}}, $_->{{LOGIN}} for @users; delete $_->{{gid}} for @users;
for my $g (@groups) {{ push @{{$g->{{MEMBER}}}}, @{{$primary{{$g->{{ID}}}}}} if $primary{{$g->{{ID}}}} }}
out({{ local_users => \\@users, local_groups => \\@groups,
       last => GLPI::Agent::Task::Inventory::Generic::Users::_getLastUser(file => {_perl_string(last_output)}) }});
"""
    return _lower(glpi_perl(code, ids_dir=None))  # type: ignore[return-value]


def glpi_cpus(cpuinfo: Path, dmidecode: Path | None = None, *, arm: bool = False) -> list[dict]:
    """GLPI Agent's Linux::i386::CPU (Linux::ARM::CPU if ``arm``) on a recorded /proc/cpuinfo (and dmidecode)."""
    if arm:
        return _lower(
            glpi_perl(
                f"""
use GLPI::Agent::Task::Inventory::Linux::ARM::CPU;
out([ GLPI::Agent::Task::Inventory::Linux::ARM::CPU::_getCPUsFromProc(file => {_perl_string(cpuinfo)}) ]);
""",
                ids_dir=None,
            )
        )  # type: ignore[return-value]
    extra = f", dmidecode => {_perl_string(dmidecode)}" if dmidecode else ", dmidecode => '/nonexistent'"
    code = f"""
use GLPI::Agent::Task::Inventory::Linux::i386::CPU;
out([ GLPI::Agent::Task::Inventory::Linux::i386::CPU::_getCPUs(file => {_perl_string(cpuinfo)}{extra}) ]);
"""
    return _lower(glpi_perl(code, ids_dir=None))  # type: ignore[return-value]


def glpi_battery(power_supply: Path) -> dict:
    """GLPI Agent's Generic::Batteries::SysClass on a recorded /sys/class/power_supply/<battery> folder."""
    code = f"""
use GLPI::Agent::Task::Inventory::Generic::Batteries::SysClass;
out(GLPI::Agent::Task::Inventory::Generic::Batteries::SysClass::_getBatteryFromSysClass(
    psu => {_perl_string(power_supply)}));
"""
    return _lower(glpi_perl(code, ids_dir=None))  # type: ignore[return-value]


def _lower(value: object) -> object:
    """GLPI Agent's upper-case keys as its JSON inventory has them (lower case)."""
    if isinstance(value, dict):
        return {key.lower(): _lower(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_lower(item) for item in value]
    return value
