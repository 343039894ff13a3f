"""DMI (SMBIOS) tables from ``dmidecode``, read as GLPI Agent reads them: BIOS, memory modules, processors,
ports, slots and power supplies.

dmidecode needs root (it reads /sys/firmware/dmi/tables or /dev/mem): as a user, or on a machine without
DMI (containers, some VMs), every function here gives nothing and the callers fall back on /sys/class/dmi.
"""

from __future__ import annotations

import os
import re

from wire._lazy import LazyPattern

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from ._linux import LinuxSources

Record = dict[str, "Any"]
Tables = dict[int, list[dict[str, str]]]

# GLPI Agent's isInvalidBiosValue: placeholders firmware vendors leave in DMI fields.
_INVALID = LazyPattern(
    r"""^(?:
        N/A | None | Unknown | Not\s*Specified | Not\s*Present | Not\s*Available | Not\s*Installed |
        Default\s*string | System\s*Product\s*Name | System\s*manufacturer | System\s*Serial\s*Number |
        System\s*Version | Chassis\s*Serial\s*Number | Chassis\s*manufacturer? | Chassis\s*Version |
        No\s*Asset\s*Tag | <BAD\s*INDEX> | (?:<OUT\s*OF\s*SPEC>){1,2} | \s*To\s*Be\s*Filled\s*By\s*O\.E\.M\.
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_LINE = LazyPattern(r"^\s+([^:]+):\s(.*\S)")
_CPU_VENDORS = {
    "GenuineIntel": "Intel", "AuthenticAMD": "AMD", "TMx86": "Transmeta", "TransmetaCPU": "Transmeta",
    "CyrixInstead": "Cyrix", "CentaurHauls": "VIA", "HygonGenuine": "Hygon",
}  # fmt: skip
_KNOWN_MAKERS = LazyPattern(
    r"(\blg\b|broadcom|compaq|dell|epson|fujitsu|hitachi|ibm|intel|kingston|matshita|maxtor|nvidia|\bnec\b|"
    r"pioneer|samsung|sony|supermicro|toshiba|transcend)",
    re.IGNORECASE,
)
_MAKER_PATTERNS = (  # GLPI Agent tries these in no particular order; they do not overlap in practice
    ("Apple", LazyPattern(r"^APPLE", re.I)),
    ("Hewlett-Packard", LazyPattern(r"^(hp|HPE?|[Hh][Ee][Ww][Ll][Ee][Tt][Tt][ -][Pp][Aa][Cc][Kk][Aa][Rr][Dd]|MM)")),
    ("Hitachi", LazyPattern(r"^(HD|IC|HU|HGST)")),
    ("Seagate", LazyPattern(r"^(ST|[Ss][Ee][Aa][Gg][Aa][Tt][Ee])")),
    ("Sony", LazyPattern(r"^OPTIARC", re.I)),
    ("Western Digital", LazyPattern(r"^(WDC?|[Ww][Ee][Ss][Tt][Ee][Rr][Nn])")),
    ("Crucial", LazyPattern(r"^CT")),
    ("PNY", LazyPattern(r"^PNY")),
)
_MEMORY_MAKER_NOISE = LazyPattern(r"Manufacturer|Undefined|None|^0x|\d{4}|\sDIMM", re.IGNORECASE)
_PART_NUMBER_NOISE = LazyPattern(r"DIMM|Part\s*Num|Ser\s*Num", re.IGNORECASE)
_SLOT_STATUS = {"In Use": "used", "Available": "free"}


def _pairs(words: str) -> dict[str, str]:
    """'K2 266 K3 266' -> {'K2': '266', 'K3': '266'}."""
    items = words.split()
    return dict(zip(items[::2], items[1::2], strict=True))


# GLPI::Agent::Tools::PartNumber and its subclasses, in their order: (category, manufacturer, module manufacturer
# id, part number pattern, {type code: type}, {speed code: speed}). A memory part number tells its maker, and
# often the type and speed the DMI table leaves out; a Dell part number loses its revision suffix.
_PART_NUMBERS: tuple[tuple[str, str, str, LazyPattern | None, dict[str, str], dict[str, str]], ...] = (
    ("controller", "Dell", "", LazyPattern(r"^([0-9A-Z]{6})([A-B]\d{2})$"), {}, {}),
    ("memory", "Elpida", "", LazyPattern(r"^E([BCD])(.).{8}.?-(..).?.?(?:-..)?$"),
     {"M": "DDR", "E": "DDR2", "J": "DDR3", "B": "DDR2"}, {}),
    ("memory", "Hynix", "Bank 1, Hex 0xAD", LazyPattern(r"^HY?[59M]([ADHPT])[123458ABCNQ]........?.?-(..).?$"),
     {"D": "DDR", "P": "DDR2", "T": "DDR3", "A": "DDR4", "H": "LPDDR4"},
     _pairs("K2 266 K3 266 J3 333 E3 400 E4 400 F4 500 G7 1066 H9 1333 TE 2133 UL 2400 FA 500 FB 500 PB 1600 RD 1866 "
            "TF 2133 UH 2400 VK 2666 XN 3200 NL 3200 NM 3733 NE 4266 VN 2666 WM 2933 WR 2933 XS 3200")),
    ("memory", "KingMax", "Bank 4, Hex 0x25", None, {}, {}),
    ("memory", "Micron", "", LazyPattern(r"^(?:MTA?)?\d+([AHJK])[DST][FQS]\d+G?72[AP](?:[DS])?Z\-"),
     {"H": "DDR2", "J": "DDR3", "K": "DDR3", "A": "DDR4"}, {}),
    ("memory", "Positivo Informática", "Bank 5, Hex 0x16", None, {}, {}),
    ("memory", "Samsung", "", LazyPattern(r"^(?:M[34]..([AB]).......-.(..).?|K4([AB]).......-..(..)(?:...)?)$"),
     {"B": "DDR3", "A": "DDR4"},
     _pairs("F7 800 F8 1066 H9 1333 K0 1600 MA 1866 NB 2133 PB 2133 RC 2400 TD 2666 RB 2133 TC 2400 WD 2666 VF 2933 "
            "WE 3200 YF 2933 AE 3200")),
)  # fmt: skip
_ELPIDA_SPEEDS = {
    "B": _pairs("DJ 10660 GN 12800"),
    "C": _pairs("50 400"),
    "D": _pairs("AE 1066 DJ 1333 MU 2133 GN 1600 JS 1866 1J 1066 8E 800"),
}


def part_number(number: str, category: str, *, module_id: str = "", manufacturer: str = "") -> dict[str, str] | None:
    """What GLPI Agent's PartNumber classes read in a part number: manufacturer, type, speed, cleaned number."""
    for kind, maker, maker_id, pattern, types, speeds in _PART_NUMBERS:
        if kind != category:
            continue
        if module_id and maker_id:
            if maker_id != module_id:
                continue
        elif manufacturer and maker != manufacturer:
            continue
        groups: tuple[str | None, ...] = ()
        if pattern is not None:
            found = pattern.search(number)
            if not found:
                continue
            groups = found.groups()
        elif not module_id:
            continue
        result = {"manufacturer": maker, "partnumber": number}
        if maker == "Dell":
            result["partnumber"] = groups[0] or number
        elif maker == "Elpida":
            result.update(
                type=types.get(groups[1] or ""), speed=_ELPIDA_SPEEDS.get(groups[0] or "", {}).get(groups[2] or "")
            )
        elif maker == "Micron":
            result["type"] = types.get(groups[0] or "")
        elif groups:
            result.update(type=types.get(groups[0] or ""), speed=speeds.get(groups[1] or ""))
        return {key: value for key, value in result.items() if value}
    return None


def invalid_value(value: str) -> bool:
    return bool(_INVALID.match(value))


def canonical_manufacturer(value: str | None) -> str | None:
    """GLPI Agent's getCanonicalManufacturer: CPU vendor ids and disk model prefixes to maker names."""
    if not value:
        return None
    if value in _CPU_VENDORS:
        return _CPU_VENDORS[value]
    known = _KNOWN_MAKERS.search(value)
    if known:
        return known.group(1).lower().capitalize()
    return next((name for name, pattern in _MAKER_PATTERNS if pattern.search(value)), value)


def parse(text: str, *, complete: bool = True) -> Tables | None:
    """dmidecode's output as {DMI type: [{field: value}]}, placeholders left out (GLPI Agent's getDmidecodeInfos).

    ``complete``: a live output with fewer than two types is truncated, and tells nothing."""
    tables: Tables = {}
    block: dict[str, str] = {}
    kind: int | None = None
    for line in text.splitlines():
        header = re.search(r"DMI type (\d+)", line)
        if header:
            if block and kind is not None:
                tables.setdefault(kind, []).append(block)
            block, kind = {}, int(header.group(1))
            continue
        if kind is None:
            continue
        found = _LINE.match(line)
        if found and not invalid_value(found.group(2)):
            block[found.group(1)] = " ".join(found.group(2).split())
    if block and kind is not None:
        tables.setdefault(kind, []).append(block)
    return tables if len(tables) >= (2 if complete else 1) else None


# Where dmidecode finds the SMBIOS tables: the kernel's copy, the EFI system table, or /dev/mem.
_DMI_SOURCES = ("/sys/firmware/dmi/tables/smbios_entry_point", "/sys/firmware/efi/systab", "/proc/efi/systab",
                "/dev/mem")  # fmt: skip


def tables(src: LinuxSources) -> Tables:
    def read() -> Tables:
        if src.live and os.geteuid() != 0:
            return {}
        if src.live and not any(os.path.exists(path) for path in _DMI_SOURCES):  # noqa: PTH110
            return {}  # a VM or container without SMBIOS: dmidecode could only fail
        return parse(src.run("dmidecode", timeout=20) or "", complete=src.live) or {}

    return src.cached("dmidecode", read)


def _first(dmi: Tables, kind: int) -> dict[str, str]:
    return (dmi.get(kind) or [{}])[0]


def bios(src: LinuxSources) -> Record | None:
    """The bios record from DMI types 0 to 3, as GLPI Agent's Dmidecode::Bios builds it."""
    dmi = tables(src)
    if not dmi:
        return None
    firmware, system, board, chassis = (_first(dmi, kind) for kind in (0, 1, 2, 3))
    system = dict(system)
    manufacturer, version = system.get("Manufacturer", ""), system.get("Version", "")
    if re.match(r"^LENOVO$", manufacturer, re.I) and re.match(r"^(Think|Idea|Yoga|Netfinity|Netvista|Intelli)",
                                                              version, re.I):  # fmt: skip
        system["Version"], system["Product Name"] = system.get("Product Name", ""), version
    record = {
        "bios_manufacturer": firmware.get("Vendor"),
        "bios_date": firmware.get("Release Date"),
        "bios_version": firmware.get("Version"),
        "asset_tag": chassis.get("Asset Tag"),
        "system_model": system.get("Product") or system.get("Product Name"),
        "board_model": board.get("Product Name"),
        "sku": system.get("SKU Number"),
        "system_manufacturer": system.get("Manufacturer") or system.get("Vendor"),
        "board_manufacturer": board.get("Manufacturer"),
        "system_serial": system.get("Serial Number", chassis.get("Serial Number")),
        "board_serial": board.get("Serial Number"),
        "enclosure_serial": chassis.get("Serial Number"),
    }
    if record["asset_tag"] and record["asset_tag"].endswith("Tag#"):
        record["asset_tag"] = None
    if record["sku"] and record["sku"].endswith("SKU#"):
        record["sku"] = None
    if record["board_model"] == "VirtualBox" and not record["system_serial"] and not record["board_serial"]:
        record["system_serial"] = (system.get("UUID") or "").lower() or None
    return record


def system_uuid(src: LinuxSources) -> str | None:
    return _first(tables(src), 1).get("UUID")


def chassis_type(src: LinuxSources) -> str | None:
    return _first(tables(src), 3).get("Type")


def _mhz(value: str | None) -> int | None:
    found = re.match(r"^\s*(\d+)\s*(Mhz|Ghz)", value or "", re.IGNORECASE)
    if not found:
        return None
    return int(found.group(1)) * (1000 if found.group(2).lower() == "ghz" else 1)


def cpus(src: LinuxSources) -> list[Record]:
    """Processors of DMI type 4 by socket, with what /proc/cpuinfo does not tell (GLPI's getCpusFromDmidecode)."""
    records = []
    for info in tables(src).get(4, []):
        if re.search(r"Unpopulated|Disabled", info.get("Status", ""), re.I):
            continue
        manufacturer = info.get("Manufacturer") or info.get("Processor Manufacturer")
        version = info.get("Version") or info.get("Processor Version")
        if manufacturer == "000000000000" and version == "0" * 32:  # VMware's empty sockets
            continue
        core_count = info.get("Core Enabled") or info.get("Core Count")
        record: Record = {
            "serial": info.get("Serial Number"),
            "cores": int(core_count) if core_count and core_count.isdigit() else None,
            "family": info.get("Family"),
            "manufacturer": manufacturer,
        }
        threads = info.get("Thread Count")
        if threads and threads.isdigit() and record["cores"]:
            record["threads"] = -(-int(threads) // record["cores"])
        cpu_id = info.get("ID")
        if cpu_id:
            chars = list(cpu_id)
            try:
                record["stepping"] = int(chars[1], 16)
                record["family_number"] = str(int(chars[9] + chars[10] + chars[4], 16))
                record["model"] = str(int(chars[7] + chars[0], 16))
            except (IndexError, ValueError):
                pass
            pairs = cpu_id.split()  # "A7 06 0A 00 FF FB EB BF" -> "BFEBFBFF000A06A7", as WMI shows it
            record["cpu_id"] = "".join(reversed(pairs))
        record["external_clock_mhz"] = _mhz(info.get("External Clock"))
        enabled, count = info.get("Core Enabled"), info.get("Core Count")
        if enabled and count and enabled != count and count.isdigit():
            record["core_count"] = int(count)
        records.append(record)
    return records


def _size_mb(value: str | None) -> int | None:
    """'8192 MB' / '16 GB' (binary units, as dmidecode means them) -> MiB."""
    found = re.match(r"^(\d+) ?([KMGT])B$", value or "")
    if not found:
        return None
    number, unit = int(found.group(1)), found.group(2)
    return {"K": number // 1024, "M": number, "G": number * 1024, "T": number * 1024 * 1024}[unit]


def _speed(value: str | None) -> str | None:
    """GLPI Agent's getCanonicalSpeed: '2400 MT/s' -> '2400' (MHz, MT/s taken as is)."""
    if not value:
        return None
    if re.fullmatch(r"[,.\d]+", value):
        return value
    if value.startswith("PC3200U"):
        return "400"
    found = re.match(r"^([,.\d]+) ?(\S+)", value)
    if not found:
        return None
    number, unit = found.group(1), found.group(2).lower()
    if unit == "ghz":
        return f"{float(number) * 1000:g}"
    return number if unit in ("mhz", "mt/s") else None


def memories(src: LinuxSources) -> list[Record]:
    """Memory modules of DMI type 17 (type 6 on very old machines), as GLPI Agent's Dmidecode::Memory lists them."""
    dmi = tables(src)
    if not dmi:
        return []
    firmware = _first(dmi, 0)
    defaults: dict[str, str] = {}
    if re.match(r"^Microsoft", firmware.get("Vendor", ""), re.I) and re.match(r"^Hyper-V", firmware.get("Version", ""),
                                                                               re.I):  # fmt: skip
        defaults = {"description": "Hyper-V Memory", "manufacturer": firmware.get("Vendor", "")}
    records: list[Record] = []
    if dmi.get(17):
        correction = _first(dmi, 16).get("Error Correction Type")
        for slot, info in enumerate(dmi[17], 1):
            if re.search(r"Flash", info.get("Type", ""), re.I):  # the BIOS's own storage
                continue
            maker = info.get("Manufacturer")
            record: Record = {
                "slot": slot,
                "description": info.get("Form Factor", defaults.get("description")),
                "form_factor": info.get("Form Factor"),
                "caption": info.get("Locator"),
                "speed": _speed(info.get("Speed")),
                "type": info.get("Type"),
                "serial": info.get("Serial Number"),
                "error_correction": correction,
                "manufacturer": maker
                if maker and not _MEMORY_MAKER_NOISE.search(maker)
                else defaults.get("manufacturer"),
                "capacity_mb": _size_mb(info.get("Size")),
            }
            part = info.get("Part Number")
            if part and not _PART_NUMBER_NOISE.search(part):
                if part.startswith("0x"):
                    import contextlib

                    with contextlib.suppress(ValueError):
                        part = bytes.fromhex(part[2:]).decode("latin-1")
                record["model"] = " ".join(re.sub(r"[\x00-\x1f\x7f]", "", part).split()).rstrip("-") or None
                known = part_number(record["model"] or "", "memory", module_id=info.get("Module Manufacturer ID", ""))
                if known:
                    record["manufacturer"] = known["manufacturer"]
                    record["speed"] = record["speed"] or known.get("speed")
                    record["type"] = record["type"] or known.get("type")
            records.append(record)
    elif dmi.get(6):
        for slot, info in enumerate(dmi[6], 1):
            found = re.match(r"^(\d+\s*[KMGT]B)", info.get("Installed Size", ""), re.I)
            size = _size_mb(" ".join(found.group(1).split()).upper()) if found else None
            records.append({"slot": slot, "type": info.get("Type"), "capacity_mb": size})
    _adjust_virtual_capacity(src, records)
    return records


def _adjust_virtual_capacity(src: LinuxSources, records: list[Record]) -> None:
    """GLPI Agent: a VM with one memory module gets the memory the system sees (the VM may have been resized)."""
    from ._linux import memory_mb, vm_system

    sized = [r for r in records if "capacity_mb" in r]
    if len(sized) != 1 or vm_system(src) in ("Physical", "VMware"):
        return
    real = memory_mb(src)
    if real:
        sized[0]["capacity_mb"] = real


def _document(item: dict[str, Any]) -> Record:
    return {"content": {key: value for key, value in item.items() if value is not None}}


def ports(src: LinuxSources) -> list[Record]:
    """Connectors of DMI type 8 (GLPI Agent's Dmidecode::Ports); GLPI requires a type."""
    records = []
    for info in tables(src).get(8, []):
        item = {
            "caption": info.get("External Reference Designator") or info.get("External Connector Type")
            or info.get("External Designator"),
            "description": info.get("Internal Connector Type") or info.get("External Designator")
            or info.get("Internal Designator") or info.get("External Connector Type"),
            "name": info.get("Internal Reference Designator") or info.get("External Reference Designator")
            or info.get("Internal Designator") or info.get("External Designator"),
            "type": info.get("Port Type") or info.get("External Connector Type"),
        }  # fmt: skip
        if item["type"]:
            records.append(_document(item))
    return records


def slots(src: LinuxSources) -> list[Record]:
    """Expansion slots of DMI type 9 (GLPI Agent's Dmidecode::Slots); GLPI requires a description and a name."""
    records = []
    for info in tables(src).get(9, []):
        item = {
            "description": info.get("Type"),
            "designation": info.get("ID"),
            "name": info.get("Designation"),
            "status": _SLOT_STATUS.get(info.get("Current Usage", "")),
        }
        if item["description"] and item["name"]:
            records.append(_document(item))
    return records


def _watts(value: str | None) -> int | None:
    found = re.search(r"(\d+) ?(\S*)\S*$", value or "")
    if not found:
        return None
    number, unit = int(found.group(1)), found.group(2)
    return {"": number, "W": number, "kW": number * 1000, "mW": number // 1000}.get(unit)


def power_supplies(src: LinuxSources) -> list[Record]:
    """Power supplies of DMI type 39 (GLPI Agent's Dmidecode::Psu), batteries left out."""
    fields = {"partnum": "Model Part Number", "serialnumber": "Serial Number", "manufacturer": "Manufacturer",
              "name": "Name", "status": "Status", "plugged": "Plugged", "location": "Location",
              "power_max": "Max Power Capacity", "hotreplaceable": "Hot Replaceable"}  # fmt: skip
    records = []
    for info in tables(src).get(39, []):
        if info.get("Type") == "Battery":
            continue
        item: dict[str, Any] = {}
        for key, name in fields.items():
            value = info.get(name)
            if value is None or re.search(r"To Be Filled By O.?E.?M|OEM Define", value, re.I):
                continue
            item[key] = value
        if item.get("manufacturer"):
            item["manufacturer"] = canonical_manufacturer(item["manufacturer"])
        if item.get("power_max"):
            item["power_max"] = _watts(item["power_max"])
        if item.get("partnum") and item.get("manufacturer"):
            known = part_number(item["partnum"], "controller", manufacturer=item["manufacturer"])
            item["partnum"] = known["partnumber"] if known else item["partnum"]
        for flag in ("plugged", "hotreplaceable"):
            if flag in item:
                item[flag] = item[flag].lower() in ("yes", "true", "1")
        if item.get("name") or item.get("serialnumber") or item.get("partnum"):
            records.append(_document(item))
    return records
