"""Linux: what GLPI Agent reports, read the way it reads it (DMI, /proc, /sys, os-release, packages...).

Everything is read through ``LinuxSources`` (files under a root directory, and commands), so that tests
can point it at a recorded tree: this is how DMI, EDID, batteries or LVM are exercised on machines that
have none. A recorded tree holds the output of each command it replays in ``commands/<name>.txt``.
Commands run with a timeout and ``LC_ALL=C``; a missing or failing command gives ``None``, never an error.

Hardware buses, monitors and DMI tables are in ``_linux_devices`` and ``_linux_dmi``; accounts, firewall,
LVM and printers in ``_linux_system``.
"""

# os.path, not pathlib: importing pathlib costs each agent run's start a tenth of its time (issue 27)
# ruff: noqa: PTH110, PTH112, PTH115, PTH116, PTH119, PTH123, PTH208
from __future__ import annotations

import datetime as dt
import os
import re

from wire._lazy import LazyPattern
from wire.chassis import chassis_name

from . import _common, _linux_devices, _linux_dmi, _linux_kernel, _linux_system, software

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

Record = dict[str, "Any"]
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
# GLPI Agent's names of the SMBIOS chassis types, by the code /sys/class/dmi/id/chassis_type gives.
GLPI_CHASSIS = (
    "", "Other", "Unknown", "Desktop", "Low Profile Desktop", "Pizza Box", "Mini Tower", "Tower", "Portable",
    "Laptop", "Notebook", "Hand Held", "Docking Station", "All in One", "Sub Notebook", "Space-Saving", "Lunch Box",
    "Main Server Chassis", "Expansion Chassis", "Sub Chassis", "Bus Expansion Chassis", "Peripheral Chassis",
    "RAID Chassis", "Rack Mount Chassis", "Sealed-case PC", "Multi-system", "CompactPCI", "AdvancedTCA", "Blade",
    "Blade Enclosing", "Tablet", "Convertible", "Detachable", "IoT Gateway", "Embedded PC", "Mini PC", "Stick PC",
)  # fmt: skip
# Block devices GLPI Agent lists: sd*, hd*, vd*, fd*, and any other with a device behind it (nvme, sr, mmcblk).
_DISK_NAME = LazyPattern(r"([shv]d[a-z]+|fd\d)$")
_CPU_SPEED_IN_NAME = LazyPattern(r"([\d.]+)s*(GHZ)", re.IGNORECASE)  # GLPI's pattern, "s*" included
_SEARCH_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
_SPEED_UNKNOWN = (-1, 0xFFFFFFFF, 0xFFFF)
_IFF_UP = 0x1


class LinuxSources:
    """Files and commands of a Linux system rooted at ``root``.

    On the real root (``/``) commands run; under any other root their output is read from
    ``commands/<name>.txt`` (``name`` defaults to the command's file name), so that a recorded
    machine replays what its commands printed.
    """

    def __init__(self, root: str | os.PathLike[str] = "/") -> None:
        self.root = os.fspath(root)
        self.live = os.path.normpath(self.root) == "/"
        self._prefix = self.root.rstrip("/") + "/"
        self._cache: dict[str, Any] = {}

    def path(self, relative: str) -> str:
        return self._prefix + relative.lstrip("/")

    def read(self, relative: str) -> str | None:
        """A file's text, stripped (None when absent, unreadable or blank): read as bytes and decoded
        as a text-mode read would (UTF-8, undecodable bytes replaced, universal newlines), without
        its three I/O objects, for each of the hundred files a run reads."""
        try:
            with open(self._prefix + relative.lstrip("/"), "rb") as file:
                text = file.read().decode("utf-8", "replace")
        except (OSError, ValueError):  # absent, root-only (product_serial as a user), or not a file
            return None
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text.strip() or None

    def read_bytes(self, relative: str) -> bytes | None:
        try:
            with open(self._prefix + relative.lstrip("/"), "rb") as file:
                return file.read()
        except (OSError, ValueError):
            return None

    def read_at(self, relative: str, offset: int, size: int) -> bytes | None:
        """``size`` bytes of a file from ``offset`` (fewer at its end), or None: one ``pread``."""
        try:
            handle = os.open(self.path(relative), os.O_RDONLY)
        except (OSError, ValueError):
            return None
        try:
            return os.pread(handle, size, offset)
        except OSError:
            return None
        finally:
            os.close(handle)

    def readlink(self, relative: str) -> str | None:
        """The target of a symbolic link (``/sys/.../driver``), or None.

        A recorded machine lists its links in ``links.json`` (path -> target): git and a Windows
        checkout keep no dangling symbolic links, and copying a tree with them fails."""
        if not self.live and (target := self._recorded_links().get(relative.strip("/"))) is not None:
            return target
        try:
            return os.readlink(self.path(relative))
        except (OSError, ValueError):
            return None

    def _recorded_links(self) -> dict[str, str]:
        if "links" not in self._cache:
            import json  # recordings only

            text = self.read("links.json")
            self._cache["links"] = json.loads(text) if text else {}
        return self._cache["links"]

    def listdir(self, relative: str) -> list[str]:
        try:
            return sorted(os.listdir(self.path(relative)))
        except (OSError, ValueError):
            return []

    def exists(self, relative: str) -> bool:
        return os.path.exists(self.path(relative))

    def is_dir(self, relative: str) -> bool:
        return os.path.isdir(self.path(relative))

    def mtime(self, relative: str) -> float | None:
        try:
            return os.stat(self.path(relative)).st_mtime
        except (OSError, ValueError):
            return None

    def mtimes(self, relative: str, suffix: str) -> dict[str, float]:
        """Modification times of the files of a folder whose names end with ``suffix``, by name:
        one listing, each file stat'ed relative to the open folder (no path lookup per file)."""
        found: dict[str, float] = {}
        try:
            folder = os.open(self.path(relative), os.O_RDONLY | os.O_DIRECTORY)
        except (OSError, ValueError):
            return found
        try:
            names = [name for name in os.listdir(folder) if name.endswith(suffix)]
            stat = os.stat
            for name in names:
                try:
                    found[name] = stat(name, dir_fd=folder).st_mtime
                except OSError:  # gone meanwhile
                    continue
        except OSError:
            pass
        finally:
            os.close(folder)
        return found

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()`` once per sources (dmidecode, the PCI scan and pci.ids serve several sections)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def which(self, command: str) -> bool:
        """Whether ``command`` can run; in a recording, whether one of its outputs was recorded."""
        if not self.live:
            name = os.path.basename(command)
            return any(entry == f"{name}.txt" or entry.startswith(f"{name}-") for entry in self.listdir("commands"))
        return _which(command) is not None

    def run(
        self, *args: str, timeout: float = 30, name: str | None = None, codes: tuple[int, ...] = (0,)
    ) -> str | None:
        """A command's output, or None when it is missing, fails (exit code not in ``codes``) or times out."""
        if not self.live:
            return self.read_text_raw(f"commands/{name or os.path.basename(args[0])}.txt")
        command = _which(args[0])
        if command is None:
            return None
        env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PATH": f"{os.environ.get('PATH', '')}:{_SEARCH_PATH}"}
        try:
            finished = spawn([command, *args[1:]], env, timeout)
        except OSError:
            return None
        if finished is None or finished[0] not in codes:
            return None
        text = finished[1].decode(_locale_encoding(), "replace")
        return text.replace("\r\n", "\n").replace("\r", "\n")  # universal newlines, as subprocess's text mode

    def read_text_raw(self, relative: str) -> str | None:
        """A file's text as is (not stripped): command outputs keep their layout. Read as bytes and
        decoded at once (what a text-mode read gives: UTF-8, undecodable bytes replaced, universal
        newlines), a third of the cost for the 1 MB of dpkg's status."""
        data = self.read_bytes(relative)
        if data is None:
            return None
        text = data.decode("utf-8", "replace")
        return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _locale_encoding() -> str:
    """The encoding subprocess's text mode decodes with (the locale's), found by io in C: no locale import."""
    import io

    return io.TextIOWrapper(io.BytesIO()).encoding


def spawn(argv: list[str], env: dict[str, str], timeout: float) -> tuple[int, bytes] | None:
    """Run ``argv`` (a full path) as ``subprocess.run`` does with stdin from /dev/null, its output
    captured and ``timeout``: (exit code, or minus the signal, output), or None when it timed out
    (it is then killed). With ``os.posix_spawn`` and ``poll``, not the subprocess module (whose
    import, threading and selectors included, costs more than running two commands)."""
    import select
    import signal
    import time

    deadline = time.monotonic() + timeout
    devnull = os.open(os.devnull, os.O_RDWR)
    output, write_end = os.pipe()
    try:
        try:
            pid = os.posix_spawn(argv[0], argv, env, setsigdef=(signal.SIGPIPE, signal.SIGXFSZ), file_actions=[
                (os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, write_end, 1),
                (os.POSIX_SPAWN_DUP2, devnull, 2)])  # fmt: skip
        finally:
            os.close(write_end)
            os.close(devnull)
        chunks, poller = [], select.poll()
        poller.register(output, select.POLLIN)
        while (remaining := deadline - time.monotonic()) > 0:
            if poller.poll(remaining * 1000):
                chunk = os.read(output, 65536)
                if not chunk:
                    break
                chunks.append(chunk)
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
    finally:
        os.close(output)
    while True:  # its output is closed: wait for its end, within what is left of the timeout
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status), b"".join(chunks)
        if time.monotonic() >= deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return None
        time.sleep(0.001)


def _which(command: str) -> str | None:
    """``shutil.which`` on the PATH and the usual system folders (without importing shutil, whose
    compression modules a run never uses)."""
    if "/" in command:
        return command if os.access(command, os.X_OK) else None
    for folder in f"{os.environ.get('PATH', '')}:{_SEARCH_PATH}".split(":"):
        candidate = f"{folder or '.'}/{command}"
        if os.access(candidate, os.X_OK) and not os.path.isdir(candidate):
            return candidate
    return None


def live_sources() -> LinuxSources:
    return LinuxSources("/")


def _dmi(src: LinuxSources, name: str) -> str | None:
    value = src.read(f"{DMI}/{name}")
    return None if value is None or _linux_dmi.invalid_value(value) else value


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
    environ = (src.read("proc/1/environ") or "").replace("\0", "\n")
    container = re.search(r"^container=(\S+)", environ, re.MULTILINE)
    if container:  # systemd-nspawn, lxc, podman...: GLPI Agent checks this first
        return container.group(1)
    if src.exists(".dockerenv") or src.exists(".dockerinit"):
        return "Docker"
    if src.exists("run/.containerenv"):
        return "Podman"
    cgroup = src.read("proc/1/cgroup") or ""
    if "lxc" in cgroup:
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


def _resolv_conf(src: LinuxSources) -> tuple[list[str], list[str]]:
    """(name servers, search domains) of /etc/resolv.conf, sorted and without duplicates, as GLPI Agent lists them."""
    servers, domains = set(), set()
    for line in (src.read("etc/resolv.conf") or "").splitlines():
        parts = line.split()
        if len(parts) > 1 and parts[0] == "nameserver":
            servers.add(parts[1].rstrip("."))
        elif len(parts) > 1 and parts[0] in ("domain", "search"):
            domains.add(parts[1].rstrip("."))
    return sorted(servers), sorted(domains)


def default_gateway(src: LinuxSources) -> str | None:
    for line in (src.read("proc/net/route") or "").splitlines()[1:]:
        parts = line.split()
        if len(parts) > 3 and parts[1] == "00000000" and int(parts[3], 16) & 0x2:  # RTF_GATEWAY
            gateway = bytes.fromhex(parts[2])[::-1]
            return ".".join(str(b) for b in gateway)
    return None


def _hostname(src: LinuxSources) -> str:
    if src.live:
        return _common.hostname()
    return (src.read("proc/sys/kernel/hostname") or src.read("etc/hostname") or "localhost").split(".")[0]


def _nodename(src: LinuxSources) -> str:
    return os.uname().nodename if src.live else (src.read("proc/sys/kernel/hostname") or _hostname(src))


def _uuid(src: LinuxSources, system: str) -> str | None:
    """The system UUID, or the identifier GLPI Agent gives a container (Docker id, or sha1 of machine-id + name)."""
    uuid = _dmi(src, "product_uuid") or _linux_dmi.system_uuid(src)
    if system == "Docker":
        found = re.search(r"/docker/([0-9a-f]{12})", src.read("proc/1/cgroup") or "")
        return found.group(1) if found else None
    if system == "lxc" or (system != "Physical" and not uuid):
        machine_id, name = src.read("etc/machine-id"), src.read("etc/hostname")
        if machine_id and name:
            import hashlib  # containers only: OpenSSL's loading costs more than most sections

            return hashlib.sha1(f"{machine_id}{name}".encode(), usedforsecurity=False).hexdigest()
    return uuid


def _chassis(src: LinuxSources) -> str | None:
    code = _dmi(src, "chassis_type")
    if code and code.isdigit() and 0 < int(code) < len(GLPI_CHASSIS):
        return GLPI_CHASSIS[int(code)]
    if code:
        return chassis_name(code)
    return _linux_dmi.chassis_type(src)


def _meminfo_mb(src: LinuxSources, key: str) -> int | None:
    found = re.search(rf"^{key}:\s*(\d+)", src.read("proc/meminfo") or "", re.MULTILINE)
    return int(found.group(1)) // 1024 if found else None


def memory_mb(src: LinuxSources) -> int | None:
    value = _meminfo_mb(src, "MemTotal")
    return value if value is not None or not src.live else _common.memory_mb()


def hardware(src: LinuxSources) -> Record:
    system = vm_system(src)
    swap = _meminfo_mb(src, "SwapTotal")
    servers, domains = _resolv_conf(src)
    nodename = _nodename(src)
    last_user, last_at = _linux_system.last_logged_user(src)
    return {
        "name": _hostname(src),
        "uuid": _uuid(src, system),
        "chassis_type": _chassis(src),
        "vm_system": system,
        "memory_mb": memory_mb(src),
        "swap_mb": swap if swap is not None or not src.live else _common.swap_mb(),
        "dns": "/".join(servers) or None,
        "workgroup": nodename.split(".", 1)[1] if "." in nodename.strip(".") else ("/".join(domains) or None),
        "default_gateway": default_gateway(src),
        "last_logged_user": last_user,
        "last_logged_user_at": last_at,
    }


def bios(src: LinuxSources) -> Record:
    """DMI tables, from dmidecode as GLPI Agent prefers them, else from /sys/class/dmi/id."""
    values = _linux_dmi.bios(src) or {}
    from_sysfs = {
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
        "enclosure_serial": _dmi(src, "chassis_serial"),
    }
    version = _dmi(src, "product_version")  # GLPI Agent: a better model name on Lenovo machines (issue #311)
    if (version and re.match(r"^LENOVO$", from_sysfs["system_manufacturer"] or "", re.I)
            and re.match(r"^(Think|Idea|Yoga|Netfinity|Netvista|Intelli)", version, re.I)):  # fmt: skip
        from_sysfs["system_model"] = version
    record = {key: values.get(key) or value for key, value in from_sysfs.items()}
    if record["board_model"] == "VirtualBox" and record["system_serial"] in (None, "0"):
        uuid = _dmi(src, "product_uuid")
        record["system_serial"] = uuid.lower() if uuid else record["system_serial"]
    if isinstance(record["bios_date"], str):
        try:
            record["bios_date"] = dt.datetime.strptime(record["bios_date"], "%m/%d/%Y").date()
        except ValueError:
            record["bios_date"] = None
    record["secure_boot"] = _linux_devices.secure_boot(src)
    return record


def operating_system(src: LinuxSources) -> Record:
    release = _os_release(src)
    version = release.get("VERSION_ID")
    if release.get("ID") == "debian":
        version = src.read("etc/debian_version") or version  # the point release: 12.11
    uname = os.uname()
    nodename = _nodename(src)
    _servers, domains = _resolv_conf(src)
    return {
        "name": release.get("NAME", "Linux"),
        "full_name": release.get("PRETTY_NAME", release.get("NAME")),
        "version": version,
        "arch": uname.machine if src.live else src.read("proc/sys/kernel/arch"),
        "kernel_name": "linux",
        "kernel_version": src.read("proc/sys/kernel/osrelease") or (uname.release if src.live else None),
        "boot_time": _boot_time(src),
        "fqdn": nodename,
        "dns_domain": nodename.split(".", 1)[1] if "." in nodename.strip(".") else (domains[0] if domains else None),
        "install_date": _linux_system.install_date(src),
        "timezone": _linux_system.timezone(src),
        "host_id": _linux_system.host_id(src),
        "ssh_key": _linux_system.ssh_key(src),
    }


def _boot_time(src: LinuxSources) -> dt.datetime | None:
    if src.live:
        return _common.boot_time(_linux_kernel.boot_time())
    found = re.search(r"^btime\s+(\d+)", src.read("proc/stat") or "", re.MULTILINE)
    return dt.datetime.fromtimestamp(int(found.group(1))) if found else None


def _cpu_max_mhz(src: LinuxSources) -> int | None:
    khz = src.read("sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")
    return int(khz) // 1000 if khz and khz.isdigit() else None


def cpuinfo(src: LinuxSources) -> list[dict[str, str]]:
    """The logical processors of /proc/cpuinfo, keys in lower case (GLPI Agent's getCPUsFromProc)."""
    processors, fields = [], {}
    for line in [*(src.read("proc/cpuinfo") or "").splitlines(), ""]:
        found = re.match(r"^([^:]+\S)\s*:\s(.+)", line)
        if found:
            fields[found.group(1).lower()] = " ".join(found.group(2).split())
        elif not line:
            if "processor" in fields or "cpu" in fields:
                processors.append(fields)
            fields = {}
    return processors


def cpus(src: LinuxSources) -> list[Record]:
    """One record per physical processor (socket) from /proc/cpuinfo, as GLPI Agent counts them.

    ``threads`` is the number of threads *per core* (siblings / cores), as GLPI Agent reports it; a
    processor without ``physical id`` (some hypervisors) is one record per logical CPU. On ARM, as GLPI
    Agent's Linux::ARM::CPU, each logical CPU is a record with its name only.
    """
    logical = cpuinfo(src)
    arch = os.uname().machine if src.live else src.read("proc/sys/kernel/arch")
    if (arch or "").startswith(("arm", "aarch64")) or (logical and "cpu architecture" in logical[0]
                                                        and "vendor_id" not in logical[0]):  # fmt: skip
        return [{"name": fields.get("model name") or fields.get("processor"),
                 "arch": "aarch64" if int(re.match(r"\d*", fields.get("cpu architecture", "")).group() or 0) >= 8
                 else "arm"} for fields in logical]  # fmt: skip
    from_dmi = _linux_dmi.cpus(src)
    records: list[Record] = []
    seen: set[str] = set()
    for fields in logical:
        socket_id = fields.get("physical id")
        if socket_id is not None:
            if socket_id in seen:
                continue
            seen.add(socket_id)
            cores = _int(fields.get("cpu cores"))
            siblings = _int(fields.get("siblings"))
            threads = -(-siblings // cores) if cores and siblings and siblings >= cores else 1
            index = _int(socket_id) or 0
        else:
            cores, threads, index = 1, 1, len(records)
        dmi = from_dmi[index] if index < len(from_dmi) else {}
        name = fields.get("model name")
        speed_in_name = _CPU_SPEED_IN_NAME.search(name or "")
        speed = int(float(speed_in_name.group(1)) * 1000) if speed_in_name else None
        mhz = fields.get("cpu mhz", "").split(".")[0]
        records.append(
            {
                "name": name,
                "manufacturer": _linux_dmi.canonical_manufacturer(fields.get("vendor_id")),
                "cores": cores or dmi.get("cores"),
                "threads": threads or dmi.get("threads"),
                "speed_mhz": speed or _cpu_max_mhz(src) or (int(mhz) if mhz.isdigit() else None),
                "arch": arch,
                "family_number": fields.get("cpu family") or dmi.get("family_number"),
                "model": fields.get("model") or dmi.get("model"),
                "stepping": _int(fields.get("stepping")) if fields.get("stepping") else dmi.get("stepping"),
                "family": dmi.get("family"),
                "cpu_id": dmi.get("cpu_id"),
                "serial": dmi.get("serial"),
                "external_clock_mhz": dmi.get("external_clock_mhz"),
                "core_count": dmi.get("core_count"),
            }
        )
    return records


def _int(value: str | None) -> int | None:
    return int(value) if value and value.strip().isdigit() else None


def _block_value(src: LinuxSources, name: str, key: str) -> str | None:
    """A disk attribute as GLPI Agent reads it: /sys/block/X/key, then /sys/block/X/device/key."""
    for path in (f"sys/block/{name}/{key}", f"sys/block/{name}/device/{key}"):
        value = src.read(path)
        if value is not None:
            printable = re.search(r"([\x20-\x7e]*[A-Za-z0-9]+)", value)
            return " ".join((printable.group(1) if printable else value).split()) or None
    return None


def _bus(src: LinuxSources, name: str) -> str | None:
    """The bus a disk hangs on (SCSI, VIRTIO, PCI, USB...), from its ``subsystem`` link."""
    for link in (f"sys/block/{name}/device/subsystem", f"sys/block/{name}/device/device/subsystem"):
        target = src.readlink(link)
        if target and "/bus/" in target:
            return os.path.basename(target).upper()
    return None


def storages(src: LinuxSources) -> list[Record]:
    """Disks from /sys/block, described and typed as GLPI Agent does (``disk`` or ``removable``)."""
    records = []
    names = [n for n in src.listdir("sys/block") if _DISK_NAME.search(n) or src.exists(f"sys/block/{n}/device")]
    for name in names:
        vendor = _block_value(src, name, "vendor")
        model = _block_value(src, name, "model")
        serial = _block_value(src, name, "serial")
        manufacturer = vendor
        if vendor and vendor.lower().startswith("0x"):  # NVMe and virtio disks give their PCI vendor id
            manufacturer = _linux_devices.pci_vendor_name(src, vendor[2:].lower()) or None
        elif (not vendor or vendor == "ATA") and model:
            canonical = _linux_dmi.canonical_manufacturer(model)
            manufacturer = canonical if canonical != model else vendor
        real = os.path.realpath(src.path(f"sys/block/{name}"))
        bus = _bus(src, name)
        if "/usb" in real or bus == "USB":
            description = "USB"
        elif name.startswith("sd"):
            description = "SATA" if "ATA" in (vendor or "") or "ATA" in (serial or "") else "SCSI"
        elif name.startswith("vd") or bus == "VIRTIO":
            description = "Virtual"
        else:
            description = bus or "IDE"
        interface = {"USB": "USB", "SATA": "SATA", "SCSI": "SCSI" if name.startswith("sd") else None}.get(description)
        if name.startswith("nvme"):
            interface = "NVME"
        sectors = _int(src.read(f"sys/block/{name}/size"))
        wwid = _block_value(src, name, "wwid")
        records.append(
            {
                "name": name,
                "model": model,
                "manufacturer": manufacturer,
                "serial": serial or _block_value(src, name, "vpd_pg80"),
                "size_bytes": sectors * 512 if sectors else None,
                "media_type": "removable" if src.read(f"sys/block/{name}/removable") == "1" else "disk",
                "description": description,
                "interface": interface,
                "firmware": _block_value(src, name, "rev") or _block_value(src, name, "firmware_rev"),
                "wwn": f"wwn-{wwid[4:]}" if wwid and wwid.startswith("naa.") else None,
            }
        )
    return records


def drives(src: LinuxSources) -> list[Record]:
    if not src.live:
        return []
    partitions = _linux_kernel.disk_partitions()  # None: psutil has a /dev/root to resolve
    if partitions is None:
        return _common.drives()
    return _common.drives(partitions=partitions, disk_usage=_linux_kernel.disk_usage)


def _interfaces() -> tuple[dict[str, list[Any]], dict[str, Any], int] | None:
    """What psutil's net_if_addrs, net_if_stats and AF_LINK give, read from the kernel; None (psutil
    then) where rtnetlink cannot be asked (a seccomp profile that forbids it) or answers oddly."""
    try:
        return _linux_kernel.net_if_addrs(), _linux_kernel.net_if_stats(), _linux_kernel.AF_LINK
    except (OSError, ValueError, _linux_kernel.struct.error):  # a kernel answer not understood: psutil's
        return None


def _net_type(src: LinuxSources, name: str) -> tuple[bool, str | None, str | None, str | None]:
    """(virtual, type, base, slaves) of an interface, as GLPI Agent tells them from /sys/class/net."""
    base = f"sys/class/net/{name}"
    if src.is_dir(f"{base}/device") and not src.is_dir(f"sys/devices/virtual/net/{name}"):
        if src.is_dir(f"{base}/wireless"):
            return False, "wifi", None, None
        return False, "infiniband" if src.exists(f"{base}/mode") else "ethernet", None, None
    kind, parent, slaves = None, None, None
    if name == "lo":
        kind = "loopback"
    if name.startswith("ppp"):
        kind = "dialup"
    alias = re.match(r"^(\w+)[:.]\d+$", name)
    if alias:
        kind, parent = "alias", alias.group(1)
    lower = ",".join(entry[len("lower_") :] for entry in src.listdir(base) if entry.startswith("lower_"))
    if src.is_dir(f"{base}/brif"):
        kind, slaves = "bridge", lower
    if src.is_dir(f"{base}/bonding"):
        kind, slaves = "aggregate", lower
    return True, kind, parent, slaves


def _ipv4(text: str) -> int | None:
    """An IPv4 address as ``ipaddress`` reads it (four decimal octets, no leading zero), or None."""
    octets = text.split(".")
    if len(octets) != 4:
        return None
    value = 0
    for octet in octets:
        if not (octet.isascii() and octet.isdigit()) or len(octet) > 3 or (octet != "0" and octet[0] == "0"):
            return None
        if (number := int(octet)) > 255:
            return None
        value = value << 8 | number
    return value


def _ipv4_prefix(mask: int) -> int | None:
    """The prefix length of a contiguous netmask (``ipaddress``'s _prefix_from_ip_int), or None."""
    trailing = 32 if mask == 0 else min(32, (~mask & (mask - 1)).bit_length())
    length = 32 - trailing
    return length if mask >> trailing == (1 << length) - 1 else None


def _ipv4_netmask(mask: str) -> int | None:
    """A netmask as ``ipaddress`` reads one: a prefix length, a dotted netmask or a dotted hostmask."""
    if mask.isascii() and mask.isdigit():
        length = int(mask)
        if length > 32:
            return None
    else:
        value = _ipv4(mask)
        if value is None:
            return None
        length = _ipv4_prefix(value)
        if length is None:
            length = _ipv4_prefix(value ^ 0xFFFFFFFF)
            if length is None:
                return None
    return 0xFFFFFFFF ^ (0xFFFFFFFF >> length)


def _subnet(address: str | None, mask: str | None) -> str | None:
    """``str(ipaddress.ip_network(f"{address}/{mask}", strict=False).network_address)``, or None where
    it raises, without importing ``ipaddress`` for the usual cases: an IPv4 address with its netmask,
    and an IPv6 one with the netmask psutil gives (``ffff:ffff::``, which ip_network refuses: it takes
    prefix lengths only)."""
    if not address or not mask:
        return None
    parts = f"{address}/{mask}".split("/")
    if len(parts) != 2:
        return None
    network, netmask = _ipv4(parts[0]), _ipv4_netmask(parts[1])
    if network is not None and netmask is not None:
        network &= netmask
        return f"{network >> 24}.{network >> 16 & 255}.{network >> 8 & 255}.{network & 255}"
    if not (parts[1].isascii() and parts[1].isdigit()):  # refused as IPv4, and by IPv6 for its netmask
        return None
    import ipaddress

    try:
        return str(ipaddress.ip_network(f"{address}/{mask}", strict=False).network_address)
    except ValueError:
        return None


def networks(src: LinuxSources) -> list[Record]:
    """One record per interface address (one per interface without address), with GLPI Agent's types."""
    gateway = default_gateway(src)
    records = _common.networks(lambda _name: None, lambda _name: None, _interfaces()) if src.live else []
    for record in records:
        name = record["name"]
        virtual, kind, parent, slaves = _net_type(src, name)
        flags = src.read(f"sys/class/net/{name}/flags")
        if flags and flags.startswith("0x"):
            record["status"] = "up" if int(flags, 16) & _IFF_UP else "down"
        lines = (src.read(f"sys/class/net/{name}/device/uevent") or "").splitlines()
        uevent = dict(line.split("=", 1) for line in lines if "=" in line)
        record.update(virtual=virtual, type=kind, base=parent, slaves=slaves or None)
        if not virtual:
            record["driver"] = uevent.get("DRIVER")
            record["pci_slot"] = uevent.get("PCI_SLOT_NAME")
            if uevent.get("PCI_ID") and uevent.get("PCI_SUBSYS_ID"):
                record["pci_id"] = f"{uevent['PCI_ID']}:{uevent['PCI_SUBSYS_ID']}"
        record["speed_mbps"] = _speed(src, name) if record["status"] == "up" else 0
        if record.get("ipv4"):
            record["ipv4_subnet"] = _subnet(record["ipv4"], record.get("ipv4_mask"))
            if gateway and record["ipv4_subnet"] and _subnet(gateway, record.get("ipv4_mask")) == record["ipv4_subnet"]:
                record["gateway"] = gateway
        if record.get("ipv6"):
            record["ipv6_subnet"] = _subnet(record["ipv6"], record.get("ipv6_mask"))
    return records


def _speed(src: LinuxSources, name: str) -> int | None:
    """Mb/s from /sys/class/net/X/speed: 0 when unreadable (loopback), None when the driver does not know it."""
    value = src.read(f"sys/class/net/{name}/speed")
    if value is None or not value.lstrip("-").isdigit():
        return 0
    speed = int(value)
    return None if speed in _SPEED_UNKNOWN else max(speed, 0)


def softwares(src: LinuxSources) -> list[Record]:
    records: list[Record] = []
    status = src.read_text_raw("var/lib/dpkg/status")  # not stripped: the parser needs no copy of 1 MB
    if status and not status.isspace():
        release = _os_release(src)
        packages = software.dpkg_status(status.lstrip() if status[:1].isspace() else status)
        listed = src.mtimes("var/lib/dpkg/info", ".list")  # one listing, not two stat() per package
        installed_on = {}
        days: dict[float, dt.date] = {}  # packages are installed on a few days: one date object per day
        for package in packages:
            name, arch = package["Package"], package.get("Architecture", "")
            mtime = listed.get(f"{name}.list") or listed.get(f"{name}:{arch}.list")
            if mtime:
                day = mtime // 86400
                if mtime - day * 86400 < 86399.999:  # far from midnight: no rounding to the microsecond crosses it
                    if day not in days:
                        days[day] = dt.datetime.fromtimestamp(day * 86400, dt.UTC).date()
                    installed_on[name] = days[day]
                else:
                    installed_on[name] = dt.datetime.fromtimestamp(mtime, dt.UTC).date()
        records += software.dpkg_records(
            packages, publisher=release.get("NAME", "").split()[0] or None, installed_on=installed_on
        )
    if src.exists("var/lib/rpm") or src.exists("usr/lib/sysimage/rpm"):
        output = src.run("rpm", "-qa", "--queryformat", software.RPM_QUERY_FORMAT, timeout=120)
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
    """Batteries of /sys/class/power_supply, as GLPI Agent reads them: design and real (full) capacity in mWh."""
    records = []
    for name in src.listdir("sys/class/power_supply"):
        base = f"sys/class/power_supply/{name}"
        if src.read(f"{base}/type") != "Battery" or src.read(f"{base}/present") in (None, "0"):
            continue
        if not src.exists(f"{base}/capacity"):
            continue
        voltage_uv = _int(src.read(f"{base}/voltage_min_design"))
        voltage_mv = voltage_uv // 1000 if voltage_uv else None
        manufacturer = src.read(f"{base}/manufacturer")
        records.append(
            {
                "name": src.read(f"{base}/model_name"),
                "manufacturer": _linux_dmi.canonical_manufacturer(manufacturer) if manufacturer else None,
                "serial": _battery_serial(src.read(f"{base}/serial_number")),
                "chemistry": src.read(f"{base}/technology"),
                "capacity_mwh": _mwh(
                    src.read(f"{base}/energy_full_design"), src.read(f"{base}/charge_full_design"), voltage_mv
                ),
                "real_capacity_mwh": _mwh(src.read(f"{base}/energy_full"), src.read(f"{base}/charge_full"), voltage_mv),
                "voltage_mv": voltage_mv,
            }
        )
    return records


def _battery_serial(serial: str | None) -> str:
    """GLPI Agent's battery serial: '0' when absent or zeros, hexadecimal-looking serials as decimal."""
    if serial is None or re.fullmatch(r"0+", serial):
        return "0"
    if not re.fullmatch(r"[0-9A-Fa-f]+", serial):
        return " ".join(serial.split())
    if re.search(r"[a-fA-F]", serial) or serial.startswith("0"):
        return str(int(serial, 16))
    return serial


def _mwh(energy_uwh: str | None, charge_uah: str | None, voltage_mv: int | None) -> int | None:
    if energy_uwh and energy_uwh.isdigit() and int(energy_uwh):
        return int(energy_uwh) // 1000
    if charge_uah and charge_uah.isdigit() and int(charge_uah) and voltage_mv:
        return (int(charge_uah) // 1000) * voltage_mv // 1000
    return None


def users(src: LinuxSources) -> list[Record]:
    return _common.users(_linux_kernel.users()) if src.live else []


COLLECTORS: dict[str, Callable[[LinuxSources], Any]] = {
    # The first ten are the historical order (``--debug`` lists sections left out in this order).
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
    "memories": _linux_dmi.memories,
    "monitors": _linux_devices.monitors,
    "controllers": _linux_devices.controllers,
    "sounds": _linux_devices.sounds,
    "videos": _linux_devices.videos,
    "modems": _linux_devices.modems,
    "usbdevices": _linux_devices.usb_devices,
    "inputs": _linux_devices.inputs,
    "ports": _linux_dmi.ports,
    "slots": _linux_dmi.slots,
    "powersupplies": _linux_dmi.power_supplies,
    "firmwares": _linux_devices.firmwares,
    "printers": _linux_system.printers,
    "local_users": _linux_system.local_users,
    "local_groups": _linux_system.local_groups,
    "firewalls": _linux_system.firewalls,
    "physical_volumes": _linux_system.physical_volumes,
    "volume_groups": _linux_system.volume_groups,
    "logical_volumes": _linux_system.logical_volumes,
    "accesslog": _linux_system.access_log,
    "versionprovider": _linux_system.version_provider,
}
