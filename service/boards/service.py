"""`Boards`: what the rest of the service may do with boards, files, notes and search."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio
import anyio.to_thread
from anyio.abc import TaskGroup

from service.boards.blobs import BlobStore
from service.boards.context import Context, ContextBuilder
from service.boards.embedding import EmbeddingJobs
from service.boards.ingest import Ingestor, Publish
from service.boards.lease import Lease
from service.boards.models import Board, FileRecord, HistoryEntry, Note, Passage, View, new_id, now
from service.boards.pdf import TEXT_VERSION
from service.boards.recovery import Recovery
from service.boards.search import Searcher
from service.boards.storage import Storage, open_storage
from service.boards.text import index_text
from service.boards.vectors import Embedder, VectorIndex
from service.boards.workers import WorkerPool
from service.errors import FileNotFound
from service.metrics import Metrics

log = logging.getLogger(__name__)

_OPEN_WORKERS = 2
"""Workers that only open uploads (a few milliseconds each), apart from the extractions."""


@asynccontextmanager
async def open_boards(
    data_dir: Path,
    publish: Publish,
    *,
    ingest_workers: int,
    ingest_memory_mb: int,
    ingest_timeout: float,
    max_upload_bytes: int,
    ingest_open_timeout: float = 10.0,
    ingest_cpu: float = 60.0,
    embedder: Embedder | None = None,
    embed_batch: int = 32,
    metrics: Metrics | None = None,
    database_url: str = "",
    ingest_lease: float = 30.0,
) -> AsyncIterator[Boards]:
    """Open the boards: the database (SQLite under `data_dir`, or PostgreSQL at
    `database_url`), the PDF files under `data_dir`, the ingestion workers.

    Interrupted ingestions resume in the background, and so does embedding when an
    `embedder` is given; leaving the block stops running ones (they resume at the next
    start, or in another live process) and closes everything it opened. Processes sharing
    the data dir and database split the ingestions by claims on a lease that each renews
    more often than every `ingest_lease` seconds (lease.py).
    """
    owner = new_id("own")
    blobs = BlobStore(data_dir, owner)
    await anyio.to_thread.run_sync(blobs.prepare)
    pool = WorkerPool(ingest_workers, ingest_memory_mb)
    opener = WorkerPool(_OPEN_WORKERS, ingest_memory_mb)
    try:
        await pool.start()
        await opener.start()
        async with open_storage(data_dir, database_url) as storage:
            lease = Lease(storage.claims, ingest_lease, owner)
            await lease.renew()  # before any temp file of ours exists (BlobStore.sweep)
            try:
                async with anyio.create_task_group() as ingestions:
                    boards = Boards(
                        storage,
                        blobs,
                        pool,
                        opener,
                        ingestions,
                        publish,
                        lease,
                        ingest_timeout=ingest_timeout,
                        ingest_open_timeout=ingest_open_timeout,
                        ingest_cpu=ingest_cpu,
                        max_upload_bytes=max_upload_bytes,
                        embedder=embedder,
                        embed_batch=embed_batch,
                        metrics=metrics,
                    )
                    if boards.embedding is not None:
                        await ingestions.start(boards.embedding.run)
                    await boards.recover()
                    ingestions.start_soon(boards.recovery.forever)
                    yield boards
                    ingestions.cancel_scope.cancel()
            finally:
                # Its unfinished files go to the next process to start, or to a live one
                # at its next heartbeat.
                await lease.leave()
                with anyio.CancelScope(shield=True):
                    await anyio.to_thread.run_sync(blobs.discard_own)
    finally:
        with anyio.CancelScope(shield=True):
            await pool.aclose()
            await opener.aclose()


class Boards:
    """The board layer's one entry point; `open_boards` makes it and owns what it uses."""

    def __init__(
        self,
        storage: Storage,
        blobs: BlobStore,
        pool: WorkerPool,
        opener: WorkerPool,
        tasks: TaskGroup,
        publish: Publish,
        lease: Lease,
        *,
        ingest_timeout: float,
        ingest_open_timeout: float,
        ingest_cpu: float,
        max_upload_bytes: int,
        embedder: Embedder | None = None,
        embed_batch: int = 32,
        metrics: Metrics | None = None,
    ) -> None:
        self.storage = storage
        self.store = storage.store
        self.blobs = blobs
        self.tasks = tasks
        self.publish = publish
        self.vectors = None if embedder is None else VectorIndex(storage.vectors, embedder.model)
        self.embedding = (
            None
            if embedder is None or self.vectors is None
            else EmbeddingJobs(self.vectors, embedder, publish, batch=embed_batch)
        )
        self.searcher = Searcher(storage.index, self.vectors, embedder)
        self.contexts = ContextBuilder(self.store, self.searcher)
        self.ingestor = Ingestor(
            self.store,
            blobs,
            pool,
            opener,
            publish,
            lease,
            timeout=ingest_timeout,
            open_timeout=ingest_open_timeout,
            cpu=ingest_cpu,
            on_ready=self._ready,
            metrics=metrics,
        )
        self.max_upload_bytes = max_upload_bytes
        self.recovery = Recovery(self.store, blobs, lease, self.ingestor, tasks)

    async def recover(self) -> None:
        """At start: drop what stopped processes left, and finish their interrupted ingestions."""
        await self.recovery.at_start()
        self.tasks.start_soon(self._reindex)

    async def _reindex(self) -> None:
        # One file at a time, so that re-extraction never crowds out new uploads.
        for record in await self.store.files_to_reindex(TEXT_VERSION):
            if not await anyio.Path(self.blobs.path(record.file_id)).exists():
                # Its text is all that is left of it: keep that rather than fail the file.
                log.warning("cannot extract %s again: its PDF is gone", record.file_id)
                continue
            log.info("extracting %s again for the current text pipeline", record.file_id)
            self._vectors_changed(record.board_id)
            await self.ingestor.reindex(record)

    def _ready(self, record: FileRecord) -> None:
        if self.embedding is not None:
            self.embedding.enqueue(record.board_id, record.file_id)

    def _vectors_changed(self, board_id: str) -> None:
        if self.vectors is not None:
            self.vectors.forget(board_id)

    # Boards

    async def list_boards(self) -> list[Board]:
        return await self.store.list_boards()

    async def create_board(self, name: str) -> Board:
        return await self.store.create_board(new_id("brd"), name)

    async def get_board(self, board_id: str) -> Board:
        return await self.store.get_board(board_id)

    async def rename_board(self, board_id: str, name: str) -> Board:
        await self.store.rename_board(board_id, name)
        return await self.store.get_board(board_id)

    async def delete_board(self, board_id: str) -> None:
        for file_id in await self.store.delete_board(board_id):
            await self.blobs.remove(file_id)
        self._vectors_changed(board_id)
        self.publish(board_id, "board.deleted", {"board_id": board_id})

    # Files

    async def add_file(
        self,
        board_id: str,
        filename: str,
        chunks: AsyncIterable[bytes],
        *,
        wait: bool = False,
        client: str = "",
    ) -> FileRecord:
        """Store an upload as its bytes arrive; refused, with nothing kept, unless pypdf opens it.

        The board must exist before a byte is stored; the bytes must begin with `%PDF-`
        and stay within the upload limit as they come. Answers once the file is accepted
        (ingestion goes on in the background), or once it is ingested with `wait`. The
        `client` (its token or address) takes turns for the workers with other clients.
        """
        await self.store.get_board(board_id)
        upload = self.blobs.begin(self.max_upload_bytes)
        try:
            async for chunk in chunks:
                await upload.write(chunk)
            await upload.finish()
            return await self.ingestor.add(
                self.tasks, board_id, filename, upload, wait=wait, client=client
            )
        finally:
            with anyio.CancelScope(shield=True):
                await upload.discard()

    async def list_files(self, board_id: str) -> list[FileRecord]:
        await self.store.get_board(board_id)
        return await self.store.list_files(board_id)

    async def get_file(self, board_id: str, file_id: str) -> FileRecord:
        return await self.store.get_file(board_id, file_id)

    async def file_bytes(self, board_id: str, file_id: str) -> tuple[FileRecord, Path]:
        """The file's record and where its PDF's bytes are, for `…/raw`."""
        record = await self.store.get_file(board_id, file_id)
        path = self.blobs.path(file_id)
        if not await anyio.Path(path).exists():
            raise FileNotFound(f"the bytes of file {file_id!r} are gone")
        return record, path

    async def delete_file(self, board_id: str, file_id: str) -> None:
        await self.store.delete_file(board_id, file_id)
        await self.blobs.remove(file_id)
        self._vectors_changed(board_id)
        self.publish(board_id, "context.updated", {"reason": "file.deleted", "file_id": file_id})

    async def page_text(self, board_id: str, file_id: str, page: int) -> str:
        return await self.store.page_text(board_id, file_id, page)

    # Notes

    async def list_notes(self, board_id: str) -> list[Note]:
        await self.store.get_board(board_id)
        return await self.store.list_notes(board_id)

    async def add_note(self, board_id: str, title: str, text: str) -> Note:
        note = Note(new_id("not"), board_id, title, text, now())
        await self.store.put_note(note, index_text(f"{title}\n{text}"), create=True)
        self._context_changed(board_id, "note.created")
        return note

    async def update_note(self, board_id: str, note_id: str, title: str, text: str) -> Note:
        note = Note(note_id, board_id, title, text, now())
        await self.store.put_note(note, index_text(f"{title}\n{text}"), create=False)
        self._context_changed(board_id, "note.updated")
        return note

    async def delete_note(self, board_id: str, note_id: str) -> None:
        await self.store.delete_note(board_id, note_id)
        self._context_changed(board_id, "note.deleted")

    # View, context, search, history

    async def set_view(self, board_id: str, file_id: str, page: int) -> View:
        view = await self.store.set_view(board_id, file_id, page)
        self._context_changed(board_id, "view")
        return view

    async def view(self, board_id: str) -> View | None:
        """The page the user is looking at, if any."""
        await self.store.get_board(board_id)
        viewed = await self.store.get_view(board_id)
        return None if viewed is None else viewed[0]

    async def context(self, board_id: str, question: str) -> Context:
        return await self.contexts.build(board_id, question)

    async def search(self, query: str, board_id: str | None, limit: int = 10) -> list[Passage]:
        if board_id is not None:
            await self.store.get_board(board_id)
        return await self.searcher.search(query, board_id, limit)

    async def history(self, board_id: str) -> list[HistoryEntry]:
        await self.store.get_board(board_id)
        return await self.store.list_history(board_id)

    async def record_answer(
        self,
        board_id: str,
        question: str,
        answer: str,
        sources: list[dict[str, Any]],
        finish_reason: str,
    ) -> None:
        """Keep a finished exchange in the board's history."""
        await self.store.add_history(board_id, question, answer, sources, finish_reason)

    async def clear_history(self, board_id: str) -> None:
        await self.store.get_board(board_id)
        await self.store.clear_history(board_id)

    def _context_changed(self, board_id: str, reason: str) -> None:
        self.publish(board_id, "context.updated", {"reason": reason})
