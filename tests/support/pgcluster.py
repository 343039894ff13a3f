"""A private PostgreSQL cluster in a temporary directory, on a loopback port.

Used by ``make test`` (``python -m tests.support.pgcluster start|stop``) and by the test
fixtures when no cluster URL is given. Debian's server binaries live in
/usr/lib/postgresql/<version>/bin; as root they run as the ``postgres`` user (initdb refuses root).
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

DB_NAME = "mutuparc_test"
DB_USER = "mutuparc"


def find_bin_dir() -> Path | None:
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name), reverse=True)
    for candidate in versions:
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _as_owner(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@dataclass
class Cluster:
    directory: Path
    port: int
    # Tests trade durability for speed; a crash test needs commits to be on disk when acknowledged.
    durable: bool = False
    # Extra server settings, e.g. ``("shared_preload_libraries=pg_stat_statements",)`` for benches.
    settings: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        return f"postgresql://{DB_USER}@127.0.0.1:{self.port}/{DB_NAME}"

    @property
    def data(self) -> Path:
        return self.directory / "data"

    def start(self) -> None:
        bin_dir = find_bin_dir()
        if bin_dir is None:
            raise RuntimeError("PostgreSQL server binaries not found: apt-get install postgresql")
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.directory, owner.pw_uid, owner.pw_gid)
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.PIPE, "check": True}
        subprocess.run(
            _as_owner(
                [
                    str(bin_dir / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    DB_USER,
                    "--auth=trust",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
            **quiet,
        )
        self.resume()
        subprocess.run(
            _as_owner([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", DB_USER, DB_NAME]),
            **quiet,
        )

    def resume(self) -> None:
        """Start the server on the existing data directory (after ``start`` then ``pause``)."""
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        options += "".join(f" -c {setting}" for setting in self.settings)
        command = [str(find_bin_dir() / "pg_ctl"), "-D", str(self.data), "-o", options,
                   "-l", str(self.directory / "server.log"), "-w", "start"]  # fmt: skip
        subprocess.run(_as_owner(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)

    def pause(self, mode: str = "immediate") -> None:
        """Stop the server and keep its data: ``immediate`` is a crash (no clean shutdown)."""
        command = [str(find_bin_dir() / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]
        subprocess.run(_as_owner(command), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)

    def stop(self) -> None:
        bin_dir = find_bin_dir()
        if bin_dir and self.data.exists():
            subprocess.run(
                _as_owner([str(bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"]),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                check=False,
            )
        shutil.rmtree(self.directory, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("--dir", type=Path, help="cluster directory (default: a new temporary one)")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--durable", action="store_true", help="fsync and synchronous_commit on (benchmarks)")
    args = parser.parse_args()
    if args.action == "start":
        directory = args.dir or Path(tempfile.mkdtemp(prefix="mutuparc-pg-"))
        cluster = Cluster(directory, args.port or free_port(), durable=args.durable)
        try:
            cluster.start()
        except subprocess.CalledProcessError as exc:
            print(f"cannot start PostgreSQL: {exc.stderr.decode(errors='replace')}", file=sys.stderr)
            cluster.stop()
            return 1
        print(f"export MUTUPARC_TEST_PG_URL={cluster.url} MUTUPARC_TEST_PG_DIR={directory}")
        return 0
    if args.dir is None:
        parser.error("stop needs --dir")
    Cluster(args.dir, 0).stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
