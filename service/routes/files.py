"""File endpoints: upload, record, page text, raw bytes, delete."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route
from typing_extensions import TypedDict

from service.boards import FileRecord
from service.routes import inputs
from service.routes.openapi import UPLOAD, Content, Param, api
from service.routes.responses import json_response
from service.routes.state import owner, services
from service.routes.uploads import pdf_upload


class FileList(TypedDict):
    """The board's files."""

    files: list[FileRecord]


class PageText(TypedDict):
    """The text of one page."""

    file_id: str
    page: int
    text: str


_Page = Annotated[int, Field(ge=1, le=inputs.MAX_INT)]


@api(
    {201: FileRecord, 202: FileRecord},
    body=UPLOAD,
    params=(
        Param("wait", type=bool, description="answer 201 once the file is ingested"),
        Param("filename", description="the file's name, for an application/pdf body"),
    ),
    errors=(413, 415, 422),
    headers=("Location",),
)
async def upload_file(request: Request) -> Response:
    """Stream the PDF to the board, then 202 once pypdf opened it (201 once ingested, ?wait)."""
    svc = services(request)
    board_id = request.path_params["board_id"]
    wait = inputs.flag(request, "wait")
    filename, chunks = await pdf_upload(request, svc.settings.max_upload_bytes)
    record = await svc.boards.add_file(board_id, filename, chunks, wait=wait, client=owner(request))
    location = f"/api/boards/{board_id}/files/{record.file_id}"
    return json_response(record.to_dict(), 201 if wait else 202, {"Location": location})


@api({200: FileList})
async def list_files(request: Request) -> Response:
    """The board's files and where their ingestion stands."""
    files = await services(request).boards.list_files(request.path_params["board_id"])
    return json_response({"files": [f.to_dict() for f in files]})


@api({200: FileRecord})
async def get_file(request: Request) -> Response:
    """A file's record."""
    record = await services(request).boards.get_file(
        request.path_params["board_id"], request.path_params["file_id"]
    )
    return json_response(record.to_dict())


@api({204: None})
async def delete_file(request: Request) -> Response:
    """Delete a file, its pages and its PDF."""
    await services(request).boards.delete_file(
        request.path_params["board_id"], request.path_params["file_id"]
    )
    return Response(status_code=204)


@api({200: PageText}, params=(Param("n", "path", _Page, "the page number, from 1"),))
async def get_page(request: Request) -> Response:
    """The text of page n (1-based), once that page is ingested."""
    board_id, file_id = request.path_params["board_id"], request.path_params["file_id"]
    page = inputs.path_int(request, "n")
    text = await services(request).boards.page_text(board_id, file_id, page)
    return json_response(PageText(file_id=file_id, page=page, text=text))


@api(
    {200: Content("application/pdf", "The PDF, as an attachment unless ?inline=1.", binary=True)},
    params=(Param("inline", type=bool, description="ask for Content-Disposition: inline"),),
)
async def get_raw(request: Request) -> Response:
    """The PDF as uploaded."""
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
