"""Uploaded PDFs on disk: written to a temp file, fsynced, then renamed into place."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import anyio.to_thread

from service.errors import EmptyUpload, NotAPdf, UploadTooLarge

PDF_MAGIC = b"%PDF-"
_FLUSH_AT = 1024 * 1024


class BlobStore:
    """The `files/` and `tmp/` folders under the data dir."""

    def __init__(self, data_dir: Path) -> None:
        self.files = data_dir / "files"
        self.tmp = data_dir / "tmp"

    def prepare(self) -> None:
        """Create the folders and remove temp files a crash left behind."""
        self.files.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)
        for leftover in self.tmp.iterdir():
            leftover.unlink(missing_ok=True)

    def path(self, file_id: str) -> Path:
        """Where a stored file lives; the name is ours, never the user's."""
        return self.files / f"{file_id}.pdf"

    def stored_ids(self) -> set[str]:
        """Ids of every file on disk, to find blobs no record points at."""
        return {p.stem for p in self.files.glob("*.pdf")}

    def begin(self, max_bytes: int) -> PendingUpload:
        """A temp file that an upload streams into."""
        return PendingUpload(self.tmp / f"upload-{secrets.token_hex(8)}.part", max_bytes)

    async def commit(self, pending: PendingUpload, file_id: str) -> Path:
        """Move a finished upload into place atomically."""
        target = self.path(file_id)
        await anyio.to_thread.run_sync(_rename_durably, pending.path, target)
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
        """Flush and fsync; refuse an empty or truncated-header upload."""
        if self.size == 0:
            raise EmptyUpload("the file is empty")
        if self._head != PDF_MAGIC:
            raise NotAPdf()
        await self._flush()
        fd = self._file
        if fd is not None:
            await anyio.to_thread.run_sync(os.fsync, fd)

    async def _flush(self) -> None:
        data, self._buffer = bytes(self._buffer), bytearray()
        if self._file is None:
            self._file = await anyio.to_thread.run_sync(
                lambda: os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            )
        fd = self._file
        await anyio.to_thread.run_sync(_write_all, fd, data)

    async def discard(self) -> None:
        """Remove whatever was written; safe to call more than once."""
        await anyio.to_thread.run_sync(self._close_and_unlink)

    def _close_and_unlink(self) -> None:
        self._close()
        self.path.unlink(missing_ok=True)

    def _close(self) -> None:
        if self._file is not None:
            os.close(self._file)
            self._file = None

    async def close(self) -> None:
        """Close the file descriptor, keeping the file."""
        await anyio.to_thread.run_sync(self._close)


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
