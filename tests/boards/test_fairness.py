"""CPU-bomb PDFs on one board once held every ingestion worker and stopped every upload."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.boards import Boards, FileRecord
from service.errors import PdfUnreadable
from tests import pdfs
from tests.boards.conftest import Chunks, Published, kept_on_disk, run_boards

ENDS = ("file.ready", "file.failed")


def _ends(published: Published) -> list[tuple[str, str]]:
    """Every file's end so far, as (event, file id), in the order they were published."""
    return [(event, data["file_id"]) for _, event, data in published.events if event in ENDS]


def test_two_cpu_bombs_on_one_board_held_every_upload_until_they_timed_out(
    data_dir: Path, published: Published, english_pdf: bytes
) -> None:
    """Another board's small PDF is accepted while bombs hold both workers, and ready first."""
    bomb = pdfs.slow_pdf()

    async def body(boards: Boards) -> tuple[list[FileRecord], FileRecord, list[tuple[str, str]]]:
        heavy = await boards.create_board("heavy")
        light = await boards.create_board("light")
        bombs = [
            await boards.add_file(heavy.board_id, f"bomb-{n}.pdf", Chunks(bomb, 65536))
            for n in (1, 2, 3)
        ]
        small = await boards.add_file(light.board_id, "small.pdf", Chunks(english_pdf, 4096))
        # Accepted while the first two bombs still run: nothing has ended yet.
        assert _ends(published) == []
        await published.wait_for("file.ready", small.file_id)
        return bombs, small, _ends(published)

    bombs, small, ends = run_boards(data_dir, published, body, ingest_workers=2, ingest_timeout=3.0)
    assert [(b.status, b.pages) for b in bombs] == [("processing", 200)] * 3
    assert (small.status, small.pages) == ("processing", 3)
    # A running bomb reached its deadline and freed a worker; the small file took it ahead
    # of the third bomb, queued before it on the heavy board, which has not ended.
    *freed, last = ends
    assert last == ("file.ready", small.file_id)
    assert freed
    assert {file_id for _, file_id in freed} <= {bombs[0].file_id, bombs[1].file_id}


def test_one_clients_cpu_bombs_held_another_clients_upload_to_the_same_board(
    data_dir: Path, published: Published, english_pdf: bytes
) -> None:
    """On a shared board, a second client's small PDF goes ahead of the first's queued bombs."""
    bomb = pdfs.slow_pdf()

    async def body(boards: Boards) -> tuple[list[FileRecord], FileRecord, list[tuple[str, str]]]:
        shared = await boards.create_board("shared")
        bombs = [
            await boards.add_file(
                shared.board_id, f"bomb-{n}.pdf", Chunks(bomb, 65536), client="token:heavy"
            )
            for n in (1, 2, 3)
        ]
        small = await boards.add_file(
            shared.board_id, "small.pdf", Chunks(english_pdf, 4096), client="token:light"
        )
        await published.wait_for("file.ready", small.file_id)
        return bombs, small, _ends(published)

    bombs, small, ends = run_boards(data_dir, published, body, ingest_workers=1, ingest_timeout=3.0)
    # The first bomb took the one worker; when it failed, the worker went to the small file
    # ahead of the two bombs queued before it.
    assert ends == [("file.failed", bombs[0].file_id), ("file.ready", small.file_id)]


def test_a_cpu_bomb_ran_for_the_whole_wall_clock_deadline_instead_of_its_cpu_limit(
    data_dir: Path, published: Published
) -> None:
    """A PDF that burns CPU fails at its CPU limit, and its reason says so."""

    async def body(boards: Boards) -> tuple[str, FileRecord]:
        board = await boards.create_board("b")
        bomb = await boards.add_file(board.board_id, "bomb.pdf", Chunks(pdfs.slow_pdf(), 65536))
        failed = await published.wait_for("file.failed", bomb.file_id)
        return failed["error"], await boards.get_file(board.board_id, bomb.file_id)

    error, record = run_boards(data_dir, published, body, ingest_cpu=1.0, ingest_timeout=60.0)
    assert error == "text extraction used more than 1 s of CPU time and was stopped"
    assert (record.status, record.error) == ("failed", error)


@pytest.mark.parametrize("busy", [False, True], ids=["a-worker-free", "every-worker-busy"])
def test_an_upload_slow_to_open_was_answered_only_after_the_extraction_deadline(
    data_dir: Path, published: Published, busy: bool
) -> None:
    """A PDF that cannot be opened within the open deadline is refused and keeps nothing."""

    async def body(boards: Boards) -> tuple[PdfUnreadable, list[str], list[str]]:
        board = await boards.create_board("b")
        kept = []
        if busy:
            bomb = await boards.add_file(board.board_id, "bomb.pdf", Chunks(pdfs.slow_pdf(), 65536))
            kept.append(bomb.file_id)
        with pytest.raises(PdfUnreadable) as refused:
            await boards.add_file(board.board_id, "x.pdf", Chunks(pdfs.slow_open_pdf(), 4096))
        files = [record.file_id for record in await boards.list_files(board.board_id)]
        return refused.value, files, kept

    error, files, kept = run_boards(data_dir, published, body, ingest_open_timeout=0.25)
    assert error.message == "the PDF cannot be read: opening it took longer than 0.25 s"
    assert (error.status, files) == (422, kept)
    assert {data["file_id"] for _, _, data in published.events} == set(kept)
    assert kept_on_disk(data_dir) == [f"files/{file_id}.pdf" for file_id in kept]


def test_one_boards_queued_files_were_all_extracted_before_another_boards(
    data_dir: Path, published: Published, english_pdf: bytes
) -> None:
    """Boards take turns at a free worker, each board's files in upload order."""

    async def body(boards: Boards) -> list[str]:
        names = {name: (await boards.create_board(name)).board_id for name in "XABC"}
        # The bomb holds the only worker until it is deleted, so every upload queues.
        gate = await boards.add_file(names["X"], "bomb.pdf", Chunks(pdfs.slow_pdf(), 65536))
        board_of: dict[str, str] = {}
        for name in "AAABBC":
            record = await boards.add_file(names[name], "doc.pdf", Chunks(english_pdf, 4096))
            board_of[record.file_id] = name
        await boards.delete_file(names["X"], gate.file_id)
        for file_id in board_of:
            await published.wait_for("file.ready", file_id)
        return [board_of[file_id] for event, file_id in _ends(published) if event == "file.ready"]

    order = run_boards(data_dir, published, body, ingest_workers=1, ingest_timeout=20.0)
    assert order == ["A", "B", "C", "A", "B", "A"]
