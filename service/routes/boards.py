"""Board endpoints: boards, notes, view, context, search, history."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.boards import MAX_NAME, MAX_NOTE
from service.llm.prompts import expert_messages
from service.routes import inputs
from service.routes.responses import json_response
from service.routes.state import services

NO_VIEW = {"file_id": None, "filename": None, "page": None, "updated_at": None}


async def list_boards(request: Request) -> Response:
    boards = await services(request).boards.list_boards()
    return json_response({"boards": [b.to_dict() for b in boards]})


async def create_board(request: Request) -> Response:
    body = await inputs.json_object(request)
    board = await services(request).boards.create_board(inputs.text(body, "name", max_len=MAX_NAME))
    return json_response(board.to_dict(), 201, {"Location": f"/api/boards/{board.board_id}"})


async def get_board(request: Request) -> Response:
    board = await services(request).boards.get_board(request.path_params["board_id"])
    return json_response(board.to_dict())


async def update_board(request: Request) -> Response:
    body = await inputs.json_object(request)
    name = inputs.text(body, "name", max_len=MAX_NAME)
    board = await services(request).boards.rename_board(request.path_params["board_id"], name)
    return json_response(board.to_dict())


async def delete_board(request: Request) -> Response:
    await services(request).boards.delete_board(request.path_params["board_id"])
    return Response(status_code=204)


async def list_notes(request: Request) -> Response:
    notes = await services(request).boards.list_notes(request.path_params["board_id"])
    return json_response({"notes": [n.to_dict() for n in notes]})


async def create_note(request: Request) -> Response:
    body = await inputs.json_object(request)
    title = inputs.text(body, "title", max_len=MAX_NAME, required=False, allow_empty=True)
    text = inputs.text(body, "text", max_len=MAX_NOTE)
    note = await services(request).boards.add_note(request.path_params["board_id"], title, text)
    return json_response(note.to_dict(), 201)


async def update_note(request: Request) -> Response:
    body = await inputs.json_object(request)
    title = inputs.text(body, "title", max_len=MAX_NAME, required=False, allow_empty=True)
    text = inputs.text(body, "text", max_len=MAX_NOTE)
    note = await services(request).boards.update_note(
        request.path_params["board_id"], request.path_params["note_id"], title, text
    )
    return json_response(note.to_dict())


async def delete_note(request: Request) -> Response:
    await services(request).boards.delete_note(
        request.path_params["board_id"], request.path_params["note_id"]
    )
    return Response(status_code=204)


async def put_view(request: Request) -> Response:
    body = await inputs.json_object(request)
    file_id = inputs.text(body, "file_id", max_len=100)
    page = inputs.integer(body, "page")
    view = await services(request).boards.set_view(request.path_params["board_id"], file_id, page)
    return json_response(view.to_dict())


async def get_view(request: Request) -> Response:
    """The page the user is looking at; every field null while they look at none."""
    view = await services(request).boards.view(request.path_params["board_id"])
    return json_response(NO_VIEW if view is None else view.to_dict())


async def get_context(request: Request) -> Response:
    question = inputs.query_text(request, "question")
    context = await services(request).boards.context(request.path_params["board_id"], question)
    return json_response({**context.to_dict(), "messages": expert_messages(context)})


async def search(request: Request) -> Response:
    query = inputs.query_text(request, "q")
    limit = inputs.query_int(request, "limit", default=10, low=1, high=50)
    hits = await services(request).boards.search(query, request.path_params["board_id"], limit)
    return json_response({"query": query, "results": [h.to_dict() for h in hits]})


async def get_history(request: Request) -> Response:
    entries = await services(request).boards.history(request.path_params["board_id"])
    return json_response({"history": [e.to_dict() for e in entries]})


async def delete_history(request: Request) -> Response:
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
