"""`boardroom ask`: a terminal client that streams an answer, resumes, and stops on Ctrl-C."""

from __future__ import annotations

import contextlib
import json
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TextIO

import httpx

RECONNECTS = 10
EXIT_ERROR = 1
EXIT_CANCELLED = 3
EXIT_INTERRUPTED = 130
# A request that fails with one of these never reached the service.
_NOT_CONNECTED = (httpx.ConnectError, httpx.ConnectTimeout, httpx.UnsupportedProtocol)


class AskError(Exception):
    """Something the user must hear about; the message says what."""


@dataclass
class _Progress:
    stream_id: str = ""
    last_id: str = ""
    retry_s: float = 1.0
    terminal: dict[str, Any] | None = None
    terminal_event: str = ""
    answer: list[str] = field(default_factory=list)


def ask(
    base_url: str,
    question: str,
    *,
    board: str | None,
    token: str | None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Ask; print steps to `err` and the answer to `out`; the exit code says how it ended."""
    headers = {"authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(
        base_url=base_url, headers=headers, timeout=httpx.Timeout(10, read=None)
    ) as client:
        progress = _Progress()
        try:
            kind, body = _question(client, question, board)
            # Asking a board looked it up first; asking the assistant starts with the POST.
            progress.stream_id = _submit(client, kind, body, reached=board is not None)
            print(f"stream {progress.stream_id}", file=err, flush=True)
            _follow(client, kind, progress, out, err)
        except KeyboardInterrupt:
            if progress.stream_id:
                _stop(client, progress.stream_id)
            print("\nstopped", file=err, flush=True)
            return EXIT_INTERRUPTED
        except AskError as exc:
            print(f"boardroom ask: {exc}", file=err, flush=True)
            return EXIT_ERROR
    if progress.terminal_event == "error":
        assert progress.terminal is not None
        print(
            f"\nerror: {progress.terminal.get('message')} ({progress.terminal.get('code')})",
            file=err,
            flush=True,
        )
        return EXIT_ERROR
    if progress.terminal_event == "cancelled":
        assert progress.terminal is not None
        print(f"\ncancelled: {progress.terminal.get('reason')}", file=err, flush=True)
        return EXIT_CANCELLED
    print(file=out, flush=True)
    return 0


def _question(client: httpx.Client, question: str, board: str | None) -> tuple[str, dict[str, str]]:
    if board is None:
        return "assistant", {"question": question}
    try:
        response = client.get("/api/boards")
    except httpx.TransportError:
        raise _unreachable(client) from None
    boards = _json(response)["boards"]
    matches = [b for b in boards if board in (b["board_id"], b["name"])] or [
        b for b in boards if b["name"].casefold() == board.casefold()
    ]
    if len(matches) != 1:
        names = ", ".join(b["name"] for b in boards) or "none"
        reason = "several boards are" if matches else "no board is"
        raise AskError(f"{reason} called {board!r} (boards: {names})")
    return "expert", {"board_id": matches[0]["board_id"], "question": question}


def _submit(client: httpx.Client, kind: str, body: dict[str, str], *, reached: bool) -> str:
    # One key for every attempt: a retried POST finds the first generation, never a second.
    key = str(uuid.uuid4())
    for attempt in range(RECONNECTS):
        try:
            response = client.post(
                f"/api/{kind}/questions", json=body, headers={"idempotency-key": key}
            )
        except httpx.TransportError as exc:
            # Retry a service that answered before (it may be restarting), not a wrong address.
            if not reached and attempt == 0 and isinstance(exc, _NOT_CONNECTED):
                raise _unreachable(client) from None
            time.sleep(min(5.0, 0.5 * 2**attempt))
            continue
        stream_id: str = _json(response)["stream_id"]
        return stream_id
    raise _unreachable(client)


def _unreachable(client: httpx.Client) -> AskError:
    url = str(client.base_url).rstrip("/")
    return AskError(
        f'cannot reach the service at {url} (start it with "boardroom serve" or set BOARDROOM_URL)'
    )


def _follow(client: httpx.Client, kind: str, progress: _Progress, out: TextIO, err: TextIO) -> None:
    failures = 0
    while progress.terminal is None:
        headers = {"last-event-id": progress.last_id} if progress.last_id else {}
        try:
            with client.stream(
                "GET",
                f"/api/{kind}/stream",
                params={"stream_id": progress.stream_id},
                headers=headers,
            ) as response:
                if response.status_code == 204:
                    return
                if response.status_code != 200:
                    response.read()
                    _json(response)
                for event, data, event_id, retry in _events(response.iter_lines()):
                    failures = 0
                    progress.last_id = event_id or progress.last_id
                    progress.retry_s = retry / 1000 if retry else progress.retry_s
                    _show(event, data, progress, out, err)
                    if progress.terminal is not None:
                        return
        except (httpx.TransportError, httpx.RemoteProtocolError):
            failures += 1
            if failures > RECONNECTS:
                raise AskError("lost the connection to the service") from None
            print(
                f"\n(connection lost; resuming after {progress.last_id or 'the start'})",
                file=err,
                flush=True,
            )
            time.sleep(progress.retry_s)


def _show(event: str, data: dict[str, Any], progress: _Progress, out: TextIO, err: TextIO) -> None:
    if event == "step":
        print(f"· {data['message']} ({data['elapsed_ms']} ms)", file=err, flush=True)
    elif event == "context":
        for source in data["sources"]:
            print(f"  source: {source['filename']} p.{source['page']}", file=err, flush=True)
    elif event == "delta":
        progress.answer.append(data["text"])
        out.write(data["text"])
        out.flush()
    elif event in ("done", "error", "cancelled"):
        progress.terminal, progress.terminal_event = data, event


def _events(lines: Iterator[str]) -> Iterator[tuple[str, dict[str, Any], str, int | None]]:
    data: list[str] = []
    event, event_id, retry = "message", "", None
    for line in lines:
        if not line:
            if data:
                yield event, json.loads("\n".join(data)), event_id, retry
            event, data, event_id, retry = "message", [], "", None
        elif line.startswith("data:"):
            data.append(line[5:].removeprefix(" "))
        elif line.startswith("event:"):
            event = line[6:].strip()
        elif line.startswith("id:"):
            event_id = line[3:].strip()
        elif line.startswith("retry:") and line[6:].strip().isdigit():
            retry = int(line[6:].strip())


def _stop(client: httpx.Client, stream_id: str) -> None:
    # Should this fail, the server still cancels the stream once nobody is reading it.
    with contextlib.suppress(httpx.HTTPError):
        client.post(f"/api/streams/{stream_id}/cancel", timeout=5)


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        body: dict[str, Any] = response.json()
    except ValueError as exc:
        raise AskError(f"unexpected answer ({response.status_code})") from exc
    if response.status_code >= 400:
        error = body.get("error", {})
        raise AskError(f"{error.get('message', 'request failed')} ({response.status_code})")
    return body
