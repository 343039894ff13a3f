"""Linux buses and devices from /sys, named from the system's pci.ids and usb.ids, as GLPI Agent names them.

GLPI Agent runs ``lspci -v -nn`` and ``lsusb -v``; the same facts are in /sys/bus/pci/devices and
/sys/bus/usb/devices, read here without a process (lsusb also needs root for some strings). The names are
those of pci.ids / usb.ids (pciutils, usbutils or hwdata): without them devices are still listed, by id.
Monitors are read from their EDID (/sys/class/drm/*/edid), input devices from /proc/bus/input/devices,
Secure Boot from the EFI variables and the TPM from /sys/class/tpm.
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
IDS_DIRS = ("usr/share/misc", "usr/share/hwdata", "usr/share")
_SECURE_BOOT = "SecureBoot-8be4df61-93ca-11d2-aa0d-00e098032b8c"
_IORESOURCE_MEM, _IORESOURCE_PREFETCH = 0x200, 0x2000
_VIDEO_CLASS = LazyPattern(r"graphics|vga|video|display|3D controller", re.I)


_HEX = frozenset("0123456789abcdef")
_TOP_LEVEL = LazyPattern(rb"\n[^\t#\n]")  # the next vendor or class line (or another list) ends a block
_DEVICE_LINE = LazyPattern(rb"\n\t([^\t\n]{4}) ")  # a device line of a vendor block (not a subdevice)


class IdsDatabase:
    """pci.ids / usb.ids: vendors with their devices and subdevices, and device classes (GLPI's _loadDatabase).

    Looked up in the file's bytes, not parsed up front: a run asks for a few dozen ids of a 1.3 MB file.
    A vendor's (or class's) block is found once with ``bytes.find`` (a vendor line starts a line with
    its four hex digits, a device line with a tab); a vendor's device lines are indexed in one regex
    pass when a second of its devices is asked for. Only the lines a lookup returns are decoded
    (UTF-8, undecodable bytes replaced, as a decoding of the whole file would)."""

    def __init__(self, text: str | bytes) -> None:
        data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
        self.data = b"\n" + data
        self._blocks: dict[bytes, tuple[int, int] | None] = {}
        self._devices: dict[int, dict[bytes, int] | None] = {}
        self._classes: int | None = None  # where the first class line starts

    def _block(self, header: bytes, start: int = 0) -> tuple[int, int] | None:
        """Where the lines under ``header`` (a vendor's or class's line start) begin and end."""
        if header in self._blocks:
            return self._blocks[header]
        data = self.data
        found = data.find(header, start)
        block = None
        if found >= 0:
            line_end = data.find(b"\n", found + 1)
            if line_end < 0:
                block = found, len(data)
            else:
                following = _TOP_LEVEL.search(data, line_end)
                block = found, following.start() if following else len(data)
        self._blocks[header] = block
        return block

    def find_vendors(self, vendor_ids: list[str]) -> None:
        """Find the blocks of several vendors in one pass over the file, and where its classes begin:
        ids files list vendors in the order of their ids, so each search starts where the previous
        (smaller) id was found, and the classes after the last; what is not found from there is
        searched in the whole file. (An id listed twice, which no ids file does, would be found at
        its later line.)"""
        data, start = self.data, 0
        for vendor_id in sorted({v for v in vendor_ids if len(v) == 4 and _HEX.issuperset(v)}):
            header = b"\n" + vendor_id.encode() + b" "
            if header not in self._blocks:
                found = data.find(header, start)
                self._block(header, found if found >= 0 else 0)
            block = self._blocks[header]
            if block is not None:
                start = block[0]
        if self._classes is None and start:
            self._classes = data.find(b"\nC ", start)
            if self._classes < 0:
                self._classes = data.find(b"\nC ")

    def _line(self, start: int) -> str:
        """The line starting at ``start`` (after the ``\\n``), decoded."""
        end = self.data.find(b"\n", start)
        return self.data[start : end if end >= 0 else len(self.data)].decode("utf-8", "replace")

    def _name(self, start: int, skip: int) -> str:
        """The name on the line starting at ``start``, past ``skip`` characters and the key before
        the first space."""
        return self._line(start)[skip:].partition(" ")[2].strip()

    def _vendor_block(self, vendor_id: str) -> tuple[int, int] | None:
        if len(vendor_id) != 4 or not _HEX.issuperset(vendor_id):
            return None
        return self._block(b"\n" + vendor_id.encode() + b" ")

    def vendor(self, vendor_id: str) -> str | None:
        block = self._vendor_block(vendor_id)
        return self._name(block[0] + 1, 0) if block else None

    def _device_line(self, block: tuple[int, int], device_id: str) -> int:
        """Where the line of ``device_id`` in a vendor's block starts (its ``\\n``), or -1."""
        key = device_id.encode("utf-8", "surrogatepass")
        if len(key) != 4 or b"\t" in key or b"\n" in key:  # not a key the index can hold
            return self.data.find(b"\n\t" + key + b" ", block[0], block[1])
        if block[0] not in self._devices:  # a vendor's first device: one search
            self._devices[block[0]] = None
            return self.data.find(b"\n\t" + key + b" ", block[0], block[1])
        index = self._devices[block[0]]
        if index is None:  # more devices of this vendor: its device lines indexed in one pass
            index = self._devices[block[0]] = {}
            for line in _DEVICE_LINE.finditer(self.data, block[0], block[1]):
                index.setdefault(line.group(1), line.start())
        return index.get(key, -1)

    def device(self, vendor_id: str, device_id: str) -> tuple[str, dict[str, str]] | None:
        if len(device_id) != 4:
            return None
        block = self._vendor_block(vendor_id)
        if not block:
            return None
        found = self._device_line(block, device_id)
        if found < 0:
            return None
        name = self._name(found + 1, 1)
        data, subdevices = self.data, {}
        position = data.find(b"\n", found + 1)
        while 0 <= position < block[1]:
            end = data.find(b"\n", position + 1)
            line = data[position + 1 : end if end >= 0 else len(data)]
            if line.startswith(b"\t\t"):
                parts = line[2:].decode("utf-8", "replace").split(None, 2)
                if len(parts) == 3 and len(parts[0]) == 4 and len(parts[1]) == 4:
                    subdevices[f"{parts[0]}:{parts[1]}"] = parts[2]
            elif line.startswith(b"\t"):  # the next device of this vendor
                break
            position = end
        return name, subdevices

    def class_name(self, class_id: str, subclass_id: str) -> str | None:
        if self._classes is None:  # class lines come after the first one: later lookups start there
            self._classes = self.data.find(b"\nC ")
        if self._classes < 0:
            return None
        block = self._block(b"\nC " + class_id.encode("utf-8", "surrogatepass") + b" ", self._classes)
        if not block:
            return None
        if len(subclass_id) == 2:
            found = self.data.find(b"\n\t" + subclass_id.encode("utf-8", "surrogatepass") + b" ", block[0], block[1])
            if found >= 0 and (name := self._name(found + 1, 1)):
                return name
        return self._name(block[0] + 1, 2)


def ids(src: LinuxSources, name: str) -> IdsDatabase | None:
    """The most recent ``name`` (pci.ids, usb.ids) of the system, read once."""

    def load() -> IdsDatabase | None:
        candidates = [f"{folder}/{name}" for folder in IDS_DIRS if src.exists(f"{folder}/{name}")]
        if not candidates:
            return None
        newest = max(candidates, key=lambda path: src.mtime(path) or 0)
        data = src.read_bytes(newest)
        if not data:
            return None
        database = IdsDatabase(data)
        if name == "pci.ids":  # the vendors of this machine's devices, found in one pass (see find_vendors)
            devices = src.listdir("sys/bus/pci/devices")
            database.find_vendors([v for d in devices if (v := _hex(src, f"sys/bus/pci/devices/{d}/vendor", 4))])
        return database

    return src.cached(f"ids:{name}", load)


def pci_vendor_name(src: LinuxSources, vendor_id: str) -> str | None:
    database = ids(src, "pci.ids")
    return database.vendor(vendor_id.lower().zfill(4)) if database else None


def _hex(src: LinuxSources, path: str, width: int) -> str | None:
    value = src.read(path)
    if not value or not value.startswith("0x"):
        return None
    return value[2:].lower().zfill(width)[-width:]


def _prefetchable_mb(src: LinuxSources, device: str) -> int:
    """What lspci shows as ``Memory at ... prefetchable [size=...]`` (video memory apertures), in MiB."""
    total = 0
    for line in (src.read(f"sys/bus/pci/devices/{device}/resource") or "").splitlines()[:6]:
        parts = line.split()
        if len(parts) != 3:
            continue
        start, end, flags = (int(part, 16) for part in parts)
        if end > start and flags & _IORESOURCE_MEM and flags & _IORESOURCE_PREFETCH:
            total += (end - start + 1) // (1024 * 1024)
    return total


def pci_devices(src: LinuxSources) -> list[dict[str, Any]]:
    """The PCI devices as GLPI Agent's getPCIDevices reads ``lspci -v -nn``, with pci.ids names."""

    def scan() -> list[dict[str, Any]]:
        database = ids(src, "pci.ids")
        addresses = src.listdir("sys/bus/pci/devices")
        domain_zero = all(address.startswith("0000:") for address in addresses)
        vendors = {address: _hex(src, f"sys/bus/pci/devices/{address}/vendor", 4) for address in addresses}
        devices = []
        for address in addresses:
            base = f"sys/bus/pci/devices/{address}"
            vendor_id, device_id = vendors[address], _hex(src, f"{base}/device", 4)
            pci_class = _hex(src, f"{base}/class", 6)
            if not vendor_id or not device_id or not pci_class:
                continue
            class_id, subclass_id = pci_class[:2], pci_class[2:4]
            class_name = (database.class_name(class_id, subclass_id) if database else None) or f"Class {pci_class[:4]}"
            vendor = database.vendor(vendor_id) if database else None
            entry = database.device(vendor_id, device_id) if database else None
            device: dict[str, Any] = {
                "slot": address[5:] if domain_zero else address,
                "class_name": class_name,
                "pci_class": pci_class[:4],
                "vendor_id": vendor_id,
                "device_id": device_id,
                "vendor": vendor,
                "device": entry[0] if entry else None,
                # What lspci prints after the class: "Vendor Device" (GLPI Agent's MANUFACTURER before pci.ids).
                "label": f"{vendor or f'Vendor {vendor_id}'} {entry[0] if entry else f'Device {device_id}'}",
            }
            revision = _hex(src, f"{base}/revision", 2)
            if revision and revision != "00" and revision.isdigit():  # GLPI's pattern takes digits only
                device["rev"] = revision
            driver = src.readlink(f"{base}/driver")
            if driver:
                device["driver"] = os.path.basename(driver)  # noqa: PTH119 - no pathlib at start-up
            # The header type byte only: reading the whole config space (4 KiB for PCIe) costs a
            # trapped I/O per dword in a VM, tens of milliseconds for one device.
            config = src.read_at(f"{base}/config", 0x0E, 1)
            header = config[0] & 0x7F if config else 0
            sub_vendor, sub_device = _hex(src, f"{base}/subsystem_vendor", 4), _hex(src, f"{base}/subsystem_device", 4)
            if header == 0 and sub_vendor and sub_device and sub_vendor not in ("0000", "ffff"):
                device["subsystem"] = f"{sub_vendor}:{sub_device}"
                if entry and device["subsystem"] in entry[1]:
                    device["subdevice"] = entry[1][device["subsystem"]]
            memory = _prefetchable_mb(src, address)
            if memory:
                device["memory_mb"] = memory
            devices.append(device)
        return devices

    return src.cached("pci", scan)


def _document(item: dict[str, Any]) -> Record:
    return {"content": {key: value for key, value in item.items() if value is not None}}


def controllers(src: LinuxSources) -> list[Record]:
    """Every PCI device, as GLPI Agent's Generic::PCI::Controllers reports it."""
    records = []
    for device in pci_devices(src):
        known = device["vendor"] is not None
        item = {
            "pciclass": device["pci_class"],
            "name": device.get("subdevice") or device["device"] or device["class_name"],
            "manufacturer": device["vendor"] if known else device["label"],
            "rev": device.get("rev"),
            "pcislot": device["slot"],
            "driver": device.get("driver"),
            "pcisubsystemid": device.get("subsystem"),
            "vendorid": device["vendor_id"],
            "productid": device["device_id"],
            "caption": device["device"],
            "type": device["class_name"],
        }
        records.append(_document(item))
    return records


def sounds(src: LinuxSources) -> list[Record]:
    """PCI audio devices (GLPI Agent's Generic::PCI::Sounds)."""
    return [
        _document({"name": d["class_name"], "manufacturer": d["label"],
                   "description": f"rev {d['rev']}" if d.get("rev") else None})
        for d in pci_devices(src)
        if re.search("audio", d["class_name"], re.I)
    ]  # fmt: skip


def modems(src: LinuxSources) -> list[Record]:
    """PCI modems (GLPI Agent's Generic::PCI::Modems)."""
    return [_document({"description": d["class_name"], "name": d["label"]})
            for d in pci_devices(src) if re.search("modem", d["class_name"], re.I)]  # fmt: skip


def videos(src: LinuxSources) -> list[Record]:
    """PCI display controllers (GLPI Agent's Generic::PCI::Videos; the X11 resolution is not read)."""
    database = ids(src, "pci.ids")
    records = []
    for device in pci_devices(src):
        if not _VIDEO_CLASS.search(device["class_name"]):
            continue
        chipset = name = None
        split = re.match(r"^(.*)\s+\[(.*)\]$", device["label"])
        if split:
            chipset, name = split.groups()
        elif device["device"]:
            split = re.match(r"^(.*)\s+\[(.*)\]$", device["device"])
            if split:
                name, chipset = split.groups()
        if device.get("subsystem") and database:
            maker = database.vendor(device["subsystem"].split(":")[0])
            if maker and name:
                name = f"{maker} {name}"
        item = {
            "pciid": f"{device['vendor_id']}:{device['device_id']}",
            "pcislot": device["slot"],
            "chipset": chipset or device["class_name"],
            "name": name or device["label"],
            "memory": device.get("memory_mb"),
        }
        records.append(_document(item))
    return records


def usb_devices(src: LinuxSources) -> list[Record]:
    """USB devices of /sys/bus/usb/devices, as GLPI Agent's Generic::USB reports ``lsusb -v`` (hubs left out)."""
    found = []
    for entry in src.listdir("sys/bus/usb/devices"):
        if ":" in entry:  # an interface, read with its device
            continue
        base = f"sys/bus/usb/devices/{entry}"
        vendor_id, product_id = (
            (src.read(f"{base}/idVendor") or "").lower(),
            (src.read(f"{base}/idProduct") or "").lower(),
        )
        if not vendor_id or not product_id or product_id in ("0001", "0002"):
            continue
        attributes = _int16(src.read(f"{base}/bmAttributes"))
        if src.read(f"{base}/bDeviceClass") == "09" and attributes is not None and attributes & 0x40:
            continue  # a self-powered hub: the machine's own USB hardware
        interfaces = sorted((i for i in src.listdir("sys/bus/usb/devices") if i.startswith(f"{entry}:")),
                            key=lambda i: [int(n) if n.isdigit() else 0 for n in re.split(r"[:.]", i)])  # fmt: skip
        usb_class = subclass = None
        if interfaces:
            last = f"sys/bus/usb/devices/{interfaces[-1]}"
            usb_class, subclass = (
                _int16(src.read(f"{last}/bInterfaceClass")),
                _int16(src.read(f"{last}/bInterfaceSubClass")),
            )
        serial = " ".join((src.read(f"{base}/serial") or "").split())
        tagged = re.search(r"S/N:([^: ]+)", serial)
        serial = tagged.group(1) if tagged else (serial if serial and ":" not in serial else "")
        item: dict[str, Any] = {
            "vendorid": vendor_id,
            "productid": product_id,
            "name": _clean(src.read(f"{base}/product")),
            "manufacturer": _clean(src.read(f"{base}/manufacturer")),
            "serial": serial if len(serial) >= 5 else None,
            "class": str(usb_class) if usb_class is not None else None,
            "subclass": str(subclass) if subclass is not None else None,
        }
        database = ids(src, "usb.ids")  # read once, on the first device: none on most servers and VMs
        if database and database.vendor(vendor_id):
            item["manufacturer"] = database.vendor(vendor_id)
            product = database.device(vendor_id, product_id)
            if product:
                item["caption"] = item["name"] = product[0]
        order = (_int10(src.read(f"{base}/busnum")), _int10(src.read(f"{base}/devnum")))
        found.append((order, _document(item)))
    return [record for _order, record in sorted(found, key=lambda pair: pair[0])]


def _int16(value: str | None) -> int | None:
    try:
        return int(value, 16) if value else None
    except ValueError:
        return None


def _int10(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    return " ".join("".join(c for c in value if c.isprintable()).split()) or None


def monitors(src: LinuxSources) -> list[Record]:
    """Monitors with an EDID (/sys/class/drm/card*-*/edid), named as GLPI Agent names them, one per serial."""
    screens: dict[str, Record] = {}
    for connector in src.listdir("sys/class/drm"):
        edid = src.read_bytes(f"sys/class/drm/{connector}/edid")
        if not edid:  # no screen on this connector (servers, VMs): the EDID decoder is not even imported
            continue
        from . import _linux_edid

        record = _linux_edid.monitor(edid)
        if record is None:
            continue
        port = re.match(r"^card\d+-(.+?)(?:-[A-Z])?-\d+$", connector)
        record["port"] = port.group(1) if port else None
        key = record.get("serial") or record["edid_base64"]
        screens.setdefault(key, record)
    return [screens[key] for key in sorted(screens)]


def inputs(src: LinuxSources) -> list[Record]:
    """Keyboards and pointing devices of /proc/bus/input/devices (GLPI Agent's Linux::Inputs)."""
    records = []
    for block in (src.read("proc/bus/input/devices") or "").split("\n\n"):
        lines = block.splitlines()
        if not lines or not lines[0].startswith("I: Bus="):
            continue
        phys = name = kind = None
        for line in lines[1:]:
            if line.startswith("P: Phys="):
                phys = (
                    "nodev"
                    if re.search("button", line, re.I)
                    else ("input" if re.search("input", line, re.I) else phys)
                )
            found = re.match(r'^N: Name="(.*)"', line, re.I)
            if found:
                name = found.group(1)
            handlers = re.match(r"^H: Handlers=(\w+)", line, re.I)
            if handlers:
                first = handlers.group(1)
                kind = "Keyboard" if "kbd" in first else "Pointing" if "mouse" in first else first
        if phys == "input":
            records.append(_document({"description": name, "caption": name, "type": kind}))
    return records


def secure_boot(src: LinuxSources) -> str | None:
    """``enabled`` / ``disabled`` from the SecureBoot EFI variable, ``unsupported`` when not booted through UEFI."""
    if not src.is_dir("sys/firmware/efi"):
        return "unsupported"
    data = src.read_bytes(f"sys/firmware/efi/efivars/{_SECURE_BOOT}")
    if data is not None and len(data) >= 5:
        return "enabled" if data[4] == 1 else "disabled"
    data = src.read_bytes(f"sys/firmware/efi/vars/{_SECURE_BOOT}/data")  # kernels before efivarfs
    if data:
        return "enabled" if data[0] == 1 else "disabled"
    if src.is_dir("sys/firmware/efi/efivars") and src.listdir("sys/firmware/efi/efivars"):
        return "disabled"  # variables readable, no SecureBoot among them: a firmware without Secure Boot
    return None


def firmwares(src: LinuxSources) -> list[Record]:
    """The TPM (security chip) of /sys/class/tpm, as a firmware: its version (2.0, 1.2), maker and firmware for 1.2.

    GLPI Agent reports no TPM: this is Mutuparc's (the schema's ``firmwares`` section, type ``TPM``).
    """
    records = []
    for name in src.listdir("sys/class/tpm"):
        if not re.fullmatch(r"tpm\d+", name):
            continue
        base = f"sys/class/tpm/{name}"
        major = src.read(f"{base}/tpm_version_major")
        caps = src.read(f"{base}/device/caps") or src.read(f"{base}/caps") or ""
        fields = dict(line.split(":", 1) for line in caps.splitlines() if ":" in line)
        fields = {key.strip(): value.strip() for key, value in fields.items()}
        version = "2.0" if major == "2" else fields.get("TCG version") or ("1.2" if major == "1" else None)
        maker = fields.get("Manufacturer")
        if maker and maker.startswith("0x"):
            import contextlib

            with contextlib.suppress(ValueError, UnicodeDecodeError):
                maker = bytes.fromhex(maker[2:].zfill(8)).decode("ascii").strip("\0 ") or maker
        description = src.read(f"{base}/device/description") or src.read(f"{base}/device/firmware_node/description")
        firmware = fields.get("Firmware version")
        records.append(
            {
                "name": "TPM",
                "type": "TPM",
                "version": version,
                "manufacturer": maker,
                "description": "; ".join(filter(None, (description, firmware and f"firmware {firmware}"))) or None,
            }
        )
    return records
