"""What psutil tells on Linux, read from the kernel directly: psutil's import costs a run's start more
than its whole collection of DMI, and on Linux the agent only asks it five things.

Each function gives what the psutil call named in its docstring gives (the same values, in the same
order): network interfaces from an rtnetlink dump (as glibc's getifaddrs reads them), their MTU and
flags by ioctl, mounted filesystems from /proc/self/mounts (as getmntent reads it), logged-in users
from utmp, the boot time from /proc/stat. ``tests/agent/test_startup.py`` compares them with psutil.
"""

# os.path, not pathlib: importing pathlib costs each agent run's start a tenth of its time (issue 27)
# ruff: noqa: PTH113, PTH123
from __future__ import annotations

# _socket, the C module: socket.py adds enums (and selectors) whose building costs a run's start more
# than reading the interfaces.
import _socket as socket
import os
import struct

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

AF_LINK = socket.AF_PACKET  # psutil.AF_LINK on Linux
_NETLINK_HEADER = struct.Struct("=IHHII")  # length, type, flags, sequence, port
_ATTRIBUTE = struct.Struct("=HH")  # length, type
_RTM_NEWLINK, _RTM_GETLINK, _RTM_NEWADDR, _RTM_GETADDR = 16, 18, 20, 22
_NLMSG_ERROR, _NLMSG_DONE = 2, 3
_NLM_F_REQUEST, _NLM_F_DUMP = 0x1, 0x300
_IFLA_ADDRESS, _IFLA_IFNAME = 1, 3
_IFA_ADDRESS, _IFA_LOCAL, _IFA_LABEL = 1, 2, 3
_SIOCGIFFLAGS, _SIOCGIFMTU = 0x8913, 0x8921
_IFF_RUNNING = 0x40
_LINK_LOCAL = frozenset(bytes((0xFE, second)) for second in range(0x80, 0xC0))  # fe80::/10
_MOUNT_ESCAPES = (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\"))


class Address:
    """One of psutil's ``snicaddr``: an interface's address of one family (broadcast and ptp left out)."""

    __slots__ = ("address", "family", "netmask")

    def __init__(self, family: int, address: str, netmask: str | None) -> None:
        self.family, self.address, self.netmask = family, address, netmask

    def __repr__(self) -> str:
        return f"Address(family={self.family!r}, address={self.address!r}, netmask={self.netmask!r})"


class InterfaceStats:
    """What the agent reads of psutil's ``snicstats``: up (running), MTU; the speed is read from sysfs."""

    __slots__ = ("isup", "mtu", "speed")

    def __init__(self, isup: bool, mtu: int) -> None:
        self.isup, self.mtu, self.speed = isup, mtu, 0


def _attributes(data: bytes, offset: int) -> Iterator[tuple[int, bytes]]:
    while offset + 4 <= len(data):
        length, kind = _ATTRIBUTE.unpack_from(data, offset)
        if length < 4:
            return
        yield kind & 0x3FFF, data[offset + 4 : offset + length]
        offset += (length + 3) & ~3


def _dump(channel: socket.socket, request: int, sequence: int) -> list[tuple[int, bytes]]:
    """The messages of one rtnetlink dump (``request`` with an AF_UNSPEC rtgenmsg, as glibc sends it)."""
    payload = struct.pack("=B3x", socket.AF_UNSPEC)
    header = _NETLINK_HEADER.pack(_NETLINK_HEADER.size + len(payload), request, _NLM_F_REQUEST | _NLM_F_DUMP,
                                  sequence, 0)  # fmt: skip
    channel.send(header + payload)
    messages = []
    while True:
        data = channel.recv(1 << 16)
        if not data:
            raise OSError("rtnetlink: empty answer")
        offset = 0
        while offset + _NETLINK_HEADER.size <= len(data):
            length, kind, _flags, answer_to, _port = _NETLINK_HEADER.unpack_from(data, offset)
            if length < _NETLINK_HEADER.size:
                raise OSError("rtnetlink: malformed message")
            if answer_to == sequence:
                if kind == _NLMSG_DONE:
                    return messages
                if kind == _NLMSG_ERROR:
                    (code,) = struct.unpack_from("=i", data, offset + _NETLINK_HEADER.size)
                    raise OSError(-code, os.strerror(-code))
                messages.append((kind, data[offset + _NETLINK_HEADER.size : offset + length]))
            offset += (length + 3) & ~3


def _netmask(family: int, length: int) -> str:
    bits = 32 if family == socket.AF_INET else 128
    mask = ((1 << bits) - 1) ^ ((1 << (bits - min(length, bits))) - 1)
    return socket.inet_ntop(family, mask.to_bytes(bits // 8, "big"))


def net_if_addrs() -> dict[str, list[Address]]:
    """``psutil.net_if_addrs()`` (family, address, netmask of each entry), from getifaddrs' two dumps:
    links (their hardware address: AF_LINK), then addresses; entries in family order (IPv4, IPv6, link),
    each family in the kernel's order; interface names in their first entry's order."""
    channel = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)
    try:
        channel.bind((0, 0))
        links = _dump(channel, _RTM_GETLINK, 1)
        addresses = _dump(channel, _RTM_GETADDR, 2)
    finally:
        channel.close()
    names: dict[int, str] = {}
    entries: list[tuple[int, str, Address]] = []
    for kind, data in links:
        if kind != _RTM_NEWLINK or len(data) < 16:
            continue
        (index,) = struct.unpack_from("=i", data, 4)
        attributes = dict(_attributes(data, 16))
        name = attributes.get(_IFLA_IFNAME, b"").split(b"\0", 1)[0].decode(errors="surrogateescape")
        names[index] = name
        hardware = attributes.get(_IFLA_ADDRESS)
        if hardware:  # no hardware address (tun, wireguard): no link entry
            mac = ":".join(f"{byte:02x}" for byte in hardware)
            while mac.count(":") < 5:  # psutil completes short addresses with zeros
                mac += ":00"
            entries.append((AF_LINK, name, Address(AF_LINK, mac, None)))
    for kind, data in addresses:
        if kind != _RTM_NEWADDR or len(data) < 8:
            continue
        family, length, _flags, _scope, index = struct.unpack_from("=BBBBI", data)
        if family not in (socket.AF_INET, socket.AF_INET6) or index not in names:
            continue
        attributes = dict(_attributes(data, 8))
        value = attributes.get(_IFA_LOCAL) or attributes.get(_IFA_ADDRESS)  # glibc: the local one first
        if not value or len(value) != (4 if family == socket.AF_INET else 16):
            continue
        label = attributes.get(_IFA_LABEL)
        name = label.split(b"\0", 1)[0].decode(errors="surrogateescape") if label else names[index]
        text = socket.inet_ntop(family, value)
        if family == socket.AF_INET6 and (value[:2] in _LINK_LOCAL or (value[0] == 0xFF and value[1] & 0x0F == 2)):
            text += f"%{names[index]}"  # getnameinfo's scope, as psutil gives it
        entries.append((family, name, Address(family, text, _netmask(family, length))))
    entries.sort(key=lambda entry: entry[0])  # psutil's order: by family, stable
    found: dict[str, list[Address]] = {}
    for _family, name, address in entries:
        found.setdefault(name, []).append(address)
    return found


def net_if_stats() -> dict[str, InterfaceStats]:
    """``psutil.net_if_stats()`` (isup, mtu) of the interfaces /proc/net/dev lists, by ioctl as psutil
    asks them; an interface gone meanwhile (ENODEV) is left out."""
    import errno
    import fcntl

    with open("/proc/net/dev", encoding="utf-8", errors="surrogateescape") as file:
        lines = file.readlines()[2:]
    stats = {}
    channel = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        for line in lines:
            name = line[: line.rfind(":")].strip()
            request = struct.pack("=15sx24x", name.encode(errors="surrogateescape"))  # a struct ifreq
            try:
                (mtu,) = struct.unpack_from("=i", fcntl.ioctl(channel, _SIOCGIFMTU, request), 16)
                (flags,) = struct.unpack_from("=H", fcntl.ioctl(channel, _SIOCGIFFLAGS, request), 16)
            except OSError as exc:
                if exc.errno != errno.ENODEV:
                    raise
                continue
            stats[name] = InterfaceStats(bool(flags & _IFF_RUNNING), mtu)
    finally:
        channel.close()
    return stats


class Partition:
    __slots__ = ("device", "fstype", "mountpoint", "opts")

    def __init__(self, device: str, mountpoint: str, fstype: str, opts: str) -> None:
        self.device, self.mountpoint, self.fstype, self.opts = device, mountpoint, fstype, opts


def _unescape(field: str) -> str:
    if "\\" in field:
        for escaped, character in _MOUNT_ESCAPES:
            field = field.replace(escaped, character)
    return field


def disk_partitions() -> list[Partition] | None:
    """``psutil.disk_partitions(all=False)``: the mounts of /etc/mtab (else /proc/self/mounts) whose
    filesystem /proc/filesystems lists as on a device. None where psutil would look for the real
    device of ``/dev/root``: the caller asks psutil itself."""
    types = set()
    with open("/proc/filesystems", encoding="utf-8", errors="surrogateescape") as file:
        for line in file:
            line = line.strip()
            if not line.startswith("nodev"):
                types.add(line)
            elif line.split("\t")[1] == "zfs":
                types.add("zfs")
    mounts = os.path.realpath("/etc/mtab" if os.path.isfile("/etc/mtab") else "/proc/self/mounts")
    partitions = []
    with open(mounts, encoding="utf-8", errors="surrogateescape") as file:
        for line in file:
            fields = [f for f in line.rstrip("\n").replace("\t", " ").split(" ") if f]  # getmntent's blanks
            if not fields or fields[0].startswith("#"):
                continue
            device, mountpoint, fstype, opts = (_unescape(f) for f in (*fields, "", "", "", "")[:4])
            if device == "none":
                device = ""
            if device in ("/dev/root", "rootfs"):
                return None
            if device and fstype in types:
                partitions.append(Partition(device, mountpoint, fstype, opts))
    return partitions


class Usage:
    __slots__ = ("free", "total")

    def __init__(self, total: int, free: int) -> None:
        self.total, self.free = total, free


def disk_usage(path: str) -> Usage:
    """``psutil.disk_usage(path)``'s total and free (free for users: what is left but the reserved blocks)."""
    st = os.statvfs(path)
    return Usage(st.f_blocks * st.f_frsize, st.f_bavail * st.f_frsize)


def users(utmp: str = "/var/run/utmp") -> list[str]:
    """The names of ``psutil.users()``: the user processes of utmp, in its order (getutent's)."""
    from ._linux_system import _USER_PROCESS, _UTMP

    try:
        with open(utmp, "rb") as file:
            data = file.read()
    except OSError:
        return []
    names = []
    for offset in range(0, len(data) - _UTMP.size + 1, _UTMP.size):
        kind, _pid, _line, _id, user, *_rest = _UTMP.unpack_from(data, offset)
        if kind == _USER_PROCESS:
            names.append(user.split(b"\0", 1)[0].decode(errors="surrogateescape"))
    return names


def boot_time() -> float:
    """``psutil.boot_time()``: /proc/stat's btime."""
    with open("/proc/stat", "rb") as file:
        for line in file:
            if line.startswith(b"btime"):
                return float(line.strip().split()[1])
    raise RuntimeError("line 'btime' not found in /proc/stat")
