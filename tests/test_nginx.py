"""The service behind a real nginx, configured by examples/nginx.conf as operators copy it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from types import TracebackType

import httpx
import pytest
from websockets.sync.client import connect
from websockets.typing import Origin

from tests import sse
from tests.conftest import stream_state, ws_frames
from tests.process import ServiceProcess, free_port

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "nginx.conf"
UPSTREAM = "127.0.0.1:8000"
LISTEN = "listen 80;"
READ_TIMEOUT = "proxy_read_timeout 1h;"
TERMINAL = ("done", "error", "cancelled")
# The offline engine's whole answer to a Chinese question that nothing matches: one
# 27-character run, streamed as four chunks.
NOTHING_FOUND = "在这个看板的文档和笔记中没有找到与这个问题相关的内容。"


def _nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        pytest.fail("nginx is not installed: scripts/test installs it (Debian package nginx)")
    return found


def render(upstream_port: int, port: int, *, read_timeout: str | None = None) -> str:
    """examples/nginx.conf with the test's ports (and read timeout) in place of its own."""
    text = EXAMPLE.read_text()
    replacements = {
        UPSTREAM: f"127.0.0.1:{upstream_port}",
        LISTEN: f"listen 127.0.0.1:{port};",
        READ_TIMEOUT: f"proxy_read_timeout {read_timeout};" if read_timeout else READ_TIMEOUT,
    }
    for old, new in replacements.items():
        assert old in text, f"{EXAMPLE.name} no longer says {old!r}"
        text = text.replace(old, new)
    return text


class Nginx:
    """nginx in the foreground with `site` as its one site; its files stay in `directory`."""

    def __init__(self, directory: Path, site: str, port: int) -> None:
        self.directory = directory
        self.url = f"http://127.0.0.1:{port}"
        directory.mkdir(parents=True)
        (directory / "boardroom.conf").write_text(site)
        # What a packaged nginx.conf sets around its conf.d/ files, in the test's directory;
        # as root, the workers stay root to reach it (by default they would be nobody).
        user = "user root;\n" if os.geteuid() == 0 else ""
        temp = "\n".join(
            f"    {kind}_temp_path {directory / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (directory / "nginx.conf").write_text(
            f"{user}worker_processes 1;\n"
            f"pid {directory / 'nginx.pid'};\n"
            "error_log stderr notice;\n"
            "events {\n    worker_connections 256;\n}\n"
            "http {\n"
            f"    access_log {directory / 'access.log'};\n"
            f"{temp}\n"
            f"    include {directory / 'boardroom.conf'};\n"
            "}\n"
        )
        self.args = [
            _nginx_binary(),
            "-p",
            str(directory),
            "-e",
            "stderr",
            "-c",
            str(directory / "nginx.conf"),
            "-g",
            "daemon off;",
        ]
        self.process: subprocess.Popen[str] | None = None
        self.lines: list[str] = []
        self._started = threading.Event()

    def __enter__(self) -> Nginx:
        self.process = subprocess.Popen(
            self.args,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            process_group=0,
        )
        threading.Thread(target=self._read, daemon=True).start()
        # Its port is bound before the workers start; the event is also set if it exits.
        self._started.wait(30)
        if self.process.poll() is not None or not self._started.is_set():
            self.__exit__()
            pytest.fail("nginx did not start:\n" + "".join(self.lines))
        return self

    def _read(self) -> None:
        assert self.process is not None
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line)
            if "start worker process" in line:
                self._started.set()
        self._started.set()

    def __exit__(self, *exc: object | TracebackType) -> None:
        assert self.process is not None
        if self.process.poll() is None:
            self.process.terminate()  # SIGTERM: a fast stop, open streams included
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(5)


@contextmanager
def behind_nginx(
    tmp_path: Path, env: dict[str, str], *, read_timeout: str | None = None
) -> Iterator[tuple[ServiceProcess, Nginx]]:
    """`boardroom serve`, trusting 127.0.0.1, behind nginx running the example."""
    with ExitStack() as stack:
        service = stack.enter_context(
            ServiceProcess(tmp_path / "data", env={"BOARDROOM_TRUSTED_PROXIES": "127.0.0.1", **env})
        )
        port = free_port()
        site = render(service.port, port, read_timeout=read_timeout)
        nginx = stack.enter_context(Nginx(tmp_path / "nginx", site, port))
        yield service, nginx


def _client(url: str, address: str = "127.0.0.1") -> httpx.Client:
    """A client whose connections come from `address` (any 127.x address is loopback)."""
    transport = httpx.HTTPTransport(local_address=address)
    return httpx.Client(base_url=url, timeout=15, transport=transport)


def _ask(client: httpx.Client, question: str = "What do the boards say?") -> httpx.Response:
    return client.post("/api/assistant/questions", json={"question": question})


def _asked(client: httpx.Client, question: str = "What do the boards say?") -> str:
    response = _ask(client, question)
    assert response.status_code == 202, response.text
    stream_id: str = response.json()["stream_id"]
    return stream_id


def test_deltas_waited_in_the_proxy_until_the_answer_ended(tmp_path: Path) -> None:
    """Each delta reaches the reader through nginx while its answer is still generating."""
    # The first chunk comes at once, the next a minute later: held back, none would arrive.
    env = {"BOARDROOM_EXTRACTIVE_DELAY_MS": "60000"}
    with (
        behind_nginx(tmp_path, env) as (service, nginx),
        _client(nginx.url) as via,
        _client(service.url) as direct,
    ):
        stream_id = _asked(via)
        stream = via.stream("GET", "/api/assistant/stream", params={"stream_id": stream_id})
        with stream as response:
            assert response.headers["content-type"].startswith("text/event-stream")
            events = sse.events(response)
            assert next(e for e in events if e.event == "delta").data["text"]
            assert stream_state(direct, stream_id) == "running"
            assert via.post(f"/api/streams/{stream_id}/cancel").status_code == 200
            assert next(e.event for e in events if e.event in TERMINAL) == "cancelled"


def test_a_slow_answer_was_cut_off_by_the_proxy_read_timeout(tmp_path: Path) -> None:
    """Heartbeats keep a stream open through nginx while chunks come slower than its timeout."""
    env = {"BOARDROOM_EXTRACTIVE_DELAY_MS": "1500", "BOARDROOM_PING_S": "0.25"}
    with (
        behind_nginx(tmp_path, env, read_timeout="1s") as (_, nginx),
        _client(nginx.url) as via,
    ):
        stream_id = _asked(via, "这家工厂在哪里？")
        stream = via.stream("GET", "/api/assistant/stream", params={"stream_id": stream_id})
        with stream as response:
            blocks = list(sse.events(response, comments=True))
    events = [block for block in blocks if block.event]
    assert events[-1].event == "done", events[-3:]
    assert "".join(e.data["text"] for e in events if e.event == "delta") == NOTHING_FOUND
    assert any("ping" in block.comments for block in blocks if not block.event)


def test_the_websocket_shim_got_422_behind_the_proxy(tmp_path: Path) -> None:
    """The old socket clients' shim works through nginx: frames until done, then close 1000."""
    with behind_nginx(tmp_path, {}) as (_, nginx), _client(nginx.url) as via:
        board_id = via.post("/api/boards", json={"name": "Plant"}).json()["board_id"]
        url = nginx.url.replace("http", "ws", 1) + "/api/expert/stream"
        # As a browser opens it: with the page's origin, which nginx's port is part of.
        with connect(url, origin=Origin(nginx.url), open_timeout=10, close_timeout=10) as ws:
            ws.send(json.dumps({"query": "Where is the factory?", "board_id": board_id}))
            frames = ws_frames(ws)
            assert ws.close_code == 1000
    assert frames[-1]["done"] is True
    assert frames[-1]["full_response"] == "".join(f["chunk"] for f in frames if "chunk" in f)


def test_everyone_behind_the_proxy_shared_one_limit(tmp_path: Path) -> None:
    """Limits and owners go by each client's own address as nginx saw it, never a claimed one."""
    env = {"BOARDROOM_MAX_STREAMS_PER_CLIENT": "1", "BOARDROOM_EXTRACTIVE_DELAY_MS": "60000"}
    with (
        behind_nginx(tmp_path, env) as (_, nginx),
        _client(nginx.url, "127.0.0.1") as one,
        _client(nginx.url, "127.0.0.2") as two,
        _client(nginx.url, "127.0.0.3") as three,
    ):
        # Nobody attaches, so each stream keeps running and counting.
        first = _asked(two)
        assert _ask(three).status_code == 202
        assert _ask(two).status_code == 429
        streams = two.get("/api/streams").json()["streams"]
        assert [s["stream_id"] for s in streams] == [first]
        claimed = one.get("/api/streams", headers={"x-forwarded-for": "127.0.0.2"})
        assert claimed.json()["streams"] == []
