"""The WebSocket shim: the old socket protocol over the same stream core as SSE.

    client ── {"query", "board_id", "history"} ──►  validate (bad: {"error"} + close 1007/1008)
                                                     questions.ask (the same as a POST)
    client ◄── {"debug", "status", "timestamp"}      per step
           ◄── {"chunk"}                             per delta, or per run of deltas
                                                     waiting for a reader that is behind
           ◄── {"done", "full_response", …}          or {"error"}
           ◄── close 1000

One task sends what the event log holds; another waits for the client to leave. Leaving
cancels the sender, so nothing is ever sent after a close; the detach it causes is the
same one an SSE reader's disconnect causes, with the same grace.

The old clients append each chunk's text, so the deltas that wait together for a reader
(those it finds in one read of the log) go out as one chunk frame: the same text in
fewer frames. A reader that keeps up finds one delta at a time, and gets each at once.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from typing import Any

import anyio
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState

from service.errors import BadRequest, BoardNotFound, BoardroomError
from service.llm.questions import KINDS, Kind
from service.routes import inputs
from service.routes.state import Services, owner, services
from service.streams.events import (
    Cancelled,
    Done,
    Failed,
    Payload,
    Step,
    StreamEvent,
    StreamInfo,
    decode,
    split_body,
    to_json,
)
from service.streams.log import subscription

log = logging.getLogger(__name__)

FIRST_FRAME_TIMEOUT_S = 30.0
CLOSE_NORMAL = 1000
CLOSE_INVALID_DATA = 1007
CLOSE_POLICY = 1008
CLOSE_ERROR = 1011
CLOSE_TRY_LATER = 1013


class _Refused(Exception):
    def __init__(self, message: str, code: int) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def shim(kind: Kind) -> Callable[[WebSocket], Awaitable[None]]:
    async def endpoint(websocket: WebSocket) -> None:
        await websocket.accept()
        svc = services(websocket)
        try:
            info = await _start(svc, websocket, kind)
        except _Refused as refused:
            await _refuse(websocket, refused)
            return
        except WebSocketDisconnect:
            return
        except Exception:
            # Whatever went wrong, the client gets a reason and a close code, never 1006.
            log.exception("the WebSocket shim failed before the answer started")
            await _refuse(websocket, _Refused("the service failed; try again", CLOSE_ERROR))
            return
        await _relay(svc, websocket, info)

    return endpoint


async def _start(svc: Services, websocket: WebSocket, kind: Kind) -> StreamInfo:
    with anyio.move_on_after(FIRST_FRAME_TIMEOUT_S) as timer:
        message = await websocket.receive()
    if timer.cancelled_caught:
        raise _Refused("no question arrived", CLOSE_POLICY)
    if message["type"] == "websocket.disconnect":
        raise WebSocketDisconnect(message.get("code", 1000))
    raw = message.get("text") or (message.get("bytes") or b"").decode("utf-8", "replace")
    try:
        frame = inputs.parse_json(raw)
    except BadRequest as exc:
        raise _Refused(f"the first frame must be JSON: {exc.message}", CLOSE_INVALID_DATA) from exc
    if not isinstance(frame, dict) or not isinstance(frame.get("query"), str):
        raise _Refused("the first frame must be a JSON object with a 'query'", CLOSE_INVALID_DATA)
    try:
        info, _ = await svc.questions.ask(
            kind,
            frame["query"],
            inputs.string(frame, "board_id"),
            client=owner(websocket),
        )
    except BoardNotFound as exc:
        raise _Refused(exc.message, CLOSE_POLICY) from exc
    except BoardroomError as exc:
        code = CLOSE_TRY_LATER if exc.status in (429, 503) else CLOSE_INVALID_DATA
        raise _Refused(exc.message, code) from exc
    return info


async def _refuse(websocket: WebSocket, refused: _Refused) -> None:
    with suppress(WebSocketDisconnect, OSError, RuntimeError):
        await websocket.send_json({"error": refused.message})
        await websocket.close(refused.code, refused.message[:120])


async def _relay(svc: Services, websocket: WebSocket, info: StreamInfo) -> None:
    left = False
    async with anyio.create_task_group() as tg:

        async def until_gone() -> None:
            nonlocal left
            # Later frames mean nothing to the old protocol; only the goodbye matters.
            while (await websocket.receive())["type"] != "websocket.disconnect":
                pass
            left = True
            tg.cancel_scope.cancel()

        tg.start_soon(until_gone)
        await _send_events(svc, websocket, info)
        tg.cancel_scope.cancel()
    if not left and websocket.application_state == WebSocketState.CONNECTED:
        with suppress(WebSocketDisconnect, OSError, RuntimeError):
            await websocket.close(CLOSE_NORMAL)


async def _send_events(svc: Services, websocket: WebSocket, info: StreamInfo) -> None:
    counts = svc.metrics.ws
    counts.attached.inc()
    ended = False
    try:
        async with subscription(svc.events, info.stream_id, 0) as batches:
            async for batch in batches:
                for frame in frames(batch, info.kind):
                    await websocket.send_text(frame)
                counts.sent.inc(len(batch))
                ended = batch[-1].terminal
        ended = True
    except (WebSocketDisconnect, OSError):
        pass  # The client left while we were sending; until_gone sees it too.
    except BoardroomError as exc:
        log.warning("stream %s cut off: %s", info.stream_id, exc.message)
        with suppress(WebSocketDisconnect, OSError, RuntimeError):
            await websocket.send_json({"error": exc.message})
    finally:
        counts.attached.dec()
        if not ended:
            counts.gone.inc()


_DELTA_HEAD = b'{"text":"'
_DELTA_TAIL = b'"}\n\n'


def frames(batch: list[StreamEvent], kind: str) -> list[str]:
    """The old protocol's frames (JSON) for events read together; a run of deltas is one chunk."""
    out: list[str] = []
    run: list[bytes] = []
    for item in batch:
        name, data = split_body(item.wire)
        if name == "delta":
            run.append(_escaped_text(data))
            continue
        if run:
            out.append(_chunk(run))
            run = []
        frame = _frame(decode(name, json.loads(data)), kind)
        if frame is not None:
            out.append(json.dumps(frame, ensure_ascii=False))
    if run:
        out.append(_chunk(run))
    return out


def _escaped_text(data: bytes) -> bytes:
    # JSON escapes each character on its own, so the escaped texts of the deltas join
    # into the escaped text of their chunk: no decoding and encoding again.
    if data.startswith(_DELTA_HEAD) and data.endswith(_DELTA_TAIL):
        return data[len(_DELTA_HEAD) : -len(_DELTA_TAIL)]
    return to_json(json.loads(data)["text"]).encode()[1:-1]  # not our encoder's shape


def _chunk(escaped: list[bytes]) -> str:
    return (b'{"chunk":"' + b"".join(escaped) + b'"}').decode()


def _frame(event: Payload, kind: str) -> dict[str, Any] | None:
    if isinstance(event, Step):
        return {"debug": event.message, "status": event.status, "timestamp": time.time()}
    if isinstance(event, Done):
        done: dict[str, Any] = {
            "done": True,
            "full_response": event.answer,
            "timestamp": time.time(),
        }
        if kind == "assistant":
            done["command"] = event.command
        return done
    if isinstance(event, Failed):
        return {"error": event.message}
    if isinstance(event, Cancelled):
        return {"error": f"the answer was cancelled ({event.reason})"}
    return None  # start and context have no frame in the old protocol


routes = [WebSocketRoute(f"/api/{kind}/stream", shim(kind)) for kind in KINDS]
