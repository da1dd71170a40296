"""Ingestion claims: one owner per file while its lease lives, taken over once it lapses."""

from __future__ import annotations

import anyio

from service.boards.lease import Lease
from service.boards.storage import Storage
from tests.boards.conftest import StoreBackend, file_record

LIVE = 60.0
LAPSED = -1.0  # a lease that ended a second ago: its owner stopped renewing it


async def _board_with(storage: Storage, *statuses: str) -> list[str]:
    await storage.store.create_board("brd_1", "b")
    ids = []
    for n, status in enumerate(statuses):
        file_id = f"fil_{n}"
        await storage.store.insert_file(file_record(file_id, "brd_1", "processing"))
        if status != "processing":
            await storage.store.finish_file(file_id, "ready", None)
        ids.append(file_id)
    return ids


def test_a_claim_held_by_a_live_owner_is_refused_to_another(backend: StoreBackend) -> None:
    async def body(storage: Storage) -> None:
        claims = storage.claims
        await claims.renew("own_a", LIVE)
        await claims.renew("own_b", LIVE)
        assert await claims.claim("own_a", "fil_x")
        assert not await claims.claim("own_b", "fil_x")
        assert await claims.claimed() == {"fil_x"}
        assert await claims.renew("own_a", LIVE) == {"fil_x"}
        await claims.release("own_a", "fil_x")
        assert await claims.claim("own_b", "fil_x")
        assert await claims.live_owners() == {"own_a", "own_b"}

    backend.run_storage(body)


def test_files_of_a_lapsed_owner_are_taken_over_by_exactly_one(backend: StoreBackend) -> None:
    async def body(storage: Storage) -> None:
        claims = storage.claims
        ids = await _board_with(storage, "processing", "processing", "ready", "processing")
        await claims.renew("own_dead", LIVE)
        assert await claims.claim("own_dead", ids[0])
        assert await claims.claim("own_dead", ids[1])
        await claims.renew("own_dead", LAPSED)  # it stopped renewing
        await claims.renew("own_live", LIVE)
        assert await claims.claim("own_live", ids[3])
        await claims.renew("own_b", LIVE)
        await claims.renew("own_c", LIVE)
        taken: dict[str, list[str]] = {}

        async def take(owner: str) -> None:
            taken[owner] = [r.file_id for r in await claims.take_over(owner)]

        async with anyio.create_task_group() as group:
            group.start_soon(take, "own_b")
            group.start_soon(take, "own_c")
        # Both lapsed files, each once; the live owner's and the ready one untouched.
        assert sorted(taken["own_b"] + taken["own_c"]) == ids[:2]
        assert await claims.live_owners() == {"own_live", "own_b", "own_c"}
        assert not await claims.claim("own_b", ids[3])
        for owner, files in taken.items():
            assert await claims.renew(owner, LIVE) == set(files)

    backend.run_storage(body)


def test_an_owner_that_leaves_hands_its_files_over_at_once(backend: StoreBackend) -> None:
    async def body(storage: Storage) -> None:
        claims = storage.claims
        (file_id,) = await _board_with(storage, "processing")
        await claims.renew("own_a", LIVE)
        await claims.renew("own_b", LIVE)
        assert await claims.claim("own_a", file_id)
        assert await claims.take_over("own_b") == []
        await claims.leave("own_a")
        assert [r.file_id for r in await claims.take_over("own_b")] == [file_id]
        assert await claims.live_owners() == {"own_b"}

    backend.run_storage(body)


def test_a_process_whose_file_was_taken_over_stops_extracting_it(backend: StoreBackend) -> None:
    """Two processes extracted one file when the first came back after its lease lapsed."""

    async def body(storage: Storage) -> None:
        (file_id,) = await _board_with(storage, "processing")
        slow, other = Lease(storage.claims, LIVE), Lease(storage.claims, LIVE)
        await slow.renew()
        await other.renew()
        assert await slow.claim(file_id)
        stopped = anyio.Event()

        async def extract() -> None:
            with slow.extracting(file_id):
                await anyio.sleep_forever()
            stopped.set()

        async with anyio.create_task_group() as group:
            group.start_soon(extract)
            await slow.renew()  # still its own: the extraction goes on
            assert not stopped.is_set()
            await storage.claims.renew(slow.owner, LAPSED)  # its renewals stopped a while
            assert [r.file_id for r in await other.take_over()] == [file_id]
            await slow.renew()  # back: the file is another's now
            with anyio.fail_after(10):
                await stopped.wait()
        assert await storage.claims.renew(other.owner, LIVE) == {file_id}

    backend.run_storage(body)
