"""File endpoints: upload, record, page text, raw bytes, delete."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from service.routes import inputs
from service.routes.responses import json_response
from service.routes.state import services
from service.routes.uploads import pdf_upload


async def upload_file(request: Request) -> Response:
    """Stream the PDF to the board, then 202 once pypdf opened it (201 once ingested, ?wait)."""
    svc = services(request)
    board_id = request.path_params["board_id"]
    wait = inputs.flag(request, "wait")
    filename, chunks = await pdf_upload(request, svc.settings.max_upload_bytes)
    record = await svc.boards.add_file(board_id, filename, chunks, wait=wait)
    location = f"/api/boards/{board_id}/files/{record.file_id}"
    return json_response(record.to_dict(), 201 if wait else 202, {"Location": location})


async def list_files(request: Request) -> Response:
    files = await services(request).boards.list_files(request.path_params["board_id"])
    return json_response({"files": [f.to_dict() for f in files]})


async def get_file(request: Request) -> Response:
    record = await services(request).boards.get_file(
        request.path_params["board_id"], request.path_params["file_id"]
    )
    return json_response(record.to_dict())


async def delete_file(request: Request) -> Response:
    await services(request).boards.delete_file(
        request.path_params["board_id"], request.path_params["file_id"]
    )
    return Response(status_code=204)


async def get_page(request: Request) -> Response:
    board_id, file_id = request.path_params["board_id"], request.path_params["file_id"]
    page = inputs.path_int(request, "n")
    text = await services(request).boards.page_text(board_id, file_id, page)
    return json_response({"file_id": file_id, "page": page, "text": text})


async def get_raw(request: Request) -> Response:
    boards = services(request).boards
    board_id, file_id = request.path_params["board_id"], request.path_params["file_id"]
    record, path = await boards.file_bytes(board_id, file_id)
    # Saved rather than shown unless asked (?inline=1): a link to an uploaded file must not
    # open it as a page of ours. pdf.js fetches the bytes, where this makes no difference.
    inline = inputs.flag(request, "inline")
    return FileResponse(
        path,
        media_type="application/pdf",
        filename=record.filename,
        content_disposition_type="inline" if inline else "attachment",
    )


FILES = "/api/boards/{board_id}/files"

routes = [
    Route(FILES, upload_file, methods=["POST"]),
    Route(FILES, list_files, methods=["GET"]),
    Route(FILES + "/{file_id}", get_file, methods=["GET"]),
    Route(FILES + "/{file_id}", delete_file, methods=["DELETE"]),
    Route(FILES + "/{file_id}/pages/{n}", get_page, methods=["GET"]),
    Route(FILES + "/{file_id}/raw", get_raw, methods=["GET"]),
]
