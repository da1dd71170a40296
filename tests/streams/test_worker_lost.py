"""A worker killed mid-answer: its readers on another process get `worker_lost`, then go on."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import httpx

from tests import sse
from tests.fakeopenai import FakeOpenAI, Reply
from tests.process import ServiceProcess

LOST_WITHIN_S = 10.0


def _env(redis_url: str, provider: FakeOpenAI) -> dict[str, str]:
    return {
        "BOARDROOM_BROKER_URL": redis_url,
        "BOARDROOM_LLM": "openai",
        "BOARDROOM_LLM_BASE_URL": provider.url,
        "BOARDROOM_LLM_API_KEY": "sk-test-secret-key",
        "BOARDROOM_LLM_MODEL": "test-model",
        "BOARDROOM_LLM_TIMEOUT_S": "300",  # the stalled answer must outlive the test
        "BOARDROOM_PING_S": "300",  # no ping may stand in for the event awaited below
    }


def test_kill_9_of_the_generating_process_ends_its_stream_worker_lost_elsewhere(
    tmp_path: Path, redis_url: str, provider: FakeOpenAI
) -> None:
    provider.script(Reply(tokens=["Half", " an", " answer"], stall_after=2))
    env = _env(redis_url, provider)
    question = {"question": "What is on my boards?"}
    # The read timeout is the deadline: worker_lost must arrive within it of the kill.
    timeout = httpx.Timeout(30, read=LOST_WITHIN_S)
    with (
        ServiceProcess(tmp_path / "data", env=env) as doomed,
        ServiceProcess(tmp_path / "data", env=env) as survivor,
        httpx.Client(base_url=doomed.url, timeout=30) as a,
        httpx.Client(base_url=survivor.url, timeout=timeout) as b,
    ):
        stream_id = a.post("/api/assistant/questions", json=question).json()["stream_id"]
        with b.stream("GET", "/api/assistant/stream", params={"stream_id": stream_id}) as r:
            events = sse.events(r)
            assert next(e for e in events if e.event == "delta").data == {"text": "Half"}
            provider.wait_for_requests(1)
            assert doomed.process is not None
            os.killpg(doomed.process.pid, signal.SIGKILL)  # the service and its workers
            rest = list(events)
        terminals = [e for e in rest if e.event in ("done", "error", "cancelled")]
        assert terminals == [rest[-1]]
        assert rest[-1].data == {
            "code": "worker_lost",
            "message": rest[-1].data["message"],
            "retryable": True,
        }
        assert rest[-1].stream_id == stream_id  # it has an id: it is in the log
        status = b.get(f"/api/streams/{stream_id}").json()
        assert (status["state"], status["events"]) == ("error", rest[-1].n)
        assert b.get("/api/streams", params={"state": "running"}).json()["streams"] == []

        # Asked again, on a live process, it is answered at once.
        again = b.post("/api/assistant/questions", json=question)
        assert again.status_code == 202
        with b.stream("GET", again.json()["stream_url"]) as r:
            answer = sse.until_terminal(r)
        assert answer[-1].event == "done"
        assert answer[-1].data["answer"] == "Hello from the model."
