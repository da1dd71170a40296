"""Search latency at 100,000 passages: BM25 alone, and hybrid with the embedding call excluded.

Run: .venv/bin/python -m bench.retrieval.latency [--passages N] [--queries N]

One board holds N passages made of the evaluation corpus's sentences, shuffled, with
random unit vectors of the dimension of multilingual-e5-small (384). A query's vector
is ready at once, so the times are ours: FTS5, the matrix product, fusion, grouping by
page. Both modes run in one process over the same data, the hybrid one after its first
search has loaded the board's matrix.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import anyio
import numpy as np

from bench.retrieval.corpus import DOCUMENTS
from bench.retrieval.questions import QUESTIONS
from service.boards import Boards, open_boards
from service.boards.models import FileRecord, new_id, now
from service.boards.pdf import TEXT_VERSION, PageText
from service.boards.text import index_text
from service.llm.sentences import sentences

DIM = 384
PER_PAGE = 5


class InstantEmbedder:
    """Vectors without a model: a question's is random, and costs nothing."""

    model = "bench-random"

    def __init__(self, seed: int) -> None:
        self.random = np.random.default_rng(seed)

    async def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.random.standard_normal((len(texts), DIM)).tolist()  # type: ignore[no-any-return]

    async def embed_query(self, text: str) -> list[float]:
        return self.random.standard_normal(DIM).tolist()  # type: ignore[no-any-return]


def corpus_sentences() -> list[str]:
    return [s for doc in DOCUMENTS for page in doc.pages for s in sentences(page) if len(s) > 20]


def synthetic_pages(count: int, seed: int) -> list[PageText]:
    """`count` passages, PER_PAGE to a page, each a few shuffled corpus sentences."""
    pool = corpus_sentences()
    rng = random.Random(seed)
    pages = []
    for number in range(1, count // PER_PAGE + 1):
        passages = []
        for _ in range(PER_PAGE):
            text = " ".join(rng.sample(pool, 4))
            passages.append((text, index_text(text)))
        pages.append(PageText(number, "\n\n".join(p for p, _ in passages), tuple(passages)))
    return pages


async def fill(boards: Boards, count: int, seed: int) -> str:
    board = await boards.create_board("latency")
    record = FileRecord(
        new_id("fil"), board.board_id, "big.pdf", 1, "processing", None, None, now()
    )
    await boards.store.insert_file(record)
    pages = synthetic_pages(count, seed)
    for start in range(0, len(pages), 500):
        await boards.store.add_pages(record.file_id, pages[start : start + 500])
    await boards.store.finish_file(record.file_id, "ready", None, text_version=TEXT_VERSION)
    assert boards.vectors is not None
    rng = np.random.default_rng(seed)
    _, missing = await boards.vectors.missing(record.file_id)
    ids = [passage_id for passage_id, _ in missing]
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        await boards.vectors.store(
            board.board_id, chunk, rng.standard_normal((len(chunk), DIM)).tolist()
        )
    return board.board_id


async def timed(boards: Boards, board_id: str, queries: list[str], *, hybrid: bool) -> list[float]:
    searcher = boards.searcher
    saved = searcher.embedder
    searcher.embedder = saved if hybrid else None
    try:
        await searcher.search(queries[0], board_id)  # loads the board's matrix once
        samples = []
        for query in queries:
            start = time.perf_counter()
            await searcher.search(query, board_id)
            samples.append((time.perf_counter() - start) * 1000)
        return samples
    finally:
        searcher.embedder = saved


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def measure(
    count: int, rounds: int, database_url: str = ""
) -> tuple[float, dict[str, list[float]]]:
    """Seconds to store `count` passages, and search times (ms) of each mode."""
    questions = [q.text for q in QUESTIONS]
    queries = (questions * (rounds // len(questions) + 1))[:rounds]
    with tempfile.TemporaryDirectory() as tmp:

        def publish(board_id: str, event: str, data: dict[str, Any]) -> None:
            pass

        async with open_boards(
            Path(tmp),
            publish,
            ingest_workers=1,
            ingest_memory_mb=1024,
            ingest_timeout=60,
            max_upload_bytes=1 << 20,
            embedder=InstantEmbedder(7),
            database_url=database_url,
        ) as boards:
            start = time.perf_counter()
            board_id = await fill(boards, count, 7)
            stored = time.perf_counter() - start
            results: dict[str, list[float]] = {}
            for _ in range(2):  # interleaved, so neither mode gets a warmer machine
                for name, hybrid in (("bm25", False), ("hybrid", True)):
                    results.setdefault(name, []).extend(
                        await timed(boards, board_id, queries, hybrid=hybrid)
                    )
    return stored, results


async def main_async(count: int, rounds: int) -> None:
    stored, results = await measure(count, rounds)
    print(f"{count} passages stored in {stored:.1f} s")
    print("| mode | passages | queries | p50 ms | p99 ms |")
    print("|---|---|---|---|---|")
    for name, samples in results.items():
        print(
            f"| {name} | {count} | {len(samples)} | {statistics.median(samples):.1f} "
            f"| {percentile(samples, 0.99):.1f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--passages", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    anyio.run(main_async, args.passages, args.queries)


if __name__ == "__main__":
    main()
