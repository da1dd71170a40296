"""Streaming a PDF upload to disk as it arrives, never holding the whole body in memory.

Accepts `multipart/form-data` with a field named `file` (what browsers and `curl -F` send)
or a bare `application/pdf` body named by `?filename=`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from service.boards.blobs import PendingUpload
from service.errors import BadRequest, EmptyUpload, UploadTooLarge

_MULTIPART_OVERHEAD = 64 * 1024
MAX_FILENAME = 255


@dataclass
class _Part:
    headers: dict[bytes, bytes] = field(default_factory=dict)
    field_name: bytes = b""
    header_field: bytes = b""
    header_value: bytes = b""
    filename: str = ""


async def receive_pdf(request: Request, upload: PendingUpload) -> str:
    """Write the uploaded file into `upload` and return its user-given filename."""
    length = request.headers.get("content-length")
    if (
        length is not None
        and length.isdigit()
        and int(length) > upload.max_bytes + _MULTIPART_OVERHEAD
    ):
        raise UploadTooLarge(f"the file is larger than {upload.max_bytes // (1024 * 1024)} MiB")
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type == b"multipart/form-data":
        filename = await _receive_multipart(request, upload, params.get(b"boundary", b""))
    elif content_type in (b"application/pdf", b"application/octet-stream"):
        async for chunk in request.stream():
            if chunk:
                await upload.write(chunk)
        filename = request.query_params.get("filename", "") or "upload.pdf"
    else:
        raise BadRequest(
            "send the PDF as multipart/form-data field 'file' or as an application/pdf body"
        )
    await upload.finish()
    return _clean_filename(filename)


async def _receive_multipart(request: Request, upload: PendingUpload, boundary: bytes) -> str:
    if not boundary:
        raise BadRequest("multipart/form-data without a boundary")
    state = {"found": False, "in_file": False, "done": False}
    pending: list[bytes] = []
    part = _Part()
    filename = ""

    def on_part_begin() -> None:
        nonlocal part
        part = _Part()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        part.header_field += data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        part.header_value += data[start:end]

    def on_header_end() -> None:
        part.headers[part.header_field.lower()] = part.header_value
        part.header_field, part.header_value = b"", b""

    def on_headers_finished() -> None:
        nonlocal filename
        _, options = parse_options_header(part.headers.get(b"content-disposition", b""))
        is_file = options.get(b"name") == b"file" and not state["found"]
        state["in_file"] = is_file
        if is_file:
            state["found"] = True
            filename = options.get(b"filename", b"").decode("utf-8", "replace")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        if state["in_file"]:
            pending.append(data[start:end])

    def on_part_end() -> None:
        state["in_file"] = False

    def on_end() -> None:
        state["done"] = True

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_headers_finished": on_headers_finished,
            "on_part_data": on_part_data,
            "on_part_end": on_part_end,
            "on_end": on_end,
        },
    )
    async for chunk in request.stream():
        try:
            parser.write(chunk)
        except MultipartParseError as exc:
            raise BadRequest(f"the multipart body is malformed: {exc}") from exc
        for data in pending:
            await upload.write(data)
        pending.clear()
    if not state["found"]:
        raise BadRequest("the multipart body has no field named 'file'")
    if not state["done"]:
        raise BadRequest("the multipart body ended early")
    if upload.size == 0:
        raise EmptyUpload("the file is empty")
    return filename


def _clean_filename(raw: str) -> str:
    # A filename is only a label: keep its last path component, printable, bounded.
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "upload.pdf")[:MAX_FILENAME]
