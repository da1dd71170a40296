"""The exception tree: each class carries the HTTP status and error code it is answered with.

`routes/responses.py` is the one place that turns them into responses.
"""

from __future__ import annotations

from typing import Any, ClassVar


class BoardroomError(Exception):
    """Base of every error the service reports to a client."""

    status: ClassVar[int] = 500
    code: ClassVar[str] = "internal"
    retryable: ClassVar[bool] = False

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after

    def to_dict(self) -> dict[str, Any]:
        """The JSON body `{"error": {"code", "message"}}` (docs/API.md#errors)."""
        return {"error": {"code": self.code, "message": self.message}}


class BadRequest(BoardroomError):
    """The request body or a parameter is malformed."""

    status = 400
    code = "bad_request"


class Unauthorized(BoardroomError):
    """The API token is missing or wrong."""

    status = 401
    code = "unauthorized"


class NotFound(BoardroomError):
    """Something named in the request does not exist."""

    status = 404
    code = "not_found"


class BoardNotFound(NotFound):
    """No board has that id."""

    code = "board_not_found"


class FileNotFound(NotFound):
    """No file of that board has that id."""

    code = "file_not_found"


class PageNotFound(NotFound):
    """The file has no such page."""

    code = "page_not_found"


class NoteNotFound(NotFound):
    """No note of that board has that id."""

    code = "note_not_found"


class StreamNotFound(NotFound):
    """No stream has that id, or it has expired."""

    code = "stream_not_found"

    def __init__(self, stream_id: str) -> None:
        super().__init__(f"no stream {stream_id!r} (unknown or expired)")


class UploadTooLarge(BoardroomError):
    """The upload is over `MAX_UPLOAD_MB`."""

    status = 413
    code = "upload_too_large"

    def __init__(self, max_bytes: int) -> None:
        super().__init__(f"the file is larger than {max_bytes // (1024 * 1024)} MiB")


class NotAPdf(BoardroomError):
    """The upload is empty or does not begin with `%PDF-`."""

    status = 415
    code = "not_a_pdf"

    def __init__(
        self, message: str = "the file is not a PDF (it does not begin with %PDF-)"
    ) -> None:
        super().__init__(message)


class EmptyUpload(NotAPdf):
    """The upload has no bytes."""

    code = "empty_file"


class Unprocessable(BoardroomError):
    """A field is well-formed but not acceptable."""

    status = 422
    code = "invalid_field"


class PdfEncrypted(Unprocessable):
    """The PDF needs a password to be read."""

    code = "pdf_encrypted"


class PdfUnreadable(Unprocessable):
    """pypdf cannot open the PDF."""

    code = "pdf_unreadable"


class TooManyRequests(BoardroomError):
    """A limit is reached; try again after `retry_after` seconds."""

    status = 429
    code = "too_many_requests"
    retryable = True


class ServiceUnavailable(BoardroomError):
    """The service is shutting down or a backend is unreachable."""

    status = 503
    code = "unavailable"
    retryable = True


class ShuttingDown(ServiceUnavailable):
    """The service accepts no new work while it shuts down."""

    code = "shutting_down"


class DatabaseUnavailable(ServiceUnavailable):
    """The board database cannot be reached (a PostgreSQL server down or out of connections)."""

    code = "database_unavailable"


class DatabaseError(BoardroomError):
    """The board database refused a statement: a fault of ours, never of the request."""

    code = "database_error"


class LlmError(BoardroomError):
    """The language model could not answer; the message says what the operator can do."""

    status = 502
    code = "llm_unavailable"
    retryable = True


class LlmAuth(LlmError):
    """The provider refused our credentials."""

    code = "llm_auth"
    retryable = False


class LlmRateLimited(LlmError):
    """The provider asks us to slow down."""

    code = "llm_rate_limited"


class LlmTimeout(LlmError):
    """The provider did not answer in time."""

    code = "llm_timeout"


class LlmUnavailable(LlmError):
    """The provider cannot be reached, failed, or dropped the answer."""

    code = "llm_unavailable"


class LlmBadResponse(LlmError):
    """The provider answered something we cannot use (or refused our request as malformed)."""

    code = "llm_bad_response"
    retryable = False


class CommandInvalid(Unprocessable):
    """A proposed command that cannot be executed."""

    code = "invalid_command"


class EmbeddingFailed(LlmError):
    """The embedding server could not embed; search falls back to keywords meanwhile."""

    code = "embedding_failed"


class EmbeddingRefused(EmbeddingFailed):
    """The embedding server refused the request as such: asking again cannot help."""

    code = "embedding_refused"
    retryable = False


class UnsupportedMediaType(BoardroomError):
    """A body in a form this route does not take (JSON must say `application/json`)."""

    status = 415
    code = "unsupported_media_type"


class BadHost(BadRequest):
    """The request's Host is not in `ALLOWED_HOSTS` (a DNS-rebinding guard)."""

    code = "bad_host"


class ForbiddenOrigin(BoardroomError):
    """A browser page of another origin tried to change something or start a generation."""

    status = 403
    code = "forbidden_origin"
