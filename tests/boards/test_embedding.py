"""Hybrid retrieval: passages embedded in the background, found by meaning as well as words."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from service.boards import Boards
from service.llm.embeddings import OpenAIEmbedder
from tests import pdfs
from tests.boards.conftest import Chunks, Published, run_boards, sql_rows
from tests.fakeopenai import FakeOpenAI, Reply

POLICY = [
    "Expense claims. Employees must submit receipts within 30 days of the trip.",
    "Travel booking. Flights are booked through the travel desk at least two weeks ahead.",
    "Safety. Forklifts must not exceed walking speed in the aisles.",
]
PARAPHRASE = "How long do I have to hand in proof of what I spent?"


@pytest.fixture
def provider() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        # The paraphrase shares no word with page 1, only its meaning.
        fake.concepts = {
            "receipts": 0,
            "proof": 0,
            "expense": 1,
            "spent": 1,
            "submit": 2,
            "hand": 2,
        }
        yield fake


def _embedder(provider: FakeOpenAI, model: str = "test-embed") -> OpenAIEmbedder:
    return OpenAIEmbedder(
        model=model,
        base_url=provider.url,
        api_key="",
        timeout=10,
        query_prefix="query: ",
        document_prefix="passage: ",
        query_timeout=0.5,
    )


def _embedding_inputs(provider: FakeOpenAI) -> list[str]:
    return [
        text
        for seen in provider.requests
        if seen.path.endswith("/embeddings")
        for text in seen.body["input"]
    ]


async def _upload(boards: Boards, published: Published) -> tuple[str, str]:
    board = await boards.create_board("Policies")
    record = await boards.add_file(
        board.board_id, "policy.pdf", Chunks(pdfs.text_pdf(POLICY), 4096), wait=True
    )
    return board.board_id, record.file_id


def _pages(hits: list[Any]) -> list[tuple[str, int]]:
    return [(hit.filename, hit.page) for hit in hits if hit.kind == "page"]


def test_a_question_in_other_words_than_its_page_was_not_found(
    data_dir: Path, provider: FakeOpenAI
) -> None:
    """BM25 alone cannot find a page that shares no word with the question; hybrid does."""
    published = Published()

    async def keywords_only(boards: Boards) -> list[tuple[str, int]]:
        board_id, _ = await _upload(boards, published)
        return _pages(await boards.search(PARAPHRASE, board_id))

    assert run_boards(data_dir / "bm25", published, keywords_only) == []

    async def hybrid(boards: Boards) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
        board_id, file_id = await _upload(boards, published)
        await published.wait_for("file.embedded", file_id)
        return (
            _pages(await boards.search(PARAPHRASE, board_id)),
            _pages(await boards.search("forklifts", board_id)),
        )

    meaning, words = run_boards(
        data_dir / "hybrid", published, hybrid, embedder=_embedder(provider)
    )
    assert meaning[0] == ("policy.pdf", 1)
    assert words[0] == ("policy.pdf", 3)
    inputs = _embedding_inputs(provider)
    assert {text.split(" ")[0] for text in inputs} == {"passage:", "query:"}
    assert f"query: {PARAPHRASE}" in inputs


def test_embedding_runs_in_the_background_while_keywords_already_find_the_file(
    data_dir: Path, provider: FakeOpenAI
) -> None:
    published = Published()
    provider.embeddings_open.clear()

    async def body(boards: Boards) -> tuple[list[tuple[str, int]], dict[str, Any], list[str]]:
        board_id, file_id = await _upload(boards, published)
        # Ready and searchable by its words while the model keeps its passages (and the
        # question) waiting.
        found = _pages(await boards.search("receipts", board_id))
        assert "file.embedded" not in [name for name, _ in published.of_file(file_id)]
        provider.embeddings_open.set()
        embedded = await published.wait_for("file.embedded", file_id)
        events = [name for name, _ in published.of_file(file_id)]
        return found, embedded, events

    found, embedded, events = run_boards(data_dir, published, body, embedder=_embedder(provider))
    assert found[0] == ("policy.pdf", 1)
    assert embedded == {"file_id": embedded["file_id"], "model": "test-embed", "passages": 3}
    assert (
        events.index("file.ready") < events.index("file.embedding") < events.index("file.embedded")
    )
    progress = [
        data for name, data in published.of_file(embedded["file_id"]) if name == "file.embedding"
    ]
    assert progress[-1]["done"] == progress[-1]["total"] == 3


def test_an_embedding_server_that_fails_once_is_asked_again(
    data_dir: Path, provider: FakeOpenAI
) -> None:
    published = Published()
    provider.script(Reply(status=503), Reply(status=503), Reply(status=503))

    async def body(boards: Boards) -> list[tuple[str, int]]:
        board_id, file_id = await _upload(boards, published)
        await published.wait_for("file.embedded", file_id)
        return _pages(await boards.search(PARAPHRASE, board_id))

    assert run_boards(data_dir, published, body, embedder=_embedder(provider))[0] == (
        "policy.pdf",
        1,
    )


def test_an_embedding_server_that_refuses_leaves_search_to_keywords(
    data_dir: Path, provider: FakeOpenAI
) -> None:
    """A refusal ends the file's embedding with its reason; searches still answer by words."""
    published = Published()
    provider.default = Reply(status=401)

    async def body(boards: Boards) -> tuple[dict[str, Any], list[tuple[str, int]]]:
        board_id, file_id = await _upload(boards, published)
        failed = await published.wait_for("file.embedding_failed", file_id)
        return failed, _pages(await boards.search("receipts", board_id))

    failed, found = run_boards(data_dir, published, body, embedder=_embedder(provider))
    assert "BOARDROOM_EMBED_API_KEY" in failed["error"]
    assert found[0] == ("policy.pdf", 1)


def test_a_new_model_embeds_everything_again_and_a_deleted_file_takes_its_vectors(
    data_dir: Path, provider: FakeOpenAI
) -> None:
    published = Published()

    async def first(boards: Boards) -> tuple[str, str]:
        ids = await _upload(boards, published)
        await published.wait_for("file.embedded", ids[1])
        return ids

    board_id, file_id = run_boards(data_dir, published, first, embedder=_embedder(provider))
    again = Published()

    async def second(boards: Boards) -> tuple[dict[str, Any], list[tuple[str, int]], int]:
        embedded = await again.wait_for("file.embedded", file_id)
        found = _pages(await boards.search(PARAPHRASE, board_id))
        await boards.delete_file(board_id, file_id)
        [(vectors,)] = await sql_rows(boards.store, "SELECT count(*) FROM vectors")
        return embedded, found, int(vectors)

    embedded, found, vectors = run_boards(
        data_dir, again, second, embedder=_embedder(provider, "other-model")
    )
    assert embedded["model"] == "other-model"
    assert found[0] == ("policy.pdf", 1)
    assert vectors == 0
