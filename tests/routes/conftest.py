"""Fixtures and helpers for the route tests: a board with a PDF, asking, streaming."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import upload

QUESTION = "How did revenue grow in the third quarter?"


@pytest.fixture
def filled(client: httpx.Client, board: dict[str, Any], english_pdf: bytes) -> str:
    """A board holding report.pdf; its id."""
    upload(client, board["board_id"], english_pdf, "report.pdf")
    board_id: str = board["board_id"]
    return board_id


def ask(
    client: httpx.Client, board_id: str, question: str = QUESTION, **headers: str
) -> httpx.Response:
    """POST a question to the board's expert."""
    return client.post(
        "/api/expert/questions", json={"board_id": board_id, "question": question}, headers=headers
    )


def open_stream(client: httpx.Client, stream_id: str, **headers: str) -> Any:
    """GET an expert stream by id, as a streaming response context."""
    return client.stream(
        "GET", "/api/expert/stream", params={"stream_id": stream_id}, headers=headers
    )
