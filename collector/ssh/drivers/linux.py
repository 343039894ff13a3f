"""Linux hosts and Linux-based NAS over plain SSH: os-release, DMI, df, lsblk, and the size of
chosen folders (shares) with du when the target lists them."""

from __future__ import annotations

import json
from typing import Any

from ...errors import NotAllowed
from ..parsing import ParseError, parse
from .base import Driver, Facts

DMI = "/sys/class/dmi/id"
PSEUDO_FS = frozenset({"tmpfs", "devtmpfs", "overlay", "squashfs", "proc", "sysfs", "efivarfs", "devpts", "nsfs"})


def share_command(path: str) -> str:
    """The du command sizing one folder (paths are checked by the configuration: no quote in them)."""
    return f"du -sb '{path}'"


class Linux(Driver):
    name = "linux"
    asset_type = "server"
    glpi_type = "Computer"
    session_kind = "exec"
    commands = frozenset({
        "cat /etc/os-release", "uname -r", "hostname", "cat /proc/uptime",
        f"cat {DMI}/sys_vendor", f"cat {DMI}/product_name", f"cat {DMI}/product_serial",
        "df -B1 --output=source,fstype,size,used,avail,target", "lsblk -J -b -d -o NAME,MODEL,SERIAL,SIZE,TYPE",
    })  # fmt: skip

    def target_commands(self) -> frozenset[str]:
        return frozenset(share_command(path) for path in self.share_paths)

    def _line(self, command: str) -> str | None:
        text = self.run(command).strip()
        return text.splitlines()[0].strip() if text else None

    def facts(self) -> Facts:
        release = parse("linux_os_release", self.run("cat /etc/os-release"))
        os_name = (release[0].get("pretty_name") or release[0].get("name")) if release else None
        uptime = self._line("cat /proc/uptime")
        return Facts(vendor=self._line(f"cat {DMI}/sys_vendor"), model=self._line(f"cat {DMI}/product_name"),
                     serial=self._line(f"cat {DMI}/product_serial"), os_name=os_name,
                     firmware=self._line("uname -r"), hostname=self._line("hostname"),
                     uptime_seconds=int(float(uptime.split()[0])) if uptime else None)  # fmt: skip

    def counts(self, mount: str) -> bool:
        """Whether a mounted file system is storage someone uses (NAS drivers keep their data volumes)."""
        return True

    def storage(self) -> list[dict[str, Any]]:
        """Mounted file systems, in bytes. ``used_bytes`` is what ``df`` reports as used; ``free_bytes``
        is the rest (total - used: the blocks reserved for root count as free, not as used, so that
        total - free, which the server bills, is df's used). A ``df`` the template does not read is
        a warning: the shares are still sized."""
        volumes = []
        command = "df -B1 --output=source,fstype,size,used,avail,target"
        try:
            rows = parse("linux_df", self.run(command), command=command)
        except ParseError as exc:
            self.warn(f"storage: {exc}")
            rows = []
        for row in rows:
            if row["fstype"] in PSEUDO_FS or not int(row["size"]) or not self.counts(row["mount"]):
                continue
            total, used = int(row["size"]), int(row["used"])
            volumes.append({"mount": row["mount"], "label": row["source"], "filesystem": row["fstype"],
                            "total_bytes": total, "used_bytes": used, "free_bytes": max(0, total - used),
                            "available_bytes": int(row["avail"])})  # fmt: skip
        return volumes + self.shares()

    def shares(self) -> list[dict[str, Any]]:
        """The opted-in folders with the bytes they hold (a share has no size of its own: total = used).
        A share du cannot size (missing, unreadable in part) is a warning for that share only."""
        found = []
        for path in self.share_paths:
            try:
                output = self.run(share_command(path))
            except NotAllowed as exc:  # a path given through the Python API, unchecked: never sent
                self.warn(f"storage: du {path!r}: {exc}")
                continue
            size, _, _ = output.strip().partition("\t")
            status = getattr(self.session, "last_exit_status", 0)
            if not size.isdigit() or status:
                reason = getattr(self.session, "last_stderr", "").strip() or output.strip() or "no output"
                self.warn(f"storage: du {path}: not sized (exit status {status}): {reason[:200]!r}")
                continue
            found.append({"mount": path, "label": path.rstrip("/").rsplit("/", 1)[-1], "filesystem": "share",
                          "total_bytes": int(size), "used_bytes": int(size), "free_bytes": 0})  # fmt: skip
        return found

    def inventory_items(self) -> list[dict[str, Any]]:
        """Disks, with model and serial where the kernel knows them."""
        text = self.run("lsblk -J -b -d -o NAME,MODEL,SERIAL,SIZE,TYPE")
        try:
            devices = json.loads(text)["blockdevices"]
        except (ValueError, KeyError, TypeError):
            raise ParseError(f"lsblk: not the JSON expected: {text[:80]!r}") from None
        return [{"name": d.get("name"), "type": "disk", "model": (d.get("model") or "").strip() or None,
                 "serial": d.get("serial"), "size_bytes": d.get("size")}
                for d in devices if d.get("type") == "disk"]  # fmt: skip
