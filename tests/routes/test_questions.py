"""Questions and their SSE streams over a real uvicorn: deliver, resume, stop, refuse."""

from __future__ import annotations

import random
import shutil
import subprocess
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import pdfs, sse
from tests.conftest import LiveServer, metric, stream_state, upload, wait_for
from tests.routes.conftest import QUESTION, ask, open_stream


def _check_well_formed(events: list[sse.Event], stream_id: str) -> None:
    assert [e.id for e in events] == [f"{stream_id}:{n}" for n in range(1, len(events) + 1)]
    assert events[0].event == "start"
    assert [e.event for e in events].count("context") == 1
    terminal = [e for e in events if e.event in ("done", "error", "cancelled")]
    assert terminal == [events[-1]]


def test_post_then_stream_delivers_the_whole_answer(client: httpx.Client, filled: str) -> None:
    posted = ask(client, filled)
    assert posted.status_code == 202
    stream_id = posted.json()["stream_id"]
    assert posted.headers["location"] == posted.json()["stream_url"]
    with client.stream("GET", posted.json()["stream_url"]) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["x-accel-buffering"] == "no"
        events = sse.until_terminal(response)
    _check_well_formed(events, stream_id)
    assert events[0].retry is not None
    assert events[0].data == {
        "stream_id": stream_id,
        "kind": "expert",
        "board_id": filled,
        "question": QUESTION,
    }
    steps = [e.data for e in events if e.event == "step"]
    assert [s["name"] for s in steps] == [
        "received",
        "context",
        "engine",
        "first_token",
        "finished",
    ]
    assert all(isinstance(s["elapsed_ms"], int) for s in steps)
    sources = next(e.data["sources"] for e in events if e.event == "context")
    assert sources[0]["filename"] == "report.pdf"
    assert sources[0]["page"] == 1
    done = events[-1]
    assert done.event == "done"
    assert "".join(e.data["text"] for e in events if e.event == "delta") == done.data["answer"]
    assert "[report.pdf p.1]" in done.data["answer"]
    assert done.data["finish_reason"] == "stop"
    status = client.get(f"/api/streams/{stream_id}").json()
    assert status["state"] == "done"
    assert status["events"] == len(events)


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("What is the pH of natural rain?", "The pH of natural rain is near 5.6, because carbon"),
        ("What chlorine residual must the tap keep?", "between 0.2 to 0.5 mg/L, as version 2.1"),
        ("What is a Hausdorff space?", "A topological space is Hausdorff when any two distinct"),
    ],
)
def test_an_answer_from_a_typeset_pdf_quoted_broken_numbers_and_missed_ligature_words(
    client: httpx.Client, board: dict[str, Any], question: str, quoted: str
) -> None:
    """'near 5.6' was quoted as 'near 5.', and 'Hausdorff' found nothing in 'Hausdorﬀ'."""
    assert upload(client, board["board_id"], pdfs.typeset_pdf(), "thesis.pdf").status_code == 201
    with open_stream(client, ask(client, board["board_id"], question).json()["stream_id"]) as r:
        answer = sse.until_terminal(r)[-1].data["answer"]
    assert quoted in answer
    assert "[thesis.pdf p." in answer


def test_the_answer_is_kept_in_the_board_history(client: httpx.Client, filled: str) -> None:
    stream_id = ask(client, filled).json()["stream_id"]
    with open_stream(client, stream_id) as response:
        answer = sse.until_terminal(response)[-1].data["answer"]
    history = client.get(f"/api/boards/{filled}/history").json()["history"]
    assert [(h["question"], h["answer"]) for h in history] == [(QUESTION, answer)]


def test_assistant_answers_across_boards_naming_them(
    client: httpx.Client, english_pdf: bytes
) -> None:
    board_id = client.post("/api/boards", json={"name": "Finance"}).json()["board_id"]
    upload(client, board_id, english_pdf, "report.pdf")
    with client.stream(
        "GET", "/api/assistant/stream", params={"question": "Where is the factory?"}
    ) as response:
        events = sse.until_terminal(response)
    assert events[0].data["kind"] == "assistant"
    assert "Rotterdam" in events[-1].data["answer"]
    assert "(board: Finance)" in events[-1].data["answer"]


def test_one_shot_curl_shows_events_as_they_happen(
    make_server: Callable[..., LiveServer], english_pdf: bytes
) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    server = make_server(extractive_delay_ms=100)
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(client, board_id, english_pdf)
        url = httpx.URL(
            server.url + "/api/expert/stream", params={"board_id": board_id, "question": QUESTION}
        )
        with subprocess.Popen([curl, "-sN", str(url)], stdout=subprocess.PIPE, text=True) as proc:
            assert proc.stdout is not None
            stream_id = ""
            for line in proc.stdout:
                if line.startswith("id: ") and not stream_id:
                    stream_id = line[4:].strip().rsplit(":", 1)[0]
                if line.strip() == "event: delta":
                    break
            # The first words are on curl's output while the answer is still being made.
            assert stream_state(client, stream_id) == "running"
            proc.terminate()


def test_no_second_generation_for_a_reconnecting_event_source(
    make_server: Callable[..., LiveServer], english_pdf: bytes
) -> None:
    server = make_server(extractive_delay_ms=20, reconnect_grace_s=10)
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(client, board_id, english_pdf)
        params = {"board_id": board_id, "question": QUESTION}
        with client.stream("GET", "/api/expert/stream", params=params) as response:
            first = sse.until(response, "delta")
        # What EventSource does after a drop: the same URL, with the last id it saw.
        with client.stream(
            "GET",
            "/api/expert/stream",
            params=params,
            headers={"Last-Event-ID": first[-1].id or ""},
        ) as response:
            rest = sse.until_terminal(response)
        stream_id = first[0].data["stream_id"]
        _check_well_formed(first + rest, stream_id)
        assert rest[-1].event == "done"
        assert metric(client, "boardroom_streams_started_total") == 1


def test_idempotency_key_returns_the_same_stream(client: httpx.Client, filled: str) -> None:
    first = ask(client, filled, **{"Idempotency-Key": "k-1"})
    again = ask(client, filled, **{"Idempotency-Key": "k-1"})
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json() == first.json()
    other = ask(client, filled, **{"Idempotency-Key": "k-2"})
    assert other.json()["stream_id"] != first.json()["stream_id"]
    assert metric(client, "boardroom_streams_started_total") == 2
    reused = ask(client, filled, "another question", **{"Idempotency-Key": "k-1"})
    assert reused.status_code == 422


@pytest.fixture
def finished(client: httpx.Client, filled: str) -> tuple[str, list[sse.Event]]:
    stream_id = ask(client, filled).json()["stream_id"]
    with open_stream(client, stream_id) as response:
        return stream_id, sse.until_terminal(response)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_resume_after_k_events_gives_exactly_the_rest(
    client: httpx.Client, finished: tuple[str, list[sse.Event]], data: st.DataObject
) -> None:
    stream_id, everything = finished
    k = data.draw(st.integers(min_value=0, max_value=len(everything) - 1))
    form = data.draw(st.sampled_from(["header", "bare", "query"]))
    headers, params = {}, {"stream_id": stream_id}
    if form == "header":
        headers["Last-Event-ID"] = f"{stream_id}:{k}"
    elif form == "bare":
        headers["Last-Event-ID"] = str(k)
    else:
        params["last_event_id"] = f"{stream_id}:{k}"
    with client.stream("GET", "/api/expert/stream", params=params, headers=headers) as response:
        rest = sse.until_terminal(response)
    assert [(e.id, e.event, e.data) for e in rest] == [
        (e.id, e.event, e.data) for e in everything[k:]
    ]


def test_after_the_terminal_event_the_answer_is_204(
    client: httpx.Client, finished: tuple[str, list[sse.Event]]
) -> None:
    stream_id, everything = finished
    response = client.get(
        "/api/expert/stream",
        params={"stream_id": stream_id},
        headers={"Last-Event-ID": everything[-1].id or ""},
    )
    assert response.status_code == 204


def test_resume_while_running_and_a_second_subscriber_see_the_same_events(
    make_server: Callable[..., LiveServer], english_pdf: bytes
) -> None:
    server = make_server(extractive_delay_ms=10, reconnect_grace_s=10)
    with server.client() as client, server.client() as other:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(client, board_id, english_pdf)
        stream_id = ask(client, board_id).json()["stream_id"]
        with open_stream(other, stream_id) as second:
            with open_stream(client, stream_id) as response:
                head = []
                for event in sse.events(response):
                    head.append(event)
                    if len(head) == 8:
                        break
            with open_stream(client, stream_id, **{"Last-Event-ID": head[-1].id or ""}) as response:
                tail = sse.until_terminal(response)
            together = sse.until_terminal(second)
    _check_well_formed(head + tail, stream_id)
    assert [(e.id, e.data) for e in head + tail] == [(e.id, e.data) for e in together]


def test_disconnect_with_no_grace_cancels_without_waiting_for_the_next_chunk(
    make_server: Callable[..., LiveServer], english_pdf: bytes
) -> None:
    # A minute between chunks: the stream can only end early if the engine is closed.
    server = make_server(extractive_delay_ms=60_000, reconnect_grace_s=0)
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(client, board_id, english_pdf)
        stream_id = ask(client, board_id).json()["stream_id"]
        with open_stream(client, stream_id) as response:
            sse.until(response, "delta")
        wait_for(lambda: stream_state(client, stream_id) == "cancelled", what="cancellation")
        with open_stream(client, stream_id) as response:
            events = sse.until_terminal(response)
    assert events[-1].event == "cancelled"
    assert events[-1].data == {"reason": "disconnect"}
    assert [e.event for e in events].count("delta") == 1


def test_a_resume_past_the_end_is_refused_before_any_byte(
    client: httpx.Client, filled: str
) -> None:
    stream_id = ask(client, filled).json()["stream_id"]
    with open_stream(client, stream_id, **{"Last-Event-ID": f"{stream_id}:999"}) as response:
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/json"


def test_a_reconnect_within_the_grace_continues_the_same_generation(
    make_server: Callable[..., LiveServer], english_pdf: bytes
) -> None:
    server = make_server(extractive_delay_ms=30, reconnect_grace_s=30)
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(client, board_id, english_pdf)
        stream_id = ask(client, board_id).json()["stream_id"]
        with open_stream(client, stream_id) as response:
            head = sse.until(response, "delta")
        assert stream_state(client, stream_id) == "running"
        with open_stream(client, stream_id, **{"Last-Event-ID": head[-1].id or ""}) as response:
            tail = sse.until_terminal(response)
        _check_well_formed(head + tail, stream_id)
        assert tail[-1].event == "done"
        assert metric(client, "boardroom_streams_started_total") == 1


def test_a_question_nobody_attaches_to_is_cancelled(make_server: Callable[..., LiveServer]) -> None:
    server = make_server(attach_timeout_s=0.5, extractive_delay_ms=60_000)
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        stream_id = ask(client, board_id).json()["stream_id"]
        wait_for(lambda: stream_state(client, stream_id) == "cancelled", what="attach timeout")
        with open_stream(client, stream_id) as response:
            events = sse.until_terminal(response)
    assert events[-1].data == {"reason": "timeout"}


def test_heartbeats_keep_a_silent_stream_alive(
    make_server: Callable[..., LiveServer], english_pdf: bytes
) -> None:
    server = make_server(extractive_delay_ms=60_000, ping_s=0.2)
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(client, board_id, english_pdf)
        stream_id = ask(client, board_id).json()["stream_id"]
        with open_stream(client, stream_id) as response:
            pings = 0
            for block in sse.events(response, comments=True):
                pings += block.comments.count("ping")
                if pings == 2:
                    break
        client.post(f"/api/streams/{stream_id}/cancel")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"board_id": "brd_nope", "question": "hi"}, 404, "board_not_found"),
        ({"question": "hi"}, 422, "invalid_field"),
        ({"board_id": "{board}", "question": "   "}, 422, "invalid_field"),
        ({"board_id": "{board}", "question": "x" * 4001}, 422, "invalid_field"),
        ({"board_id": "{board}", "question": 42}, 400, "bad_request"),
    ],
)
def test_bad_questions_are_refused_before_any_byte(
    client: httpx.Client, board: dict[str, Any], body: dict[str, Any], status: int, code: str
) -> None:
    body = {k: (board["board_id"] if v == "{board}" else v) for k, v in body.items()}
    posted = client.post("/api/expert/questions", json=body)
    assert (posted.status_code, posted.json()["error"]["code"]) == (status, code)
    if status != 400:  # a query string has no types: 42 would be the question "42"
        one_shot = client.get("/api/expert/stream", params=body)
        assert (one_shot.status_code, one_shot.json()["error"]["code"]) == (status, code)
    assert metric(client, "boardroom_streams_started_total") == 0


def test_an_expert_stream_is_not_an_assistantopen_stream(client: httpx.Client, filled: str) -> None:
    stream_id = ask(client, filled).json()["stream_id"]
    response = client.get("/api/assistant/stream", params={"stream_id": stream_id})
    assert response.status_code == 404


def test_limits_answer_429_with_retry_after(make_server: Callable[..., LiveServer]) -> None:
    server = make_server(extractive_delay_ms=60_000, max_streams=3, max_streams_per_client=1)
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        first = ask(client, board_id)
        assert first.status_code == 202
        refused = ask(client, board_id)
        assert refused.status_code == 429
        assert refused.json()["error"]["code"] == "too_many_requests"
        assert int(refused.headers["retry-after"]) >= 1
        keyed = ask(client, board_id, **{"Idempotency-Key": "after-429"})
        assert keyed.status_code == 429
        client.post(f"/api/streams/{first.json()['stream_id']}/cancel")
        wait_for(lambda: metric(client, "boardroom_streams_running") == 0, what="the stop")
        assert ask(client, board_id, **{"Idempotency-Key": "after-429"}).status_code == 202


def test_after_shutdown_begins_new_questions_get_503(
    server: LiveServer, client: httpx.Client, board: dict[str, Any]
) -> None:
    server.begin_shutdown()
    refused = wait_for(
        lambda: (r := ask(client, board["board_id"])).status_code == 503 and r,
        what="the shutdown to take effect",
    )
    assert refused.json()["error"]["code"] == "shutting_down"


def test_100_concurrent_readers_some_leaving_early_each_stream_ends_once(
    make_server: Callable[..., LiveServer], english_pdf: bytes
) -> None:
    server = make_server(extractive_delay_ms=5, reconnect_grace_s=0, max_streams_per_client=500)
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(client, board_id, english_pdf)
        leave_early = set(random.Random(11).sample(range(100), 33))
        outcome: dict[int, Any] = {}

        def read(n: int) -> None:
            with (
                server.client() as own,
                own.stream(
                    "GET", "/api/expert/stream", params={"board_id": board_id, "question": QUESTION}
                ) as response,
            ):
                seen = []
                for event in sse.events(response):
                    seen.append(event)
                    if n in leave_early and event.event == "delta":
                        outcome[n] = "left"
                        return
                outcome[n] = seen

        threads = [threading.Thread(target=read, args=(n,)) for n in range(100)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        for n, seen in outcome.items():
            if n not in leave_early:
                _check_well_formed(seen, seen[0].data["stream_id"])
                assert seen[-1].event == "done"
        assert len(outcome) == 100
        wait_for(
            lambda: metric(client, "boardroom_streams_running") == 0,
            timeout=60,
            what="every generation to end",
        )
        terminals = sum(
            metric(client, "boardroom_streams_ended_total", outcome=e)
            for e in ("done", "error", "cancelled")
        )
        assert terminals == metric(client, "boardroom_streams_started_total") == 100


def test_a_chinese_question_gets_a_cited_chinese_answer(
    client: httpx.Client, board: dict[str, Any], chinese_pdf: bytes
) -> None:
    upload(client, board["board_id"], chinese_pdf, "学习.pdf")
    with client.stream(
        "GET",
        "/api/expert/stream",
        params={"board_id": board["board_id"], "question": "什么是算力？"},
    ) as response:
        answer = sse.until_terminal(response)[-1].data["answer"]
    assert answer.startswith("根据看板上的文档：")
    assert "训练需要大量的数据和算力。 [学习.pdf p.2]" in answer
