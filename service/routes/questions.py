"""Questions and their SSE streams: submit, stream (or submit-and-stream), resume."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Annotated

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from typing_extensions import TypedDict

from service.errors import BadRequest
from service.llm.questions import KINDS, MAX_QUESTION, Kind
from service.routes import inputs
from service.routes.openapi import EventStream, Param, api
from service.routes.responses import json_response
from service.routes.state import owner, services
from service.streams.events import PAYLOADS, parse_event_id
from service.streams.sse import SSEResponse, stream_events

Endpoint = Callable[[Request], Awaitable[Response]]
Question = Annotated[str, Field(min_length=1, max_length=MAX_QUESTION)]


class AssistantQuestion(TypedDict):
    """A question for the assistant, which knows every board."""

    question: Question


class ExpertQuestion(TypedDict):
    """A question for one board's expert."""

    board_id: str
    question: Question


class StreamRef(TypedDict):
    """Where the question's answer streams."""

    stream_id: str
    stream_url: str


BODIES = {"expert": ExpertQuestion, "assistant": AssistantQuestion}
EVENTS = EventStream(
    "The answer's events. Each has `id: <stream_id>:<n>`, an `event:` name and one line of "
    "JSON `data:`; the first write carries `retry:`, `: ping` comments fill silence, and "
    "exactly one of `done`, `error`, `cancelled` ends the stream.",
    PAYLOADS,
)
IDEMPOTENCY_KEY = Param(
    "Idempotency-Key", "header", description="a retry with the same key gets the same stream"
)
# The questions' own refusals: a bad question, an unknown board, a limit, shutting down.
REFUSALS = (404, 422, 429, 503)


def _stream_url(kind: str, stream_id: str) -> str:
    return f"/api/{kind}/stream?stream_id={stream_id}"


def post_question(kind: Kind) -> Endpoint:
    @api(
        {202: StreamRef, 200: StreamRef},
        body=BODIES[kind],
        params=(IDEMPOTENCY_KEY,),
        errors=REFUSALS,
        headers=("Location",),
        summary=f"Ask the {kind} a question; its answer starts now (200: the keyed one).",
        operation_id=f"ask_{kind}",
    )
    async def endpoint(request: Request) -> Response:
        body = await inputs.json_object(request)
        info, created = await services(request).questions.ask(
            kind,
            inputs.string(body, "question"),
            inputs.string(body, "board_id"),
            client=owner(request),
            idempotency_key=request.headers.get("idempotency-key") or None,
        )
        url = _stream_url(kind, info.stream_id)
        return json_response(
            StreamRef(stream_id=info.stream_id, stream_url=url),
            202 if created else 200,
            {"Location": url},
        )

    return endpoint


def get_stream(kind: Kind) -> Endpoint:
    board = Param("board_id", description="one-shot: the board to ask")
    one_shot: tuple[Param, ...] = (board,) if kind == "expert" else ()

    @api(
        {200: EVENTS, 204: None},
        params=(
            Param("stream_id", description="the stream to read; without it, ask `question`"),
            Param("question", type=Question, description="one-shot: ask and stream at once"),
            *one_shot,
            Param("Last-Event-ID", "header", description="resume after this event id"),
            Param("last_event_id", description="the same, for clients that cannot set headers"),
            IDEMPOTENCY_KEY,
        ),
        errors=(403, *REFUSALS),
        summary=f"The SSE stream of an answer of the {kind}, or ask and stream at once; "
        "204 once a resumed stream has nothing more.",
        operation_id=f"stream_{kind}",
    )
    async def endpoint(request: Request) -> Response:
        svc = services(request)
        params = request.query_params
        last_id = request.headers.get("last-event-id") or params.get("last_event_id") or ""
        stream_id = params.get("stream_id")
        after = 0
        if stream_id:
            after = _after(last_id, stream_id)
        elif last_id:
            # An EventSource reconnecting to the one-shot URL: resume, never ask again.
            parsed = parse_event_id(last_id)
            if parsed is None or parsed[0] is None:
                raise BadRequest("Last-Event-ID must look like <stream_id>:<n>")
            stream_id, after = parsed[0], parsed[1]
        else:
            info, _ = await svc.questions.ask(
                kind,
                params.get("question"),
                params.get("board_id"),
                client=owner(request),
                idempotency_key=request.headers.get("idempotency-key") or None,
            )
            stream_id = info.stream_id
        info = await svc.questions.stream(stream_id, kind, owner=owner(request))
        if after > info.events:
            raise BadRequest(f"stream {stream_id} has only {info.events} events")
        if info.state != "running" and after >= info.events:
            return Response(status_code=204)  # Over: tells EventSource not to reconnect.
        return SSEResponse(
            partial(stream_events, svc.events, info, after, svc.settings.ping_s, svc.metrics.sse)
        )

    return endpoint


def _after(last_id: str, stream_id: str) -> int:
    if not last_id:
        return 0
    parsed = parse_event_id(last_id, stream_id)
    if parsed is None:
        raise BadRequest("Last-Event-ID must be <stream_id>:<n> or n")
    if parsed[0] != stream_id:
        raise BadRequest("Last-Event-ID names another stream")
    return parsed[1]


routes = [
    *(Route(f"/api/{kind}/questions", post_question(kind), methods=["POST"]) for kind in KINDS),
    *(Route(f"/api/{kind}/stream", get_stream(kind), methods=["GET"]) for kind in KINDS),
]
