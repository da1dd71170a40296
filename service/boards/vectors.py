"""Passage vectors: kept in the board database, searched in memory with numpy.

Each board's vectors are loaded on its first vector search into one normalised matrix,
so a search is a matrix-vector product, run in a thread. The embedding jobs append
what they store; a change this process did not make (a file deleted, a file extracted
again) drops the board's matrix, to be loaded afresh when next searched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import anyio.to_thread
import numpy as np
import numpy.typing as npt

from service.boards.storage import VectorRows

Matrix = npt.NDArray[np.float32]


class Embedder(Protocol):
    """What turns text into vectors: a model behind an OpenAI-compatible endpoint."""

    model: str

    async def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """One vector per passage, in order."""
        ...

    async def embed_query(self, text: str) -> list[float]:
        """The vector of a question."""
        ...


@dataclass(frozen=True, slots=True)
class _BoardMatrix:
    ids: npt.NDArray[np.int64]
    rows: Matrix


def normalised(vectors: Sequence[Sequence[float]]) -> Matrix:
    """Unit-length float32 rows, so a dot product is the cosine similarity."""
    matrix = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1, norms)).astype(np.float32, copy=False)


class VectorIndex:
    """The vectors of one model: stored by the board database, searched in memory."""

    def __init__(self, rows: VectorRows, model: str) -> None:
        self.rows = rows
        self.model = model
        self._boards: dict[str, _BoardMatrix] = {}
        # Bumped by every change to a board's vectors; a load that overlapped one is not kept.
        self._changes: dict[str, int] = {}

    # Stored vectors

    async def prune_other_models(self) -> int:
        """Forget vectors another model made; returns how many."""
        pruned = await self.rows.prune_other_models(self.model)
        self._boards.clear()
        return pruned

    async def missing(self, file_id: str) -> tuple[int, list[tuple[int, str]]]:
        """How many passages the file has, and those without a vector (id, text)."""
        return await self.rows.missing(file_id)

    async def files_missing_vectors(self) -> list[tuple[str, str]]:
        """Ready files (board id, file id) with a passage that has no vector yet, oldest first."""
        return await self.rows.files_missing_vectors()

    async def store(self, board_id: str, ids: list[int], vectors: list[list[float]]) -> int:
        """Keep the vectors of passages that still exist; returns how many were kept."""
        rows = normalised(vectors)
        kept = await self.rows.store(
            board_id, self.model, [(i, row.tobytes()) for i, row in zip(ids, rows, strict=True)]
        )
        self._append(board_id, ids, rows, set(kept))
        return len(kept)

    # Search

    def forget(self, board_id: str) -> None:
        """Drop a board's matrix after a change made elsewhere (deleted or re-extracted files)."""
        self._changes[board_id] = self._changes.get(board_id, 0) + 1
        self._boards.pop(board_id, None)

    async def nearest(
        self, query: list[float], board_id: str | None, k: int
    ) -> list[tuple[int, float]]:
        """The `k` passages closest to `query` (id, cosine), best first."""
        boards = [board_id] if board_id is not None else await self._boards_with_vectors()
        matrices = [await self._matrix(b) for b in boards]
        vector = normalised([query])[0]
        return await anyio.to_thread.run_sync(_top, matrices, vector, k)

    async def _boards_with_vectors(self) -> list[str]:
        return await self.rows.boards_with_vectors(self.model)

    async def _matrix(self, board_id: str) -> _BoardMatrix:
        loaded = self._boards.get(board_id)
        if loaded is not None:
            return loaded
        before = self._changes.get(board_id, 0)
        rows = await self.rows.load(board_id, self.model)
        # Joining a large board's vectors takes a while: off the event loop.
        loaded = await anyio.to_thread.run_sync(_matrix, rows)
        if self._changes.get(board_id, 0) == before:
            self._boards[board_id] = loaded
        return loaded

    def _append(self, board_id: str, ids: list[int], rows: Matrix, kept: set[int]) -> None:
        self._changes[board_id] = self._changes.get(board_id, 0) + 1
        loaded = self._boards.get(board_id)
        if loaded is None:
            return  # loaded from the table, with these, when first searched
        mask = np.fromiter((i in kept for i in ids), dtype=bool, count=len(ids))
        if loaded.rows.shape[0] and loaded.rows.shape[1] != rows.shape[1]:
            self._boards.pop(board_id)  # another dimension: the model changed under us
            return
        self._boards[board_id] = _BoardMatrix(
            np.concatenate([loaded.ids, np.asarray(ids, dtype=np.int64)[mask]]),
            rows[mask] if not loaded.rows.shape[0] else np.vstack([loaded.rows, rows[mask]]),
        )


def _matrix(rows: list[tuple[int, bytes]]) -> _BoardMatrix:
    ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
    if not rows:
        return _BoardMatrix(ids, np.zeros((0, 0), dtype=np.float32))
    matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32)
    return _BoardMatrix(ids, matrix.reshape(len(rows), -1))


def _top(matrices: list[_BoardMatrix], vector: Matrix, k: int) -> list[tuple[int, float]]:
    best: list[tuple[int, float]] = []
    for m in matrices:
        if not m.rows.shape[0] or m.rows.shape[1] != vector.shape[0]:
            continue
        scores = m.rows @ vector
        count = min(k, len(scores))
        top = np.argpartition(-scores, count - 1)[:count]
        best.extend((int(m.ids[i]), float(scores[i])) for i in top)
    best.sort(key=lambda pair: pair[1], reverse=True)
    return best[:k]
