"""Turning an uploaded PDF into stored, indexed page text, in a worker process."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import anyio
from anyio.abc import TaskGroup, TaskStatus

from service.boards.blobs import BlobStore, PendingUpload
from service.boards.lease import Lease
from service.boards.models import FileRecord, new_id, now
from service.boards.pdf import TEXT_VERSION, Opened, PageText, Refused
from service.boards.storage import BoardStore
from service.boards.workers import JobCpuLimit, JobFailed, JobTimeout, WorkerCrashed, WorkerPool
from service.errors import PdfEncrypted, PdfUnreadable, Unprocessable
from service.metrics import Metrics

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
        opener: WorkerPool,
        publish: Publish,
        lease: Lease,
        *,
        timeout: float,
        open_timeout: float,
        cpu: float,
        on_ready: Callable[[FileRecord], None] = lambda record: None,
        metrics: Metrics | None = None,
    ) -> None:
        self.store = store
        self.blobs = blobs
        self.pool = pool
        self.opener = opener
        self.publish = publish
        self.lease = lease
        self.timeout = timeout
        self.open_timeout = open_timeout
        self.cpu = cpu
        self.on_ready = on_ready
        self.metrics = metrics or Metrics()

    async def add(
        self,
        tasks: TaskGroup,
        board_id: str,
        filename: str,
        upload: PendingUpload,
        *,
        wait: bool,
        client: str = "",
    ) -> FileRecord:
        """Accept an upload once pypdf can open it; ingestion goes on in `tasks` unless `wait`.

        A refusal (encrypted, unreadable) raises here and keeps nothing of the upload. The
        file waits for a worker in its client's line, then its board's (see `FairSlots`).
        """
        record = FileRecord(
            new_id("fil"), board_id, filename, upload.size, "processing", None, None, now()
        )
        done = anyio.Event()
        final: FileRecord | None = None

        def finished(record: FileRecord | None) -> None:
            nonlocal final
            final = record
            done.set()

        accepted: FileRecord = await tasks.start(self._ingest, record, upload, client, finished)
        if not wait:
            return accepted
        await done.wait()
        # As ingestion left it, without reading it back; gone meanwhile, the store says so.
        return final or await self.store.get_file(board_id, record.file_id)

    async def resume(self, record: FileRecord) -> None:
        """Ingest again a file that a stop interrupted, once this process has claimed it."""
        try:
            with self.lease.extracting(record.file_id):
                await self.store.reset_file(record.file_id)
                await self._extract(record)
        finally:
            await self.lease.release(record.file_id)

    async def reindex(self, record: FileRecord) -> None:
        """Extract again a ready file that an older text pipeline indexed; it stays ready."""
        if not await self.lease.claim(record.file_id):
            return  # another process is at it
        try:
            with self.lease.extracting(record.file_id):
                await self._extract(record)
        finally:
            await self.lease.release(record.file_id)

    async def _ingest(
        self,
        record: FileRecord,
        upload: PendingUpload,
        client: str,
        finished: Callable[[FileRecord | None], None],
        task_status: TaskStatus[FileRecord] = anyio.TASK_STATUS_IGNORED,
    ) -> None:
        # While every extraction worker is busy, or files wait for one, the upload is
        # opened by an `opener` worker, so that it is answered at once; its extraction
        # then waits in its board's line.
        final = None
        try:
            with self.lease.extracting(record.file_id):
                if self.pool.idle:
                    # A worker is free and no file waits: it opens the file and goes on to
                    # extract it in the same job, so the file is parsed once.
                    final = await self._extract(record, upload, task_status, client=client)
                    return
                pages = await self._open((client, record.board_id), str(upload.path))
                record = await self._accept(record, upload, pages)
                task_status.started(record)
                # No await before the extraction joins its board's line: an upload answered
                # before another is extracted before it.
                final = await self._extract(record, client=client)
        finally:
            finished(final)
            with anyio.CancelScope(shield=True):
                await upload.discard()
                await self.lease.release(record.file_id)

    async def _open(self, key: tuple[str, str], path: str) -> int:
        opened: Opened | Refused | None = None
        try:
            async with self.opener.run(
                "service.boards.pdf.check", path, timeout=self.open_timeout, key=key
            ) as items:
                async for item in items:
                    opened = item
        except (JobTimeout, JobCpuLimit, WorkerCrashed, JobFailed) as exc:
            self._count_refused(_reason_code(exc))
            raise self._unreadable(exc) from exc
        if isinstance(opened, Refused):
            self._count_refused(opened.code)
            raise _REFUSALS[opened.code](opened.message)
        assert isinstance(opened, Opened)
        return opened.pages

    async def _extract(
        self,
        record: FileRecord,
        upload: PendingUpload | None = None,
        task_status: TaskStatus[FileRecord] = anyio.TASK_STATUS_IGNORED,
        *,
        client: str = "",
    ) -> FileRecord | None:
        """Extract and store the file's pages; its record as they left it (None: deleted)."""
        # With an upload, the file is accepted once the worker has opened it. Before
        # `task_status.started` an exception reaches the uploader as a refusal; after it,
        # nothing may escape into the task group: every failure ends as `failed`.
        accepted = upload is None
        path = str(self.blobs.path(record.file_id) if upload is None else upload.path)
        blank: list[int] = []
        began, code = 0.0, ""
        try:
            async with self.pool.run(
                "service.boards.pdf.extract",
                path,
                timeout=self.timeout,
                cpu=self.cpu,
                key=(client, record.board_id),
                first_timeout=None if accepted else self.open_timeout,
            ) as items:
                began = time.monotonic()  # the worker has taken it: waiting in line is not counted
                pages, batch = record.pages or 0, list[PageText]()
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
        except (JobTimeout, JobCpuLimit, WorkerCrashed, JobFailed) as exc:
            if not accepted:
                self._count_refused(_reason_code(exc))
                raise self._unreadable(exc) from exc
            error, code = self._reason(exc), _reason_code(exc)
        except _Deleted:
            return None
        except Unprocessable as exc:
            if not accepted:
                self._count_refused(_reason_code(exc))
                raise
            # A file that pypdf opened once and now refuses (resumed after a restart): its
            # reason is the refusal's.
            error, code = exc.message, _reason_code(exc)
        except Exception as exc:
            if not accepted:
                raise
            log.exception("storing the text of file %s failed", record.file_id)
            error, code = f"storing the text failed: {type(exc).__name__}", "store_error"
        if began:
            self.metrics.ingest_seconds.observe(time.monotonic() - began)
        record = await self._finish(record, error, blank)
        if error:
            self.metrics.ingest_files.labels("failed").inc()
            self.metrics.ingest_failures.labels(code).inc()
        else:
            self.metrics.ingest_files.labels("ready").inc()
            self.metrics.ingest_pages.inc(record.pages or 0)
        return record

    def _count_refused(self, reason: str) -> None:
        self.metrics.ingest_files.labels("refused").inc()
        self.metrics.ingest_failures.labels(reason).inc()

    def _unreadable(self, exc: Exception) -> PdfUnreadable:
        if isinstance(exc, JobTimeout):
            return PdfUnreadable(
                f"the PDF cannot be read: opening it took longer than {self.open_timeout:g} s"
            )
        return PdfUnreadable(f"the PDF cannot be read: {self._reason(exc)}")

    def _reason(self, exc: Exception) -> str:
        if isinstance(exc, JobTimeout):
            return f"text extraction took longer than {self.timeout:g} s and was stopped"
        if isinstance(exc, JobCpuLimit):
            return f"text extraction used more than {self.cpu:g} s of CPU time and was stopped"
        if isinstance(exc, WorkerCrashed):
            return f"text extraction crashed: {exc}"
        return f"text extraction failed: {exc}"

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
        # Claimed before the PDF is in place: another process's start-up removes a stored
        # PDF only when neither a record nor a live claim owns it.
        await self.lease.claim(record.file_id)
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

    async def _finish(self, record: FileRecord, error: str | None, blank: list[int]) -> FileRecord:
        await self.store.finish_file(
            record.file_id,
            "failed" if error else "ready",
            error,
            pages_without_text=blank,
            text_version=TEXT_VERSION,
        )
        final = replace(
            record,
            status="failed" if error else "ready",
            error=error,
            pages_without_text=tuple(blank),
        )
        if error:
            log.warning("file %s failed: %s", record.file_id, error)
            self.publish(
                record.board_id, "file.failed", {"file_id": record.file_id, "error": error}
            )
            return final
        self.publish(record.board_id, "file.ready", {"file_id": record.file_id})
        self.on_ready(record)
        self.publish(
            record.board_id, "context.updated", {"reason": "file.ready", "file_id": record.file_id}
        )
        return final


def _reason_code(exc: Exception) -> str:
    """The `reason` label of a failure in `boardroom_ingest_failures`."""
    if isinstance(exc, Unprocessable):
        return exc.code
    return {
        JobTimeout: "timeout",
        JobCpuLimit: "cpu_limit",
        WorkerCrashed: "crashed",
        JobFailed: "error",
    }.get(type(exc), "store_error")
