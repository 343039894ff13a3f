"""A network device's SSH CLI replayed from recorded outputs, on loopback (paramiko's server API):
banner, login, prompt, command echo, ``--More--`` paging until ``terminal length 0``, and the
IOS error for anything not recorded. netmiko drives it through its real code path."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from dataclasses import dataclass, field

import paramiko
import yaml

from tests.utils import PROJECT

RECORDINGS = PROJECT / "device_profiles" / "ssh" / "recordings"
PAGE_LINES = 24
_HOST_KEY: list[paramiko.PKey] = []


def host_key() -> paramiko.PKey:
    if not _HOST_KEY:  # RSA generation takes a moment: once per test session
        _HOST_KEY.append(paramiko.RSAKey.generate(2048))
    return _HOST_KEY[0]


def recordings(platform: str) -> dict[str, str]:
    """``show_mac_address-table.txt`` answers ``show mac address-table``; ``exec.yaml`` maps shell
    commands (with slashes and quotes no file name can hold) to their outputs."""
    folder = RECORDINGS / platform
    outputs = {path.stem.replace("_", " "): path.read_text("utf-8") for path in folder.glob("*.txt")}
    if (folder / "exec.yaml").exists():
        outputs |= yaml.safe_load((folder / "exec.yaml").read_text("utf-8"))
    return outputs


def _answer_exec(channel: paramiko.Channel, answer: str) -> None:
    # paramiko replies "exec accepted" after check_channel_exec_request returns: answer after it,
    # or the client may see the channel closed before its request is acknowledged
    time.sleep(0.05)
    channel.sendall(answer.replace("\n", "\r\n").encode())
    channel.send_exit_status(0)
    channel.close()


class _Login(paramiko.ServerInterface):
    def __init__(self, username: str, password: str, exec_outputs: dict[str, str] | None = None,
                 exec_unknown: str = "") -> None:  # fmt: skip
        self.username, self.password, self.exec_outputs = username, password, exec_outputs
        self.exec_unknown = exec_unknown

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_auth_password(self, username: str, password: str) -> int:
        ok = (username, password) == (self.username, self.password)
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        return paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_pty_request(self, *args: object) -> bool:
        return True

    def check_channel_shell_request(self, channel: paramiko.Channel) -> bool:
        return True

    def check_channel_exec_request(self, channel: paramiko.Channel, command: bytes) -> bool:
        if self.exec_outputs is None:
            return False  # a network CLI that only offers a shell
        answer = self.exec_outputs.get(" ".join(command.decode().split()), self.exec_unknown)
        threading.Thread(target=_answer_exec, args=(channel, answer), daemon=True).start()
        return True


@dataclass
class ReplayDevice:
    hostname: str
    outputs: dict[str, str]
    username: str = "admin"
    password: str = "cisco"
    exec_commands: bool = False  # answer commands on exec channels too (FortiOS, Linux hosts)
    exec_unknown: str = "Unknown action 0\n"  # FortiOS's answer to a command it does not know; "" for a shell
    key: paramiko.PKey | None = None  # the host key; the session's shared one by default
    banner: str = ""  # shown before the first prompt; one that asks to press any key waits for one
    port: int = 0
    _listener: socket.socket | None = None
    _threads: list[threading.Thread] = field(default_factory=list)

    def start(self) -> ReplayDevice:
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", self.port))  # port 0: any free port
        self._listener.listen(64)
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._listener:
            with contextlib.suppress(OSError):  # wakes the accepting thread: the port is free again
                self._listener.shutdown(socket.SHUT_RDWR)
            self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._listener.accept()  # type: ignore[union-attr]
            except OSError:
                return
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection: socket.socket) -> None:
        # an interactive session (as OpenSSH's sshd sets it): echo, output and prompt are separate
        # writes, which Nagle would hold back for the client's delayed ACK (40 ms each)
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        transport = paramiko.Transport(connection)
        transport.add_server_key(self.key or host_key())
        try:
            exec_outputs = self.outputs if self.exec_commands else None
            transport.start_server(server=_Login(self.username, self.password, exec_outputs, self.exec_unknown))
            while transport.is_active():  # one client may open several channels (a refused exec, then a shell)
                channel = transport.accept(20)
                if channel is None:
                    return
                if not self.exec_commands:
                    self._shell(channel)
        except (EOFError, OSError, paramiko.SSHException):
            pass
        finally:
            transport.close()

    def _shell(self, channel: paramiko.Channel) -> None:
        prompt = f"{self.hostname}#"
        paging = True
        if self.banner:
            channel.sendall(self.banner.replace("\n", "\r\n").encode())
            if "any key" in self.banner and not channel.recv(1):
                return
        channel.sendall(f"\r\n{prompt}".encode())
        line = ""
        while True:
            data = channel.recv(1024)
            if not data:
                return
            echo = ""  # a terminal echoes what is typed: what came in one read, echoed in one write
            for char in data.decode("utf-8", "replace"):
                if char not in "\r\n":
                    line += char
                    echo += char
                    continue
                if echo:
                    channel.sendall(echo.encode())
                    echo = ""
                command, line = " ".join(line.split()), ""
                if command in ("exit", "logout"):
                    if self.banner and "any key" in self.banner:  # ArubaOS-Switch asks first
                        channel.sendall(b"\r\nDo you want to log out [y/n]? ")
                        channel.recv(16)
                    channel.close()
                    return
                if command in ("terminal length 0", "no page"):  # IOS, ArubaOS-Switch and AOS-CX
                    paging = False
                    answer = ""
                elif command.startswith("terminal width") or command == "":
                    answer = ""
                elif command in self.outputs:
                    answer = self.outputs[command]
                else:
                    answer = "                      ^\n% Invalid input detected at '^' marker.\n"
                self._send(channel, answer, paging)
                channel.sendall(f"\r\n{prompt}".encode())
            if echo:
                channel.sendall(echo.encode())

    def _send(self, channel: paramiko.Channel, text: str, paging: bool) -> None:
        lines = text.rstrip("\n").split("\n") if text else []
        if not paging or len(lines) <= PAGE_LINES:  # nothing to page: one write, as a device's buffer sends it
            channel.sendall(b"\r\n" + "\r\n".join(lines).encode())
            return
        channel.sendall(b"\r\n")
        for number, row in enumerate(lines, start=1):
            channel.sendall(row.encode() + (b"\r\n" if number < len(lines) else b""))
            if paging and number % PAGE_LINES == 0 and number < len(lines):
                channel.sendall(b" --More-- ")
                if not channel.recv(1):  # any key goes on
                    return
                channel.sendall(b"\r        \r")
