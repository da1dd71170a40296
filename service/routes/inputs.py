"""Parsing and validating request input; every failure is a 400 or 422 before work starts."""

from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from service.errors import BadRequest, Unprocessable, UnsupportedMediaType
from service.llm.questions import MAX_QUESTION

MAX_JSON_BYTES = 1024 * 1024
MAX_JSON_DEPTH = 32
MAX_INT = 2**31 - 1
"""Larger numbers name no page, limit or count of ours, and SQLite stores at most 2**63 - 1."""


async def json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object: 415 unless it says JSON, 400 unless it is one."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "application/json" and not (
        media_type.startswith("application/") and media_type.endswith("+json")
    ):
        # Also what keeps another site's page from posting here: a form or a text/plain
        # body needs no preflight, a JSON one does.
        raise UnsupportedMediaType("send the body as JSON, with Content-Type: application/json")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_JSON_BYTES:
            raise BadRequest("the JSON body is larger than 1 MiB")
    value = parse_json(bytes(body) or b"null")
    if not isinstance(value, dict):
        raise BadRequest("the body must be a JSON object")
    return value


def parse_json(raw: bytes | str) -> Any:
    """JSON that every later step can take: nested at most 32 deep, its text valid Unicode."""
    try:
        value = json.loads(raw)
    except RecursionError as exc:
        raise BadRequest(f"the JSON is nested more than {MAX_JSON_DEPTH} deep") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadRequest(f"the body is not valid JSON: {exc}") from exc
    _check_json(value)
    return value


def _check_json(value: Any) -> None:
    # Iterative, so a deep document cannot exhaust the stack here either.
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            _check_text(item)
        elif isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise BadRequest(f"the JSON is nested more than {MAX_JSON_DEPTH} deep")
            if isinstance(item, dict):
                pending.extend((key, depth) for key in item)
                pending.extend((v, depth + 1) for v in item.values())
            else:
                pending.extend((v, depth + 1) for v in item)


def _check_text(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        # JSON can spell a lone surrogate ("\ud800"), which no UTF-8 text can hold.
        raise BadRequest("text must be valid Unicode (a lone surrogate is not)") from exc


def text(
    body: dict[str, Any],
    name: str,
    *,
    max_len: int,
    required: bool = True,
    allow_empty: bool = False,
    default: str = "",
) -> str:
    """A string field, stripped; 400 for a wrong type, 422 for empty or too long."""
    value = string(body, name)
    if value is None:
        if required:
            raise Unprocessable(f"'{name}' is required")
        return default
    value = value.strip()
    if not value and not allow_empty:
        raise Unprocessable(f"'{name}' must not be empty")
    return _bounded(name, value, max_len)


def string(body: dict[str, Any], name: str) -> str | None:
    """An optional string field as sent; 400 for another type."""
    value = body.get(name)
    if value is not None and not isinstance(value, str):
        raise BadRequest(f"'{name}' must be a string")
    return value


def integer(body: dict[str, Any], name: str, *, minimum: int = 1, maximum: int = MAX_INT) -> int:
    """An integer field (not a bool), from `minimum` to `maximum`."""
    value = body.get(name)
    if value is None:
        raise Unprocessable(f"'{name}' is required")
    if isinstance(value, bool) or not isinstance(value, int):
        raise BadRequest(f"'{name}' must be an integer")
    if not minimum <= value <= maximum:
        raise Unprocessable(f"'{name}' must be from {minimum} to {maximum}")
    return value


def query_text(request: Request, name: str, *, max_len: int = MAX_QUESTION) -> str:
    """A required, non-empty query parameter."""
    value = request.query_params.get(name, "").strip()
    if not value:
        raise Unprocessable(f"the query parameter '{name}' is required")
    return _bounded(name, value, max_len)


def flag(request: Request, name: str) -> bool:
    """A boolean query parameter: true, 1 or yes."""
    return request.query_params.get(name, "").lower() in ("1", "true", "yes")


def path_int(request: Request, name: str) -> int:
    """A positive integer path parameter; 400 otherwise."""
    return _int_within(request.path_params[name], name, 1, MAX_INT, "a positive integer")


def query_int(request: Request, name: str, *, default: int, low: int, high: int) -> int:
    """An optional integer query parameter from `low` to `high`; 400 otherwise."""
    raw = request.query_params.get(name, "")
    if not raw:
        return default
    return _int_within(raw, name, low, high, f"an integer from {low} to {high}")


def _bounded(name: str, value: str, max_len: int) -> str:
    if len(value) > max_len:
        raise Unprocessable(f"'{name}' must be at most {max_len} characters")
    return value


def _int_within(raw: str, name: str, low: int, high: int, what: str) -> int:
    # ASCII digits only, and few of them: int() also takes "²" and "٣", and refuses
    # 4,300 digits with an error of its own.
    digits = raw[1:] if raw.startswith("-") else raw
    if not (digits.isascii() and digits.isdigit() and len(digits) <= 18):
        raise BadRequest(f"'{name}' must be {what}")
    value = int(raw)
    if not low <= value <= high:
        raise BadRequest(f"'{name}' must be {what}")
    return value
