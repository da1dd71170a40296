"""Clients that vanish without a word, or never finish a request, are noticed and let go."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import LiveServer, upload, wait_for
from tests.process import ServiceProcess, free_port

TOKEN = "vanishing-token"

CLIENT = """
import sys, httpx
base, board, token = sys.argv[1:4]
headers = {"authorization": "Bearer " + token}
with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
    question = {"board_id": board, "question": "Which risk?"}
    posted = client.post("/api/expert/questions", json=question)
    print("stream", posted.json()["stream_id"], flush=True)
    with client.stream("GET", posted.json()["stream_url"]) as response:
        for line in response.iter_lines():
            if line.startswith("event: delta"):
                print("delta", flush=True)
"""


def test_slow_request_headers_held_a_connection_forever(
    make_server: Callable[..., LiveServer],
) -> None:
    """A client that never finished its headers kept its connection, 500 of them too."""
    server = make_server(header_timeout_s=0.5)
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        assert sock.recv(1024) == b""  # closed by the service, well before the 10 s wait


def _run(*args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, text=True)


@pytest.fixture
def namespace() -> Iterator[tuple[str, str, str]]:
    """A network namespace joined to this host by a veth pair: (name, host addr, its addr)."""
    tag = f"{os.getpid() % 10000}"
    name, host_if, ns_if = f"brv{tag}", f"brh{tag}", f"brc{tag}"
    octet = os.getpid() % 200 + 20
    host_addr, ns_addr = f"10.231.{octet}.1", f"10.231.{octet}.2"
    try:
        _run("ip", "netns", "add", name)
    except (OSError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        pytest.fail(f"NETWORK NAMESPACES CANNOT BE MADE HERE, so this was not tested: {detail}")
    try:
        _run("ip", "link", "add", host_if, "type", "veth", "peer", "name", ns_if)
        _run("ip", "link", "set", ns_if, "netns", name)
        _run("ip", "addr", "add", f"{host_addr}/30", "dev", host_if)
        _run("ip", "link", "set", host_if, "up")
        _run("ip", "netns", "exec", name, "ip", "addr", "add", f"{ns_addr}/30", "dev", ns_if)
        _run("ip", "netns", "exec", name, "ip", "link", "set", ns_if, "up")
        _run("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up")
        yield name, host_addr, ns_if
    finally:
        subprocess.run(["ip", "link", "del", host_if], capture_output=True)
        subprocess.run(["ip", "netns", "del", name], capture_output=True)


def test_a_client_gone_without_a_fin_kept_its_answer_running_to_the_end(
    tmp_path: Path, english_pdf: bytes, namespace: tuple[str, str, str]
) -> None:
    """Wi-Fi dropped: no FIN, no RST, and the generation ran on; TCP now notices."""
    name, host_addr, ns_if = namespace
    port = free_port()
    env = {
        "BOARDROOM_HOST": host_addr,
        "BOARDROOM_API_TOKENS": TOKEN,
        "BOARDROOM_EXTRACTIVE_DELAY_MS": "1500",  # an answer of a minute and more
        "BOARDROOM_RECONNECT_GRACE_S": "1",
    }
    service = ServiceProcess(tmp_path, env=env)
    service.args[service.args.index("--port") + 1] = str(port)
    base = f"http://{host_addr}:{port}"
    with (
        service,
        httpx.Client(
            base_url=base, headers={"authorization": f"Bearer {TOKEN}"}, timeout=30
        ) as client,
    ):
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        upload(client, board_id, english_pdf)
        reader = subprocess.Popen(
            ["ip", "netns", "exec", name, sys.executable, "-c", CLIENT, base, board_id, TOKEN],
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert reader.stdout is not None
            stream_id = reader.stdout.readline().split()[1]
            assert reader.stdout.readline().strip() == "delta"
            # The client's side goes dark: its link down, the process frozen. Nothing
            # tells the service; only the missing acknowledgements can.
            _run("ip", "netns", "exec", name, "ip", "link", "set", ns_if, "down")
            reader.send_signal(signal.SIGSTOP)
            state = wait_for(
                lambda: (
                    (s := client.get(f"/api/streams/{stream_id}").json())["state"] != "running"
                    and s
                ),
                timeout=30 + 1 + 5,  # detection (issue: within 30 s), grace, the cancel itself
                what="the vanished client's stream to stop",
            )
        finally:
            reader.kill()
            reader.wait(10)
    assert state["state"] == "cancelled", state
