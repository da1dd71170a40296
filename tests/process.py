"""The real service as a child process (`python -m service serve`) on a free loopback port."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from types import TracebackType

_handed_out: set[int] = set()


def free_port() -> int:
    """A port nothing listens on right now, below the kernel's range for outgoing ports.

    A port the kernel picks for a bind to port 0 comes from the same range as the local
    ports of outgoing connections: between this call and the server's own bind, a
    connection (to PostgreSQL, say) could take it, and the server failed to start with
    "address already in use". Below that range only an explicit bind takes a port; the
    ports handed out here are not handed out again.
    """
    low = _ephemeral_low()
    if low <= 11_000:  # an unusual range: fall back to the kernel's choice
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            chosen: int = sock.getsockname()[1]
            return chosen
    for port in random.sample(range(10_000, low), 200):
        if port in _handed_out:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError(f"no free port between 10000 and {low}")


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default


class ServiceProcess:
    """`boardroom serve` in a child process and its own process group, as a terminal runs it.

    Its stderr is collected; entering waits for `ready_line` there; SIGTERM on exit.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        access_log: bool = True,
        env: dict[str, str] | None = None,
        ready_line: str = "Uvicorn running on",
    ) -> None:
        self.ready_line = ready_line
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {
            **os.environ,
            "BOARDROOM_DATA_DIR": str(data_dir),
            "BOARDROOM_LLM": "extractive",
            **(env or {}),
        }
        self.args = [sys.executable, "-m", "service", "serve", "--port", str(self.port)]
        if not access_log:
            self.args.append("--no-access-log")
        self.process: subprocess.Popen[str] | None = None
        self.lines: list[str] = []
        self._ready = threading.Event()
        self._reader: threading.Thread | None = None

    def __enter__(self) -> ServiceProcess:
        self.start()
        return self.wait_ready()

    def start(self) -> None:
        """Start the process without waiting for it (`wait_ready` does)."""
        assert self.process is None, "started already"
        self.process = subprocess.Popen(
            self.args,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            process_group=0,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def wait_ready(self) -> ServiceProcess:
        """Wait for `ready_line` on stderr."""
        assert self.process is not None
        if not self._ready.wait(30):
            self.process.kill()
            raise RuntimeError("the service did not start:\n" + "".join(self.lines))
        return self

    def _read(self) -> None:
        assert self.process is not None
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)
            if self.ready_line in line:
                self._ready.set()

    def crash(self) -> None:
        """`kill -9` on every process of the group, as a power cut would end them."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(20)

    def interrupt(self) -> None:
        """Ctrl-C in a terminal: SIGINT to every process of the group."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGINT)

    def wait_closed(self, timeout: float) -> int:
        """Wait for the exit code, and for every process sharing its stderr to close it."""
        assert self.process is not None
        assert self._reader is not None
        code = self.process.wait(timeout)
        self._reader.join(timeout)
        assert not self._reader.is_alive(), "a child of the service still holds its stderr"
        return code

    def __exit__(self, *exc: object | TracebackType) -> None:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(20)
        if self._reader is not None:
            self._reader.join(5)

    def log(self) -> str:
        """What the process has written to stderr so far."""
        return "".join(self.lines)


def children(pid: int) -> set[int]:
    """The processes whose parent is `pid`."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def serving_pid(response: object, candidates: set[int]) -> int | None:
    """Which of `candidates` holds the server side of the connection an httpx response came on."""
    stream = response.extensions["network_stream"]  # type: ignore[attr-defined]
    client_port = stream.get_extra_info("client_addr")[1]
    server_port = stream.get_extra_info("server_addr")[1]
    wanted = (f"0100007F:{server_port:04X}", f"0100007F:{client_port:04X}")
    inode = None
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        if (fields[1], fields[2]) == wanted:
            inode = fields[9]
    if inode is None:
        return None
    for pid in candidates:
        for fd in Path(f"/proc/{pid}/fd").glob("*"):
            try:
                if os.readlink(fd) == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    return None
