"""`boardroom serve --workers N`: one port, several processes, one broker between them."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import httpx

from tests import sse
from tests.conftest import upload, wait_for
from tests.process import ServiceProcess, children, free_port, serving_pid

READY = "workers ready"


def _service(tmp_path: Path, redis_url: str, **env: str) -> ServiceProcess:
    return ServiceProcess(
        tmp_path,
        env={"BOARDROOM_WORKERS": "2", "BOARDROOM_BROKER_URL": redis_url, **env},
        ready_line=READY,
    )


class Workers:
    """Connections to a supervised service, each kept open, sorted by the worker serving it."""

    def __init__(self, service: ServiceProcess, stack: ExitStack) -> None:
        assert service.process is not None
        self.service = service
        self.stack = stack
        self.supervisor = service.process.pid
        self.by_pid: dict[int, httpx.Client] = {}

    def connect(self) -> int | None:
        """Open one more connection; the worker it landed on, if it is a new one."""
        client = self.stack.enter_context(httpx.Client(base_url=self.service.url, timeout=30))
        response = client.get("/healthz")
        assert response.status_code == 200
        pid = serving_pid(response, children(self.supervisor))
        if pid is None or pid in self.by_pid:
            return None
        self.by_pid[pid] = client
        return pid

    def until(self, count: int) -> dict[int, httpx.Client]:
        """A connection to each of `count` workers."""
        wait_for(lambda: self.connect() and len(self.by_pid) >= count, what=f"{count} workers")
        return self.by_pid


def test_two_workers_answer_share_streams_and_drain_on_sigterm(
    tmp_path: Path, redis_url: str, english_pdf: bytes
) -> None:
    env = {"BOARDROOM_EXTRACTIVE_DELAY_MS": "300", "BOARDROOM_SHUTDOWN_GRACE_S": "3"}
    with _service(tmp_path, redis_url, **env) as service, ExitStack() as stack:
        (pid_a, a), (pid_b, b) = Workers(service, stack).until(2).items()
        assert pid_a != pid_b
        # The boards are shared: made through one worker, used through the other.
        board_id = a.post("/api/boards", json={"name": "b"}).json()["board_id"]
        assert upload(b, board_id, english_pdf).status_code == 201
        question = {"board_id": board_id, "question": "How did revenue grow?"}
        posted = a.post("/api/expert/questions", json=question)
        assert posted.status_code == 202
        stream_id = posted.json()["stream_id"]
        # Asked through A, read through B, resumed through A from where B stopped.
        with b.stream("GET", "/api/expert/stream", params={"stream_id": stream_id}) as r:
            reader = iter(sse.events(r))
            first = [next(reader), next(reader)]
        assert first[0].event == "start"
        with a.stream(
            "GET",
            "/api/expert/stream",
            params={"stream_id": stream_id},
            headers={"Last-Event-ID": first[-1].id or ""},
        ) as r:
            reader = iter(sse.events(r))
            resumed = next(reader)
            assert resumed.n == first[-1].n + 1
            assert service.process is not None
            service.process.send_signal(signal.SIGTERM)
            # Each worker drains: a newcomer hears 503, the open stream gets its end.
            refused = wait_for(
                lambda: (
                    (p := a.post("/api/expert/questions", json=question)).status_code == 503 and p
                ),
                what="a 503 while the workers drain",
            )
            assert refused.json()["error"]["code"] == "shutting_down"
            rest = [event.event for event in reader]
        assert rest[-1] in ("done", "cancelled")
        assert rest.count("done") + rest.count("cancelled") == 1
        assert service.wait_closed(timeout=30) == 0
    log = service.log()
    assert "Traceback" not in log, log
    assert log.count("Finished server process") == 2, log


def test_ctrl_c_stops_every_worker_and_exits_130(tmp_path: Path, redis_url: str) -> None:
    with _service(tmp_path, redis_url) as service, ExitStack() as stack:
        pids = set(Workers(service, stack).until(2))
        service.interrupt()  # SIGINT to the terminal's process group
        assert service.wait_closed(timeout=30) == 130
    for pid in pids:
        assert not Path(f"/proc/{pid}").exists() or "zombie" in _state(pid)
    log = service.log()
    assert "Traceback" not in log, log
    assert log.count("Finished server process") == 2, log


def test_a_worker_that_dies_is_replaced(tmp_path: Path, redis_url: str) -> None:
    with _service(tmp_path, redis_url) as service, ExitStack() as stack:
        workers = Workers(service, stack)
        first = set(workers.until(2))
        os.kill(min(first), signal.SIGKILL)
        wait_for(
            lambda: workers.connect() not in (None, *first),
            timeout=60,
            what="a new worker answering",
        )
        assert service.process is not None
        assert service.process.poll() is None
    assert "starting another" in service.log()


def test_several_workers_without_a_broker_are_refused_naming_the_setting(
    tmp_path: Path,
) -> None:
    done = _run_serve(tmp_path, "--workers", "2", env={"BOARDROOM_BROKER_URL": ""})
    assert done.returncode == 2
    assert "BOARDROOM_BROKER_URL" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_worker_that_cannot_start_stops_them_all_with_a_failure(
    tmp_path: Path, redis_url: str
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    env = {"BOARDROOM_BROKER_URL": redis_url, "BOARDROOM_DATA_DIR": str(blocker / "data")}
    done = _run_serve(tmp_path, "--workers", "2", env=env)
    assert done.returncode == 3, done.stderr
    assert "a worker failed to start" in done.stderr


def _run_serve(tmp_path: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environ = {
        **os.environ,
        "BOARDROOM_DATA_DIR": str(tmp_path / "data"),
        "BOARDROOM_LLM": "extractive",
        **env,
    }
    command = [sys.executable, "-m", "service", "serve", "--port", str(free_port()), *args]
    return subprocess.run(command, env=environ, capture_output=True, text=True, timeout=60)


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return "zombie"
