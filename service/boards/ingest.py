"""Turning an uploaded PDF into stored, indexed page text, in a worker process."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import anyio
from anyio.abc import TaskGroup, TaskStatus

from service.boards.blobs import BlobStore, PendingUpload
from service.boards.models import FileRecord, new_id, now
from service.boards.pdf import TEXT_VERSION, Opened, PageText, Refused
from service.boards.store import BoardStore
from service.boards.workers import JobFailed, JobTimeout, WorkerCrashed, WorkerPool
from service.errors import PdfEncrypted, PdfUnreadable, Unprocessable

log = logging.getLogger(__name__)

Publish = Callable[[str, str, dict[str, Any]], None]
"""Where board events go: `publish(board_id, event, data)`."""

_BATCH = 32
_REFUSALS: dict[str, type[Unprocessable]] = {
    "pdf_encrypted": PdfEncrypted,
    "pdf_unreadable": PdfUnreadable,
}


class _Deleted(Exception):
    """The file was deleted while it was being ingested."""


class Ingestor:
    """Opens a PDF in a worker, then stores its pages in batches while publishing progress."""

    def __init__(
        self,
        store: BoardStore,
        blobs: BlobStore,
        pool: WorkerPool,
        publish: Publish,
        *,
        timeout: float,
        on_ready: Callable[[FileRecord], None] = lambda record: None,
    ) -> None:
        self.store = store
        self.blobs = blobs
        self.pool = pool
        self.publish = publish
        self.timeout = timeout
        self.on_ready = on_ready

    async def add(
        self, tasks: TaskGroup, board_id: str, filename: str, upload: PendingUpload, *, wait: bool
    ) -> FileRecord:
        """Accept an upload once pypdf can open it; ingestion goes on in `tasks` unless `wait`.

        A refusal (encrypted, unreadable) raises here and keeps nothing of the upload.
        """
        record = FileRecord(
            new_id("fil"), board_id, filename, upload.size, "processing", None, None, now()
        )
        done = anyio.Event()
        accepted: FileRecord = await tasks.start(self._ingest, record, upload, done.set)
        if not wait:
            return accepted
        await done.wait()
        return await self.store.get_file(board_id, record.file_id)

    async def resume(self, record: FileRecord) -> None:
        """Ingest again a file that a stop interrupted."""
        await self.store.reset_file(record.file_id)
        await self._run(record, None, lambda: None, anyio.TASK_STATUS_IGNORED)

    async def reindex(self, record: FileRecord) -> None:
        """Extract again a ready file that an older text pipeline indexed; it stays ready."""
        await self._run(record, None, lambda: None, anyio.TASK_STATUS_IGNORED)

    async def _ingest(
        self,
        record: FileRecord,
        upload: PendingUpload,
        finished: Callable[[], None],
        task_status: TaskStatus[FileRecord] = anyio.TASK_STATUS_IGNORED,
    ) -> None:
        try:
            await self._run(record, upload, finished, task_status)
        finally:
            with anyio.CancelScope(shield=True):
                await upload.discard()

    async def _run(
        self,
        record: FileRecord,
        upload: PendingUpload | None,
        finished: Callable[[], None],
        task_status: TaskStatus[FileRecord],
    ) -> None:
        # Before `task_status.started` an exception reaches the uploader as a refusal; after
        # it, nothing may escape into the task group: every failure ends as `failed`.
        accepted = upload is None
        path = str(self.blobs.path(record.file_id) if upload is None else upload.path)
        try:
            try:
                async with self.pool.run(
                    "service.boards.pdf.extract", path, timeout=self.timeout
                ) as items:
                    pages, batch, blank = record.pages or 0, list[PageText](), list[int]()
                    async for item in items:
                        if isinstance(item, Refused):
                            raise _REFUSALS[item.code](item.message)
                        if isinstance(item, Opened):
                            pages = item.pages
                            if upload is not None:
                                record = await self._accept(record, upload, pages)
                                accepted = True
                                task_status.started(record)
                            continue
                        assert isinstance(item, PageText)
                        batch.append(item)
                        if not item.has_text:
                            blank.append(item.page)
                        # Store what the worker sent as soon as it is all taken, so storing
                        # and indexing overlap with the extraction of the next pages.
                        if len(batch) >= _BATCH or not items.buffered:
                            await self._store(record, batch, pages)
                            batch = []
                    if batch:
                        await self._store(record, batch, pages)
                error = None
            except (JobTimeout, WorkerCrashed, JobFailed) as exc:
                if not accepted:
                    raise PdfUnreadable(
                        f"the PDF cannot be read: {_reason(exc, self.timeout)}"
                    ) from exc
                error = _reason(exc, self.timeout)
            except _Deleted:
                return
            except Unprocessable as exc:
                if not accepted:
                    raise
                # A file that pypdf opened once and now refuses (resumed after a restart):
                # its reason is the refusal's.
                error = exc.message
            except Exception as exc:
                if not accepted:
                    raise
                log.exception("storing the text of file %s failed", record.file_id)
                error = f"storing the text failed: {type(exc).__name__}"
            await self._finish(record, error, blank)
        finally:
            finished()

    async def _accept(self, record: FileRecord, upload: PendingUpload, pages: int) -> FileRecord:
        record = FileRecord(
            record.file_id,
            record.board_id,
            record.filename,
            record.size,
            "processing",
            pages,
            None,
            record.created_at,
        )
        await upload.close()
        await self.blobs.commit(upload, record.file_id)
        try:
            await self.store.insert_file(record)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await self.blobs.remove(record.file_id)
            raise
        self.publish(
            record.board_id, "file.progress", {"file_id": record.file_id, "page": 0, "pages": pages}
        )
        return record

    async def _store(self, record: FileRecord, batch: list[PageText], pages: int) -> None:
        if not await self.store.add_pages(record.file_id, batch):
            raise _Deleted()
        self.publish(
            record.board_id,
            "file.progress",
            {"file_id": record.file_id, "page": batch[-1].page, "pages": pages},
        )

    async def _finish(self, record: FileRecord, error: str | None, blank: list[int]) -> None:
        await self.store.finish_file(
            record.file_id,
            "failed" if error else "ready",
            error,
            pages_without_text=blank,
            text_version=TEXT_VERSION,
        )
        if error:
            log.warning("file %s failed: %s", record.file_id, error)
            self.publish(
                record.board_id, "file.failed", {"file_id": record.file_id, "error": error}
            )
            return
        self.publish(record.board_id, "file.ready", {"file_id": record.file_id})
        self.on_ready(record)
        self.publish(
            record.board_id, "context.updated", {"reason": "file.ready", "file_id": record.file_id}
        )


def _reason(exc: Exception, timeout: float) -> str:
    if isinstance(exc, JobTimeout):
        return f"text extraction took longer than {timeout:g} s and was stopped"
    if isinstance(exc, WorkerCrashed):
        return f"text extraction crashed: {exc}"
    return f"text extraction failed: {exc}"
