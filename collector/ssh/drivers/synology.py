"""Synology NAS (DSM 6 and 7) over plain SSH: DSM version, model and serial from the kernel's
Synology entries, the data volumes (/volumeN) and, opted in, the size of each share."""

from __future__ import annotations

from typing import Any

from ..parsing import ParseError, parse
from .base import Facts
from .linux import Linux


class Synology(Linux):
    name = "synology"
    asset_type = "nas"
    commands = frozenset({
        "cat /etc.defaults/VERSION", "cat /proc/sys/kernel/syno_hw_version", "cat /proc/sys/kernel/syno_serial",
        "hostname", "uname -r", "cat /proc/uptime", "df -B1 --output=source,fstype,size,used,avail,target",
    })  # fmt: skip

    def facts(self) -> Facts:
        version = {row["key"]: row["value"] for row in parse("shell_variables", self.run("cat /etc.defaults/VERSION"))}
        if "productversion" not in version:
            raise ParseError("/etc.defaults/VERSION: no productversion, not a Synology DSM")
        release = f"{version['productversion']}-{version.get('buildnumber', '')}".rstrip("-")
        if version.get("smallfixnumber", "0") not in ("", "0"):
            release += f" Update {version['smallfixnumber']}"
        uptime = self._line("cat /proc/uptime")
        return Facts(vendor="Synology", model=self._line("cat /proc/sys/kernel/syno_hw_version"),
                     serial=self._line("cat /proc/sys/kernel/syno_serial"), firmware=release,
                     os_name=f"Synology {version.get('os_name', 'DSM')} {release}", hostname=self._line("hostname"),
                     uptime_seconds=int(float(uptime.split()[0])) if uptime else None)  # fmt: skip

    def counts(self, mount: str) -> bool:
        return mount.startswith("/volume")  # the rest is DSM's own system partition

    def inventory_items(self) -> list[dict[str, Any]]:
        return []  # DSM has no lsblk; disk serials are in its SNMP MIB, not in any file
