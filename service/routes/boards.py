"""Board endpoints: boards, notes, view, context, search, history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, NotRequired

from pydantic import Field
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from typing_extensions import TypedDict

from service.boards import MAX_NAME, MAX_NOTE, Board, HistoryEntry, Note, Passage, View
from service.llm.prompts import expert_messages
from service.llm.questions import MAX_QUESTION
from service.routes import inputs
from service.routes.openapi import Param, api
from service.routes.responses import json_response
from service.routes.state import services

MAX_LIMIT = 50
"""The most search results one answer holds."""


class NoView(TypedDict):
    """No page is in view: every field null."""

    file_id: None
    filename: None
    page: None
    updated_at: None


NO_VIEW = NoView(file_id=None, filename=None, page=None, updated_at=None)


class BoardName(TypedDict):
    """A board's name."""

    name: Annotated[str, Field(min_length=1, max_length=MAX_NAME)]


class NoteBody(TypedDict):
    """A note's title (optional) and text."""

    title: NotRequired[Annotated[str, Field(max_length=MAX_NAME)]]
    text: Annotated[str, Field(min_length=1, max_length=MAX_NOTE)]


class ViewBody(TypedDict):
    """The page the user is looking at."""

    file_id: Annotated[str, Field(min_length=1, max_length=100)]
    page: Annotated[int, Field(ge=1, le=inputs.MAX_INT)]


class BoardList(TypedDict):
    """Every board."""

    boards: list[Board]


class NoteList(TypedDict):
    """The board's notes."""

    notes: list[Note]


class SearchAnswer(TypedDict):
    """The query and its hits, best first."""

    query: str
    results: list[Passage]


class HistoryList(TypedDict):
    """The expert's conversation on this board, oldest first."""

    history: list[HistoryEntry]


@dataclass(frozen=True, slots=True)
class ViewedPage(View):
    """The page in view, with its text."""

    text: str


@dataclass(frozen=True, slots=True)
class Source(Passage):
    """A retrieved passage with its text."""


class Message(TypedDict):
    """One message of the prompt a model would be sent."""

    role: str
    content: str


class ContextAnswer(TypedDict):
    """The exact context the expert would use for the question, within its budget."""

    board_id: str
    board_name: str
    question: str
    view: ViewedPage | None
    sources: list[Source]
    notes: list[Note]
    history: list[HistoryEntry]
    chars: int
    messages: list[Message]


_Question = Annotated[str, Field(min_length=1, max_length=MAX_QUESTION)]
_Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]


@api({200: BoardList})
async def list_boards(request: Request) -> Response:
    """Every board."""
    boards = await services(request).boards.list_boards()
    return json_response({"boards": [b.to_dict() for b in boards]})


@api({201: Board}, body=BoardName, errors=(422,), headers=("Location",))
async def create_board(request: Request) -> Response:
    """Create a board."""
    body = await inputs.json_object(request)
    board = await services(request).boards.create_board(inputs.text(body, "name", max_len=MAX_NAME))
    return json_response(board.to_dict(), 201, {"Location": f"/api/boards/{board.board_id}"})


@api({200: Board})
async def get_board(request: Request) -> Response:
    """A board and how much it holds."""
    board = await services(request).boards.get_board(request.path_params["board_id"])
    return json_response(board.to_dict())


@api({200: Board}, body=BoardName, errors=(422,))
async def update_board(request: Request) -> Response:
    """Rename a board."""
    body = await inputs.json_object(request)
    name = inputs.text(body, "name", max_len=MAX_NAME)
    board = await services(request).boards.rename_board(request.path_params["board_id"], name)
    return json_response(board.to_dict())


@api({204: None})
async def delete_board(request: Request) -> Response:
    """Delete a board with its files, notes, history and index."""
    await services(request).boards.delete_board(request.path_params["board_id"])
    return Response(status_code=204)


@api({200: NoteList})
async def list_notes(request: Request) -> Response:
    """The board's notes."""
    notes = await services(request).boards.list_notes(request.path_params["board_id"])
    return json_response({"notes": [n.to_dict() for n in notes]})


@api({201: Note}, body=NoteBody, errors=(422,))
async def create_note(request: Request) -> Response:
    """Add a note to the board."""
    body = await inputs.json_object(request)
    title = inputs.text(body, "title", max_len=MAX_NAME, required=False, allow_empty=True)
    text = inputs.text(body, "text", max_len=MAX_NOTE)
    note = await services(request).boards.add_note(request.path_params["board_id"], title, text)
    return json_response(note.to_dict(), 201)


@api({200: Note}, body=NoteBody, errors=(422,))
async def update_note(request: Request) -> Response:
    """Replace a note's title and text."""
    body = await inputs.json_object(request)
    title = inputs.text(body, "title", max_len=MAX_NAME, required=False, allow_empty=True)
    text = inputs.text(body, "text", max_len=MAX_NOTE)
    note = await services(request).boards.update_note(
        request.path_params["board_id"], request.path_params["note_id"], title, text
    )
    return json_response(note.to_dict())


@api({204: None})
async def delete_note(request: Request) -> Response:
    """Delete a note."""
    await services(request).boards.delete_note(
        request.path_params["board_id"], request.path_params["note_id"]
    )
    return Response(status_code=204)


@api({200: View}, body=ViewBody, errors=(422,))
async def put_view(request: Request) -> Response:
    """Say which page the user is looking at; the expert weighs it first."""
    body = await inputs.json_object(request)
    file_id = inputs.text(body, "file_id", max_len=100)
    page = inputs.integer(body, "page")
    view = await services(request).boards.set_view(request.path_params["board_id"], file_id, page)
    return json_response(view.to_dict())


@api({200: View | NoView})
async def get_view(request: Request) -> Response:
    """The page the user is looking at; every field null while they look at none."""
    view = await services(request).boards.view(request.path_params["board_id"])
    return json_response(NO_VIEW if view is None else view.to_dict())


@api(
    {200: ContextAnswer},
    params=(Param("question", type=_Question, required=True),),
    errors=(422,),
)
async def get_context(request: Request) -> Response:
    """The exact context the expert would use to answer the question."""
    question = inputs.query_text(request, "question")
    context = await services(request).boards.context(request.path_params["board_id"], question)
    return json_response({**context.to_dict(), "messages": expert_messages(context)})


@api(
    {200: SearchAnswer},
    params=(
        Param("q", type=_Question, required=True, description="what people type"),
        Param("limit", type=_Limit, description="how many hits at most (default 10)"),
    ),
    errors=(422,),
)
async def search(request: Request) -> Response:
    """The board's pages and notes that best match the query."""
    query = inputs.query_text(request, "q")
    limit = inputs.query_int(request, "limit", default=10, low=1, high=MAX_LIMIT)
    hits = await services(request).boards.search(query, request.path_params["board_id"], limit)
    return json_response({"query": query, "results": [h.to_dict() for h in hits]})


@api({200: HistoryList})
async def get_history(request: Request) -> Response:
    """The expert's conversation on this board."""
    entries = await services(request).boards.history(request.path_params["board_id"])
    return json_response({"history": [e.to_dict() for e in entries]})


@api({204: None})
async def delete_history(request: Request) -> Response:
    """Forget the expert's conversation on this board."""
    await services(request).boards.clear_history(request.path_params["board_id"])
    return Response(status_code=204)


BOARD = "/api/boards/{board_id}"

routes = [
    Route("/api/boards", list_boards, methods=["GET"]),
    Route("/api/boards", create_board, methods=["POST"]),
    Route(BOARD, get_board, methods=["GET"]),
    Route(BOARD, update_board, methods=["PATCH"]),
    Route(BOARD, delete_board, methods=["DELETE"]),
    Route(BOARD + "/notes", list_notes, methods=["GET"]),
    Route(BOARD + "/notes", create_note, methods=["POST"]),
    Route(BOARD + "/notes/{note_id}", update_note, methods=["PUT"]),
    Route(BOARD + "/notes/{note_id}", delete_note, methods=["DELETE"]),
    Route(BOARD + "/view", get_view, methods=["GET"]),
    Route(BOARD + "/view", put_view, methods=["PUT"]),
    Route(BOARD + "/context", get_context, methods=["GET"]),
    Route(BOARD + "/search", search, methods=["GET"]),
    Route(BOARD + "/history", get_history, methods=["GET"]),
    Route(BOARD + "/history", delete_history, methods=["DELETE"]),
]
