"""Streams belong to who asked: a token's holder, or a client address without tokens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from tests import sse
from tests.conftest import LiveServer, upload
from tests.process import ServiceProcess


def _from(server: LiveServer, address: str, **kwargs: Any) -> httpx.Client:
    """A client whose connections come from `address` (any 127.x address is loopback)."""
    return server.client(transport=httpx.HTTPTransport(local_address=address), **kwargs)


def _ask(client: httpx.Client, board_id: str) -> str:
    posted = client.post(
        "/api/expert/questions", json={"board_id": board_id, "question": "Which risk?"}
    )
    assert posted.status_code == 202, posted.text
    stream_id: str = posted.json()["stream_id"]
    return stream_id


def _others_cannot_touch(other: httpx.Client, stream_id: str) -> None:
    assert other.get("/api/streams").json()["streams"] == []
    assert other.get(f"/api/streams/{stream_id}").status_code == 404
    assert other.get("/api/expert/stream", params={"stream_id": stream_id}).status_code == 404
    assert other.post(f"/api/streams/{stream_id}/cancel").status_code == 404


def _owner_can(owner: httpx.Client, stream_id: str) -> None:
    assert [s["stream_id"] for s in owner.get("/api/streams").json()["streams"]] == [stream_id]
    with owner.stream("GET", "/api/expert/stream", params={"stream_id": stream_id}) as r:
        assert sse.until_terminal(r)[-1].event == "done"


def test_any_client_could_list_read_and_cancel_every_stream(
    server: LiveServer, english_pdf: bytes
) -> None:
    """Without tokens, a stream was anyone's: now only its client address sees it."""
    with _from(server, "127.0.0.1") as mine, _from(server, "127.0.0.2") as theirs:
        board_id = mine.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(mine, board_id, english_pdf)
        stream_id = _ask(mine, board_id)
        _others_cannot_touch(theirs, stream_id)
        _owner_can(mine, stream_id)


def test_with_tokens_a_stream_belongs_to_the_token_that_asked(
    make_server: Callable[..., LiveServer], english_pdf: bytes
) -> None:
    """Several tokens: each holder sees only its own streams, from whatever address."""
    server = make_server(api_tokens=("alpha-token", "beta-token"))
    alpha = {"authorization": "Bearer alpha-token"}
    beta = {"authorization": "Bearer beta-token"}
    with (
        _from(server, "127.0.0.1", headers=alpha) as a,
        _from(server, "127.0.0.1", headers=beta) as b,
        _from(server, "127.0.0.3", headers=alpha) as a_elsewhere,
    ):
        board_id = a.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(a, board_id, english_pdf)
        stream_id = _ask(a, board_id)
        _others_cannot_touch(b, stream_id)
        _owner_can(a_elsewhere, stream_id)
        assert b.get("/healthz").json()["auth"] is True


def _second_question(env: dict[str, str], tmp_path: Path) -> int:
    """Ask twice as two addresses behind a proxy, with one stream allowed per client."""
    # A slow answer: the first stream is still running when the second question comes,
    # however fast an empty board's answer would otherwise be.
    env = {
        "BOARDROOM_MAX_STREAMS_PER_CLIENT": "1",
        "BOARDROOM_EXTRACTIVE_DELAY_MS": "1500",
        "BOARDROOM_SHUTDOWN_GRACE_S": "0.1",
        **env,
    }
    with (
        ServiceProcess(tmp_path, env=env) as service,
        httpx.Client(base_url=service.url, timeout=30) as client,
    ):
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        statuses = []
        for forwarded in ("203.0.113.1", "203.0.113.2"):
            # Nobody attaches, and the answer is slow: the first stream keeps counting.
            response = client.post(
                "/api/expert/questions",
                json={"board_id": board_id, "question": "Which risk?"},
                headers={"x-forwarded-for": forwarded},
            )
            statuses.append(response.status_code)
        return statuses[1]


def test_x_forwarded_for_from_loopback_let_a_client_choose_its_own_limit(tmp_path: Path) -> None:
    """Any local process could claim any address; proxies must be named to be believed."""
    assert _second_question({}, tmp_path / "untrusted") == 429
    trusted = {"BOARDROOM_TRUSTED_PROXIES": "127.0.0.1"}
    assert _second_question(trusted, tmp_path / "trusted") == 202
