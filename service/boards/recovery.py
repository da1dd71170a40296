"""Picking up after processes that stopped: their temp files, orphan PDFs, unfinished files."""

from __future__ import annotations

import logging
from pathlib import Path

import anyio
import anyio.to_thread
from anyio.abc import TaskGroup

from service.boards.blobs import BlobStore
from service.boards.ingest import Ingestor
from service.boards.lease import Lease
from service.boards.storage import BoardStore

log = logging.getLogger(__name__)


class Recovery:
    """What one process does, at start and on every heartbeat, for the data dir it shares."""

    # It touches only what no live process owns: temp files of owners whose lease lapsed,
    # PDFs that neither a record nor a live claim accounts for, and files still processing
    # whose claim lapsed (claimed first, so exactly one process resumes each).

    def __init__(
        self,
        store: BoardStore,
        blobs: BlobStore,
        lease: Lease,
        ingestor: Ingestor,
        tasks: TaskGroup,
    ) -> None:
        self.store = store
        self.blobs = blobs
        self.lease = lease
        self.ingestor = ingestor
        self.tasks = tasks

    async def at_start(self) -> None:
        """Remove what stopped processes left, and resume the files they did not finish."""
        # Listed before the database is asked: see BlobStore.sweep and BlobStore.orphans.
        temps = await anyio.to_thread.run_sync(self.blobs.temp_entries)
        stored = await anyio.to_thread.run_sync(self.blobs.stored_entries)
        alone = await self._sweep(temps)
        # Claims before records: a claim is released only after its record exists.
        owned = await self.lease.claims.claimed()
        owned |= await self.store.all_file_ids()
        orphans = await anyio.to_thread.run_sync(
            lambda: self.blobs.orphans(stored, owned, alone=alone)
        )
        for orphan in orphans:
            log.info("removing %s.pdf: no file record owns it", orphan)
            await self.blobs.remove(orphan)
        await self.take_over()

    async def take_over(self) -> None:
        """Claim and resume the files still processing whose owner stopped or died."""
        for record in await self.lease.take_over():
            log.info("resuming ingestion of %s", record.file_id)
            self.tasks.start_soon(self.ingestor.resume, record)

    async def forever(self) -> None:
        """The heartbeat: renew the lease, take over lapsed files, remove lapsed temp files."""
        while True:
            await anyio.sleep(self.lease.ttl / 3)
            try:
                await self.lease.renew()
                await self.take_over()
                await self._sweep(await anyio.to_thread.run_sync(self.blobs.temp_entries))
            except Exception as exc:  # the database away: the next beat tries again
                log.warning("renewing the ingestion lease failed: %s", exc)

    async def _sweep(self, temps: list[Path]) -> bool:
        live = await self.lease.claims.live_owners()
        alone = live <= {self.lease.owner}
        await anyio.to_thread.run_sync(lambda: self.blobs.sweep(temps, live, alone=alone))
        return alone
