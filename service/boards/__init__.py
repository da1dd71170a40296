"""Boards, files, PDF ingestion, search and context building; knows nothing about HTTP.

This package is the boards layer's façade: the rest of the service uses what it names
here, never its modules (an import-linter contract).
"""

from service.boards.context import Context
from service.boards.ingest import Publish
from service.boards.layout import paragraphs
from service.boards.models import (
    MAX_NAME,
    MAX_NOTE,
    Board,
    FileRecord,
    HistoryEntry,
    Note,
    Passage,
    View,
)
from service.boards.service import Boards, open_boards
from service.boards.text import fold, is_cjk, query_terms

__all__ = [
    "MAX_NAME",
    "MAX_NOTE",
    "Board",
    "Boards",
    "Context",
    "FileRecord",
    "HistoryEntry",
    "Note",
    "Passage",
    "Publish",
    "View",
    "fold",
    "is_cjk",
    "open_boards",
    "paragraphs",
    "query_terms",
]
