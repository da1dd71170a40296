"""PDF reading with pypdf; runs inside an ingestion worker process, never on the event loop."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError, PyPdfError

from service.boards.layout import clean, passages
from service.boards.text import index_text

# pypdf warns about every odd construct it meets; one bad file must not flood the log.
logging.getLogger("pypdf").setLevel(logging.ERROR)


@dataclass(frozen=True, slots=True)
class Opened:
    """The file opened: it has this many pages."""

    pages: int


@dataclass(frozen=True, slots=True)
class PageText:
    """The text of one page (1-based), and its passages with their search form."""

    page: int
    text: str
    passages: tuple[tuple[str, str], ...]

    @property
    def has_text(self) -> bool:
        """False for a scanned page: an image with no text layer to search."""
        return bool(self.passages)


@dataclass(frozen=True, slots=True)
class Refused:
    """The file cannot be read; `code` is an error code of service.errors."""

    code: str
    message: str


TEXT_VERSION = 2
"""Raise it when extraction or indexing changes: older files are extracted again at start."""

_ENCRYPTED = Refused("pdf_encrypted", "the PDF is protected by a password")


def check(path: str) -> Iterator[Opened | Refused]:
    """Open the PDF and say how many pages it has, or why it cannot be read."""
    yield _open(path)[1]


def extract(path: str) -> Iterator[Opened | PageText | Refused]:
    """Open the PDF, say how many pages it has (or why not), then yield each page's text."""
    reader, opened = _open(path)
    yield opened
    if reader is None:
        return
    for number, page in enumerate(reader.pages, start=1):
        yield page_text(number, _page_text(page))


def _open(path: str) -> tuple[PdfReader, Opened] | tuple[None, Refused]:
    try:
        reader = PdfReader(Path(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return None, _ENCRYPTED
        count = len(reader.pages)
    except FileNotDecryptedError:
        return None, _ENCRYPTED
    except (
        PyPdfError,
        PdfReadError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
        NotImplementedError,
    ) as exc:
        return None, Refused("pdf_unreadable", f"the PDF cannot be read: {_describe(exc)}")
    if count == 0:
        return None, Refused("pdf_unreadable", "the PDF has no pages")
    return reader, Opened(count)


def page_text(number: int, raw: str) -> PageText:
    """A page's extracted text made readable, cut into passages and indexed."""
    text = clean(raw)
    return PageText(number, text, tuple((p, index_text(p)) for p in passages(text)))


def _page_text(page: object) -> str:
    try:
        text = page.extract_text()  # type: ignore[attr-defined]
    except MemoryError:
        raise
    except Exception:
        # A page whose content stream is broken has no text we can trust; the rest of
        # the file is still worth keeping.
        return ""
    return str(text)


def _describe(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:200]
