"""Windows security state: firewall profiles, antivirus, licences, local accounts, TPM, UEFI and Secure Boot.

What GLPI Agent reads (Win32/Firewall.pm, AntiVirus.pm, License.pm, Users.pm) and how it words it:

- firewall: ``EnableFirewall`` of the Domain, Standard (private) and Public profiles under
  ``SharedAccess\\Parameters\\FirewallPolicy``, ``on``/``off``; each connected interface is
  attached to its profile through the NetworkList profiles (one record per profile and address).
  Mutuparc also honours the group policy value (``Policies\\Microsoft\\WindowsFirewall``), which
  wins over the local one when set.
- antivirus: ``root\\SecurityCenter2`` ``AntiVirusProduct``, ``productState`` decoded as GLPI Agent
  does (second-to-last byte ``1x``: enabled; last byte ``00``: signatures up to date); Windows
  Defender's version and signature version from ``MSFT_MpComputerStatus``; a missing version or
  company from the product's Uninstall entry. Where Security Center does not exist (Windows Server),
  Defender alone is read from ``MSFT_MpComputerStatus``.
- licences: ``SoftwareLicensingProduct`` items that have a partial product key and a licence status
  (Windows and volume/retail Office), key as ``XXXXX-XXXXX-XXXXX-XXXXX-ABCDE``. The GLPI schema has
  no field for the activation state: it is sent as Mutuparc's own item keys ``mutuparc_status``
  (licensed, initial grace period, notification...) and ``mutuparc_channel`` (``OEM:DM``, ``Retail``,
  ``Volume:GVLK``...), kept by the server with the item's other keys.
- ``winprodkey``: DigitalProductId decoded as GLPI Agent's decodeMicrosoftKey (Windows 8 keys with N).
- local accounts: ``Win32_UserAccount`` (enabled, not locked) and ``Win32_Group``, local ones only.

GLPI has no TPM nor boot-mode field; they are ``firmwares`` items (a GLPI section a computer may
send, stored as device firmwares):

- ``{"name": "TPM 2.0", "type": "tpm", "version": <TPM firmware>, "manufacturer": "Intel",
  "description": "enabled, activated, owned"}`` from ``Win32_Tpm`` (root\\CIMV2\\Security\\MicrosoftTpm);
- ``{"name": "UEFI" | "Legacy BIOS", "type": "system firmware", "version", "manufacturer",
  "release_date", "description": "Secure Boot enabled"}`` from ``PEFirmwareType``;

and ``bios.secure_boot`` (``enabled``/``disabled``/``unsupported``) comes from
``Control\\SecureBoot\\State\\UEFISecureBootEnabled``. The ``bios`` item also carries the three
facts a Windows 11 check reads, as Mutuparc's own keys: ``mutuparc_boot_mode`` (``uefi``/``legacy``),
``mutuparc_tpm_version`` (``2.0``) and ``mutuparc_tpm_enabled``.
"""

from __future__ import annotations

import re
from typing import Any

from wire.sections import EXTRA

from ._windows_base import (
    CIMV2,
    CONTROL,
    DEFENDER,
    SECURITY_CENTER,
    TPM,
    Record,
    WindowsSources,
    cim_datetime,
    flag,
    integer,
    one,
    rows,
    text,
    uninstall_entries,
    value,
)

SECURE_BOOT_STATE = rf"{CONTROL}\SecureBoot\State"
FIREWALL_POLICY = r"HKLM\SYSTEM\CurrentControlSet\Services\SharedAccess\Parameters\FirewallPolicy"
FIREWALL_GPO = r"HKLM\SOFTWARE\Policies\Microsoft\WindowsFirewall"
NETWORK_LIST = r"HKLM\SOFTWARE\Microsoft\Windows NT\CurrentVersion\NetworkList"
DNS_REGISTERED = r"HKLM\SYSTEM\CurrentControlSet\Services\Tcpip\Parameters\DNSRegisteredAdapters"
DEFENDER_SIGNATURES = r"HKLM\SOFTWARE\Microsoft\Windows Defender\Signature Updates"

# (profile as GLPI names it, its group policy key, NetworkList category)
_FIREWALL_PROFILES = (
    ("DomainProfile", "DomainProfile", 2),
    ("StandardProfile", "PrivateProfile", 1),
    ("PublicProfile", "PublicProfile", 0),
)
_DEFENDER = re.compile(r"(Windows|Microsoft) Defender", re.IGNORECASE)
_KEY_CHARS = "BCDFGHJKMPQRTVWXY2346789"
_LICENSE_STATUS = {
    1: "licensed",
    2: "initial grace period",
    3: "additional grace period",
    4: "non-genuine grace period",
    5: "notification",
    6: "extended grace period",
}
# TCG vendor ids (Win32_Tpm.ManufacturerIdTxt) of TPM makers.
_TPM_VENDORS = {
    "AMD": "AMD",
    "ATML": "Atmel",
    "BRCM": "Broadcom",
    "GOOG": "Google",
    "IBM": "IBM",
    "IFX": "Infineon",
    "INTC": "Intel",
    "LEN": "Lenovo",
    "MSFT": "Microsoft",
    "NSM": "National Semiconductor",
    "NTC": "Nuvoton",
    "NTZ": "Nationz",
    "QCOM": "Qualcomm",
    "ROCC": "Fuzhou Rockchip",
    "SMSN": "Samsung",
    "STM": "STMicroelectronics",
    "TXN": "Texas Instruments",
    "WEC": "Winbond",
}


# -- product key, firmware, Secure Boot -------------------------------------------------------


def decode_product_key(raw: Any) -> str | None:
    """A DigitalProductId (or DigitalProductId4) as ``XXXXX-XXXXX-XXXXX-XXXXX-XXXXX``."""
    if not isinstance(raw, bytes | bytearray):
        return None
    first = 808 if len(raw) > 808 else 52
    digits = bytearray(raw[first : first + 15])
    if len(digits) < 15:
        return None
    contains_n = (digits[14] >> 3) & 1
    digits[14] &= 0xF7
    if not any(digits):
        return None
    chars: list[str] = []
    for _ in range(25):
        index = 0
        for position in range(14, -1, -1):
            current = (index << 8) | digits[position]
            digits[position], index = divmod(current, len(_KEY_CHARS))
        chars.insert(0, _KEY_CHARS[index])
    if contains_n:  # Windows 8 and later: the first character says where the N goes
        first_char = chars.pop(0)
        chars.insert(_KEY_CHARS.index(first_char), "N")
    key = "".join(chars)
    return "-".join(key[i : i + 5] for i in range(0, 25, 5))


def firmware_type(src: WindowsSources) -> str | None:
    """``UEFI`` or ``BIOS``: how this Windows was booted (``PEFirmwareType``)."""
    return {1: "BIOS", 2: "UEFI"}.get(integer(value(src, CONTROL, "PEFirmwareType")) or 0)


def secure_boot(src: WindowsSources) -> str | None:
    """``enabled``, ``disabled`` or ``unsupported`` (legacy boot, or UEFI without Secure Boot)."""
    state = src.registry(SECURE_BOOT_STATE)
    enabled = integer((state or {}).get("UEFISecureBootEnabled"))
    if enabled is not None:
        return "enabled" if enabled else "disabled"
    return "unsupported" if firmware_type(src) or state is not None else None


def _tpm_version(row: dict[str, Any]) -> str | None:
    spec = text(row.get("SpecVersion"))  # "2.0, 0, 1.59": the highest TPM version, level, revision
    return spec.split(",")[0].strip() if spec else None


def bios_extensions(src: WindowsSources) -> dict[str, Any] | None:
    """What the Windows 11 check needs beside ``secure_boot``, as Mutuparc's own ``bios`` keys."""
    extensions: dict[str, Any] = {}
    kind = firmware_type(src)
    if kind:
        extensions["mutuparc_boot_mode"] = "uefi" if kind == "UEFI" else "legacy"
    tpm = one(src, "Win32_Tpm", TPM)
    if tpm:
        extensions["mutuparc_tpm_version"] = _tpm_version(tpm)
        extensions["mutuparc_tpm_enabled"] = flag(tpm.get("IsEnabled_InitialValue"))
    return {k: v for k, v in extensions.items() if v is not None} or None


def _tpm(src: WindowsSources) -> Record | None:
    row = one(src, "Win32_Tpm", TPM)
    if not row:
        return None
    version = _tpm_version(row)
    maker = text(row.get("ManufacturerIdTxt"))
    states = []
    for key, yes, no in (
        ("IsEnabled_InitialValue", "enabled", "disabled"),
        ("IsActivated_InitialValue", "activated", "not activated"),
        ("IsOwned_InitialValue", "owned", "not owned"),
    ):
        known = flag(row.get(key))
        if known is not None:
            states.append(yes if known else no)
    return {
        "name": f"TPM {version}" if version else "TPM",
        "type": "tpm",
        "version": text(row.get("ManufacturerVersion")),
        "manufacturer": _TPM_VENDORS.get(maker.upper(), maker) if maker else None,
        "release_date": None,
        "description": ", ".join(states) or None,
    }


def firmwares(src: WindowsSources) -> list[Record]:
    """The boot firmware (UEFI or legacy BIOS) and the TPM."""
    records = []
    kind = firmware_type(src)
    if kind:
        bios_row = one(src, "Win32_BIOS")
        release = cim_datetime(bios_row.get("ReleaseDate"))
        boot = secure_boot(src)
        records.append(
            {
                "name": "UEFI" if kind == "UEFI" else "Legacy BIOS",
                "type": "system firmware",
                "version": text(bios_row.get("SMBIOSBIOSVersion")) or text(bios_row.get("Version")),
                "manufacturer": text(bios_row.get("Manufacturer")),
                "release_date": release.date() if release else None,
                "description": f"Secure Boot {boot}" if boot else None,
            }
        )
    tpm = _tpm(src)
    if tpm:
        records.append(tpm)
    return records


# -- firewall ---------------------------------------------------------------------------------


def _network_profiles(src: WindowsSources) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """NetworkList profiles by GUID, and the profile GUID of each first network (DNS suffix)."""
    path = rf"{NETWORK_LIST}\Profiles"
    profiles = {guid.lower(): src.registry(rf"{path}\{guid}") or {} for guid in src.subkeys(path)}
    by_network = {}
    for kind in ("Managed", "Unmanaged"):
        base = rf"{NETWORK_LIST}\Signatures\{kind}"
        for signature in src.subkeys(base):
            values = src.registry(rf"{base}\{signature}") or {}
            network, guid = text(values.get("FirstNetwork")), text(values.get("ProfileGuid"))
            if network and guid:
                by_network.setdefault(network.lower(), guid.lower())
    return profiles, by_network


def _connections(src: WindowsSources) -> dict[int, list[Record]]:
    """The connected interfaces' addresses by NetworkList category (0 public, 1 private, 2 domain)."""
    configs = [c for c in rows(src, "Win32_NetworkAdapterConfiguration") if flag(c.get("IPEnabled"))]
    if not configs:
        return {}
    profiles, by_network = _network_profiles(src)
    found: dict[int, list[Record]] = {}
    for config in configs:
        guid = text(config.get("SettingID"))
        registered = src.registry(rf"{DNS_REGISTERED}\{guid}") if guid else None
        domain = text((registered or {}).get("PrimaryDomainName"))
        profile = None
        if domain:
            profile = next((p for p in profiles.values() if text(p.get("ProfileName")) == domain), None)
        elif text(config.get("DNSDomain")):
            profile = profiles.get(by_network.get(str(text(config.get("DNSDomain"))).lower(), ""))
        category = integer((profile or {}).get("Category"))
        if category is None:
            continue
        description = text(config.get("Description"))
        addresses = config.get("IPAddress") or []
        for address in addresses:
            family = "ipv6" if ":" in address else "ipv4"
            found.setdefault(category, []).append({"description": description, family: address})
        if not addresses:
            found.setdefault(category, []).append({"description": description})
    return found


def firewalls(src: WindowsSources) -> list[Record]:
    connections = _connections(src)
    records = []
    for profile, policy_key, category in _FIREWALL_PROFILES:
        local = integer(value(src, rf"{FIREWALL_POLICY}\{profile}", "EnableFirewall"))
        policy = integer(value(src, rf"{FIREWALL_GPO}\{policy_key}", "EnableFirewall"))
        enabled = policy if policy is not None else local
        if enabled is None:
            continue
        base = {
            "profile": profile,
            "status": "on" if enabled else "off",
            "description": None,
            "ipv4": None,
            "ipv6": None,
        }
        records += [{**base, **connection} for connection in connections.get(category, [])] or [base]
    return records


# -- antivirus --------------------------------------------------------------------------------


def product_state(raw: Any) -> tuple[bool | None, bool | None]:
    """(enabled, signatures up to date) from a Security Center ``productState``."""
    number = integer(raw)
    if not number:
        return None, None
    digits = f"{number:x}"
    if len(digits) < 4:
        return None, None
    return digits[-4] == "1", digits[-2:] == "00"


def _uninstall_match(src: WindowsSources, name: str) -> dict[str, Any] | None:
    """The Uninstall entry whose DisplayName starts like ``name`` (its ASCII head, as GLPI Agent)."""
    head = re.match(r"[a-zA-Z0-9 ._-]+", name)
    if not head:
        return None
    prefix = head.group(0).lower()
    return next((e for e in uninstall_entries(src) if str(e.get("DisplayName") or "").lower().startswith(prefix)), None)


def _defender_status(src: WindowsSources) -> dict[str, Any]:
    return one(src, "MSFT_MpComputerStatus", DEFENDER)


def _defender_only(src: WindowsSources) -> Record | None:
    """Defender on a machine without Security Center (Windows Server)."""
    status = _defender_status(src)
    if not status:
        return None
    outdated = flag(status.get("DefenderSignaturesOutOfDate"))
    return {
        "name": "Microsoft Defender Antivirus",
        "company": "Microsoft Corporation",
        "version": text(status.get("AMProductVersion")),
        "enabled": flag(status.get("AntivirusEnabled")),
        "up_to_date": None if outdated is None else not outdated,
        "guid": None,
        "expiration": None,
        "base_version": text(status.get("AntivirusSignatureVersion")),
        "base_created": None,
    }


def antivirus(src: WindowsSources) -> list[Record]:
    try:
        products = src.wmi("AntiVirusProduct", SECURITY_CENTER)
    except OSError:
        defender = _defender_only(src)
        if defender is None:
            raise
        return [defender]
    records, seen = [], set()
    for product in products:
        name = text(product.get("displayName"))
        if not name:
            continue
        enabled, up_to_date = product_state(product.get("productState"))
        record: Record = {
            "name": name,
            "company": text(product.get("companyName")),
            "version": text(product.get("versionNumber")),
            "enabled": enabled if enabled is not None else flag(product.get("onAccessScanningEnabled")),
            "up_to_date": up_to_date if up_to_date is not None else flag(product.get("productUptoDate")),
            "guid": text(product.get("instanceGuid")),
            "expiration": None,
            "base_version": None,
            "base_created": None,
        }
        if _DEFENDER.search(name) and not record["version"]:
            # Not asked when disabled: the call can hang while another antivirus is active.
            status = _defender_status(src) if record["enabled"] else {}
            record["version"] = text(status.get("AMProductVersion"))
            if flag(status.get("AntivirusEnabled")):
                record["enabled"] = True
            record["base_version"] = text(status.get("AntivirusSignatureVersion")) or text(
                value(src, DEFENDER_SIGNATURES, "AVSignatureVersion")
            )
            record["company"] = "Microsoft Corporation"
        if not record["version"] or not record["company"]:
            entry = _uninstall_match(src, name) or {}
            record["version"] = record["version"] or text(entry.get("DisplayVersion"))
            record["company"] = record["company"] or text(entry.get("Publisher"))
        if (name, record["version"]) in seen:
            continue
        seen.add((name, record["version"]))
        records.append(record)
    return records


# -- licences ---------------------------------------------------------------------------------


def licenseinfos(src: WindowsSources) -> list[Record]:
    records = []
    for row in src.wmi("SoftwareLicensingProduct", CIMV2, "PartialProductKey IS NOT NULL"):
        partial, status = text(row.get("PartialProductKey")), integer(row.get("LicenseStatus"))
        if not partial or not status:  # no key installed, or unlicensed
            continue
        described = f"{row.get('Name') or ''} {row.get('Description') or ''}".upper()
        records.append(
            {
                "name": text(row.get("Name")),
                "full_name": text(row.get("Description")),
                "product_id": text(row.get("ProductKeyID2"))
                or text(row.get("ApplicationID"))
                or text(row.get("ProductKeyID")),
                "key": f"XXXXX-XXXXX-XXXXX-XXXXX-{partial}" if len(partial) == 5 else partial,
                "components": None,
                "trial": "EVAL" in described or "TRIAL" in described,
                "update": None,
                "activation_date": None,
                EXTRA: {
                    "mutuparc_status": _LICENSE_STATUS.get(status, str(status)),
                    "mutuparc_channel": text(row.get("ProductKeyChannel")),
                },
            }
        )
    return records


# -- local accounts ---------------------------------------------------------------------------


def local_users(src: WindowsSources) -> list[Record]:
    records = []
    for row in src.wmi("Win32_UserAccount", CIMV2, "LocalAccount=True AND Disabled=False AND Lockout=False"):
        if flag(row.get("LocalAccount")) is False or flag(row.get("Disabled")) or flag(row.get("Lockout")):
            continue
        sid = text(row.get("SID"))
        if sid:
            records.append(
                {
                    "user_id": sid,
                    "login": text(row.get("Name")),
                    "name": text(row.get("FullName")),
                    "home": None,
                    "shell": None,
                }
            )
    return records


def local_groups(src: WindowsSources) -> list[Record]:
    records = []
    for row in src.wmi("Win32_Group", CIMV2, "LocalAccount=True"):
        name = text(row.get("Name"))
        if name and flag(row.get("LocalAccount")) is not False:
            records.append({"group_id": text(row.get("SID")), "name": name, "members": None})
    return records
