"""The OpenAPI 3.1 document of every HTTP route, built from its `@api`, and its route."""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Sequence
from http import HTTPStatus
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route, WebSocketRoute

from service import __version__
from service.errors import BoardroomError
from service.routes.openapi.schemas import Schemas
from service.routes.openapi.spec import (
    UPLOAD,
    Content,
    ErrorBody,
    EventStream,
    Operation,
    Param,
    api,
    operation,
)
from service.routes.responses import json_response

PATH = "/openapi.json"
_CHANGES = frozenset({"POST", "PUT", "PATCH", "DELETE"})  # what OriginCheck guards
_ERROR_HEADERS = {
    401: {"WWW-Authenticate": 'Bearer realm="boardroom"'},
    429: {"Retry-After": "seconds to wait before trying again"},
}
# {}: a token is needed only when the service is configured with some.
_SECURITY: list[dict[str, list[str]]] = [{"bearer": []}, {"token": []}, {}]


def route(routes: Sequence[BaseRoute]) -> Route:
    """The route serving the document of `routes` and of itself, built at its first request."""
    built: list[dict[str, Any]] = []

    @api({200: dict[str, Any]})
    async def openapi(request: Request) -> Response:
        """This document: every HTTP route with its parameters, bodies and answers."""
        if not built:
            built.append(document([*routes, own]))
        return json_response(built[0])

    own = Route(PATH, openapi, methods=["GET"])
    return own


def document(routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """The OpenAPI document of these routes; LookupError for a route without a declaration."""
    schemas = Schemas()
    paths: dict[str, dict[str, Any]] = {}
    ids: set[str] = set()
    for item in routes:
        if not isinstance(item, Route):
            continue
        declared = operation(item.endpoint)
        if declared is None:
            raise LookupError(f"{item.path} has no @api declaration")
        for method in sorted((item.methods or set()) - {"HEAD"}):
            entry = _operation(item, method, declared, schemas)
            if entry["operationId"] in ids:
                raise LookupError(f"operationId {entry['operationId']} is used twice")
            ids.add(entry["operationId"])
            paths.setdefault(item.path, {})[method.lower()] = entry
    sockets = [r.path for r in routes if isinstance(r, WebSocketRoute)]
    return {
        "openapi": "3.1.0",
        "info": {"title": "Boardroom", "version": __version__, "description": _about(sockets)},
        "paths": paths,
        "components": {
            "schemas": schemas.components(),
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer"},
                "token": {"type": "apiKey", "in": "query", "name": "token"},
            },
        },
    }


def _about(sockets: list[str]) -> str:
    listed = ", ".join(f"`{p}`" for p in sockets)
    return (
        "Ask questions of PDFs on boards; answers stream over Server-Sent Events. Every error "
        'is `{"error": {"code", "message"}}`. With API tokens configured, `/api/` needs '
        "`Authorization: Bearer <token>` or `?token=`. Not described here, since OpenAPI has "
        f"no words for them: the WebSocket shim for old clients at {listed} (docs/API.md "
        "has its protocol), and the web page served at `/`."
    )


def _operation(item: Route, method: str, declared: Operation, schemas: Schemas) -> dict[str, Any]:
    endpoint = item.endpoint
    summary = declared.summary or (inspect.getdoc(endpoint) or "").split("\n")[0]
    if not summary:
        raise LookupError(f"{method} {item.path} has neither a summary nor a docstring")
    entry: dict[str, Any] = {
        "operationId": declared.operation_id or endpoint.__name__,
        "summary": summary,
        "tags": [endpoint.__module__.removeprefix("service.routes.").split(".")[0]],
    }
    parameters = [_parameter(p, schemas) for p in _params(item, declared)]
    if parameters:
        entry["parameters"] = parameters
    if declared.body is not None:
        entry["requestBody"] = _body(declared.body, schemas)
    entry["responses"] = {
        str(status): _answer(answer, status, declared.headers, schemas)
        for status, answer in sorted(declared.responses.items())
    }
    for status in sorted(_error_statuses(item, method, declared)):
        entry["responses"][str(status)] = _error(status, schemas)
    if item.path.startswith("/api/"):
        entry["security"] = _SECURITY
    return entry


def _params(item: Route, declared: Operation) -> Iterator[Param]:
    named = {p.name for p in declared.params if p.where == "path"}
    for name in item.param_convertors:
        if name not in named:
            yield Param(name, "path", required=True)
    yield from declared.params


def _parameter(param: Param, schemas: Schemas) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": param.name,
        "in": param.where,
        "required": param.required or param.where == "path",
        "schema": schemas.of(param.type, "validation"),
    }
    if param.description:
        entry["description"] = param.description
    return entry


def _body(body: Any, schemas: Schemas) -> dict[str, Any]:
    if body is UPLOAD:
        pdf = {"type": "string", "format": "binary"}
        return {
            "required": True,
            "description": "The PDF: multipart/form-data field `file` (as browsers and "
            "`curl -F` send it), or the bytes as an application/pdf body named by `?filename=`.",
            "content": {
                "multipart/form-data": {
                    "schema": {"type": "object", "properties": {"file": pdf}, "required": ["file"]},
                    "encoding": {"file": {"contentType": "application/pdf"}},
                },
                "application/pdf": {"schema": pdf},
            },
        }
    return {
        "required": True,
        "content": {"application/json": {"schema": schemas.of(body, "validation")}},
    }


def _answer(answer: Any, status: int, headers: tuple[str, ...], schemas: Schemas) -> dict[str, Any]:
    entry: dict[str, Any] = {"description": HTTPStatus(status).phrase}
    if isinstance(answer, EventStream):
        entry["description"] = _events_text(answer)
        # Before OpenAPI 3.2's itemSchema, an event stream's schema describes each event.
        entry["content"] = {"text/event-stream": {"schema": _event_schema(answer, schemas)}}
    elif isinstance(answer, Content):
        entry["description"] = answer.description
        schema = {"type": "string", "format": "binary"} if answer.binary else {"type": "string"}
        entry["content"] = {answer.media_type: {"schema": schema}}
    elif answer is not None:
        entry["description"] = _first_line(answer) or entry["description"]
        entry["content"] = {"application/json": {"schema": schemas.of(answer)}}
    if headers and answer is not None:
        entry["headers"] = {h: {"schema": {"type": "string"}} for h in headers}
    return entry


def _event_schema(stream: EventStream, schemas: Schemas) -> dict[str, Any]:
    variants = [
        {
            "properties": {
                "event": {"const": name},
                "data": {
                    "contentMediaType": "application/json",
                    "contentSchema": schemas.of(data)
                    if isinstance(data, type)
                    else {"type": "object"},
                },
            }
        }
        for name, data in stream.events.items()
    ]
    return {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "event": {"enum": list(stream.events)},
            "data": {"type": "string"},
            "retry": {"type": "integer"},
        },
        "required": ["id", "event", "data"],
        "oneOf": variants,
    }


def _events_text(stream: EventStream) -> str:
    lines = [stream.description, "", "| event | data |", "|---|---|"]
    for name, data in stream.events.items():
        said = f"`{data.__name__}`: {_first_line(data)}" if isinstance(data, type) else data
        lines.append(f"| `{name}` | {said} |")
    return "\n".join(lines)


def _first_line(kind: Any) -> str:
    doc = inspect.getdoc(kind) if isinstance(kind, type) else None
    return doc.split("\n")[0] if doc else ""


def _error_statuses(item: Route, method: str, declared: Operation) -> set[int]:
    statuses = set(declared.errors)
    if not declared.any_host:
        statuses.add(400)  # a Host not allowed; malformed input
    if item.path.startswith("/api/"):
        statuses.add(401)
    if method in _CHANGES:
        statuses.add(403)
    if item.param_convertors:
        statuses.add(404)
    if declared.body is not None and declared.body is not UPLOAD:
        statuses |= {400, 415}
    return statuses


def _error(status: int, schemas: Schemas) -> dict[str, Any]:
    codes = ", ".join(f"`{c}`" for c in _codes().get(status, ()))
    entry: dict[str, Any] = {
        "description": f"{HTTPStatus(status).phrase}" + (f": {codes}" if codes else ""),
        "content": {"application/json": {"schema": schemas.of(ErrorBody)}},
    }
    if status in _ERROR_HEADERS:
        entry["headers"] = {
            name: {"description": said, "schema": {"type": "string"}, "required": True}
            for name, said in _ERROR_HEADERS[status].items()
        }
    return entry


def _codes() -> dict[int, list[str]]:
    """Each status's error codes, from the exception tree."""
    found: dict[int, list[str]] = {}
    pending: list[type[BoardroomError]] = [BoardroomError]
    while pending:
        cls = pending.pop()
        if cls.code not in found.setdefault(cls.status, []):
            found[cls.status].append(cls.code)
        pending.extend(cls.__subclasses__())
    return {status: sorted(codes) for status, codes in found.items()}
