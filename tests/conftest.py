"""Shared fixtures: a real uvicorn on a loopback port, real PDFs, and a guard on the log."""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import socket
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import aclosing
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from prometheus_client.metrics_core import Metric
from prometheus_client.parser import text_string_to_metric_families
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection

from service.app import create_app
from service.metrics import Metrics
from service.server import server_config
from service.settings import Settings
from service.streams.events import StreamEvent
from service.streams.log import EventLog
from service.streams.runner import Limits
from tests import pdfs


class _Server(uvicorn.Server):
    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self.ready.set()


class LiveServer:
    """The app in a real uvicorn, on its own event loop in a thread, on 127.0.0.1."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(settings)
        config = server_config(self.app, settings, log_config=None, lifespan="on")
        config.timeout_graceful_shutdown = 5
        self.server = _Server(config)
        self.thread = threading.Thread(target=self._run, name=f"uvicorn-{self.port}", daemon=True)

    def _run(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self.server_loop = asyncio.get_running_loop()
        await self.server.serve(sockets=[self.sock])

    def start(self) -> LiveServer:
        self.thread.start()
        if not self.server.ready.wait(30) or self.server.should_exit:
            self.thread.join(30)
            raise RuntimeError("the server did not start")
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(30)
        self.sock.close()
        assert not self.thread.is_alive(), "the server did not stop within 30 s"

    def begin_shutdown(self) -> None:
        """What `boardroom serve` does when uvicorn starts to stop."""
        app = self.app
        loop = self.server_loop
        loop.call_soon_threadsafe(lambda: app.state.begin_shutdown())

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=kwargs.pop("timeout", 15), **kwargs)


class _LogGuard(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.bad: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if record.levelno >= logging.ERROR or "Cannot call" in message:
            self.bad.append(f"{record.levelname} {record.name}: {message}")


@pytest.fixture(autouse=True)
def log_guard() -> Iterator[_LogGuard]:
    """Fail any test during which an error was logged or a send after close was attempted."""
    guard = _LogGuard()
    root = logging.getLogger()
    root.addHandler(guard)
    previous = root.level
    root.setLevel(logging.INFO)
    try:
        yield guard
    finally:
        root.removeHandler(guard)
        root.setLevel(previous)
    assert not guard.bad, "error-level log records:\n" + "\n".join(guard.bad)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def make_server(data_dir: Path) -> Iterator[Callable[..., LiveServer]]:
    """Start servers with settings overrides; all are stopped at the end of the test."""
    started: list[LiveServer] = []

    def make(**overrides: Any) -> LiveServer:
        overrides.setdefault("data_dir", data_dir)
        overrides.setdefault("llm", "extractive")
        overrides.setdefault("ingest_workers", 1)
        server = LiveServer(Settings.from_env({}, **overrides)).start()
        started.append(server)
        return server

    yield make
    for server in started:
        if server.thread.is_alive():
            server.stop()


@pytest.fixture
def server(make_server: Callable[..., LiveServer]) -> LiveServer:
    return make_server()


@pytest.fixture
def client(server: LiveServer) -> Iterator[httpx.Client]:
    with server.client() as c:
        yield c


@pytest.fixture
def board(client: httpx.Client) -> dict[str, Any]:
    response = client.post("/api/boards", json={"name": "Quarterly"})
    assert response.status_code == 201
    board: dict[str, Any] = response.json()
    return board


def upload(
    client: httpx.Client,
    board_id: str,
    data: bytes,
    filename: str = "doc.pdf",
    *,
    wait: bool = True,
) -> httpx.Response:
    """POST a file as multipart field `file`."""
    return client.post(
        f"/api/boards/{board_id}/files",
        params={"wait": str(wait).lower()},
        files={"file": (filename, data, "application/pdf")},
    )


@pytest.fixture(scope="session")
def english_pdf() -> bytes:
    return pdfs.english_pdf()


@pytest.fixture(scope="session")
def chinese_pdf() -> bytes:
    return pdfs.chinese_pdf()


@pytest.fixture(scope="session")
def encrypted_pdf() -> bytes:
    return pdfs.encrypted_pdf()


def ws_frames(ws: ClientConnection) -> list[dict[str, Any]]:
    """Every JSON frame of a WebSocket until the service closes it."""
    frames = []
    try:
        while True:
            frames.append(json.loads(ws.recv(timeout=30)))
    except ConnectionClosed:
        return frames


def wait_for(check: Callable[[], Any], *, timeout: float = 15, what: str = "condition") -> Any:
    """Call `check` (an HTTP round trip, which paces the loop) until it returns truthy."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def stream_state(client: httpx.Client, stream_id: str) -> str:
    """The stream's state as `GET /api/streams/{id}` reports it."""
    state: str = client.get(f"/api/streams/{stream_id}").json()["state"]
    return state


def sampled(metrics: Metrics, name: str, **labels: str) -> float:
    """The sum of an app's metric samples named `name` whose labels include `labels`."""
    return _summed(metrics.registry.collect(), name, labels)


def metric(client: httpx.Client, name: str, **labels: str) -> float:
    """The sum of `/metrics` samples named `name` whose labels include `labels`."""
    return _summed(text_string_to_metric_families(client.get("/metrics").text), name, labels)


def _summed(families: Iterable[Metric], name: str, labels: dict[str, str]) -> float:
    return sum(
        sample.value
        for family in families
        for sample in family.samples
        if sample.name == name and labels.items() <= sample.labels.items()
    )


@pytest.fixture
def provider() -> Iterator[Any]:
    """The stand-in OpenAI-compatible provider, on a loopback port."""
    from tests.fakeopenai import FakeOpenAI

    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def llm_server(make_server: Callable[..., LiveServer], provider: Any) -> Callable[..., LiveServer]:
    """Start the service against the stand-in provider."""

    def make(**overrides: Any) -> LiveServer:
        overrides.setdefault("llm", "openai")
        overrides.setdefault("llm_base_url", provider.url)
        overrides.setdefault("llm_api_key", "sk-test-secret-key")
        overrides.setdefault("llm_model", "test-model")
        return make_server(**overrides)

    return make


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """One private redis-server for the session."""
    from tests.redisserver import RedisServer

    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: Any) -> str:
    """A clean database on the session's redis-server."""
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.flushall()
    client.close()
    url: str = redis_server.url
    return url


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Any]:
    """One private PostgreSQL cluster for the whole test run."""
    from tests.pgserver import PostgresServer

    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture
def postgres_url(postgres_server: Any) -> Iterator[str]:
    """A fresh, empty database on the test run's cluster, dropped after the test."""
    name = f"test_{next(_databases)}"
    url: str = postgres_server.database(name)
    yield url
    postgres_server.drop_database(name)


_databases = itertools.count(1)


ROOMY_LIMITS = Limits(
    max_streams=8,
    max_per_client=8,
    reconnect_grace=60,
    attach_timeout=60,
    retention=60,
    shutdown_grace=60,
)
"""Limits whose graces never run out within a test; tests shrink what they need."""


@pytest.fixture
def limits() -> Limits:
    """A runner's limits for in-process tests (see ROOMY_LIMITS)."""
    return ROOMY_LIMITS


async def read_to_end(log: EventLog, stream_id: str) -> list[StreamEvent]:
    """Every event of a stream, once its terminal event is there."""
    events: list[StreamEvent] = []
    async with aclosing(log.read(stream_id, 0)) as batches:
        async for batch in batches:
            events.extend(batch)
    return events
