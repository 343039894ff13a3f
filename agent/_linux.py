"""Linux: DMI from /sys, os-release, /proc, block devices, packages (dpkg, rpm, snap, flatpak).

Everything is read through ``LinuxSources`` (files under a root directory, commands), so that
tests can point it at a fake tree: this is how the DMI code is exercised on machines without
DMI (containers, some VMs). No command is run for what a file tells.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wire.chassis import chassis_name

from . import _common, software

Record = dict[str, Any]
DMI = "sys/class/dmi/id"
# Markers in DMI vendor / product / BIOS vendor -> virtualisation, as GLPI agents name it.
_VIRTUAL_MARKERS = (
    ("qemu", "QEMU"),
    ("kvm", "KVM"),
    ("vmware", "VMware"),
    ("innotek", "VirtualBox"),
    ("virtualbox", "VirtualBox"),
    ("xen", "Xen"),
    ("parallels", "Parallels"),
    ("bochs", "Bochs"),
    ("google compute engine", "KVM"),
    ("amazon ec2", "KVM"),
    ("openstack", "KVM"),
    ("firecracker", "Firecracker"),
)
_IGNORED_BLOCK_DEVICES = ("loop", "ram", "zram", "dm-", "md", "nbd", "fd")
# PCI vendor ids that /sys/block/*/device/vendor gives for NVMe and virtio disks.
_PCI_VENDORS = {
    "0x1af4": "Red Hat, Inc.",
    "0x1b36": "Red Hat, Inc.",
    "0x144d": "Samsung",
    "0x8086": "Intel",
    "0x15b7": "Western Digital",
    "0x1c5c": "SK hynix",
    "0x1e0f": "KIOXIA",
    "0x1344": "Micron",
    "0x2646": "Kingston",
    "0x1987": "Phison",
    "0x126f": "Silicon Motion",
    "0x1d97": "Shenzhen Longsys (Lexar)",
}
_CPU_VENDORS = {"GenuineIntel": "Intel", "AuthenticAMD": "AMD", "HygonGenuine": "Hygon", "CentaurHauls": "VIA"}


class LinuxSources:
    """Files and commands of a Linux system rooted at ``root``."""

    def __init__(self, root: str | Path = "/") -> None:
        self.root = Path(root)

    def path(self, relative: str) -> Path:
        return self.root / relative.lstrip("/")

    def read(self, relative: str) -> str | None:
        try:
            text = self.path(relative).read_text("utf-8", "replace").strip()
        except OSError:  # absent, or root-only (product_serial as a user)
            return None
        return text or None

    def listdir(self, relative: str) -> list[str]:
        try:
            return sorted(entry.name for entry in self.path(relative).iterdir())
        except OSError:
            return []

    def exists(self, relative: str) -> bool:
        return self.path(relative).exists()

    def mtime(self, relative: str) -> float | None:
        try:  # a plain string path: this is called once per installed package
            return os.stat(f"{self.root}/{relative}").st_mtime  # noqa: PTH116
        except OSError:
            return None

    def run(self, *args: str, timeout: float = 30) -> str | None:
        """A command's output, or None when it is missing or fails (only on the real root)."""
        import shutil
        import subprocess

        if self.root != Path("/") or shutil.which(args[0]) is None:
            return None
        try:
            result = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)  # noqa: S603
        except (OSError, subprocess.TimeoutExpired):
            return None
        return result.stdout if result.returncode == 0 else None


def live_sources() -> LinuxSources:
    return LinuxSources("/")


def _dmi(src: LinuxSources, name: str) -> str | None:
    return src.read(f"{DMI}/{name}")


def _os_release(src: LinuxSources) -> dict[str, str]:
    text = src.read("etc/os-release") or src.read("usr/lib/os-release") or ""
    values = {}
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key and value:
            values[key.strip()] = value.strip().strip('"').strip("'")
    return values


def vm_system(src: LinuxSources) -> str:
    """What the machine runs in, named as GLPI agents do: Physical, VMware, QEMU, Docker, lxc..."""
    if src.exists(".dockerenv"):
        return "Docker"
    if src.exists("run/.containerenv"):
        return "Podman"
    cgroup = src.read("proc/1/cgroup") or ""
    if "lxc" in cgroup or (src.read("proc/1/environ") or "").find("container=lxc") >= 0:
        return "lxc"
    vendor, product = (_dmi(src, "sys_vendor") or "").lower(), (_dmi(src, "product_name") or "").lower()
    if "microsoft" in vendor and "virtual machine" in product:  # not a Surface: Hyper-V
        return "Hyper-V"
    described = f"{vendor} {product} {(_dmi(src, 'bios_vendor') or '').lower()}"
    for marker, name in _VIRTUAL_MARKERS:
        if marker in described:
            return name
    cpuinfo = src.read("proc/cpuinfo") or ""
    if " hypervisor" in cpuinfo:
        return "Virtual Machine"
    return "Physical"


def _dns(src: LinuxSources) -> str | None:
    servers = [
        line.split()[1]
        for line in (src.read("etc/resolv.conf") or "").splitlines()
        if line.startswith("nameserver") and len(line.split()) > 1
    ]
    return "/".join(servers) or None


def _default_gateway(src: LinuxSources) -> str | None:
    for line in (src.read("proc/net/route") or "").splitlines()[1:]:
        parts = line.split()
        if len(parts) > 2 and parts[1] == "00000000":
            gateway = bytes.fromhex(parts[2])[::-1]
            return ".".join(str(b) for b in gateway)
    return None


def hardware(src: LinuxSources) -> Record:
    chassis = _dmi(src, "chassis_type")
    return {
        "name": _common.hostname(),
        "uuid": _dmi(src, "product_uuid"),
        "chassis_type": chassis_name(chassis) if chassis else None,
        "vm_system": vm_system(src),
        "memory_mb": _common.memory_mb(),
        "swap_mb": _common.swap_mb(),
        "dns": _dns(src),
        "default_gateway": _default_gateway(src),
        "last_logged_user": next((u["login"] for u in _common.users()), None),
    }


def bios(src: LinuxSources) -> Record | None:
    values = {
        "system_manufacturer": _dmi(src, "sys_vendor"),
        "system_model": _dmi(src, "product_name"),
        "system_serial": _dmi(src, "product_serial"),
        "bios_manufacturer": _dmi(src, "bios_vendor"),
        "bios_version": _dmi(src, "bios_version"),
        "bios_date": _dmi(src, "bios_date"),  # mm/dd/yyyy
        "board_manufacturer": _dmi(src, "board_vendor"),
        "board_model": _dmi(src, "board_name"),
        "board_serial": _dmi(src, "board_serial"),
        "asset_tag": _dmi(src, "chassis_asset_tag"),
        "sku": _dmi(src, "product_sku"),
    }
    if values["bios_date"]:
        try:
            values["bios_date"] = dt.datetime.strptime(values["bios_date"], "%m/%d/%Y").date()
        except ValueError:
            values["bios_date"] = None
    return values


def operating_system(src: LinuxSources) -> Record:
    release = _os_release(src)
    version = release.get("VERSION_ID")
    if release.get("ID") == "debian":
        version = src.read("etc/debian_version") or version  # the point release: 12.11
    uname = os.uname()
    return {
        "name": release.get("NAME", "Linux"),
        "full_name": release.get("PRETTY_NAME", release.get("NAME")),
        "version": version,
        "arch": uname.machine,
        "kernel_name": "linux",
        "kernel_version": uname.release,
        "boot_time": _common.boot_time(),
        "fqdn": uname.nodename,
    }


def cpus(src: LinuxSources) -> list[Record]:
    """One record per physical processor (socket), from /proc/cpuinfo."""
    sockets: dict[str, dict[str, str]] = {}
    threads: dict[str, int] = {}
    for block in (src.read("proc/cpuinfo") or "").split("\n\n"):
        fields = {}
        for line in block.splitlines():
            key, _, value = line.partition(":")
            fields[key.strip()] = value.strip()
        if "processor" not in fields:
            continue
        socket = fields.get("physical id", "0")
        sockets.setdefault(socket, fields)
        threads[socket] = threads.get(socket, 0) + 1
    cores, _ = _common.cpu_counts()
    records = []
    for socket, fields in sockets.items():
        speed = fields.get("cpu MHz", "").split(".")[0]
        records.append(
            {
                "name": fields.get("model name") or fields.get("Model") or fields.get("cpu model"),
                "manufacturer": _CPU_VENDORS.get(fields.get("vendor_id", ""), fields.get("vendor_id")),
                "cores": int(fields["cpu cores"])
                if fields.get("cpu cores", "").isdigit()
                else (cores // len(sockets) if cores else None),
                "threads": threads[socket],
                "speed_mhz": _common.cpu_speed_mhz() or (int(speed) if speed.isdigit() else None),
                "arch": os.uname().machine,
                "family": fields.get("cpu family"),
                "model": fields.get("model"),
            }
        )
    return records


def storages(src: LinuxSources) -> list[Record]:
    """Physical disks from /sys/block (no lsblk process: the same facts, read directly)."""
    records = []
    for name in src.listdir("sys/block"):
        if name.startswith(_IGNORED_BLOCK_DEVICES):
            continue
        sectors = src.read(f"sys/block/{name}/size")
        if not sectors or not sectors.isdigit() or int(sectors) == 0:
            continue
        rotational = src.read(f"sys/block/{name}/queue/rotational")
        interface = "NVMe" if name.startswith("nvme") else "virtio" if name.startswith("vd") else None
        if interface is None and name.startswith("sd"):
            device_path = os.path.realpath(src.path(f"sys/block/{name}"))
            interface = "USB" if "/usb" in device_path else "SATA/SCSI"
        records.append(
            {
                "name": name,
                "model": src.read(f"sys/block/{name}/device/model"),
                "manufacturer": _disk_vendor(src.read(f"sys/block/{name}/device/vendor")),
                "serial": src.read(f"sys/block/{name}/device/serial") or src.read(f"sys/block/{name}/serial"),
                "size_bytes": int(sectors) * 512,
                "media_type": "cdrom"
                if name.startswith("sr")
                else "SSD"
                if rotational == "0"
                else "HDD"
                if rotational == "1"
                else "disk",
                "interface": interface,
                "firmware": src.read(f"sys/block/{name}/device/firmware_rev")
                or src.read(f"sys/block/{name}/device/rev"),
            }
        )
    return records


def _disk_vendor(vendor: str | None) -> str | None:
    if vendor and vendor.lower().startswith("0x"):
        return _PCI_VENDORS.get(vendor.lower())  # an unknown PCI id means nothing to a person
    return vendor


def drives(src: LinuxSources) -> list[Record]:
    return _common.drives()


def _is_virtual_interface(src: LinuxSources) -> Callable[[str], bool]:
    return lambda name: not src.exists(f"sys/class/net/{name}/device")


def _interface_speed(src: LinuxSources) -> Callable[[str], int | None]:
    def speed(name: str) -> int | None:
        value = src.read(f"sys/class/net/{name}/speed")
        return int(value) if value and value.lstrip("-").isdigit() and int(value) > 0 else None

    return speed


def networks(src: LinuxSources) -> list[Record]:
    records = _common.networks(_is_virtual_interface(src), _interface_speed(src))
    for record in records:
        driver = src.path(f"sys/class/net/{record['name']}/device/driver")
        if driver.exists():
            record["driver"] = driver.resolve().name
    return records


def softwares(src: LinuxSources) -> list[Record]:
    records: list[Record] = []
    status = src.read("var/lib/dpkg/status")
    if status:
        release = _os_release(src)
        packages = software.dpkg_status(status)
        installed_on = {}
        for package in packages:
            name, arch = package["Package"], package.get("Architecture", "")
            mtime = src.mtime(f"var/lib/dpkg/info/{name}.list") or src.mtime(f"var/lib/dpkg/info/{name}:{arch}.list")
            if mtime:
                installed_on[name] = dt.datetime.fromtimestamp(mtime, dt.UTC).date()
        records += software.dpkg_records(
            packages, publisher=release.get("NAME", "").split()[0] or None, installed_on=installed_on
        )
    if src.exists("var/lib/rpm") or src.exists("usr/lib/sysimage/rpm"):
        output = src.run("rpm", "-qa", "--queryformat", software.RPM_QUERY_FORMAT)
        if output:
            records += software.rpm_records(output)
    if src.exists("snap") or src.exists("var/lib/snapd/snaps"):
        output = src.run("snap", "list")
        if output:
            records += software.snap_records(output)
    if src.exists("var/lib/flatpak"):
        output = src.run("flatpak", "list", "--app", "--columns=application,version,origin")
        if output:
            records += software.flatpak_records(output)
    return records


def batteries(src: LinuxSources) -> list[Record]:
    records = []
    for name in src.listdir("sys/class/power_supply"):
        info = {}
        for line in (src.read(f"sys/class/power_supply/{name}/uevent") or "").splitlines():
            key, _, value = line.partition("=")
            info[key.removeprefix("POWER_SUPPLY_")] = value
        if info.get("TYPE") != "Battery":
            continue
        voltage_mv = int(info["VOLTAGE_MIN_DESIGN"]) // 1000 if info.get("VOLTAGE_MIN_DESIGN", "").isdigit() else None
        records.append(
            {
                "name": info.get("MODEL_NAME") or name,
                "manufacturer": info.get("MANUFACTURER"),
                "serial": info.get("SERIAL_NUMBER"),
                "chemistry": info.get("TECHNOLOGY"),
                "capacity_mwh": _mwh(info.get("ENERGY_FULL_DESIGN"), info.get("CHARGE_FULL_DESIGN"), voltage_mv),
                "real_capacity_mwh": _mwh(info.get("ENERGY_FULL"), info.get("CHARGE_FULL"), voltage_mv),
                "voltage_mv": voltage_mv,
            }
        )
    return records


def _mwh(energy_uwh: str | None, charge_uah: str | None, voltage_mv: int | None) -> int | None:
    if energy_uwh and energy_uwh.isdigit():
        return int(energy_uwh) // 1000
    if charge_uah and charge_uah.isdigit() and voltage_mv:
        return int(charge_uah) * voltage_mv // 1_000_000
    return None


def users(src: LinuxSources) -> list[Record]:
    return _common.users()


COLLECTORS: dict[str, Callable[[LinuxSources], Any]] = {
    "hardware": hardware,
    "bios": bios,
    "operatingsystem": operating_system,
    "cpus": cpus,
    "storages": storages,
    "drives": drives,
    "networks": networks,
    "softwares": softwares,
    "batteries": batteries,
    "users": users,
}
