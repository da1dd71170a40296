"""Questions and their SSE streams: submit, stream (or submit-and-stream), resume."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.errors import BadRequest, StreamNotFound
from service.llm import pipelines, tools
from service.routes import inputs
from service.routes.responses import json_response
from service.routes.state import Services, services
from service.streams.events import StreamInfo, parse_event_id
from service.streams.sse import SSEResponse, stream_events

KINDS = ("expert", "assistant")


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def submit(
    svc: Services, client: str, kind: str, fields: dict[str, Any], idempotency_key: str | None
) -> tuple[StreamInfo, bool]:
    """Validate a question fully, then start its generation (or find the keyed one)."""
    question = inputs.text(fields, "question", max_len=inputs.MAX_QUESTION)
    boards, engine = svc.boards, svc.engine
    if kind == "expert":
        board_id = inputs.text(fields, "board_id", max_len=100)
        await boards.get_board(board_id)  # 404 before anything starts

        def expert(stream_id: str) -> Any:
            return pipelines.expert(boards, engine, board_id, question)

        return await svc.runner.submit(kind, board_id, question, client, expert, idempotency_key)

    def assistant(stream_id: str) -> Any:
        return pipelines.assistant(boards, engine, question)

    return await svc.runner.submit(kind, None, question, client, assistant, idempotency_key)


def _stream_url(kind: str, stream_id: str) -> str:
    return f"/api/{kind}/stream?stream_id={stream_id}"


def post_question(kind: str) -> Any:
    async def endpoint(request: Request) -> Response:
        svc = services(request)
        body = await inputs.json_object(request)
        key = request.headers.get("idempotency-key") or None
        info, created = await submit(svc, _client(request), kind, body, key)
        url = _stream_url(kind, info.stream_id)
        return json_response(
            {"stream_id": info.stream_id, "stream_url": url},
            202 if created else 200,
            {"Location": url},
        )

    return endpoint


def get_stream(kind: str) -> Any:
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
            fields = {"question": params.get("question"), "board_id": params.get("board_id")}
            key = request.headers.get("idempotency-key") or None
            info, _ = await submit(svc, _client(request), kind, fields, key)
            stream_id = info.stream_id
        info = await _info(svc, kind, stream_id)
        if after > info.events:
            raise BadRequest(f"stream {stream_id} has only {info.events} events")
        if info.state != "running" and after >= info.events:
            return Response(status_code=204)  # Over: tells EventSource not to reconnect.
        body = stream_events(svc.events, info, after, svc.settings.ping_s)
        return SSEResponse(body)

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


async def _info(svc: Services, kind: str | None, stream_id: str) -> StreamInfo:
    info = await svc.events.info(stream_id)
    if info is None or (kind is not None and info.kind != kind):
        raise StreamNotFound(f"no stream {stream_id!r} (unknown or expired)")
    return info


async def stream_status(request: Request) -> Response:
    info = await _info(services(request), None, request.path_params["stream_id"])
    return json_response(info.to_dict())


async def list_streams(request: Request) -> Response:
    state = request.query_params.get("state") or None
    if state not in (None, "running", "done", "error", "cancelled"):
        raise BadRequest("state must be running, done, error or cancelled")
    board_id = request.query_params.get("board_id") or None
    found = await services(request).events.streams(board_id, state)  # type: ignore[arg-type]
    return json_response({"streams": [s.to_dict() for s in found]})


async def cancel_stream(request: Request) -> Response:
    svc = services(request)
    stream_id = request.path_params["stream_id"]
    await _info(svc, None, stream_id)
    info = await svc.runner.cancel(stream_id)
    return json_response(info.to_dict())


async def run_command(request: Request) -> Response:
    """Carry out a command the assistant proposed and the user confirmed."""
    body = await inputs.json_object(request)
    command = body.get("command")
    if not isinstance(command, dict):
        raise BadRequest('the body must be {"command": {...}} as the assistant proposed it')
    result = await tools.execute(services(request).boards, command)
    return json_response(result)


routes = [
    Route("/api/assistant/commands", run_command, methods=["POST"]),
    *(Route(f"/api/{kind}/questions", post_question(kind), methods=["POST"]) for kind in KINDS),
    *(Route(f"/api/{kind}/stream", get_stream(kind), methods=["GET"]) for kind in KINDS),
    Route("/api/streams", list_streams, methods=["GET"]),
    Route("/api/streams/{stream_id}", stream_status, methods=["GET"]),
    Route("/api/streams/{stream_id}/cancel", cancel_stream, methods=["POST"]),
]
