"""Safe to expose: other sites' pages, foreign Host names, uploaded files and the logs."""

from __future__ import annotations

import contextlib
import json
import logging
import socket
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

from service.settings import Settings, SettingsError
from tests.conftest import LiveServer, upload

EVIL = "https://evil.example"
QUESTION = "How did revenue grow in the third quarter?"


def error_code(response: httpx.Response) -> str:
    code: str = response.json()["error"]["code"]
    return code


def streams(client: httpx.Client) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.get("/api/streams").json()["streams"]
    return found


def polyglot(pdf: bytes) -> bytes:
    """A real PDF that an HTML parser would also read, and run, as a page."""
    return pdf + b"\n<html><body><script>alert(document.domain)</script></body></html>\n"


# Cross-site requests


def test_any_web_page_could_create_a_board_with_a_cross_site_post(
    client: httpx.Client,
) -> None:
    """A form or fetch on any site could POST to the service in its visitor's browser."""
    response = client.post("/api/boards", json={"name": "Planted"}, headers={"Origin": EVIL})
    assert response.status_code == 403
    assert error_code(response) == "forbidden_origin"
    assert client.get("/api/boards").json()["boards"] == []


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_any_web_page_could_delete_a_board_with_a_cross_site_request(
    client: httpx.Client, board: dict[str, Any], method: str
) -> None:
    """A page of another origin could rename or delete a board."""
    path = f"/api/boards/{board['board_id']}"
    response = client.request(method, path, json={"name": "Gone"}, headers={"Origin": EVIL})
    assert response.status_code == 403
    assert error_code(response) == "forbidden_origin"
    assert client.get(path).json()["name"] == board["name"]


@pytest.mark.parametrize(
    "origin",
    ["null", "http://127.0.0.1:1", "https://{host}", "http://{host}.evil.example"],
)
def test_an_origin_that_only_resembled_ours_was_let_through(
    server: LiveServer, client: httpx.Client, origin: str
) -> None:
    """Another port, another scheme, a longer name or an opaque origin is not the service's."""
    host = server.url.removeprefix("http://")
    headers = {"Origin": origin.format(host=host)}
    response = client.post("/api/assistant/questions", json={"question": "hi"}, headers=headers)
    assert response.status_code == 403
    assert streams(client) == []


def test_a_cross_site_page_could_start_a_generation_with_a_one_shot_get(
    client: httpx.Client,
) -> None:
    """An EventSource, an <img> or a link on another site could ask questions on our bill."""
    params = {"question": QUESTION}
    sent = client.get("/api/assistant/stream", params=params, headers={"Origin": EVIL})
    assert sent.status_code == 403
    assert error_code(sent) == "forbidden_origin"
    # An <img> or a link sends no Origin, but the browser says where the request comes from.
    embedded = client.get(
        "/api/assistant/stream", params=params, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert embedded.status_code == 403
    assert streams(client) == []


def test_a_cross_site_page_could_open_the_websocket_shim(
    server: LiveServer, board: dict[str, Any]
) -> None:
    """The shim answered any page's handshake, and asked its question."""
    url = server.url.replace("http", "ws", 1) + "/api/expert/stream"
    with connect(url, origin=Origin(EVIL), open_timeout=10, close_timeout=10) as ws:
        frames = ask_over_websocket(ws, board["board_id"])
        assert ws.close_code == 1008
        assert ws.close_reason == "forbidden_origin"
    assert [set(f) for f in frames] == [{"error"}]


def ask_over_websocket(ws: ClientConnection, board_id: str) -> list[dict[str, Any]]:
    """Send a question the shim would answer at once; every frame until the close."""
    frames = []
    with contextlib.suppress(ConnectionClosed):
        ws.send(json.dumps({"query": QUESTION, "board_id": board_id, "history": []}))
    with contextlib.suppress(ConnectionClosed):
        while True:
            frames.append(json.loads(ws.recv(timeout=30)))
    return frames


def test_the_origin_check_let_through_curl_the_page_itself_and_listed_origins(
    make_server: Callable[..., LiveServer], english_pdf: bytes
) -> None:
    """Guard: no Origin, the service's own origin, a CORS origin, and reads all still work."""
    app = "http://app.example:3000"
    server = make_server(cors_origins=(app,))
    own = server.url
    with server.client() as client:
        assert client.post("/api/boards", json={"name": "curl"}).status_code == 201
        for origin in (own, app, app + "/"):
            made = client.post("/api/boards", json={"name": "page"}, headers={"Origin": origin})
            assert made.status_code == 201, (origin, made.text)
        board_id = made.json()["board_id"]
        assert upload(client, board_id, english_pdf).status_code == 201
        asked = client.post(
            "/api/expert/questions",
            json={"board_id": board_id, "question": QUESTION},
            headers={"Origin": own},
        )
        assert asked.status_code == 202
        stream_id = asked.json()["stream_id"]
        # Reading (and resuming) a stream starts nothing: any origin may ask, CORS hides it.
        for params in ({"stream_id": stream_id}, {"last_event_id": f"{stream_id}:0"}):
            read = client.get("/api/expert/stream", params=params, headers={"Origin": EVIL})
            assert read.status_code == 200, read.text
            assert "event: done" in read.text
        assert client.get("/api/boards", headers={"Origin": EVIL}).status_code == 200
        same = {"Sec-Fetch-Site": "same-origin"}
        one_shot = client.get("/api/assistant/stream", params={"question": "hi"}, headers=same)
        assert one_shot.status_code == 200


def test_a_blank_stream_id_after_a_real_one_slipped_a_question_past_the_check(
    server: LiveServer, client: httpx.Client
) -> None:
    """The route reads the last `stream_id`; the check must read the same one."""
    stream_id = client.post("/api/assistant/questions", json={"question": "hi"}).json()["stream_id"]
    query = f"stream_id={stream_id}&stream_id=&question=again"
    response = client.get(f"/api/assistant/stream?{query}", headers={"Origin": EVIL})
    assert response.status_code == 403
    assert len(streams(client)) == 1


# Host names


def test_any_host_was_accepted(server: LiveServer, client: httpx.Client) -> None:
    """A DNS-rebinding page (evil.example resolving to 127.0.0.1) could use the API."""
    for host in ("evil.example", "evil.example:80", "127.0.0.1.evil.example"):
        response = client.get("/api/boards", headers={"Host": host})
        assert response.status_code == 400, host
        assert error_code(response) == "bad_host"
        assert response.headers["x-content-type-options"] == "nosniff"
    for host in ("localhost", f"localhost:{server.port}", "127.0.0.1", "[::1]:8000", "LOCALHOST."):
        assert client.get("/api/boards", headers={"Host": host}).status_code == 200, host
    # Health probes often address the service by its IP: they are not refused.
    assert client.get("/healthz", headers={"Host": "10.1.2.3:8000"}).status_code == 200


def test_a_rebound_host_could_open_the_websocket_shim(
    server: LiveServer, board: dict[str, Any]
) -> None:
    """A rebinding page could speak to the WebSocket shim as well as to the HTTP API."""
    # Connected to the server, with a URL (and so a Host header) naming another host.
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    url = f"ws://evil.example:{server.port}/api/expert/stream"
    with connect(url, sock=sock, open_timeout=10, close_timeout=10) as ws:
        frames = ask_over_websocket(ws, board["board_id"])
        assert ws.close_code == 1008
        assert ws.close_reason == "bad_host"
    assert [set(f) for f in frames] == [{"error"}]


def test_allowed_hosts_named_the_public_name_and_wildcards(
    make_server: Callable[..., LiveServer],
) -> None:
    """A deployment's own names, `*.` suffixes and `*` are honoured; the defaults then are not."""
    server = make_server(allowed_hosts=("Boards.Example.com", "*.corp.example"))
    with server.client() as client:
        for host in ("boards.example.com:8443", "a.corp.example", "a.b.corp.example"):
            assert client.get("/api/boards", headers={"Host": host}).status_code == 200, host
        for host in ("corp.example", "127.0.0.1", "example.com"):
            assert client.get("/api/boards", headers={"Host": host}).status_code == 400, host
    anything = make_server(allowed_hosts=("*",))
    with anything.client() as client:
        assert client.get("/api/boards", headers={"Host": "whatever"}).status_code == 200


def test_the_default_hosts_followed_the_bound_address() -> None:
    """Loopback names always; the bound address too, unless it is every interface."""
    assert Settings.from_env({}).host_names == ("localhost", "127.0.0.1", "::1")
    assert Settings.from_env({}, host="10.0.0.5").host_names[-1] == "10.0.0.5"
    for every in ("0.0.0.0", "::"):
        assert Settings.from_env({}, host=every).host_names == ("localhost", "127.0.0.1", "::1")
    env = {"BOARDROOM_ALLOWED_HOSTS": "boards.example.com, [::1]:8000"}
    assert Settings.from_env(env).host_names == ("boards.example.com", "::1")


def test_allowed_hosts_written_as_urls_matched_nothing() -> None:
    """`https://boards.example.com` would never equal a Host header: refused at start."""
    with pytest.raises(SettingsError, match="ALLOWED_HOSTS"):
        Settings.from_env({"BOARDROOM_ALLOWED_HOSTS": "https://boards.example.com"})


# Logs


def test_the_token_was_written_to_the_access_log(
    make_server: Callable[..., LiveServer], caplog: pytest.LogCaptureFixture
) -> None:
    """EventSource passes the token as ?token=, and uvicorn logged every request line whole."""
    server = make_server(api_token="s3cret-token")
    caplog.set_level(logging.INFO, logger="uvicorn")
    with server.client() as client:
        assert client.get("/api/boards", params={"token": "s3cret-token"}).status_code == 200
        assert client.get("/api/boards?x=1&token=s3cret-token&y=2").status_code == 200
    url = server.url.replace("http", "ws", 1) + "/api/assistant/stream?token=s3cret-token"
    with connect(url, open_timeout=10, close_timeout=10):
        pass
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("uvicorn")]
    assert any("/api/boards?token=[redacted]" in line for line in lines), lines
    assert any("x=1&token=[redacted]&y=2" in line for line in lines), lines
    assert any("WebSocket /api/assistant/stream?token=[redacted]" in line for line in lines), lines
    assert not [line for line in lines if "s3cret" in line]


# Headers


def test_a_pdf_html_polyglot_was_served_inline_without_a_sandbox(
    client: httpx.Client, board: dict[str, Any], english_pdf: bytes
) -> None:
    """Opened from a link, an uploaded file ran in our origin's page with no CSP."""
    data = polyglot(english_pdf)
    record = upload(client, board["board_id"], data, "report.pdf").json()
    raw = f"/api/boards/{board['board_id']}/files/{record['file_id']}/raw"
    saved = client.get(raw)
    assert saved.content == data
    assert saved.headers["content-type"] == "application/pdf"
    assert saved.headers["content-disposition"].startswith("attachment;")
    assert saved.headers["x-content-type-options"] == "nosniff"
    shown = client.get(raw, params={"inline": "1"})
    assert shown.headers["content-disposition"].startswith("inline;")
    for response in (saved, shown):
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp
        assert "sandbox" in csp.split("; ")


def test_responses_lacked_nosniff(
    server: LiveServer, client: httpx.Client, board: dict[str, Any]
) -> None:
    """No response told browsers not to guess its type, nor kept the page out of frames."""
    responses = [
        client.get("/"),
        client.get("/js/app.js"),
        client.get("/healthz"),
        client.get("/api/boards"),
        client.get("/api/boards/brd_nope"),
        client.post("/api/boards", content=b"{", headers={"Content-Type": "application/json"}),
        client.get("/api/assistant/stream", params={"question": "hi"}),
        client.post("/api/boards", json={}, headers={"Origin": EVIL}),
    ]
    for response in responses:
        where = f"{response.request.method} {response.request.url.path} {response.status_code}"
        assert response.headers["x-content-type-options"] == "nosniff", where
        assert response.headers["referrer-policy"] == "no-referrer", where
        assert response.headers["x-frame-options"] == "DENY", where
        if response.request.url.path.startswith("/api/"):
            assert "sandbox" in response.headers["content-security-policy"].split("; "), where


def test_the_page_ran_without_a_content_security_policy(client: httpx.Client) -> None:
    """An injected script or style would have run: nothing said where the page's code comes from."""
    for path in ("/", "/index.html"):
        response = client.get(path)
        assert response.headers["content-type"].startswith("text/html")
        directives = dict(
            d.split(" ", 1) for d in response.headers["content-security-policy"].split("; ")
        )
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
        assert directives["object-src"] == "'none'"
        assert "unsafe-inline" not in response.headers["content-security-policy"]
