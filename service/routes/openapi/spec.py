"""What each endpoint takes and answers, declared beside it with `@api`; `build.py` reads it.

Types are whatever pydantic can describe: the records' dataclasses, TypedDicts for the
bodies and wrappers a route builds itself, `Annotated` types for bounds. A record's
to_dict is its wire form, so the fields it leaves out are named here, once.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from typing_extensions import TypedDict

from service.boards import Note, Passage
from service.streams.events import StreamInfo

ATTRIBUTE = "__openapi__"

HIDDEN_FIELDS: Mapping[type, frozenset[str]] = {
    Note: frozenset({"board_id"}),  # the URL names the board
    StreamInfo: frozenset({"client"}),  # who asked stays private
    Passage: frozenset({"text"}),  # search answers snippets; the context adds the text
}
"""The fields each record's to_dict leaves out of its JSON."""

Endpoint = TypeVar("Endpoint", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Param:
    """A query, header or path parameter (path parameters are strings unless declared)."""

    name: str
    where: Literal["query", "header", "path"] = "query"
    type: Any = str
    description: str = ""
    required: bool = False


@dataclass(frozen=True, slots=True)
class Content:
    """An answer that is not JSON: its media type and what it holds."""

    media_type: str
    description: str
    binary: bool = False


@dataclass(frozen=True, slots=True)
class EventStream:
    """A `text/event-stream` answer: each event's name and its data (a type, or words)."""

    description: str
    events: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PdfUpload:
    """A PDF as multipart/form-data field `file`, or as an application/pdf body."""


UPLOAD = PdfUpload()


@dataclass(frozen=True, slots=True)
class Operation:
    """One endpoint's declaration; `responses` maps each success status to its answer.

    An answer is a type (JSON), a `Content`, an `EventStream`, or None (no body). Errors
    every route of its kind can give (a bad Host, a missing token, an unknown id in the
    path, a JSON body that is not JSON) are added by `build.py`; `errors` names the others.
    """

    responses: Mapping[int, Any]
    body: Any = None
    params: tuple[Param, ...] = ()
    errors: tuple[int, ...] = ()
    headers: tuple[str, ...] = ()
    summary: str = ""
    operation_id: str = ""
    any_host: bool = False


def api(
    responses: Mapping[int, Any],
    *,
    body: Any = None,
    params: tuple[Param, ...] = (),
    errors: tuple[int, ...] = (),
    headers: tuple[str, ...] = (),
    summary: str = "",
    operation_id: str = "",
    any_host: bool = False,
) -> Callable[[Endpoint], Endpoint]:
    """Declare what an endpoint takes and answers; `headers` are its success answers' headers."""
    declared = Operation(responses, body, params, errors, headers, summary, operation_id, any_host)

    def declare(endpoint: Endpoint) -> Endpoint:
        setattr(endpoint, ATTRIBUTE, declared)
        return endpoint

    return declare


def operation(endpoint: object) -> Operation | None:
    """The declaration of an endpoint, if it has one."""
    found = getattr(endpoint, ATTRIBUTE, None)
    return found if isinstance(found, Operation) else None


class ErrorDetail(TypedDict):
    """What went wrong: a stable code and a message for people."""

    code: str
    message: str


class ErrorBody(TypedDict):
    """Every error's body."""

    error: ErrorDetail
