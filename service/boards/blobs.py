"""Uploaded PDFs on disk: written to a temp file, fsynced, then renamed into place."""

from __future__ import annotations

import os
import secrets
import shutil
import time
from pathlib import Path

import anyio.to_thread

from service.errors import EmptyUpload, NotAPdf, UploadTooLarge

PDF_MAGIC = b"%PDF-"
_FLUSH_AT = 1024 * 1024
SAFETY_MARGIN_S = 3600.0
"""While other processes are live, a file nobody can be shown to own is left this long."""


class BlobStore:
    """The `files/` and `tmp/` folders under the data dir; temp files carry their owner's id."""

    def __init__(self, data_dir: Path, owner: str) -> None:
        self.files = data_dir / "files"
        self.tmp = data_dir / "tmp"
        self.owner = owner

    def prepare(self) -> None:
        """Create the folders."""
        self.files.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    def temp_entries(self) -> list[Path]:
        """What is in `tmp/` now (listed before asking who is live: see `sweep`)."""
        return list(self.tmp.iterdir())

    def stored_entries(self) -> list[Path]:
        """The stored PDFs now (listed before asking which are owned: see `orphans`)."""
        return list(self.files.glob("*.pdf"))

    def sweep(self, entries: list[Path], live: set[str], *, alone: bool) -> None:
        """Remove the temp files among `entries` whose owner is not live."""
        # `entries` must be listed before `live` is read: an owner's lease is written before
        # its first temp file, so every listed file of a live owner has its owner in `live`.
        # A name without an owner's id (an older version's) goes only when this process is
        # alone, or once it is older than the safety margin.
        for leftover in entries:
            owner = leftover.name.partition(".")[0]
            if owner == self.owner or owner in live:
                continue
            if not owner.startswith("own_") and not alone and not _older(leftover):
                continue
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)

    def orphans(self, entries: list[Path], owned: set[str], *, alone: bool) -> set[str]:
        """The ids among `entries` that `owned` lacks; only old ones unless `alone`."""
        # `entries` must be listed before `owned` is read: a claim is written before its
        # PDF is moved into place.
        return {path.stem for path in entries if path.stem not in owned and (alone or _older(path))}

    def path(self, file_id: str) -> Path:
        """Where a stored file lives; the name is ours, never the user's."""
        return self.files / f"{file_id}.pdf"

    def begin(self, max_bytes: int) -> PendingUpload:
        """A temp file that an upload streams into."""
        name = f"{self.owner}.{secrets.token_hex(8)}.part"
        return PendingUpload(self.tmp / name, max_bytes)

    def discard_own(self) -> None:
        """Remove this process's temp files (at its end)."""
        for leftover in self.tmp.glob(f"{self.owner}.*"):
            leftover.unlink(missing_ok=True)

    async def commit(self, pending: PendingUpload, file_id: str) -> Path:
        """Make a finished upload durable and move it into place atomically, in one hop."""
        target = self.path(file_id)
        await anyio.to_thread.run_sync(pending.keep_as, target)
        pending.settled = True
        return target

    async def remove(self, file_id: str) -> None:
        """Delete a stored file, if present."""
        await anyio.to_thread.run_sync(lambda: self.path(file_id).unlink(missing_ok=True))


class PendingUpload:
    """Bytes of one upload on their way to disk, checked as they arrive."""

    def __init__(self, path: Path, max_bytes: int) -> None:
        self.path = path
        self.max_bytes = max_bytes
        self.size = 0
        self._buffer = bytearray()
        self._file: int | None = None
        self._head = b""
        # Moved into place or removed: nothing is left to discard. Both the uploader and
        # the ingestion discard an upload when they are done with it, and a thread hop
        # that finds nothing costs a fixed half millisecond per file.
        self.settled = False

    async def write(self, chunk: bytes) -> None:
        """Take the next chunk; refuse as soon as the bytes cannot be an acceptable PDF."""
        self.size += len(chunk)
        if self.size > self.max_bytes:
            raise UploadTooLarge(self.max_bytes)
        if len(self._head) < len(PDF_MAGIC):
            self._head += chunk[: len(PDF_MAGIC) - len(self._head)]
            if not PDF_MAGIC.startswith(self._head[: len(PDF_MAGIC)]):
                raise NotAPdf()
        self._buffer += chunk
        if len(self._buffer) >= _FLUSH_AT:
            await self._flush()

    async def finish(self) -> None:
        """Write what is left; refuse an empty or truncated-header upload.

        The bytes are then readable (a worker opens them at once) but not yet durable:
        `Blobs.commit` makes them so before the file is accepted, while it is extracted.
        """
        if self.size == 0:
            raise EmptyUpload("the file is empty")
        if self._head != PDF_MAGIC:
            raise NotAPdf()
        await self._flush()

    async def _flush(self) -> None:
        data, self._buffer = bytes(self._buffer), bytearray()
        await anyio.to_thread.run_sync(self._write, data)  # one hop, the open included

    def _write(self, data: bytes) -> None:
        if self._file is None:
            self._file = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        _write_all(self._file, data)

    def keep_as(self, target: Path) -> None:
        """Fsync, close, and rename into `target` durably (blocking: run it in a thread)."""
        if self._file is not None:
            os.fsync(self._file)
        self._close()
        _rename_durably(self.path, target)

    async def discard(self) -> None:
        """Remove whatever was written; safe to call more than once."""
        if self.settled:
            return
        await anyio.to_thread.run_sync(self._close_and_unlink)
        self.settled = True

    def _close_and_unlink(self) -> None:
        self._close()
        self.path.unlink(missing_ok=True)

    def _close(self) -> None:
        if self._file is not None:
            os.close(self._file)
            self._file = None


def _older(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime > SAFETY_MARGIN_S
    except FileNotFoundError:
        return False


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _rename_durably(source: Path, target: Path) -> None:
    os.replace(source, target)
    dir_fd = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)
