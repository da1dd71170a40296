"""A private PostgreSQL cluster in a temporary directory, on a free loopback port.

initdb refuses to run as root, so as root the cluster belongs to the `postgres` user
(which the Debian package creates), or to `nobody` without it.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.process import free_port

USER = "boardroom"


def postgres_bindir() -> Path:
    """Where initdb and pg_ctl are: `pg_config --bindir`, else the newest Debian version."""
    candidates = []
    pg_config = shutil.which("pg_config")
    if pg_config is not None:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        candidates.append(Path(out.stdout.strip()))
    found = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(
        (Path(p) for p in found), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0
    )[::-1]
    for bindir in candidates:
        if (bindir / "initdb").exists() and (bindir / "pg_ctl").exists():
            return bindir
    raise RuntimeError(
        "PostgreSQL's initdb and pg_ctl were not found (looked in `pg_config --bindir` and "
        "/usr/lib/postgresql/*/bin): install the Debian package postgresql (scripts/test does)"
    )


class PostgresServer:
    """A cluster with trust authentication, fsync off, listening on 127.0.0.1 and a socket."""

    def __init__(self) -> None:
        self.bindir = postgres_bindir()
        self.owner = _unprivileged_owner()
        # Not under pytest's temp dir, which only root may enter.
        self.root = Path(tempfile.mkdtemp(prefix="boardroom-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.port = free_port()
        self.url = f"postgresql://{USER}@127.0.0.1:{self.port}/postgres"
        try:
            self.socket_dir.mkdir()
            if self.owner is not None:
                for path in (self.root, self.socket_dir):
                    os.chown(path, self.owner.pw_uid, self.owner.pw_gid)
            self._run("initdb", "-D", str(self.data), "-U", USER, "-A", "trust", "-E", "UTF8",
                      "--no-locale", "--no-sync")  # fmt: skip
            self._run(
                "pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data),
                "-l", str(self.root / "postgres.log"),
                "-o", f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            )  # fmt: skip
        except BaseException:
            self._remove()
            raise

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bindir / program), *args]
        if self.owner is not None:
            command = ["setpriv", f"--reuid={self.owner.pw_uid}", f"--regid={self.owner.pw_gid}",
                       "--clear-groups", "--", *command]  # fmt: skip
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            log = self.root / "postgres.log"
            raise RuntimeError(
                f"{program} failed ({done.returncode}) as "
                f"{self.owner.pw_name if self.owner else 'this user'}:\n{done.stdout}{done.stderr}"
                + (log.read_text(errors="replace") if log.exists() else "")
            )

    def database(self, name: str) -> str:
        """Create an empty database; its URL."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"'.encode())
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{name}"

    def drop_database(self, name: str) -> None:
        """Drop a database, closing what is still connected to it."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)'.encode())

    def stop(self) -> None:
        try:
            self._run("pg_ctl", "stop", "-w", "-t", "60", "-m", "fast", "-D", str(self.data))
        finally:
            self._remove()

    def _remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _unprivileged_owner() -> pwd.struct_passwd | None:
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root, and neither a postgres nor a nobody user exists")
