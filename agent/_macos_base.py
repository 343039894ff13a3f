"""macOS sources (``system_profiler -json``, ``sw_vers`` and a few named commands) and shared helpers.

``LiveMacSources`` runs the commands, ``RecordedMacSources`` replays their outputs captured from
real Macs: ``system_profiler.json``, ``sw_vers.txt`` and ``commands/<name>.txt`` for each entry
of ``COMMANDS``, so that the collectors run in tests on any OS.
"""

from __future__ import annotations

import json
import plistlib
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any, Protocol

Record = dict[str, Any]

DATA_TYPES = (
    "SPHardwareDataType",
    "SPSoftwareDataType",
    "SPMemoryDataType",
    "SPStorageDataType",
    "SPNetworkDataType",
    "SPPowerDataType",
    "SPApplicationsDataType",
    "SPDisplaysDataType",
    "SPPrintersDataType",
    "SPUSBDataType",
    "SPSecureElementDataType",
    "SPiBridgeDataType",
    "SPInstallHistoryDataType",
)
# The commands the collectors read, by name; none needs root, none changes anything.
COMMANDS: dict[str, tuple[str, ...]] = {
    "firewall": ("/usr/libexec/ApplicationFirewall/socketfilterfw", "--getglobalstate"),
    "alf": ("/usr/bin/defaults", "read", "/Library/Preferences/com.apple.alf", "globalstate"),
    "last": ("/usr/bin/last",),
    "users": (
        "/usr/bin/dscl",
        "-plist",
        ".",
        "-readall",
        "/Users",
        "RecordName",
        "UniqueID",
        "PrimaryGroupID",
        "RealName",
        "NFSHomeDirectory",
        "UserShell",
    ),
    "groups": (
        "/usr/bin/dscl",
        "-plist",
        ".",
        "-readall",
        "/Groups",
        "RecordName",
        "PrimaryGroupID",
        "GroupMembership",
    ),
    "localtime": ("/usr/bin/readlink", "/etc/localtime"),
    "utc_offset": ("/bin/date", "+%z"),
    "battery": ("/usr/sbin/ioreg", "-r", "-c", "AppleSmartBattery", "-a"),
}
_SIZE = re.compile(r"([\d.,]+)\s*(TB|GB|MB)", re.IGNORECASE)


class MacSources(Protocol):
    def system_profiler(self) -> dict[str, list[dict[str, Any]]]: ...
    def sw_vers(self) -> str: ...
    def command(self, name: str) -> str: ...


class RecordedMacSources:
    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)

    def system_profiler(self) -> dict[str, list[dict[str, Any]]]:
        return json.loads((self.directory / "system_profiler.json").read_text("utf-8"))

    def sw_vers(self) -> str:
        return (self.directory / "sw_vers.txt").read_text("utf-8")

    def command(self, name: str) -> str:
        path = self.directory / "commands" / f"{name}.txt"
        if name not in COMMANDS or not path.exists():
            raise OSError(f"command {name} not recorded")
        return path.read_text("utf-8")


class LiveMacSources:  # pragma: no cover - needs macOS
    def __init__(self) -> None:
        self._profile: dict[str, Any] | None = None

    def system_profiler(self) -> dict[str, list[dict[str, Any]]]:
        if self._profile is None:  # one run for every data type: system_profiler is slow to start
            command = [shutil.which("system_profiler") or "/usr/sbin/system_profiler", "-json", *DATA_TYPES]
            output = subprocess.run(command, capture_output=True, text=True, timeout=300, check=True).stdout  # noqa: S603
            self._profile = json.loads(output)
        return self._profile

    def sw_vers(self) -> str:
        return subprocess.run(["/usr/bin/sw_vers"], capture_output=True, text=True, timeout=30, check=True).stdout

    def command(self, name: str) -> str:
        try:
            done = subprocess.run(COMMANDS[name], capture_output=True, text=True, timeout=60, check=True)  # noqa: S603
        except subprocess.SubprocessError as exc:
            raise OSError(f"{name}: {exc}") from exc
        return done.stdout


def live_sources() -> MacSources:  # pragma: no cover - needs macOS
    return LiveMacSources()


def data(src: MacSources, data_type: str) -> list[dict[str, Any]]:
    return src.system_profiler().get(data_type) or []


def first(src: MacSources, data_type: str) -> dict[str, Any]:
    items = data(src, data_type)
    return items[0] if items else {}


def output(src: MacSources, name: str) -> str | None:
    """A command's output, or None when it cannot be run (a bonus source)."""
    try:
        return src.command(name)
    except OSError:
        return None


def plist(text: str | None) -> Any:
    if not text:
        return None
    try:
        return plistlib.loads(text.encode("utf-8"))
    except (plistlib.InvalidFileException, ValueError):
        return None


def size_bytes(text: Any) -> int | None:
    """'16 GB' -> bytes (system_profiler uses binary units for memory, as macOS shows them)."""
    match = _SIZE.search(str(text or ""))
    if not match:
        return None
    number = float(match.group(1).replace(",", "."))
    return int(number * {"tb": 2**40, "gb": 2**30, "mb": 2**20}[match.group(2).lower()])


def hex_id(raw: Any) -> str | None:
    """A 4-digit USB/display id from "0x046d  (Logitech Inc.)", "046d" or "apple_vendor_id"."""
    if raw == "apple_vendor_id":
        return "05ac"
    match = re.match(r"\s*(?:0x)?([0-9a-f]{1,4})\b", str(raw or ""), re.IGNORECASE)
    return match.group(1).lower().zfill(4) if match else None


def document(**values: Any) -> Record:
    """A document-section record: GLPI keys as GLPI Agent sends them, empty values left out."""
    return {"content": {key: item for key, item in values.items() if item not in (None, "", [])}}
