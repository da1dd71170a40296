"""Fixtures of the pipeline tests: real boards in a temporary data directory."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from service.boards import Boards, open_boards

Published = tuple[str, str, dict[str, Any]]


@dataclass
class Workspace:
    """Open boards with one board, "Finance", which holds report.pdf (unless asked not to)."""

    boards: Boards
    board_id: str
    file_id: str | None
    published: list[Published] = field(default_factory=list)
    """Every board event the boards published, in order."""


OpenWorkspace = Callable[..., AbstractAsyncContextManager[Workspace]]


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def add_pdf(boards: Boards, board_id: str, filename: str, data: bytes) -> str:
    """Put a PDF on a board, wait until it is ingested, and return its file id."""
    record = await boards.add_file(board_id, filename, _once(data), wait=True)
    assert record.status == "ready", record
    return record.file_id


@pytest.fixture
def workspace(tmp_path: Path, english_pdf: bytes) -> OpenWorkspace:
    """`async with workspace() as ws:` opens the boards; `workspace(report=False)` skips the PDF."""

    @asynccontextmanager
    async def open_workspace(*, report: bool = True) -> AsyncIterator[Workspace]:
        published: list[Published] = []

        def publish(board_id: str, event: str, data: dict[str, Any]) -> None:
            published.append((board_id, event, data))

        async with open_boards(
            tmp_path / "data",
            publish,
            ingest_workers=1,
            ingest_memory_mb=1024,
            ingest_timeout=60,
            max_upload_bytes=50 * 2**20,
        ) as boards:
            board = await boards.create_board("Finance")
            file_id = None
            if report:
                file_id = await add_pdf(boards, board.board_id, "report.pdf", english_pdf)
            yield Workspace(boards, board.board_id, file_id, published)

    return open_workspace
