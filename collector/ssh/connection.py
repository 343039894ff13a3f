"""SSH sessions to devices: a plain ``exec`` channel (paramiko) for Linux hosts and NAS, a CLI
session (netmiko: prompts, paging) for network equipment. Both verify host keys the same way.

Host keys: the collector keeps a known_hosts file. A device seen for the first time is trusted
and recorded when ``trust_on_first_use`` (the default; the key is then pinned); a key that
changed is refused with a clear error, whatever the setting.
"""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import select
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import paramiko

from ..errors import AuthFailure, CollectorError, DeviceTimeout, HostKeyRefused, NotAllowed

# The collector's exception tree, shared with SNMP: each maps to a per-device status.
SshError = CollectorError
Timeout = DeviceTimeout


@dataclass(frozen=True)
class SshCredential:
    username: str
    password: str | None = None
    key_file: str | None = None


@dataclass(frozen=True)
class SshTarget:
    host: str
    port: int = 22
    credential: str = ""
    driver: str = "auto"
    name: str | None = None
    timeout: float = 10.0
    shares: tuple[str, ...] = ()  # folders to size with du (Linux and NAS drivers), opt-in


# Outside single quotes, none of these may appear in a command a session sends: they would let a
# shell (exec channels) run something else, and no read-only command of ours needs them.
SHELL_METACHARACTERS = frozenset(';&|<>`$(){}[]\\*?!#~"^')


def check_command(command: str) -> str:
    """The read-only guard's last word, on the exact string about to be sent, whatever the caller:
    one printable line (no newline, carriage return, NUL nor any control character), single quotes
    balanced, no shell metacharacter outside them. Raises ``NotAllowed``; returns the command."""
    if not isinstance(command, str) or not command.strip():
        raise NotAllowed(f"{command!r}: an empty command is not sent")
    bad = next((c for c in command if ord(c) < 0x20 or ord(c) == 0x7F), None)
    if bad is not None:
        raise NotAllowed(f"{command!r}: control character {bad!r} (a second command could follow it): not sent")
    quoted = False
    for char in command:
        if char == "'":
            quoted = not quoted
        elif not quoted and char in SHELL_METACHARACTERS:
            raise NotAllowed(f"{command!r}: shell character {char!r} outside quotes: not sent")
    if quoted:
        raise NotAllowed(f"{command!r}: unbalanced single quote: not sent")
    return command


class Session(Protocol):
    def run(self, command: str) -> str: ...

    def close(self) -> None: ...


_KNOWN_HOSTS_LOCK = threading.Lock()


def load_known_hosts(path: Path) -> paramiko.HostKeys:
    return paramiko.HostKeys(str(path)) if path.exists() else paramiko.HostKeys()


def save_known_hosts(keys: paramiko.HostKeys, path: Path) -> None:
    """Atomically: other threads read the file (netmiko loads it) while one writes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{threading.get_ident()}")
    keys.save(str(partial))
    partial.replace(path)


# known_hosts parsed once per content: every device of a run reads it, and each key parsed costs
# CPU (the whole file for each of 200 devices, O(n²), took most of a run's CPU). Guarded by the lock.
_PARSED: dict[Path, tuple[tuple[int, int, int], paramiko.HostKeys]] = {}


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return status.st_mtime_ns, status.st_size, status.st_ino


def _parsed_known_hosts(path: Path) -> paramiko.HostKeys:
    """The parsed ``path``, reparsed only when the file changed (call with the lock held)."""
    signature = _signature(path)
    if signature is None:
        return paramiko.HostKeys()
    cached = _PARSED.get(path)
    if cached is None or cached[0] != signature:
        cached = _PARSED[path] = (signature, load_known_hosts(path))
    return cached[1]


def _host_key_name(target: SshTarget) -> str:
    """The name known_hosts (and paramiko) give the target: ``[host]:port`` off port 22."""
    return target.host if target.port == 22 else f"[{target.host}]:{target.port}"


class _Pinning(paramiko.MissingHostKeyPolicy):
    """Trust a new host on first use and record its key; refuse unknown hosts otherwise."""

    def __init__(self, known_hosts: Path, trust_on_first_use: bool) -> None:
        self.known_hosts = known_hosts
        self.trust_on_first_use = trust_on_first_use

    def missing_host_key(self, client: paramiko.SSHClient, hostname: str, key: paramiko.PKey) -> None:
        if not self.trust_on_first_use:
            raise HostKeyRefused(f"{hostname}: unknown host key ({key.get_name()}), and trust on first use is off")
        client.get_host_keys().add(hostname, key.get_name(), key)
        with _KNOWN_HOSTS_LOCK:  # devices are inventoried in parallel: re-read (when changed), add, append
            recorded = _parsed_known_hosts(self.known_hosts)
            recorded.add(hostname, key.get_name(), key)
            _append_known_host(self.known_hosts, f"{hostname} {key.get_name()} {key.get_base64()}\n")
            if (signature := _signature(self.known_hosts)) is not None:
                _PARSED[self.known_hosts] = (signature, recorded)


def _append_known_host(path: Path, line: str) -> None:
    """One line at the end of known_hosts (call with the lock held): a new device costs one
    small write, not a rewrite of every key recorded so far."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab+") as known:
        if known.tell() and (known.seek(-1, os.SEEK_END), known.read(1))[1] != b"\n":
            line = "\n" + line  # a file edited by hand may end without a newline
        known.write(line.encode())


def _connect(target: SshTarget, credential: SshCredential, known_hosts: Path, trust_on_first_use: bool,
             sock: socket.socket | None = None) -> paramiko.SSHClient:  # fmt: skip
    """A logged-in client whose host key was verified (and pinned); over ``sock`` when given."""
    client = paramiko.SSHClient()
    name = _host_key_name(target)
    with _KNOWN_HOSTS_LOCK:  # the keys pinned for this target only: what paramiko looks up
        pinned = dict(_parsed_known_hosts(known_hosts).lookup(name) or {})
    for key_type, key in pinned.items():
        client.get_host_keys().add(name, key_type, key)
    client.set_missing_host_key_policy(_Pinning(known_hosts, trust_on_first_use))
    started = time.monotonic()
    try:
        client.connect(target.host, port=target.port, username=credential.username, password=credential.password,
                       key_filename=credential.key_file, timeout=target.timeout, banner_timeout=target.timeout,
                       auth_timeout=target.timeout, look_for_keys=False, allow_agent=False, sock=sock)  # fmt: skip
    except paramiko.BadHostKeyException as exc:
        client.close()
        raise HostKeyRefused(f"{target.host}: the host key CHANGED ({exc.key.get_name()}): refused; if the device "
                             f"was replaced, remove its line from {known_hosts}") from None  # fmt: skip
    except paramiko.AuthenticationException:
        client.close()
        raise AuthFailure(f"{target.host}: authentication failed for {credential.username}") from None
    except TimeoutError as exc:
        client.close()
        raise Timeout(f"{target.host}:{target.port}: no answer within {target.timeout:g} s") from exc
    except paramiko.SSHException as exc:
        client.close()
        cause = exc.__cause__ or exc.__context__  # paramiko words every banner problem alike: tell them apart
        if isinstance(cause, EOFError | ConnectionResetError):
            raise SshError(f"{target.host}:{target.port}: the connection was closed without an SSH banner "
                           "(not an SSH server?)") from None  # fmt: skip
        if isinstance(cause, UnicodeError) or "indecipherable protocol version" in str(exc).lower():
            raise SshError(f"{target.host}:{target.port}: not an SSH server (what it sent is no SSH banner)") from None
        if "banner" in str(exc).lower() or time.monotonic() - started >= target.timeout * 0.9:
            # paramiko words a silent server as "No existing session" once the banner wait ran out
            raise Timeout(f"{target.host}:{target.port}: no SSH answer within {target.timeout:g} s") from None
        raise SshError(f"{target.host}: {exc}") from None
    except socket.gaierror as exc:
        client.close()
        raise SshError(f"{target.host}: unknown host name ({exc.strerror or exc})") from None
    except paramiko.ssh_exception.NoValidConnectionsError as exc:  # refused, unreachable: on every address
        client.close()
        reasons = sorted({(os.strerror(e.errno) if e.errno else str(e)).lower() for e in exc.errors.values()})
        raise SshError(f"{target.host}:{target.port}: {', '.join(reasons)}") from None
    except OSError as exc:
        client.close()
        raise SshError(f"{target.host}:{target.port}: {exc.strerror or exc}") from None
    return client


class ExecSession:
    """One command per ``exec`` channel (Linux, NAS): no prompt to parse, exit status available."""

    def __init__(self, target: SshTarget, credential: SshCredential, known_hosts: Path,
                 trust_on_first_use: bool = True) -> None:  # fmt: skip
        self.target = target
        self.client = _connect(target, credential, known_hosts, trust_on_first_use)
        self.last_exit_status, self.last_stderr = 0, ""  # of the last command run

    def run(self, command: str) -> str:
        check_command(command)
        try:
            _, stdout, stderr = self.client.exec_command(command, timeout=self.target.timeout)
            output = stdout.read().decode("utf-8", "replace")
            self.last_stderr = stderr.read().decode("utf-8", "replace")[:1000]
            self.last_exit_status = stdout.channel.recv_exit_status()
        except TimeoutError as exc:
            raise Timeout(f"{self.target.host}: {command!r} did not finish within {self.target.timeout:g} s") from exc
        except paramiko.SSHException as exc:  # e.g. a network CLI that refuses exec channels
            raise SshError(f"{self.target.host}: {command!r}: {exc}") from None
        return output

    def shell_read(self, command: str, wait: float = 3.0) -> str:
        """``command`` typed in an interactive shell, and what came back within ``wait`` seconds
        (platform detection on CLIs that refuse exec channels)."""
        check_command(command)
        shell = self.client.invoke_shell()
        shell.settimeout(0.3)
        shell.send(f"{command}\n".encode())
        received, deadline = b"", time.monotonic() + wait
        while time.monotonic() < deadline:
            try:
                chunk = shell.recv(65536)
            except TimeoutError:
                if received:
                    break
                continue
            if not chunk:
                break
            received += chunk
        shell.close()
        return received.decode("utf-8", "replace")

    def close(self) -> None:
        self.client.close()


# netmiko platforms whose session preparation waits a fixed, short time for a banner that may not come
FIXED_WAITS = frozenset({"hp_procurve"})


def _shut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)


def _open_now(connection: Any) -> None:
    """netmiko's ``_open`` without its fixed 0.1 s sleep before session preparation (whose
    reads wait for what they expect)."""
    connection._modify_connection_params()
    connection.establish_connection()
    try:
        connection.write_channel(connection.RETURN)
        connection.session_preparation()
    except Exception:
        connection.disconnect()
        raise


def _without_sleeps(connection: Any, found: list[str]) -> None:
    """netmiko's reads during session preparation, on this connection, without polling sleeps:
    ``read_until_pattern`` waits on the channel (select) instead of sleeping 10 ms per poll,
    ``clear_buffer`` takes what has arrived instead of sleeping first, and each prompt
    ``find_prompt`` finds is recorded in ``found``. Same results, read the same way."""
    from netmiko.exceptions import ReadTimeout

    def read_until_pattern(pattern: str = "", read_timeout: float = 10.0, re_flags: int = 0,
                           max_loops: int | None = None) -> str:  # fmt: skip
        if connection.read_timeout_override:
            read_timeout = connection.read_timeout_override
        deadline = time.monotonic() + read_timeout if read_timeout else None
        output = connection.read_channel()
        while (match := re.search(pattern, output, flags=re_flags)) is None:
            remaining = deadline - time.monotonic() if deadline is not None else 1.0
            if remaining <= 0:
                raise ReadTimeout(f"Pattern not detected: {pattern!r} in output.")
            channel = connection.remote_conn
            select.select([channel], [], [], min(remaining, 1.0))
            received = connection.read_channel()
            if not received and (channel.closed or channel.eof_received):  # readable for ever: do not spin
                raise ReadTimeout(f"Pattern not detected: {pattern!r} in output: the session was closed.")
            output += received
        if output[match.end() :]:  # what follows the pattern stays for the next read, as netmiko does
            connection._read_buffer += output[match.end() :]
        return output[: match.end()]

    def clear_buffer(backoff: bool = True, backoff_max: float = 3.0, delay_factor: float | None = None) -> str:
        output = ""
        while data := connection.read_channel():
            output += connection.strip_ansi_escape_codes(data)
        return output

    find_prompt = connection.find_prompt

    def found_prompt(*args: Any, **kwargs: Any) -> str:
        prompt = find_prompt(*args, **kwargs)
        found.append(prompt)
        return prompt

    connection.read_until_pattern = read_until_pattern
    connection.clear_buffer = clear_buffer
    connection.find_prompt = found_prompt


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:120] if text else type(exc).__name__


class CliSession:
    """A network device's CLI through netmiko (prompt detection, paging turned off).

    One login per device: our own paramiko client logs in (host key verified and pinned, errors
    told apart as for exec sessions) and netmiko prepares its shell (``fast_cli``: short adaptive
    waits, not its fixed sleeps); commands are then read without any sleep (``run``)."""

    def __init__(self, target: SshTarget, credential: SshCredential, known_hosts: Path, device_type: str,
                 trust_on_first_use: bool = True) -> None:  # fmt: skip
        from netmiko import ConnectHandler
        from netmiko.exceptions import NetmikoTimeoutException, ReadTimeout

        self.target = target
        self.target_type = device_type
        # netmiko's session preparation reads with its own waits: bounded by the timeout (not on
        # ProCurve, whose fixed short waits would each become the timeout), and a watchdog closes
        # the socket when login and first prompt took longer than the timeout all the same.
        try:
            sock = socket.create_connection((target.host, target.port), timeout=target.timeout)
        except OSError as exc:
            raise SshError(f"{target.host}:{target.port}: {exc.strerror or exc}") from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # interactive: no Nagle delay per line
        watchdog = threading.Timer(target.timeout, _shut, args=(sock,))
        watchdog.daemon = True
        watchdog.start()
        try:
            client = _connect(target, credential, known_hosts, trust_on_first_use, sock=sock)
            self.connection: Any = ConnectHandler(
                device_type=device_type, host=target.host, port=target.port, username=credential.username,
                password=credential.password or "", allow_agent=False, ssh_strict=True, system_host_keys=False,
                conn_timeout=target.timeout, banner_timeout=target.timeout, auth_timeout=target.timeout,
                fast_cli=True, auto_connect=False,
                read_timeout_override=None if device_type in FIXED_WAITS else target.timeout)  # fmt: skip
            # netmiko's connect step is ours (done above): it gets the logged-in client as is
            client.connect = lambda **_: None  # type: ignore[method-assign]
            self.connection._build_ssh_client = lambda: client
            found: list[str] = []
            _without_sleeps(self.connection, found)
            _open_now(self.connection)
            if device_type in FIXED_WAITS:
                found.clear()  # ProCurve's preparation enters enable mode after finding the prompt: asked again below
        except SshError:
            sock.close()
            raise
        except (NetmikoTimeoutException, ReadTimeout, OSError, EOFError, ValueError, paramiko.SSHException) as exc:
            sock.close()  # ValueError: netmiko's "Router prompt not found"; the rest: silence, or the watchdog
            raise Timeout(f"{target.host}:{target.port}: no CLI prompt within {target.timeout:g} s "
                          f"({_first_line(exc)})") from None  # fmt: skip
        finally:
            watchdog.cancel()
        # Session preparation is done: commands get their own, longer, read timeout (see ``run``).
        self.connection.read_timeout_override = None
        # Read-only commands never change the prompt: found once here. Commands are then read to the
        # prompt with blocking reads (netmiko's send_command re-detects the prompt and polls with
        # fixed sleeps: ~60 ms per command on an idle line). The prompt ends an output when it is
        # last in what was read, at a line start, trailing blanks aside.
        # The prompt session preparation found last (it ends with set_base_prompt, or with paging
        # commands that leave the prompt as it is) is the prompt: not asked again.
        prompt = found[-1] if found else self.connection.find_prompt()
        self.prompt = re.compile(r"(?:\A|[\r\n])" + re.escape(prompt) + r"[ \t]*\Z")

    def run(self, command: str) -> str:
        check_command(command)
        connection = self.connection
        connection.write_channel(connection.normalize_cmd(command))
        # a long table (a MAC address table) takes a while on a small switch's CPU
        output = self._read_to_prompt(command, time.monotonic() + max(10.0, self.target.timeout * 3))
        output = connection.normalize_linefeeds(output)
        if connection.ansi_escape_codes:
            output = connection.strip_ansi_escape_codes(output)
        return connection.strip_prompt(connection.strip_command(command, output))

    def _read_to_prompt(self, command: str, deadline: float) -> str:
        """What the device sent from the echo of ``command`` until its prompt ends the output
        (anchored at the end: a prompt quoted inside the output does not stop the read; one left
        over from before the command, found before its echo, neither)."""
        channel = self.connection.remote_conn
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        output, echo = "", -1
        while echo < 0 or not self._ends_with_prompt(output, echo):
            if echo < 0 and (echo := output.find(command)) >= 0:
                continue
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout(f"{self.target.host}: {command!r}: no prompt after its output within "
                              f"{max(10.0, self.target.timeout * 3):g} s")  # fmt: skip
            channel.settimeout(remaining)
            try:
                chunk = channel.recv(65536)
            except TimeoutError:
                continue
            if not chunk:
                raise SshError(f"{self.target.host}: {command!r}: the device closed the session")
            output += decoder.decode(chunk)
        return output[echo:]

    def _ends_with_prompt(self, output: str, echo: int) -> bool:
        tail = output[max(echo, len(output) - 512) :]  # a prompt is one short line: only the end is searched
        if self.connection.ansi_escape_codes:  # ProCurve paints its prompt with cursor moves
            tail = self.connection.strip_ansi_escape_codes(tail)
        return self.prompt.search(tail) is not None

    def close(self) -> None:
        if self.target_type not in FIXED_WAITS:
            # Read-only sessions never leave exec mode: closing the channel ends them, without
            # netmiko's check for configuration mode and its "exit" (a round trip each).
            self.connection.cleanup = lambda *_, **__: None
        self.connection.disconnect()
