"""Windows sources (WMI in any namespace, the registry) and the helpers every Windows collector uses.

``LiveWindowsSources`` queries WMI through pywin32 and the registry through winreg on a real
machine; ``RecordedWindowsSources`` replays plain data files captured from real machines, so
that the collectors run in tests on any OS. Recordings hold:

- ``wmi/<Class>.json``: the instances of a ``root\\cimv2`` class, a list of objects;
- ``wmi/<namespace path>/<Class>.json`` for other namespaces (``wmi/root/SecurityCenter2/
  AntiVirusProduct.json``), path parts matched without regard to case;
- ``registry.json``: ``{"HKLM\\\\...\\\\Key": {"Value": ...}}``, binary values written
  ``{"base64": "..."}``.

A recorded class holds the instances a live query returns; the ``where`` filter a collector
passes (to keep a live query small, e.g. local accounts only on a domain member) is not applied
to recordings, so collectors filter again on the same properties.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import re
from pathlib import Path
from typing import Any, Protocol

Record = dict[str, Any]

CIMV2 = r"root\cimv2"
WMI = r"root\wmi"
SECURITY_CENTER = r"root\SecurityCenter2"
DEFENDER = r"root\Microsoft\Windows\Defender"
TPM = r"root\CIMV2\Security\MicrosoftTpm"

CURRENT_VERSION = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion"
CONTROL = r"HKLM\SYSTEM\CurrentControlSet\Control"
ENUM = r"HKLM\SYSTEM\CurrentControlSet\Enum"
UNINSTALL = r"SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall"
UNINSTALL_VIEWS = (
    ("x64", rf"HKLM\{UNINSTALL}"),
    ("x86", r"HKLM\SOFTWARE\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall"),
)

# GLPI Agent's list of placeholder values firmware vendors leave in SMBIOS strings.
_INVALID_BIOS_VALUE = re.compile(
    r"^(?:N/A|None|Unknown|Not\s*Specified|Not\s*Present|Not\s*Available|Not\s*Installed|Default\s*string"
    r"|System\s*Product\s*Name|System\s*manufacturer|System\s*Serial\s*Number|System\s*Version"
    r"|Chassis\s*Serial\s*Number|Chassis\s*manufacturer?|Chassis\s*Version|No\s*Asset\s*Tag|<BAD\s*INDEX>"
    r"|(?:<OUT\s*OF\s*SPEC>){1,2}|\s*To\s*Be\s*Filled\s*By\s*O\.E\.M\.)$",
    re.IGNORECASE,
)


class WindowsSources(Protocol):
    def wmi(self, wmi_class: str, namespace: str = CIMV2, where: str | None = None) -> list[dict[str, Any]]: ...
    def registry(self, path: str) -> dict[str, Any] | None: ...
    def subkeys(self, path: str) -> list[str]: ...


def _registry_value(value: Any) -> Any:
    if isinstance(value, dict) and set(value) == {"base64"}:
        return base64.b64decode(value["base64"])
    return value


def _child(folder: Path, name: str) -> Path:
    """``folder / name``, or the entry of ``folder`` whose name differs only by case."""
    exact = folder / name
    if exact.exists() or not folder.is_dir():
        return exact
    return next((p for p in folder.iterdir() if p.name.lower() == name.lower()), exact)


class RecordedWindowsSources:
    """A machine captured as files (see the module docstring)."""

    def __init__(self, directory: str | Path) -> None:
        self.directory = Path(directory)
        registry_file = self.directory / "registry.json"
        raw = json.loads(registry_file.read_text("utf-8")) if registry_file.exists() else {}
        self._registry = {path.lower(): (path, values) for path, values in raw.items()}

    def wmi(self, wmi_class: str, namespace: str = CIMV2, where: str | None = None) -> list[dict[str, Any]]:
        folder = self.directory / "wmi"
        if namespace.lower() != CIMV2:
            for part in namespace.split("\\"):
                folder = _child(folder, part)
        path = _child(folder, f"{wmi_class}.json")
        if not path.exists():
            raise OSError(f"WMI class {namespace}:{wmi_class} not available")
        return json.loads(path.read_text("utf-8"))

    def registry(self, path: str) -> dict[str, Any] | None:
        found = self._registry.get(path.lower())
        return {name: _registry_value(value) for name, value in found[1].items()} if found else None

    def subkeys(self, path: str) -> list[str]:
        prefix = path.lower().rstrip("\\") + "\\"
        children: dict[str, str] = {}
        for lowered, (original, _) in self._registry.items():
            if lowered.startswith(prefix):
                child = original[len(prefix) :].split("\\", 1)[0]
                children.setdefault(child.lower(), child)
        return sorted(children.values())


class LiveWindowsSources:  # pragma: no cover - needs Windows
    """WMI through pywin32's COM client and the registry through winreg (64-bit view)."""

    def __init__(self) -> None:
        import win32com.client  # type: ignore[import-not-found]

        self._get_object = win32com.client.GetObject
        self._services: dict[str, Any] = {CIMV2: self._get_object(r"winmgmts:\\.\root\cimv2")}

    def wmi(self, wmi_class: str, namespace: str = CIMV2, where: str | None = None) -> list[dict[str, Any]]:
        # wmi_class, namespace and where are this package's constants, never outside input.
        query = f"SELECT * FROM {wmi_class}" + (f" WHERE {where}" if where else "")  # noqa: S608
        try:
            service = self._services.get(namespace.lower())
            if service is None:
                service = self._get_object(rf"winmgmts:{{impersonationLevel=impersonate}}!\\.\{namespace}")
                self._services[namespace.lower()] = service
            return [
                {prop.Name: _com_value(prop.Value) for prop in item.Properties_} for item in service.ExecQuery(query)
            ]
        except OSError:
            raise
        except Exception as exc:  # pywintypes.com_error: no such namespace or class, access denied
            raise OSError(f"WMI {namespace}:{wmi_class}: {exc}") from exc

    def _open(self, path: str):  # type: ignore[no-untyped-def]
        import winreg

        hive_name, _, subpath = path.partition("\\")
        hive = {"HKLM": winreg.HKEY_LOCAL_MACHINE, "HKU": winreg.HKEY_USERS}[hive_name]
        return winreg.OpenKey(hive, subpath, 0, winreg.KEY_READ | winreg.KEY_WOW64_64KEY)

    def registry(self, path: str) -> dict[str, Any] | None:
        import winreg

        try:
            key = self._open(path)
        except OSError:
            return None
        values, index = {}, 0
        with key:
            while True:
                try:
                    name, value, _ = winreg.EnumValue(key, index)
                except OSError:
                    break
                values[name] = value
                index += 1
        return values

    def subkeys(self, path: str) -> list[str]:
        import winreg

        try:
            key = self._open(path)
        except OSError:
            return []
        names, index = [], 0
        with key:
            while True:
                try:
                    names.append(winreg.EnumKey(key, index))
                except OSError:
                    break
                index += 1
        return names


def _com_value(value: Any) -> Any:  # pragma: no cover - needs Windows
    if isinstance(value, tuple):
        return list(value)
    return value


# -- helpers -------------------------------------------------------------------------------


def rows(src: WindowsSources, wmi_class: str, namespace: str = CIMV2, where: str | None = None) -> list[Record]:
    """The instances of a class, or none when the class cannot be read (a bonus source)."""
    try:
        return src.wmi(wmi_class, namespace, where)
    except OSError:
        return []


def one(src: WindowsSources, wmi_class: str, namespace: str = CIMV2) -> Record:
    found = rows(src, wmi_class, namespace)
    return found[0] if found else {}


def value(src: WindowsSources, key: str, name: str) -> Any:
    return (src.registry(key) or {}).get(name)


def cim_datetime(raw: Any) -> dt.datetime | None:
    """A CIM_DATETIME ("20230515093000.000000+060") as a naive local datetime."""
    if not isinstance(raw, str) or len(raw) < 14 or not raw[:14].isdigit():
        return None
    try:
        moment = dt.datetime.strptime(raw[:14], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return moment if moment.year > 1900 else None


def integer(raw: Any) -> int | None:
    if isinstance(raw, bool):
        return int(raw)
    if isinstance(raw, int):
        return raw
    if isinstance(raw, str):
        stripped = raw.strip()
        if stripped.isdigit():
            return int(stripped)
        if stripped.lower().startswith("0x"):
            try:
                return int(stripped, 16)
            except ValueError:
                return None
    return None


def signed32(raw: Any) -> int | None:
    """A REG_DWORD read as unsigned (winreg) or signed: the signed value (time zone biases)."""
    number = integer(raw)
    if number is None:
        return None
    return number - 2**32 if number >= 2**31 else number


def flag(raw: Any) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        return raw != 0
    if isinstance(raw, str) and raw.strip().lower() in ("true", "1", "false", "0"):
        return raw.strip().lower() in ("true", "1")
    return None


def text(raw: Any) -> str | None:
    """A trimmed string (first element of a one-string list, as WMI sometimes gives), or None."""
    if isinstance(raw, list):
        raw = raw[0] if raw else None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        return None
    return raw.split("\x00", 1)[0].strip() or None


def bios_text(raw: Any) -> str | None:
    """A SMBIOS string, without the placeholders firmware vendors leave in them."""
    cleaned = text(raw)
    return None if cleaned is None or _INVALID_BIOS_VALUE.match(cleaned) else cleaned


def document(**values: Any) -> Record:
    """A document-section record: GLPI keys as GLPI Agent sends them, empty values left out."""
    return {"content": {key: item for key, item in values.items() if item not in (None, "", [])}}


def uninstall_entries(src: WindowsSources) -> list[dict[str, Any]]:
    """The machine-wide Uninstall entries (64- and 32-bit views)."""
    entries = []
    for _, path in UNINSTALL_VIEWS:
        for name in src.subkeys(path):
            values = src.registry(f"{path}\\{name}")
            if values:
                entries.append(values)
    return entries
