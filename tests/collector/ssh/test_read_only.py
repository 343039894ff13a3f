"""No driver can send anything but its own read-only commands."""

from __future__ import annotations

import pytest

from collector.errors import NotAllowed
from collector.ssh.drivers import DRIVERS

CONFIGURATION_COMMANDS = ["configure terminal", "conf t", "copy running-config startup-config", "write memory",
                          "reload", "clear mac address-table", "execute reboot", "rm -rf /", "cat /etc/shadow",
                          "show version; reload", "show run | redirect flash:x", "df && shutdown -h now",
                          "no shutdown", "set system hostname x", "delete flash:vlan.dat"]  # fmt: skip


READ_ONLY_VERBS = {"show", "get", "cat", "df", "lsblk", "uname", "hostname", "pveversion", "pvesh", "virsh"}


class Recorder:
    def __init__(self) -> None:
        self.sent: list[str] = []

    def run(self, command: str) -> str:
        self.sent.append(command)
        return ""

    def close(self) -> None:
        pass


@pytest.mark.parametrize("name", sorted(DRIVERS))
def test_no_driver_can_send_a_configuration_command(name: str) -> None:
    recorder = Recorder()
    driver = DRIVERS[name](recorder, ("/volume1/servon",))  # with a share to size: du on it, nothing else
    for command in CONFIGURATION_COMMANDS:
        with pytest.raises(NotAllowed):
            driver.run(command)
    assert recorder.sent == []  # refused before anything reached the device


@pytest.mark.parametrize("name", sorted(DRIVERS))
def test_every_allowed_command_only_reads(name: str) -> None:
    for command in DRIVERS[name].commands:
        assert not DRIVERS[name].WRITING.search(command), command
        verb = command.split()[0]
        assert verb in READ_ONLY_VERBS, command
        if verb == "pvesh":
            assert command.split()[1] == "get", command  # pvesh set/create/delete change the cluster
        if verb == "virsh":
            assert command.endswith(" list --all"), command  # virsh can also stop and undefine domains
