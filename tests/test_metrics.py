"""`/metrics` counts what happened: requests, streams and their ends, readers, ingestion."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
from websockets.sync.client import connect

from service.metrics import Metrics
from tests import sse
from tests.conftest import LiveServer, metric, upload, wait_for, ws_frames
from tests.fakeopenai import FakeOpenAI, Reply
from tests.routes.conftest import QUESTION, ask, open_stream

SLOW = Reply(tokens=[f"word{n} " for n in range(200)], delay=0.05)


def test_two_apps_in_one_process_count_apart() -> None:
    """Each app has a registry of its own: the tests' many apps never add up."""
    one, two = Metrics(), Metrics()
    one.streams_started.labels("expert").inc()
    name, labels = "boardroom_streams_started_total", {"kind": "expert"}
    assert one.registry.get_sample_value(name, labels) == 1
    assert two.registry.get_sample_value(name, labels) is None


def test_metrics_count_requests_streams_readers_and_ingestion(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, english_pdf: bytes
) -> None:
    server = llm_server(reconnect_grace_s=0.5)
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "Metered"}).json()["board_id"]
        assert upload(client, board_id, english_pdf, "report.pdf").status_code == 201
        assert upload(client, board_id, english_pdf[:300], "torn.pdf").status_code == 422
        assert client.get("/api/boards/brd_missing").status_code == 404
        assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 200
        assert client.get("/api/boards", headers={"Host": "evil.example"}).status_code == 400

        # A whole answer, read to its end.
        provider.script(Reply())
        done = _read_all(client, ask(client, board_id).json()["stream_id"])
        assert done[-1].event == "done"
        wait_for(
            lambda: (
                metric(client, "boardroom_stream_events_sent_total", transport="sse") == len(done)
            ),
            what="the answer's events to be counted as sent",
        )
        # The provider fails.
        provider.script(Reply(status=401))  # not retried: ends the answer at once
        failed = _read_all(client, ask(client, board_id).json()["stream_id"])
        assert failed[-1].event == "error"
        code = failed[-1].data["code"]
        # Read, left, resumed by id, then stopped.
        provider.script(SLOW)
        stopped = ask(client, board_id).json()["stream_id"]
        with open_stream(client, stopped) as response:
            first = sse.until(response, "delta")
        last_id = f"{stopped}:{first[-1].n}"
        with open_stream(client, stopped, **{"Last-Event-ID": last_id}) as response:
            resumed = sse.events(response)
            assert next(resumed).n == first[-1].n + 1
            assert client.post(f"/api/streams/{stopped}/cancel").status_code == 200
            assert [e.data for e in resumed if e.event == "cancelled"] == [{"reason": "stop"}]
        # Read, then left for good: cancelled once the reconnect grace is over.
        provider.script(SLOW)
        left = ask(client, board_id).json()["stream_id"]
        with open_stream(client, left) as response:
            sse.until(response, "delta")
        # The WebSocket shim.
        provider.script(Reply())
        with connect(server.url.replace("http", "ws", 1) + "/api/expert/stream") as ws:
            ws.send(json.dumps({"query": QUESTION, "board_id": board_id, "history": []}))
            frames = ws_frames(ws)
        assert frames[-1]["done"] is True

        def ended(outcome: str, code: str) -> float:
            return metric(client, "boardroom_streams_ended_total", outcome=outcome, code=code)

        wait_for(lambda: ended("cancelled", "disconnect") == 1, what="the abandoned stream's end")
        wait_for(lambda: metric(client, "boardroom_stream_readers") == 0, what="every reader to go")
        assert metric(client, "boardroom_streams_started_total", kind="expert") == 5
        assert metric(client, "boardroom_streams_running") == 0
        assert ended("done", "") == 2
        assert ended("error", code) == 1
        assert ended("cancelled", "stop") == 1
        assert metric(client, "boardroom_cancel_latency_seconds_count", reason="stop") == 1
        assert metric(client, "boardroom_cancel_latency_seconds_count", reason="disconnect") == 1
        # Every stream but the failed one had a first token.
        assert metric(client, "boardroom_time_to_first_token_seconds_count", kind="expert") == 4
        assert metric(client, "boardroom_stream_resumes_total", transport="sse") == 1
        # The first read of the stopped stream, and the abandoned one.
        assert metric(client, "boardroom_stream_disconnects_total", transport="sse") == 2
        assert metric(client, "boardroom_stream_disconnects_total", transport="ws") == 0
        # A frame per event, but for the events the old protocol has no frame for.
        assert metric(client, "boardroom_stream_events_sent_total", transport="ws") >= len(frames)

        pages = client.get(f"/api/boards/{board_id}/files").json()["files"][0]["pages"]
        assert metric(client, "boardroom_ingest_files_total", outcome="ready") == 1
        assert metric(client, "boardroom_ingest_files_total", outcome="refused") == 1
        assert metric(client, "boardroom_ingest_failures_total", reason="pdf_unreadable") == 1
        assert metric(client, "boardroom_ingest_pages_total") == pages
        assert metric(client, "boardroom_ingest_seconds_count") == 1

        def requests(route: str, method: str, status: str) -> float:
            return metric(
                client, "boardroom_http_requests_total", route=route, method=method, status=status
            )

        assert requests("/api/boards", "POST", "201") == 1
        assert requests("/api/boards/{board_id}/files", "POST", "201") == 1
        assert requests("/api/boards/{board_id}/files", "POST", "422") == 1
        assert requests("/api/boards/{board_id}", "GET", "404") == 1
        assert requests("/api/expert/stream", "GET", "200") == 5
        assert requests("unmatched", "GET", "400") == 1  # the foreign Host, refused first
        assert requests("/healthz", "GET", "200") == 1
        started = "boardroom_http_response_start_seconds_count"
        assert metric(client, started, route="/api/boards") == 1  # the foreign Host's is unmatched
        assert metric(client, "process_resident_memory_bytes") > 0


def _read_all(client: httpx.Client, stream_id: str) -> list[sse.Event]:
    with open_stream(client, stream_id) as response:
        return sse.until_terminal(response)
