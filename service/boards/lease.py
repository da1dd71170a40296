"""This process's lease on its ingestions, so that processes sharing a data dir share the work."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import anyio

from service.boards.models import FileRecord, new_id
from service.boards.storage import IngestClaims

log = logging.getLogger(__name__)


class Lease:
    """An owner id, its lease in the board store, and the files it is extracting."""

    # A file is claimed before its PDF is moved into place; the claim holds while `renew`
    # is called more often than every `ttl` seconds (one call keeps every claim), and is
    # released when its ingestion ends. A file whose claim lapsed is taken over by
    # whichever process calls `take_over` first.

    def __init__(self, claims: IngestClaims, ttl: float, owner: str | None = None) -> None:
        # The id names this process's temp files too (blobs.py): "own_" and hex digits.
        self.owner = owner or new_id("own")
        self.claims = claims
        self.ttl = ttl
        self._held: set[str] = set()
        self._running: dict[str, anyio.CancelScope] = {}

    async def renew(self) -> None:
        """Extend the lease; stop extracting any file that another process has taken over."""
        # Only files whose claim was written before this renewal began: it sees those.
        checked = {f: scope for f, scope in self._running.items() if f in self._held}
        held = await self.claims.renew(self.owner, self.ttl)
        for file_id, scope in checked.items():
            if file_id not in held and self._running.get(file_id) is scope:
                # This process missed its renewals (a stall, the database away) and the
                # file went to another: two extractions of one file must not race.
                log.warning("file %s was taken over by another process; stopping here", file_id)
                scope.cancel()

    async def claim(self, file_id: str) -> bool:
        """Claim a file unless a live process holds it; whether this process holds it now."""
        won = await self.claims.claim(self.owner, file_id)
        if won:
            self._held.add(file_id)
        return won

    async def release(self, file_id: str) -> None:
        self._held.discard(file_id)
        with anyio.CancelScope(shield=True):
            try:
                await self.claims.release(self.owner, file_id)
            except Exception as exc:  # the database away: the claim lapses with the lease
                log.warning("releasing the claim on %s failed: %s", file_id, exc)

    async def take_over(self) -> list[FileRecord]:
        """Claim the files still processing whose owner stopped or died."""
        records = await self.claims.take_over(self.owner)
        self._held.update(r.file_id for r in records)
        return records

    async def leave(self) -> None:
        """Give up the lease and every claim, so another process may go on at once."""
        with anyio.CancelScope(shield=True):
            try:
                await self.claims.leave(self.owner)
            except Exception as exc:  # the database away: the lease lapses by itself
                log.warning("ending the ingestion lease failed: %s", exc)

    @contextmanager
    def extracting(self, file_id: str) -> Iterator[None]:
        """Run the block as the file's extraction, stopped if the claim is lost."""
        with anyio.CancelScope() as scope:
            self._running[file_id] = scope
            try:
                yield
            finally:
                if self._running.get(file_id) is scope:
                    del self._running[file_id]
