"""A process starting beside a live one: it leaves alone what the live one owns."""

from __future__ import annotations

from pathlib import Path

import anyio

from service.boards.models import new_id
from tests.boards.conftest import Published, boards_at, kept_on_disk


def test_a_starting_process_spares_a_live_ones_claimed_pdf_and_temp_files(
    data_dir: Path, english_pdf: bytes
) -> None:
    """At start every PDF without a record was removed, and every temp file."""
    claimed, unclaimed = new_id("fil"), new_id("fil")

    async def main() -> tuple[list[str], list[str], list[str]]:
        async with boards_at(data_dir, Published()) as first:
            # The first is between moving an upload into place and writing its record,
            # and has another upload on its way to disk.
            assert await first.ingestor.lease.claim(claimed)
            await anyio.Path(first.blobs.path(claimed)).write_bytes(english_pdf)
            await anyio.Path(first.blobs.path(unclaimed)).write_bytes(english_pdf)
            pending = first.blobs.begin(1 << 20)
            await pending.write(english_pdf)
            await pending.finish()
            before = kept_on_disk(data_dir)
            async with boards_at(data_dir, Published()):
                during = kept_on_disk(data_dir)
            await pending.discard()
        # Alone, a process removes what nothing owns at once.
        async with boards_at(data_dir, Published()):
            alone = kept_on_disk(data_dir)
        return before, during, alone

    before, during, alone = anyio.run(main)
    assert sorted(entry.split("/")[0] for entry in before) == ["files", "files", "tmp"]
    assert during == before
    assert alone == []
