"""Embedding passages in the background, a file at a time, while BM25 already finds them.

A ready file is queued; its passages without a vector are embedded in batches, each
retried with backoff, and the board's events say how far it got (`file.embedding`),
when it is done (`file.embedded`) or why it stopped (`file.embedding_failed`). What a
stop or a failure left undone is picked up at the next start; a changed model drops
the old vectors and embeds everything again.
"""

from __future__ import annotations

import logging
import math

import anyio
from anyio.abc import TaskStatus

from service.boards.ingest import Publish
from service.boards.vectors import Embedder, VectorIndex
from service.errors import EmbeddingFailed

log = logging.getLogger(__name__)

ATTEMPTS = 4
BACKOFF_S = 1.0


class EmbeddingJobs:
    """The queue of files to embed and the one task that works through it."""

    def __init__(
        self,
        vectors: VectorIndex,
        embedder: Embedder,
        publish: Publish,
        *,
        batch: int,
    ) -> None:
        self.vectors = vectors
        self.embedder = embedder
        self.publish = publish
        self.batch = batch
        self._send, self._receive = anyio.create_memory_object_stream[tuple[str, str]](math.inf)

    def enqueue(self, board_id: str, file_id: str) -> None:
        """Embed this file's passages soon."""
        self._send.send_nowait((board_id, file_id))

    async def run(self, *, task_status: TaskStatus[None] = anyio.TASK_STATUS_IGNORED) -> None:
        """Catch up with what earlier runs left, then embed each queued file in turn."""
        pruned = await self.vectors.prune_other_models()
        if pruned:
            log.info("dropped %d vectors of another embedding model", pruned)
        task_status.started()
        for board_id, file_id in await self.vectors.files_missing_vectors():
            self.enqueue(board_id, file_id)
        async with self._receive:
            async for board_id, file_id in self._receive:
                await self._embed_file(board_id, file_id)

    async def _embed_file(self, board_id: str, file_id: str) -> None:
        total, missing = await self.vectors.missing(file_id)
        done = total - len(missing)
        for start in range(0, len(missing), self.batch):
            batch = missing[start : start + self.batch]
            try:
                vectors = await self._embed([text for _, text in batch])
            except EmbeddingFailed as exc:
                log.warning("embedding file %s stopped: %s", file_id, exc.message)
                self.publish(
                    board_id, "file.embedding_failed", {"file_id": file_id, "error": exc.message}
                )
                return
            await self.vectors.store(board_id, [i for i, _ in batch], vectors)
            done += len(batch)
            self.publish(
                board_id, "file.embedding", {"file_id": file_id, "done": done, "total": total}
            )
        if missing:
            self.publish(
                board_id,
                "file.embedded",
                {"file_id": file_id, "model": self.embedder.model, "passages": total},
            )

    async def _embed(self, texts: list[str]) -> list[list[float]]:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return await self.embedder.embed_documents(texts)
            except EmbeddingFailed as exc:
                if attempt == ATTEMPTS or not exc.retryable:
                    raise
                await anyio.sleep(BACKOFF_S * 2 ** (attempt - 1))
        raise AssertionError("unreachable")
