"""Linux system facts GLPI Agent reports besides hardware: accounts, last login, OS installation date and time
zone, firewall, LVM volumes, CUPS printers, host id and SSH host key.

Files are read directly (/etc/passwd, /etc/group, wtmp, printers.conf); LVM, firewall tools, ``stat`` and
``hostid`` are run the way GLPI Agent runs them, with a timeout, and give nothing when missing or refused.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import struct
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._linux import LinuxSources

Record = dict[str, "Any"]
# struct utmp of glibc on 64-bit and 32-bit Linux alike (384 bytes): type, pid, line, id, user, host,
# exit status, session, tv_sec, tv_usec, address, reserved.
_UTMP = struct.Struct("<h2xi32s4s32s256shhiii16s20s")
_USER_PROCESS = 7
_UTC_NAMES = frozenset(
    {"Etc/GMT", "Etc/GMT+0", "Etc/GMT-0", "Etc/GMT0", "Etc/Greenwich", "Etc/UCT", "Etc/UTC", "Etc/Universal",
     "Etc/Zulu", "GMT", "GMT+0", "GMT-0", "GMT0", "Greenwich", "UCT", "Universal", "Zulu"}
)  # fmt: skip  # DateTime::TimeZone's links to "UTC", which GLPI Agent reports
_NETWORK_SCHEMES = frozenset({"ipp", "ipps", "http", "https", "socket", "lpd", "smb", "dnssd", "mdns", "beh"})
_LVM_COMMANDS = {
    "lvs": ("lvs", "-a", "--noheading", "--nosuffix", "--units", "M", "-o",
            "lv_name,vg_uuid,lv_attr,lv_size,lv_uuid,seg_count"),
    "pvs": ("pvs", "--noheading", "--nosuffix", "--units", "M", "-o",
            "pv_name,pv_fmt,pv_attr,pv_size,pv_free,pv_uuid,pv_pe_count,vg_uuid"),
    "vgs": ("vgs", "--noheading", "--nosuffix", "--units", "M", "-o",
            "vg_name,pv_count,lv_count,vg_attr,vg_size,vg_free,vg_uuid,vg_extent_size"),
}  # fmt: skip  # GLPI Agent's Linux::LVM commands, word for word (M: megabytes of 10^6 bytes)


# -- accounts ------------------------------------------------------------------------------------


def _passwd(src: LinuxSources) -> list[list[str]]:
    rows = []
    for line in (src.read("etc/passwd") or "").splitlines():
        if not line or line[0] in "#+-":  # +/- lines: NIS inclusions, not accounts
            continue
        fields = line.split(":")
        if len(fields) >= 7:
            rows.append(fields)
    return rows


def local_users(src: LinuxSources) -> list[Record]:
    """Every account of /etc/passwd, system accounts included, as GLPI Agent sends them."""
    return [{"user_id": uid, "login": login, "name": gecos, "home": home, "shell": shell}
            for login, _pw, uid, _gid, gecos, home, shell, *_rest in _passwd(src)]  # fmt: skip


def local_groups(src: LinuxSources) -> list[Record]:
    """Groups of /etc/group that list members, with the accounts whose primary group they are (GLPI Agent's rule)."""
    primary: dict[str, list[str]] = {}
    for login, _pw, _uid, gid, *_rest in _passwd(src):
        primary.setdefault(gid, []).append(login)
    records = []
    for line in (src.read("etc/group") or "").splitlines():
        if not line or line[0] == "#":
            continue
        fields = line.split(":")
        if len(fields) < 4 or not fields[3]:
            continue
        name, gid, members = fields[0], fields[2], fields[3].split(",")
        members += [login for login in primary.get(gid, []) if login not in members]
        records.append({"group_id": gid, "name": name, "members": members})
    return records


_WTMP_CHUNK = _UTMP.size * 4096  # 1.5 MB: wtmp grows for months on a server, it is read from its end


def _last_from_wtmp(path: str) -> tuple[str, int] | None:
    """The last login of a wtmp file, read backwards (``last`` lists it first)."""
    try:
        with open(path, "rb") as wtmp:  # noqa: PTH123 - a string path: pathlib costs a run's start
            end = wtmp.seek(0, 2) // _UTMP.size * _UTMP.size
            while end > 0:
                start = max(0, end - _WTMP_CHUNK)
                wtmp.seek(start)
                data = wtmp.read(end - start)
                for offset in range(len(data) - _UTMP.size, -1, -_UTMP.size):
                    kind, _pid, _line, _id, user, *_rest, seconds, _usec, _addr, _unused = _UTMP.unpack_from(
                        data, offset
                    )
                    login = user.split(b"\0", 1)[0].decode("utf-8", "replace")
                    if kind == _USER_PROCESS and login and login not in ("reboot", "shutdown"):
                        return login, seconds
                end = start
    except OSError:
        return None
    return None


def _last_from_wtmpdb(path: str) -> tuple[str, int] | None:
    try:
        import sqlite3  # some minimal Pythons have no _sqlite3: only wtmpdb systems need it
    except ImportError:
        return None
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=2) as db:
            row = db.execute(
                "SELECT User, Login FROM wtmp WHERE User NOT IN ('reboot', 'shutdown') AND User != '' "
                "ORDER BY Login DESC LIMIT 1"
            ).fetchone()
    except sqlite3.Error:
        return None
    return (row[0], int(row[1]) // 1_000_000) if row and row[1] else None


def last_logged_user(src: LinuxSources) -> tuple[str | None, str | None]:
    """(login, when) of the last session ``last`` lists (GLPI Agent's lastloggeduser / datelastloggeduser).

    ``when`` is worded as ``last`` prints it, blanks collapsed: "Tue May 20 09:12" (local time). An empty
    wtmp gives nothing (GLPI Agent then takes the word "wtmp" of "wtmp begins ..." for a login).
    """
    found = None
    if src.exists("var/log/wtmp"):
        found = _last_from_wtmp(src.path("var/log/wtmp"))
    elif src.exists("var/lib/wtmpdb/wtmp.db"):  # Debian 13, openSUSE: wtmpdb replaces wtmp
        found = _last_from_wtmpdb(src.path("var/lib/wtmpdb/wtmp.db"))
    if found is None:
        return None, None
    login, seconds = found
    moment = dt.datetime.fromtimestamp(seconds)
    return login, f"{moment:%a %b} {moment.day} {moment:%H:%M}"


# -- operating system ----------------------------------------------------------------------------


def _epoch(output: str | None) -> int | None:
    value = (output or "").strip().splitlines()[0].strip() if (output or "").strip() else ""
    return int(value) if value.isdigit() and int(value) > 0 else None


def install_date(src: LinuxSources) -> dt.datetime | None:
    """When the OS was installed, as GLPI Agent tells it: the rpm ``basesystem`` package's install time, else the
    birth of dpkg's base-files.list, else the root filesystem's birth. A birth of 0 (filesystems that do not
    record it) gives nothing, where GLPI Agent reports 1970-01-01."""
    if src.which("rpm"):
        seconds = _epoch(src.run("rpm", "-q", "--queryformat", "%{INSTALLTIME}\n", "basesystem", timeout=30,
                                 name="rpm-basesystem"))  # fmt: skip
        if seconds:
            return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)  # GLPI: DateTime, in UTC
    if src.exists("var/lib/dpkg/info/base-files.list"):
        seconds = _epoch(src.run("stat", "-c", "%W", "/var/lib/dpkg/info/base-files.list", timeout=10,
                                 name="stat-base-files"))  # fmt: skip
    else:
        seconds = _epoch(src.run("stat", "-c", "%W", "/", timeout=10, name="stat-root"))
    return dt.datetime.fromtimestamp(seconds) if seconds else None


def _zone_name(src: LinuxSources) -> str | None:
    """The zone's name, found where DateTime::TimeZone::Local::Unix looks for it."""
    name = os.environ.get("TZ", "").lstrip(":") if src.live else ""
    if not name or name.startswith("/"):
        target = src.readlink("etc/localtime")
        if target and "zoneinfo/" in target:
            name = target.split("zoneinfo/", 1)[1]
        else:
            name = src.read("etc/timezone") or src.read("etc/TIMEZONE") or ""
    if not name:
        clock = re.search(r'^ZONE="?([^"\s]+)', src.read("etc/sysconfig/clock") or "", re.MULTILINE)
        name = clock.group(1) if clock else ""
    if not name and src.live:
        name = time.strftime("%Z")
    return ("UTC" if name in _UTC_NAMES else name) or None


def timezone(src: LinuxSources) -> dict[str, str]:
    """{"name": "Europe/Paris", "offset": "+0100"}: GLPI Agent's operatingsystem/timezone (offset of now)."""
    name = _zone_name(src)
    offset = -(time.altzone if time.localtime().tm_isdst > 0 else time.timezone)
    if not src.live and name:  # a recorded machine: its zone's offset, not this one's
        import contextlib
        import zoneinfo

        with contextlib.suppress(zoneinfo.ZoneInfoNotFoundError, ValueError):
            offset = int(dt.datetime.now(zoneinfo.ZoneInfo(name)).utcoffset().total_seconds())  # type: ignore[union-attr]
    sign = "-" if offset < 0 else "+"
    hours, minutes = divmod(abs(offset) // 60, 60)
    return {"name": name or "", "offset": f"{sign}{hours:02d}{minutes:02d}"}


def host_id(src: LinuxSources) -> str | None:
    output = src.run("hostid", timeout=5)
    return output.strip() or None if output else None


def ssh_key(src: LinuxSources) -> str | None:
    """The first (sorted) ``ssh-*`` host public key, as GLPI Agent's ssh-keyscan of the local server gives it."""
    keys = []
    for name in src.listdir("etc/ssh"):
        if name.startswith("ssh_host_") and name.endswith("_key.pub"):
            parts = (src.read(f"etc/ssh/{name}") or "").split()
            if len(parts) >= 2 and parts[0].startswith("ssh"):
                keys.append(f"{parts[0]} {parts[1]}")
    return sorted(keys)[0] if keys else None


# -- security --------------------------------------------------------------------------------------


def _nftables_on(ruleset: str) -> bool:
    """A base chain filtering incoming traffic: a drop policy or at least one rule."""
    for chain in re.findall(r"chain \S+ \{(.*?)\n\s*\}", ruleset, re.S):
        if re.search(r"hook input", chain):
            rules = [line for line in chain.splitlines()[1:] if line.strip() and not line.strip().startswith("type ")]
            if "policy drop" in chain or rules:
                return True
    return False


# Where systemd looks for system units (systemd.unit(5)), generated and transient ones included.
SYSTEMD_UNIT_DIRS = (
    "/etc/systemd/system.control", "/run/systemd/system.control", "/run/systemd/transient",
    "/run/systemd/generator.early", "/etc/systemd/system", "/etc/systemd/system.attached", "/run/systemd/system",
    "/run/systemd/system.attached", "/run/systemd/generator", "/usr/local/lib/systemd/system",
    "/usr/lib/systemd/system", "/lib/systemd/system", "/run/systemd/generator.late",
)  # fmt: skip


def firewalld_unit_installed() -> bool:
    """Whether systemd could know ``firewalld.service``: without a unit file, ``systemctl is-active``
    answers "inactive" (a process and 4 ms of CPU to learn it)."""
    return any(os.path.lexists(f"{folder}/firewalld.service") for folder in SYSTEMD_UNIT_DIRS)


def firewalls(src: LinuxSources) -> list[Record]:
    """GLPI Agent's firewall entry (ufw where installed, else firewalld through systemd: on / off), then what
    filters packets without them: the nftables ruleset (or iptables where nft is missing)."""
    records = []
    if src.which("ufw"):
        output = src.run("ufw", "status", timeout=15, name="ufw-status")
        active = re.search(r"^Status:\s*(\w+)$", output or "", re.MULTILINE)
        if output is not None:  # as a user, ufw refuses to tell: no entry rather than a wrong "off"
            records.append({"description": "ufw", "status": "on" if active and active.group(1) == "active" else "off"})
    elif src.which("systemctl"):
        output = ""
        if not src.live or firewalld_unit_installed():  # no unit file: systemctl would say "inactive"
            output = src.run("systemctl", "is-active", "firewalld.service", timeout=15, name="systemctl-firewalld",
                             codes=(0, 1, 3, 4)) or ""  # fmt: skip
        records.append({"description": "firewalld", "status": "on" if output.strip() == "active" else "off"})
    if src.which("nft"):
        ruleset = src.run("nft", "list", "ruleset", timeout=15, name="nft-ruleset")
        if ruleset is not None:
            records.append({"description": "nftables", "status": "on" if _nftables_on(ruleset) else "off"})
    elif src.which("iptables"):
        rules = src.run("iptables", "-S", "INPUT", timeout=15, name="iptables-input")
        if rules is not None:
            on = re.search(r"^-P INPUT (DROP|REJECT)", rules, re.M) or re.search(r"^-A INPUT", rules, re.M)
            records.append({"description": "iptables", "status": "on" if on else "off"})
    return records


# -- LVM -------------------------------------------------------------------------------------------


def _lvm(src: LinuxSources, name: str) -> list[list[str]]:
    if src.live and os.geteuid() != 0:
        return []
    output = src.run(*_LVM_COMMANDS[name], timeout=30)
    return [line.split() for line in (output or "").splitlines() if line.strip()]


def _mb(value: str) -> int:
    try:
        return int(float(value))
    except ValueError:
        return 0


def physical_volumes(src: LinuxSources) -> list[Record]:
    records = []
    for fields in _lvm(src, "pvs"):
        if len(fields) < 7:
            continue
        fields += [None] * (8 - len(fields))  # type: ignore[list-item]  # a PV outside any VG has no VG UUID
        device, fmt, attributes, size, free, pv_uuid, pe_count, vg_uuid = fields[:8]
        count = int(pe_count) if pe_count and pe_count.isdigit() else None
        records.append({"device": device, "format": fmt, "attributes": attributes, "size_mb": _mb(size),
                        "free_mb": _mb(free), "pv_uuid": pv_uuid, "pe_count": count, "vg_uuid": vg_uuid,
                        "pe_size": int(float(size) / count) if count else None})  # fmt: skip
    return records


def volume_groups(src: LinuxSources) -> list[Record]:
    records = []
    for fields in _lvm(src, "vgs"):
        if len(fields) < 8:
            continue
        name, pv_count, lv_count, attributes, size, free, vg_uuid, extent = fields[:8]
        records.append({"vg_name": name, "pv_count": pv_count, "lv_count": lv_count, "attributes": attributes,
                        "size_mb": _mb(size), "free_mb": _mb(free), "vg_uuid": vg_uuid,
                        "extent_size": extent})  # fmt: skip
    return records


def logical_volumes(src: LinuxSources) -> list[Record]:
    groups = {fields[6]: fields[0] for fields in _lvm(src, "vgs") if len(fields) >= 7}
    records = []
    for fields in _lvm(src, "lvs"):
        if len(fields) < 6:
            continue
        name, vg_uuid, attributes, size, lv_uuid, segments = fields[:6]
        records.append({"lv_name": name, "vg_uuid": vg_uuid, "vg_name": groups.get(vg_uuid), "attributes": attributes,
                        "size_mb": _mb(size), "lv_uuid": lv_uuid, "segments": segments})  # fmt: skip
    return records


# -- printers --------------------------------------------------------------------------------------


def _printer(name: str, uri: str | None, **values: Any) -> Record:
    options = dict(part.split("=", 1) for part in (uri or "").partition("?")[2].split("&") if "=" in part)
    scheme = (uri or "").split(":", 1)[0].lower()
    return {
        "name": name,
        "port": uri,
        "network": scheme in _NETWORK_SCHEMES if uri else None,
        "serial": options.get("serial") or options.get("uuid"),
        **values,
    }


def printers(src: LinuxSources) -> list[Record]:
    """CUPS queues: /etc/cups/printers.conf (readable by root), else ``lpstat -v`` (GLPI Agent asks CUPS the same
    through Net::CUPS: name, device URI as port, description, make and model as driver)."""
    records = []
    conf = src.read("etc/cups/printers.conf")
    if conf:
        for name, body in re.findall(r"^<(?:Default)?Printer ([^>]+)>\n(.*?)^</(?:Default)?Printer>", conf,
                                     re.M | re.S):  # fmt: skip
            values = dict(line.strip().split(" ", 1) for line in body.splitlines() if " " in line.strip())
            records.append(_printer(
                name, values.get("DeviceURI"), description=values.get("Info"), driver=values.get("MakeModel"),
                shared=values["Shared"].lower() == "yes" if "Shared" in values else None, status=values.get("State"),
                comment=values.get("Location"),
            ))  # fmt: skip
    else:
        for line in (src.run("lpstat", "-v", timeout=15, name="lpstat-v") or "").splitlines():
            found = re.match(r"^device for (\S+): (\S+)", line)
            if found:
                records.append(_printer(found.group(1), found.group(2)))
    return sorted(records, key=lambda record: record["name"].lower())


# -- about the inventory itself ---------------------------------------------------------------------


def access_log(src: LinuxSources) -> Record:
    """When this inventory was taken (GLPI Agent's accesslog/logdate, local time)."""
    return {"content": {"logdate": f"{dt.datetime.now():%Y-%m-%d %H:%M:%S}"}}


_IMPLEMENTATIONS = {"cpython": "CPython", "pypy": "PyPy", "ironpython": "IronPython", "jython": "Jython"}


def python_version() -> str:
    """``platform.python_version()``: the version at the head of ``sys.version``."""
    return sys.version.split()[0]


def python_implementation() -> str:
    """``platform.python_implementation()``, from ``sys.implementation``."""
    return _IMPLEMENTATIONS.get(sys.implementation.name, sys.implementation.name)


def platform_name() -> str:
    """``platform.platform()`` on Linux with glibc ("Linux-6.1.0-31-amd64-x86_64-with-glibc2.36"), without
    importing ``platform`` nor running ``uname -p`` for the processor: GNU uname gives "unknown" or the
    machine, which platform() leaves out either way (Gentoo's patched uname, which gives the CPU model,
    is the exception). Another C library: ``platform.platform()`` itself."""
    uname = os.uname()
    try:
        libc = os.confstr("CS_GNU_LIBC_VERSION") or ""
    except (AttributeError, ValueError, OSError):
        libc = ""
    parts = libc.split(maxsplit=1)
    if uname.sysname != "Linux" or len(parts) != 2:
        import platform

        return platform.platform()
    name = "-".join(x.strip() for x in (uname.sysname, uname.release, uname.machine, "with", "".join(parts)) if x)
    for character in ' /\\:;"()':
        name = name.replace(character, "_" if character == " " else "-")
    name = name.replace("unknown", "")
    while "--" in name:
        name = name.replace("--", "-")
    return name.rstrip("-")


def version_provider(src: LinuxSources) -> Record:
    """Which agent made the inventory (GLPI Agent's versionprovider: its name, version, program, interpreter)."""
    from mutuparc import __version__

    return {
        "content": {
            "name": "Mutuparc",
            "version": __version__,
            "program": sys.argv[0] or None,
            "comments": [
                f"Python {python_version()} ({python_implementation()})",
                f"Platform: {platform_name()}",
            ],
        }
    }
