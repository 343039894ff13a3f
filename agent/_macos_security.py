"""macOS security state: application firewall, local accounts, Secure Boot and the security chips.

- firewall: ``socketfilterfw --getglobalstate`` ("Firewall is enabled. (State = 1)"; 2 blocks all
  incoming connections), else ``com.apple.alf`` ``globalstate`` (GLPI Agent reads the latter, which
  recent macOS no longer writes until the firewall is configured); ``on``/``off``.
- local accounts: ``dscl . -readall /Users`` and ``/Groups`` (GLPI Agent reads /etc/passwd, which on
  macOS holds only system accounts). Service accounts (``_``-prefixed) are left out; groups are
  those with members, primary-group members included, as GLPI Agent lists Unix groups.
- Secure Boot (``bios.secure_boot``): ``SPiBridgeDataType`` ``ibridge_secure_boot`` on T2 and
  Apple silicon Macs: Full/Medium/Reduced Security is ``enabled``, No/Permissive Security
  ``disabled``; a Mac without such a controller (Intel without T2) is ``unsupported``.
- ``bios`` also carries ``mutuparc_boot_mode`` and ``mutuparc_secure_boot_policy`` (Mutuparc's keys).
- ``firmwares``: the boot firmware (``iBoot`` on Apple silicon, ``UEFI`` on Intel Macs, its version
  the Boot ROM's, its description the Secure Boot policy), the T2 chip (``type`` ``security chip``,
  its bridgeOS build) and the Secure Element (``type`` ``secure element``).
"""

from __future__ import annotations

import re
from typing import Any

from ._macos_base import MacSources, Record, first, output, plist

_SECURE_BOOT = {
    "full security": "enabled",
    "medium security": "enabled",
    "reduced security": "enabled",
    "no security": "disabled",
    "permissive security": "disabled",
}


def secure_boot(src: MacSources) -> str | None:
    profile = src.system_profiler()
    if "SPiBridgeDataType" not in profile:
        return None  # not read
    bridge = first(src, "SPiBridgeDataType")
    policy = str(bridge.get("ibridge_secure_boot") or "").strip().lower()
    if not policy:
        return "unsupported"
    return _SECURE_BOOT.get(policy)  # a localised or unknown wording: not guessed


def bios_extensions(src: MacSources) -> dict[str, Any] | None:
    """Mutuparc's own ``bios`` keys: ``mutuparc_boot_mode`` (``iboot``/``uefi``) and the Secure Boot
    policy as macOS words it (``mutuparc_secure_boot_policy``: "Full Security"...)."""
    hw, bridge = first(src, "SPHardwareDataType"), first(src, "SPiBridgeDataType")
    extensions = {
        "mutuparc_boot_mode": ("iboot" if str(hw.get("chip_type", "")).startswith("Apple") else "uefi") if hw else None,
        "mutuparc_secure_boot_policy": bridge.get("ibridge_secure_boot"),
    }
    return {k: v for k, v in extensions.items() if v} or None


def firmwares(src: MacSources) -> list[Record]:
    hw, bridge = first(src, "SPHardwareDataType"), first(src, "SPiBridgeDataType")
    apple_silicon = str(hw.get("chip_type", "")).startswith("Apple")
    records = []
    if hw.get("boot_rom_version"):
        policy = bridge.get("ibridge_secure_boot")
        records.append(
            {
                "name": "iBoot" if apple_silicon else "UEFI",
                "type": "system firmware",
                "version": hw.get("boot_rom_version"),
                "manufacturer": "Apple Inc.",
                "release_date": None,
                "description": f"Secure Boot: {policy}" if policy else None,
            }
        )
    if bridge.get("ibridge_model_name"):  # T1/T2 Macs
        records.append(
            {
                "name": bridge["ibridge_model_name"],
                "type": "security chip",
                "version": bridge.get("ibridge_build"),
                "manufacturer": "Apple Inc.",
                "release_date": None,
                "description": None,
            }
        )
    element = first(src, "SPSecureElementDataType")
    if element.get("se_os_version") or element.get("se_fw"):
        records.append(
            {
                "name": "Secure Element",
                "type": "secure element",
                "version": element.get("se_os_version") or element.get("se_fw"),
                "manufacturer": "Apple Inc.",
                "release_date": None,
                "description": f"firmware {element['se_fw']}" if element.get("se_fw") else None,
            }
        )
    return records


def firewalls(src: MacSources) -> list[Record]:
    state = re.search(r"State\s*=\s*(\d)", output(src, "firewall") or "")
    if state is None:
        fallback = (output(src, "alf") or "").strip()
        if not fallback.isdigit():
            raise OSError("firewall state not readable (socketfilterfw, com.apple.alf)")
        level = int(fallback)
    else:
        level = int(state.group(1))
    return [{"profile": None, "status": "on" if level else "off", "description": None, "ipv4": None, "ipv6": None}]


def _attribute(record: dict[str, Any], name: str) -> list[str]:
    found = record.get(f"dsAttrTypeStandard:{name}") or []
    return [str(item) for item in found] if isinstance(found, list) else [str(found)]


def _records(src: MacSources, command: str) -> list[dict[str, Any]]:
    parsed = plist(src.command(command))
    if not isinstance(parsed, list):
        raise OSError(f"dscl {command}: not a property list")
    return [r for r in parsed if isinstance(r, dict)]


def _users(src: MacSources) -> list[dict[str, Any]]:
    users = []
    for record in _records(src, "users"):
        login = next(iter(_attribute(record, "RecordName")), None)
        if login and not login.startswith("_"):
            users.append(record | {"_login": login})
    return users


def local_users(src: MacSources) -> list[Record]:
    records = []
    for user in _users(src):
        uid = next(iter(_attribute(user, "UniqueID")), None)
        if uid is None:
            continue
        records.append(
            {
                "user_id": uid,
                "login": user["_login"],
                "name": next(iter(_attribute(user, "RealName")), None),
                "home": next(iter(_attribute(user, "NFSHomeDirectory")), None),
                "shell": next(iter(_attribute(user, "UserShell")), None),
            }
        )
    return records


def local_groups(src: MacSources) -> list[Record]:
    primary: dict[str, list[str]] = {}
    for user in _users(src):
        for gid in _attribute(user, "PrimaryGroupID"):
            primary.setdefault(gid, []).append(user["_login"])
    records = []
    for group in _records(src, "groups"):
        name = next(iter(_attribute(group, "RecordName")), None)
        gid = next(iter(_attribute(group, "PrimaryGroupID")), None)
        members = list(dict.fromkeys(_attribute(group, "GroupMembership") + primary.get(gid or "", [])))
        if name and members:
            records.append({"group_id": gid, "name": name, "members": members})
    return records
