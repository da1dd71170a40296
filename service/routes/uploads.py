"""The bytes of a PDF upload as they arrive, never the whole body in memory.

Accepts `multipart/form-data` with a field named `file` (what browsers and `curl -F` send)
or a bare `application/pdf` body named by `?filename=`. What the bytes must be (a PDF,
not too large, not empty) is the boards layer's to decide as it stores them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from service.errors import BadRequest, UploadTooLarge

_MULTIPART_OVERHEAD = 64 * 1024
MAX_FILENAME = 255


async def pdf_upload(request: Request, max_bytes: int) -> tuple[str, AsyncIterator[bytes]]:
    """The user-given filename, and the file's bytes still to be read from the request."""
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > max_bytes + _MULTIPART_OVERHEAD:
        raise UploadTooLarge(max_bytes)
    content_type, params = parse_options_header(request.headers.get("content-type", ""))
    if content_type == b"multipart/form-data":
        part = _FilePart(request, params.get(b"boundary", b""))
        filename = await part.open()
        return _clean_filename(filename), part.chunks()
    if content_type in (b"application/pdf", b"application/octet-stream"):
        filename = request.query_params.get("filename", "")
        return _clean_filename(filename), _body(request)
    raise BadRequest(
        "send the PDF as multipart/form-data field 'file' or as an application/pdf body"
    )


async def _body(request: Request) -> AsyncIterator[bytes]:
    async for chunk in request.stream():
        if chunk:
            yield chunk


class _FilePart:
    """The part named `file` of a multipart body, parsed as the body streams in."""

    def __init__(self, request: Request, boundary: bytes) -> None:
        if not boundary:
            raise BadRequest("multipart/form-data without a boundary")
        self._body = request.stream().__aiter__()
        self._pending: list[bytes] = []
        self._headers: dict[bytes, bytes] = {}
        self._field = self._value = b""
        self._in_file = self._found = self._done = False
        self.filename = ""
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._headers.clear,
                "on_header_field": self._on_header_field,
                "on_header_value": self._on_header_value,
                "on_header_end": self._on_header_end,
                "on_headers_finished": self._on_headers_finished,
                "on_part_data": self._on_part_data,
                "on_part_end": self._on_part_end,
                "on_end": self._on_end,
            },
        )

    async def open(self) -> str:
        """Read up to the start of the file's bytes; its filename."""
        while not self._found:
            if not await self._feed():
                raise BadRequest("the multipart body has no field named 'file'")
        return self.filename

    async def chunks(self) -> AsyncIterator[bytes]:
        """The file's bytes, as the rest of the body arrives."""
        while True:
            for data in self._pending:
                yield data
            self._pending.clear()
            if not await self._feed():
                break
        if not self._done:
            raise BadRequest("the multipart body ended early")

    async def _feed(self) -> bool:
        try:
            chunk = await self._body.__anext__()
        except StopAsyncIteration:
            return False
        try:
            self._parser.write(chunk)
        except MultipartParseError as exc:
            raise BadRequest(f"the multipart body is malformed: {exc}") from exc
        return True

    def _on_header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def _on_header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def _on_header_end(self) -> None:
        self._headers[self._field.lower()] = self._value
        self._field = self._value = b""

    def _on_headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        self._in_file = options.get(b"name") == b"file" and not self._found
        if self._in_file:
            self._found = True
            self.filename = options.get(b"filename", b"").decode("utf-8", "replace")

    def _on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self._pending.append(data[start:end])

    def _on_part_end(self) -> None:
        self._in_file = False

    def _on_end(self) -> None:
        self._done = True


def _clean_filename(raw: str) -> str:
    # A filename is only a label: keep its last path component, printable, bounded.
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return (name or "upload.pdf")[:MAX_FILENAME]
