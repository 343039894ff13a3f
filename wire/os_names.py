"""How an operating system is named for people: "Windows 11 Pro 23H2 build 22631.4460".

Windows agents report the product (WMI Caption, localised: "Microsoft Windows 10 Professionnel"),
the feature update (23H2) and the kernel version with its update revision (10.0.22631.4460);
the label puts them together the way the DSIT reads them, whatever the PC's language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# Localised Windows edition names (WMI Caption follows the display language) -> English.
_EDITIONS = (
    ("Professionnel pour les Stations de travail", "Pro for Workstations"),
    ("Professionnel Éducation", "Pro Education"),
    ("Professionnel", "Pro"),
    ("Professional", "Pro"),
    ("Famille", "Home"),
    ("Entreprise", "Enterprise"),
    ("Éducation", "Education"),
    ("Professionell", "Pro"),
)
_BUILD = re.compile(r"^\d+\.\d+\.(\d+(?:\.\d+)?)$")


def is_windows(record: Mapping[str, Any]) -> bool:
    return str(record.get("name") or "").startswith("Windows") or "Windows" in str(record.get("full_name") or "")


def os_label(record: Mapping[str, Any] | None) -> str | None:
    if not record:
        return None
    full_name = str(record.get("full_name") or record.get("name") or "").strip()
    if not full_name:
        return None
    if not is_windows(record):
        version = str(record.get("version") or "")
        return full_name if not version or version in full_name else f"{full_name} {version}"
    label = full_name.removeprefix("Microsoft").strip()
    for localised, english in _EDITIONS:
        label = re.sub(rf"\b{re.escape(localised)}\b", english, label)
    parts = [label]
    if record.get("version"):
        parts.append(str(record["version"]))
    build = _BUILD.match(str(record.get("kernel_version") or ""))
    if build:
        parts.append(f"build {build.group(1)}")
    return " ".join(parts)


def firmware_label(device: Mapping[str, Any] | None) -> str | None:
    """A network device's system: "FortiOS 7.2.8", "DSM 7.2.1-69057", or the bare firmware."""
    if not device or not device.get("firmware"):
        return None
    firmware = str(device["firmware"]).strip()
    os_name = str(device.get("os_name") or "").strip()
    if os_name and not firmware.lower().startswith(os_name.lower()):
        return f"{os_name} {firmware}"
    return firmware
