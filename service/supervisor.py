"""`boardroom serve --workers N`: one listening socket, N serving processes sharing it."""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
from multiprocessing.connection import Connection, wait
from multiprocessing.context import SpawnProcess

from service.serve import STARTUP_FAILED, serve
from service.settings import Settings

log = logging.getLogger("service.supervisor")

# Spawned, not forked: a worker starts as a fresh interpreter, with no copy of the
# supervisor's threads or locks, and makes its own ingestion fork server.
_spawn = multiprocessing.get_context("spawn")
multiprocessing.allow_connection_pickling()

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
RESTART_PAUSE_S = 1.0


class Supervisor:
    """Binds the socket once, starts the workers, restarts one that dies, and passes signals on."""

    def __init__(self, settings: Settings, log_level: str, *, access_log: bool = True) -> None:
        self.settings = settings
        self.log_level = log_level
        self.access_log = access_log
        self.workers: list[tuple[SpawnProcess, Connection]] = []
        self.signals: list[int] = []
        self.started: dict[int, float] = {}
        self.wake = -1

    def run(self) -> int:
        """Serve until SIGINT or SIGTERM; exit codes as `serve`'s (0, 130 after Ctrl-C, 3)."""
        logging.basicConfig(
            level=self.log_level.upper(),
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        sock = _bind(self.settings)
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_write, False)
        previous_fd = signal.set_wakeup_fd(wake_write)
        handlers = {sig: signal.signal(sig, self._on_signal) for sig in _STOP_SIGNALS}
        try:
            return self._supervise(sock, wake_read)
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
            signal.set_wakeup_fd(previous_fd)
            os.close(wake_read)
            os.close(wake_write)
            sock.close()

    def _on_signal(self, sig: int, frame: object) -> None:
        self.signals.append(sig)

    def _supervise(self, sock: socket.socket, wake: int) -> int:
        self.wake = wake
        self.workers = [self._start(sock) for _ in range(self.settings.workers)]
        if not self._all_ready(wake):
            if not self.signals:
                log.error("a worker failed to start; stopping the others")
                self.signals.append(signal.SIGTERM)
                self._stop(wake)
                return STARTUP_FAILED
            self._stop(wake)
            return 130 if self.signals[0] == signal.SIGINT else 0
        pids = ", ".join(str(process.pid) for process, _ in self.workers)
        log.info("%d workers ready (pids %s)", len(self.workers), pids)
        host, port = self.settings.host, self.settings.port
        print(f"Boardroom on http://{host}:{port} ({len(self.workers)} workers)", flush=True)
        while not self.signals:
            wait([wake, *(process.sentinel for process, _ in self.workers)])
            _drain_pipe(wake)
            for index, (process, ready) in enumerate(self.workers):
                if not self.signals and process.exitcode is not None:
                    ready.close()
                    code = process.exitcode
                    log.warning("worker %s ended with code %s; starting another", process.pid, code)
                    if not self._pause_after(process):
                        self.workers[index] = self._start(sock)
        self._stop(wake)
        return 130 if self.signals[0] == signal.SIGINT else 0

    def _pause_after(self, process: SpawnProcess) -> bool:
        # A worker that dies as soon as it starts (the database away) is replaced once a
        # second, not in a loop that keeps a core busy; a signal meanwhile ends the pause.
        lived = time.monotonic() - self.started.get(process.pid or 0, 0.0)
        if lived < RESTART_PAUSE_S:
            wait([self.wake], timeout=RESTART_PAUSE_S - lived)
        self.started.pop(process.pid or 0, None)
        return bool(self.signals)

    def _start(self, sock: socket.socket) -> tuple[SpawnProcess, Connection]:
        ready, started = _spawn.Pipe(duplex=False)
        process = _spawn.Process(
            target=_worker,
            args=(self.settings, self.log_level, self.access_log, sock, started),
            name="boardroom-worker",
        )
        process.start()
        self.started[process.pid or 0] = time.monotonic()
        started.close()  # the worker's end: the supervisor keeps only its own
        return process, ready

    def _all_ready(self, wake: int) -> bool:
        # A worker writes to its pipe once its app has started; one that exits first failed.
        waiting = {ready for _, ready in self.workers}
        while waiting:
            if self.signals or any(process.exitcode is not None for process, _ in self.workers):
                return False
            sentinels = [process.sentinel for process, _ in self.workers]
            for done in wait([wake, *waiting, *sentinels]):
                if done in waiting and isinstance(done, Connection):
                    try:
                        done.recv_bytes()
                        waiting.discard(done)
                    except EOFError:  # it exited; its sentinel says so next
                        pass
            _drain_pipe(wake)
        return True

    def _stop(self, wake: int) -> None:
        # Each worker drains as `serve` alone does (503 to newcomers, its streams' grace);
        # a second signal is passed on too, so a second Ctrl-C forces them as it forces one.
        passed = 0
        while any(process.exitcode is None for process, _ in self.workers):
            for sig in self.signals[passed:]:
                for process, _ in self.workers:
                    if process.exitcode is None and process.pid is not None:
                        os.kill(process.pid, sig)
            passed = len(self.signals)
            wait([wake, *(process.sentinel for process, _ in self.workers)])
            _drain_pipe(wake)
        for process, ready in self.workers:
            process.join()
            ready.close()


def _bind(settings: Settings) -> socket.socket:
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((settings.host, settings.port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _drain_pipe(fd: int) -> None:
    os.set_blocking(fd, False)
    try:
        while os.read(fd, 512):
            pass
    except BlockingIOError:
        pass


def _worker(
    settings: Settings, log_level: str, access_log: bool, sock: socket.socket, started: Connection
) -> None:
    # Its own process group: a terminal's Ctrl-C reaches the supervisor alone, which passes
    # it on once, so that no worker sees it twice (uvicorn's cue to skip the drain).
    os.setpgrp()
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_stop_with, args=(parent.sentinel,), daemon=True).start()
    code = serve(
        settings,
        log_level,
        access_log=access_log,
        sock=sock,
        on_started=lambda: started.send_bytes(b"started"),
    )
    sys.exit(code)


def _stop_with(sentinel: int) -> None:
    # A supervisor killed outright (SIGKILL) passes nothing on: its workers stop themselves.
    wait([sentinel])
    os.kill(os.getpid(), signal.SIGTERM)
