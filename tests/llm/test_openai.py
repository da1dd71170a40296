"""The openai engine against a stand-in provider on loopback, through the whole service."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests import sse
from tests.conftest import LiveServer, stream_state, upload, wait_for
from tests.fakeopenai import FakeOpenAI, Reply

QUESTION = "How did revenue grow?"


def _board(client: httpx.Client, pdf: bytes) -> tuple[str, str]:
    board_id: str = client.post("/api/boards", json={"name": "Finance"}).json()["board_id"]
    file_id: str = upload(client, board_id, pdf, "report.pdf").json()["file_id"]
    return board_id, file_id


def _expert(client: httpx.Client, board_id: str, question: str = QUESTION) -> list[sse.Event]:
    with client.stream(
        "GET", "/api/expert/stream", params={"board_id": board_id, "question": question}
    ) as response:
        return sse.until_terminal(response)


def test_an_answer_streams_end_to_end(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, english_pdf: bytes
) -> None:
    provider.script(Reply(tokens=["Revenue ", "grew ", "12% ", "[report.pdf p.1]."]))
    with llm_server().client() as client:
        board_id, _ = _board(client, english_pdf)
        events = _expert(client, board_id)
    deltas = [e.data["text"] for e in events if e.event == "delta"]
    assert deltas == ["Revenue ", "grew ", "12% ", "[report.pdf p.1]."]
    done = events[-1]
    assert done.event == "done"
    assert done.data["answer"] == "".join(deltas)
    assert done.data["usage"] == {"prompt_tokens": 11, "completion_tokens": 4, "total_tokens": 15}
    request = provider.requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.body["model"] == "test-model"
    assert request.body["stream"] is True
    assert request.headers["authorization"] == "Bearer sk-test-secret-key"


def test_the_provider_sees_the_viewed_page_and_the_passages(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, english_pdf: bytes
) -> None:
    with llm_server().client() as client:
        board_id, file_id = _board(client, english_pdf)
        client.post(f"/api/boards/{board_id}/notes", json={"title": "KPI", "text": "Watch churn."})
        client.put(f"/api/boards/{board_id}/view", json={"file_id": file_id, "page": 3})
        shown = client.get(f"/api/boards/{board_id}/context", params={"question": QUESTION})
        _expert(client, board_id)
    messages = provider.requests[0].body["messages"]
    assert messages == shown.json()["messages"]
    prompt = "\n".join(m["content"] for m in messages)
    assert "[report.pdf p.3]" in prompt
    assert "photovoltaic" in prompt
    assert "[report.pdf p.1]" in prompt
    assert "Revenue grew" in prompt
    assert "[note: KPI]" in prompt
    assert prompt.index("photovoltaic") < prompt.index("Revenue grew")
    assert messages[-1] == {"role": "user", "content": QUESTION}


def test_history_goes_into_the_next_prompt_and_is_kept(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, english_pdf: bytes
) -> None:
    provider.script(Reply(tokens=["First answer."]), Reply(tokens=["Second answer."]))
    with llm_server().client() as client:
        board_id, _ = _board(client, english_pdf)
        _expert(client, board_id, "first question, on revenue")
        _expert(client, board_id, "second question")
        history = client.get(f"/api/boards/{board_id}/history").json()["history"]
    assert [(h["question"], h["answer"], h["finish_reason"]) for h in history] == [
        ("first question, on revenue", "First answer.", "stop"),
        ("second question", "Second answer.", "stop"),
    ]
    assert history[0]["sources"][0]["filename"] == "report.pdf"
    second = provider.requests[1].body["messages"]
    assert {"role": "user", "content": "first question, on revenue"} in second
    assert {"role": "assistant", "content": "First answer."} in second


def test_a_disconnect_closes_the_upstream_connection(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, english_pdf: bytes
) -> None:
    provider.script(Reply(tokens=["word "] * 200, delay=0.2))
    with llm_server(reconnect_grace_s=0).client() as client:
        board_id, _ = _board(client, english_pdf)
        with client.stream(
            "GET", "/api/expert/stream", params={"board_id": board_id, "question": QUESTION}
        ) as response:
            stream_id = sse.until(response, "delta")[-1].stream_id
        seen = provider.wait_for_requests(1)[0]
        assert seen.closed.wait(15), "the provider never saw its connection close"
        assert seen.finished_at is None
        assert seen.tokens_sent < 200
        wait_for(lambda: stream_state(client, stream_id) == "cancelled", what="cancellation")
        history = client.get(f"/api/boards/{board_id}/history").json()["history"]
    assert history[0]["finish_reason"] == "interrupted"
    assert history[0]["answer"].startswith("word")


def test_failures_before_the_first_token_are_retried(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, english_pdf: bytes
) -> None:
    provider.script(Reply(status=503), Reply(status=429), Reply(tokens=["Fine."]))
    with llm_server().client() as client:
        board_id, _ = _board(client, english_pdf)
        events = _expert(client, board_id)
    assert events[-1].event == "done"
    assert events[-1].data["answer"] == "Fine."
    retries = [e.data for e in events if e.event == "step" and e.data["name"] == "retry"]
    assert [r["status"] for r in retries] == ["warning", "warning"]
    assert len(provider.requests) == 3


def test_a_drop_after_the_first_token_ends_in_a_retryable_error(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, english_pdf: bytes
) -> None:
    provider.script(Reply(tokens=["one ", "two ", "three"], drop_after=2))
    with llm_server().client() as client:
        board_id, _ = _board(client, english_pdf)
        events = _expert(client, board_id)
    assert [e.data["text"] for e in events if e.event == "delta"] == ["one ", "two "]
    assert events[-1].event == "error"
    assert events[-1].data["code"] == "llm_unavailable"
    assert events[-1].data["retryable"] is True
    assert len(provider.requests) == 1  # no retry once text went out


def test_a_stall_ends_in_llm_timeout(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, english_pdf: bytes
) -> None:
    provider.script(Reply(tokens=["one ", "two"], stall_after=1))
    with llm_server(llm_timeout_s=1).client() as client:
        board_id, _ = _board(client, english_pdf)
        events = _expert(client, board_id)
    assert events[-1].event == "error"
    assert events[-1].data["code"] == "llm_timeout"


@pytest.mark.parametrize(
    ("status", "code"),
    [(401, "llm_auth"), (403, "llm_auth"), (404, "llm_bad_response"), (400, "llm_bad_response")],
)
def test_refusals_map_to_error_codes_without_the_key(
    llm_server: Callable[..., LiveServer],
    provider: FakeOpenAI,
    english_pdf: bytes,
    status: int,
    code: str,
) -> None:
    provider.script(
        Reply(
            status=status,
            error_body={
                "error": {"message": "Incorrect API key provided: sk-test-secret-key", "type": "x"}
            },
        )
    )
    with llm_server().client() as client:
        board_id, _ = _board(client, english_pdf)
        events = _expert(client, board_id)
    error = events[-1]
    assert (error.event, error.data["code"], error.data["retryable"]) == ("error", code, False)
    assert "sk-test" not in error.data["message"]
    assert len(provider.requests) == 1


def test_the_assistant_consults_an_expert_proposes_and_the_user_confirms(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, english_pdf: bytes
) -> None:
    provider.script(
        Reply(
            tokens=[],
            tool_calls=[
                {
                    "name": "consult_expert",
                    "arguments": {"board": "Finance", "question": "Where is the factory?"},
                }
            ],
        ),
        Reply(tokens=["In Rotterdam ", "[report.pdf p.2]."]),  # the expert, nested
        Reply(
            tokens=[],
            tool_calls=[
                {
                    "name": "propose_command",
                    "arguments": {"action": "create_board", "name": "Rotterdam site"},
                }
            ],
        ),
        Reply(
            tokens=["The factory is in Rotterdam (board Finance). ", "I proposed a board for it."]
        ),
    )
    with llm_server().client() as client:
        _board(client, english_pdf)
        with client.stream(
            "GET",
            "/api/assistant/stream",
            params={"question": "Where is the factory? Make a board for it."},
        ) as response:
            events = sse.until_terminal(response)
        done = events[-1]
        assert done.event == "done"
        assert done.data["command"] == {"action": "create_board", "name": "Rotterdam site"}
        steps = [e.data["name"] for e in events if e.event == "step"]
        assert "tool:consult_expert" in steps
        assert "expert:first_token" in steps
        assert [b["name"] for b in client.get("/api/boards").json()["boards"]] == ["Finance"]
        confirmed = client.post("/api/assistant/commands", json={"command": done.data["command"]})
        assert confirmed.status_code == 200
        names = [b["name"] for b in client.get("/api/boards").json()["boards"]]
    assert names == ["Finance", "Rotterdam site"]
    tool_result = provider.requests[2].body["messages"][-1]
    assert tool_result["role"] == "tool"
    assert "In Rotterdam [report.pdf p.2]." in tool_result["content"]
    assert "tools" in provider.requests[0].body
    assert "tools" not in provider.requests[1].body  # the expert answers, it does not plan


@pytest.mark.parametrize(
    "command",
    [
        {"action": "explode"},
        {"action": "create_board"},
        {"action": "delete_board", "board_id": "brd_nope"},
    ],
)
def test_bad_commands_are_refused(client: httpx.Client, command: dict[str, Any]) -> None:
    response = client.post("/api/assistant/commands", json={"command": command})
    assert response.status_code in (404, 422)


def test_a_disconnect_before_the_first_token_closes_the_upstream_connection(
    llm_server: Callable[..., LiveServer], provider: FakeOpenAI, english_pdf: bytes
) -> None:
    provider.script(Reply(tokens=["never"], stall_after=0))  # the model thinks, silently
    with llm_server(reconnect_grace_s=0).client() as client:
        board_id, _ = _board(client, english_pdf)
        with client.stream(
            "GET", "/api/expert/stream", params={"board_id": board_id, "question": QUESTION}
        ) as response:
            engine = sse.until(response, lambda e: e.event == "step" and e.data["name"] == "engine")
            stream_id = engine[-1].stream_id
            provider.wait_for_requests(1)
        seen = provider.requests[0]
        assert seen.closed.wait(15), "the provider never saw its connection close"
        assert seen.tokens_sent == 0
        wait_for(lambda: stream_state(client, stream_id) == "cancelled", what="cancellation")
