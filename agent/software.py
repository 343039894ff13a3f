"""Installed software, from each packaging system's own records.

Parsers take text (or registry entries) and return wire ``softwares`` records; reading the data
is the platform module's job, so that recorded outputs can be replayed in tests.
"""

from __future__ import annotations

import datetime as dt
import re

from wire._lazy import LazyPattern
from wire.fields import date

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from typing import Any

Record = dict[str, "Any"]
_MAINTAINER = LazyPattern(r"^(.*?)\s*<[^>]*>\s*$")


# The fields of a dpkg status paragraph the inventory uses (the rest, descriptions first, is skipped)
DPKG_FIELDS = ("Package", "Status", "Version", "Architecture", "Section", "Installed-Size")


def dpkg_status(text: str) -> list[dict[str, str]]:
    """Installed packages of a /var/lib/dpkg/status file, as dicts of ``DPKG_FIELDS``.

    A lean reader: each wanted field is found with ``str.find`` in its paragraph (C speed), no
    line of the long descriptions is looked at in Python."""
    packages = []
    for paragraph in text.split("\n\n"):
        block = "\n" + paragraph
        fields: dict[str, str] = {}
        for key in DPKG_FIELDS:
            start = block.find(f"\n{key}:")
            if start < 0:
                continue
            start += len(key) + 2
            end = block.find("\n", start)
            fields[key] = block[start : end if end >= 0 else len(block)].strip()
        if fields.get("Package") and fields.get("Status", "").endswith(" installed"):
            packages.append(fields)
    return packages


def dpkg_records(
    packages: Iterable[Mapping[str, str]], *, publisher: str | None, installed_on: Mapping[str, dt.date] | None = None
) -> list[Record]:
    records = []
    for package in packages:
        name = package["Package"]
        size = package.get("Installed-Size", "")
        records.append(
            {
                "name": name,
                "version": package.get("Version"),
                "arch": package.get("Architecture"),
                "publisher": publisher,
                "origin": "deb",
                "category": package.get("Section"),
                "size_bytes": int(size) * 1024 if size.isdigit() else None,
                "install_date": (installed_on or {}).get(name),
            }
        )
    return records


RPM_QUERY_FORMAT = "%{NAME}\t%{ARCH}\t%{VERSION}-%{RELEASE}\t%{INSTALLTIME}\t%{SIZE}\t%{VENDOR}\t%{GROUP}\n"


def rpm_records(output: str) -> list[Record]:
    """Packages from ``rpm -qa --queryformat RPM_QUERY_FORMAT``."""
    records = []
    for line in output.splitlines():
        parts = line.split("\t")
        if len(parts) != 7 or not parts[0] or parts[0] == "gpg-pubkey":
            continue
        name, arch, version, installed, size, vendor, group = parts
        records.append(
            {
                "name": name,
                "arch": arch if arch != "(none)" else None,
                "version": version,
                "install_date": dt.datetime.fromtimestamp(int(installed), dt.UTC).date()
                if installed.isdigit()
                else None,
                "size_bytes": int(size) if size.isdigit() else None,
                "publisher": vendor if vendor != "(none)" else None,
                "category": group if group != "(none)" else None,
                "origin": "rpm",
            }
        )
    return records


def snap_records(output: str) -> list[Record]:
    """Packages from ``snap list`` (columns: Name Version Rev Tracking Publisher Notes)."""
    records = []
    for line in output.splitlines()[1:]:
        parts = line.split()
        if len(parts) >= 5:
            records.append(
                {"name": parts[0], "version": parts[1], "publisher": parts[4].rstrip("*✓"), "origin": "snap"}
            )
    return records


def flatpak_records(output: str) -> list[Record]:
    """Applications from ``flatpak list --app --columns=application,version,origin``."""
    records = []
    for line in output.splitlines():
        parts = line.split("\t")
        if parts and parts[0]:
            records.append(
                {
                    "name": parts[0],
                    "version": parts[1] if len(parts) > 1 and parts[1] else None,
                    "publisher": parts[2] if len(parts) > 2 else None,
                    "origin": "flatpak",
                }
            )
    return records


# Windows: entries of the Uninstall registry keys (HKLM, HKLM\WOW6432Node, each user's HKCU).
_UPDATE_TYPES = frozenset({"update", "hotfix", "security update", "service pack"})


def windows_records(entries: Iterable[tuple[str, Mapping[str, Any]]]) -> list[Record]:
    """Software from Uninstall keys, given as (view, values) with view in ``x64``, ``x86``, ``user:<login>``.

    Components, patches and updates are left out (as the Control Panel does), and a program
    registered in several views (an MSI in both the 64- and 32-bit keys, or machine-wide and
    per user) is listed once.
    """
    records: dict[tuple[str, str | None, str | None], Record] = {}
    for view, values in entries:
        name = (values.get("DisplayName") or "").strip()
        if not name:
            continue
        if values.get("SystemComponent") == 1 or values.get("ParentKeyName"):
            continue
        if str(values.get("ReleaseType") or "").lower() in _UPDATE_TYPES:
            continue
        version = values.get("DisplayVersion") or None
        publisher = (values.get("Publisher") or "").strip() or None
        key = (name.lower(), version, (publisher or "").lower() or None)
        if key in records:
            continue
        size_kb = values.get("EstimatedSize")
        records[key] = {
            "name": name,
            "version": version,
            "publisher": publisher,
            "install_date": date(values.get("InstallDate")),
            "arch": view if view in ("x64", "x86") else None,
            "username": view.split(":", 1)[1] if view.startswith("user:") else None,
            "size_bytes": size_kb * 1024 if isinstance(size_kb, int) else None,
            "guid": values.get("_key") if str(values.get("_key", "")).startswith("{") else None,
            "origin": "registry",
        }
    return list(records.values())


def macos_records(applications: Iterable[Mapping[str, Any]]) -> list[Record]:
    """Applications from ``system_profiler -json SPApplicationsDataType``."""
    records: dict[tuple[str, str | None], Record] = {}
    for app in applications:
        name = app.get("_name")
        if not name:
            continue
        version = app.get("version")
        signed_by = app.get("signed_by") or []
        publisher = _macos_publisher(signed_by[0]) if signed_by else None
        records.setdefault(
            (name, version),
            {
                "name": name,
                "version": version,
                "publisher": publisher,
                "install_date": date(str(app.get("lastModified", ""))[:10]),
                "arch": app.get("arch_kind"),
                "origin": "application" if app.get("obtained_from") != "apple" else "apple",
            },
        )
    return list(records.values())


def _macos_publisher(signature: str) -> str:
    # "Developer ID Application: Mozilla Corporation (43AQ936H96)" -> "Mozilla Corporation"
    text = signature.split(":", 1)[-1].strip()
    return re.sub(r"\s*\([A-Z0-9]{10}\)$", "", text)


def maintainer_name(maintainer: str) -> str:
    match = _MAINTAINER.match(maintainer)
    return match.group(1) if match else maintainer
