"""A TCP proxy on loopback that can cut a live connection: a real network fault."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable


class CuttingProxy:
    """Forwards to `target`; cuts a connection once `cut(data)` is true for what it relayed."""

    def __init__(self, target_port: int, cut: Callable[[bytes], bool]) -> None:
        self.target_port = target_port
        self.cut = cut
        self.cuts = 0
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._lock = threading.Lock()
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            threading.Thread(target=self._pipe, args=(client, upstream, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(upstream, client, True), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket, downstream: bool) -> None:
        relayed = b""
        try:
            while data := source.recv(65536):
                sink.sendall(data)
                if downstream:
                    relayed += data
                    with self._lock:
                        if self.cuts == 0 and self.cut(relayed):
                            self.cuts += 1
                            raise ConnectionAbortedError
        except OSError:
            pass
        for end in (source, sink):
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
            end.close()
