"""Uploads through the board layer's façade: accepted PDFs are ingested, refusals keep nothing."""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import anyio
import pytest
from pypdf import PdfReader, PdfWriter

from service.boards import Boards, FileRecord, Passage
from service.boards.layout import clean
from service.boards.models import new_id, now
from service.boards.pdf import TEXT_VERSION, page_text
from service.errors import (
    BoardNotFound,
    BoardroomError,
    EmptyUpload,
    NotAPdf,
    PdfEncrypted,
    PdfUnreadable,
    UploadTooLarge,
)
from tests import pdfs
from tests.boards.conftest import Chunks, Published, kept_on_disk, run_boards

Hit = tuple[str | None, int | None]
"""A search hit as (file id, page)."""


def _hits(passages: list[Passage]) -> list[Hit]:
    return [(passage.file_id, passage.page) for passage in passages]


def _pypdf_texts(data: bytes) -> list[str]:
    return [clean(page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


@pytest.fixture(scope="module")
def large_pdf() -> bytes:
    """The English report with 2 MiB of noise attached: more than one flush of an upload."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdfs.english_pdf())))
    writer.add_attachment("noise.bin", os.urandom(2 * 1024 * 1024))
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_pdf_added_with_wait_is_ready_with_its_pages_text_and_search(
    data_dir: Path, published: Published, english_pdf: bytes
) -> None:
    async def body(boards: Boards) -> tuple[FileRecord, list[str], list[Hit]]:
        board = await boards.create_board("Quarterly")
        record = await boards.add_file(
            board.board_id, "report.pdf", Chunks(english_pdf, 1024), wait=True
        )
        texts = [await boards.page_text(board.board_id, record.file_id, n) for n in (1, 2, 3)]
        hits = await boards.search("Which factory is the risk?", board.board_id)
        assert await boards.get_file(board.board_id, record.file_id) == record
        return record, texts, _hits(hits)

    record, texts, hits = run_boards(data_dir, published, body)
    assert (record.status, record.pages, record.error) == ("ready", 3, None)
    assert (record.filename, record.size) == ("report.pdf", len(english_pdf))
    assert texts == _pypdf_texts(english_pdf)
    assert hits == [(record.file_id, 2)]
    # Waiting means the events of the finished ingestion are out before the answer.
    assert [event for event, _ in published.of_file(record.file_id)][-2:] == [
        "file.ready",
        "context.updated",
    ]


def test_a_pdf_added_without_wait_answers_processing_then_publishes_its_progress_and_ready(
    data_dir: Path, published: Published, english_pdf: bytes
) -> None:
    async def body(boards: Boards) -> tuple[FileRecord, FileRecord]:
        board = await boards.create_board("Quarterly")
        accepted = await boards.add_file(board.board_id, "report.pdf", Chunks(english_pdf, 1024))
        await published.wait_for("context.updated", accepted.file_id)
        return accepted, await boards.get_file(board.board_id, accepted.file_id)

    accepted, finished = run_boards(data_dir, published, body)
    assert (accepted.status, accepted.pages) == ("processing", 3)
    assert (finished.status, finished.pages) == ("ready", 3)
    events = published.of_file(accepted.file_id)
    progress = [data["page"] for event, data in events if event == "file.progress"]
    assert progress[0] == 0
    assert progress[-1] == 3
    assert progress == sorted(progress)
    assert [event for event, _ in events[len(progress) :]] == ["file.ready", "context.updated"]
    assert events[-1][1] == {"reason": "file.ready", "file_id": accepted.file_id}
    assert {board_id for board_id, _, _ in published.events} == {accepted.board_id}


@pytest.mark.parametrize(
    ("pdf", "size"),
    [("english", 3), ("large", 64 * 1024)],
    ids=["header-split-over-chunks", "larger-than-one-flush"],
)
def test_an_upload_in_many_chunks_is_stored_byte_for_byte(
    data_dir: Path,
    published: Published,
    english_pdf: bytes,
    large_pdf: bytes,
    pdf: str,
    size: int,
) -> None:
    data = {"english": english_pdf, "large": large_pdf}[pdf]
    chunks = Chunks(data, size)

    async def body(boards: Boards) -> tuple[FileRecord, Path]:
        board = await boards.create_board("b")
        record = await boards.add_file(board.board_id, "doc.pdf", chunks, wait=True)
        _, path = await boards.file_bytes(board.board_id, record.file_id)
        return record, path

    record, path = run_boards(data_dir, published, body)
    assert len(chunks.pieces) > 1
    assert chunks.taken == len(chunks.pieces)
    assert (record.status, record.pages, record.size) == ("ready", 3, len(data))
    assert path.read_bytes() == data
    assert kept_on_disk(data_dir) == [f"files/{record.file_id}.pdf"]


def test_a_chinese_pdf_is_found_by_a_two_character_term(
    data_dir: Path, published: Published, chinese_pdf: bytes
) -> None:
    async def body(boards: Boards) -> tuple[FileRecord, list[Hit]]:
        board = await boards.create_board("机器学习")
        record = await boards.add_file(
            board.board_id, "机器学习.pdf", Chunks(chinese_pdf, 4096), wait=True
        )
        hits = await boards.search("神经", board.board_id)
        return record, _hits(hits)

    record, hits = run_boards(data_dir, published, body)
    assert (record.status, record.filename) == ("ready", "机器学习.pdf")
    assert hits == [(record.file_id, 2)]


@pytest.mark.parametrize(
    ("upload", "refusal", "status"),
    [
        ("plain-text", NotAPdf, 415),
        ("empty", EmptyUpload, 415),
        ("garbage-after-magic", PdfUnreadable, 422),
        ("encrypted", PdfEncrypted, 422),
    ],
)
def test_a_refused_upload_keeps_nothing(
    data_dir: Path,
    published: Published,
    encrypted_pdf: bytes,
    upload: str,
    refusal: type[BoardroomError],
    status: int,
) -> None:
    data = {
        "plain-text": b"hello, this is plain text and not a PDF at all",
        "empty": b"",
        "garbage-after-magic": b"%PDF-1.7\nthis is not really a PDF\n%%EOF",
        "encrypted": encrypted_pdf,
    }[upload]

    async def body(boards: Boards) -> tuple[BoardroomError, list[FileRecord]]:
        board = await boards.create_board("b")
        with pytest.raises(BoardroomError) as refused:
            await boards.add_file(board.board_id, "doc.pdf", Chunks(data, 16))
        return refused.value, await boards.list_files(board.board_id)

    error, files = run_boards(data_dir, published, body)
    assert type(error) is refusal
    assert error.status == status
    assert files == []
    assert published.events == []
    assert kept_on_disk(data_dir) == []


def test_a_non_pdf_is_refused_at_its_first_chunk(data_dir: Path, published: Published) -> None:
    chunks = Chunks(b"<html>" + b"not a PDF " * 100 + b"</html>", 64)

    async def body(boards: Boards) -> list[FileRecord]:
        board = await boards.create_board("b")
        with pytest.raises(NotAPdf):
            await boards.add_file(board.board_id, "page.html", chunks, wait=True)
        return await boards.list_files(board.board_id)

    assert run_boards(data_dir, published, body) == []
    assert chunks.taken == 1
    assert kept_on_disk(data_dir) == []


def test_an_upload_over_the_limit_is_refused_while_it_streams_and_keeps_nothing(
    data_dir: Path, published: Published
) -> None:
    chunks = Chunks(b"%PDF-1.7\n" + b"0" * 200_000, 8192)

    async def body(boards: Boards) -> list[FileRecord]:
        board = await boards.create_board("b")
        with pytest.raises(UploadTooLarge) as refused:
            await boards.add_file(board.board_id, "big.pdf", chunks, wait=True)
        assert refused.value.status == 413
        return await boards.list_files(board.board_id)

    assert run_boards(data_dir, published, body, max_upload_bytes=50_000) == []
    assert chunks.taken < len(chunks.pieces)
    assert kept_on_disk(data_dir) == []


def test_an_upload_of_exactly_the_limit_is_accepted_and_one_byte_more_is_not(
    data_dir: Path, published: Published, english_pdf: bytes
) -> None:
    async def body(boards: Boards) -> list[FileRecord]:
        board = await boards.create_board("b")
        with pytest.raises(UploadTooLarge):
            await boards.add_file(board.board_id, "over.pdf", Chunks(english_pdf + b"\n", 512))
        await boards.add_file(board.board_id, "exact.pdf", Chunks(english_pdf, 512), wait=True)
        return await boards.list_files(board.board_id)

    files = run_boards(data_dir, published, body, max_upload_bytes=len(english_pdf))
    assert [(f.filename, f.status) for f in files] == [("exact.pdf", "ready")]


def test_an_upload_to_an_unknown_board_is_refused_before_a_chunk_is_read(
    data_dir: Path, published: Published, english_pdf: bytes
) -> None:
    chunks = Chunks(english_pdf, 1024)

    async def body(boards: Boards) -> None:
        with pytest.raises(BoardNotFound):
            await boards.add_file("brd_missing", "doc.pdf", chunks, wait=True)

    run_boards(data_dir, published, body)
    assert chunks.taken == 0
    assert kept_on_disk(data_dir) == []


async def _left_behind(
    boards: Boards, board_id: str, pdf: bytes | None, text: str, *, ready_at: int | None = None
) -> str:
    """A file as an earlier run left it: its record and one stored page, its PDF if given;
    still processing, or ready as text pipeline `ready_at` made it."""
    file_id = new_id("fil")
    record = FileRecord(file_id, board_id, "report.pdf", 1, "processing", 3, None, now())
    await boards.store.insert_file(record)
    assert await boards.store.add_pages(file_id, [page_text(1, text)])
    if ready_at is not None:
        await boards.store.finish_file(file_id, "ready", None, text_version=ready_at)
    if pdf is not None:
        await anyio.Path(boards.blobs.path(file_id)).write_bytes(pdf)
    return file_id


def test_a_file_left_processing_is_ingested_again_at_the_next_open(
    data_dir: Path, english_pdf: bytes
) -> None:
    stale = "Stale partial text about zeppelins."

    async def leave_processing(boards: Boards) -> tuple[str, str]:
        # What a stop mid-ingestion leaves: an accepted record, its PDF, some of its pages;
        # plus a PDF no record owns and a half-written upload.
        board = await boards.create_board("b")
        file_id = await _left_behind(boards, board.board_id, english_pdf, stale)
        await anyio.Path(boards.blobs.path(new_id("fil"))).write_bytes(english_pdf)
        await anyio.Path(boards.blobs.tmp / "upload-0123456789abcdef.part").write_bytes(b"%PDF-")
        return board.board_id, file_id

    board_id, file_id = run_boards(data_dir, Published(), leave_processing)
    published = Published()

    async def reopen(boards: Boards) -> tuple[FileRecord, list[str], list[Hit], list[Hit]]:
        await published.wait_for("file.ready", file_id)
        texts = [await boards.page_text(board_id, file_id, n) for n in (1, 2, 3)]
        return (
            await boards.get_file(board_id, file_id),
            texts,
            _hits(await boards.search("zeppelins", board_id)),
            _hits(await boards.search("Rotterdam", board_id)),
        )

    record, texts, stale_hits, hits = run_boards(data_dir, published, reopen)
    assert (record.status, record.pages, record.error) == ("ready", 3, None)
    assert texts == _pypdf_texts(english_pdf)
    assert stale_hits == []
    assert hits == [(file_id, 2)]
    assert kept_on_disk(data_dir) == [f"files/{file_id}.pdf"]


def test_a_file_an_older_text_pipeline_indexed_is_extracted_again_and_stays_ready(
    data_dir: Path, english_pdf: bytes
) -> None:
    """Files stored before passages and NFKC were never found again: they are re-extracted."""
    stale = "Old whole-page text about zeppelins."

    async def leave_old(boards: Boards) -> tuple[str, str]:
        board = await boards.create_board("b")
        file_id = await _left_behind(
            boards, board.board_id, english_pdf, stale, ready_at=TEXT_VERSION - 1
        )
        return board.board_id, file_id

    board_id, file_id = run_boards(data_dir, Published(), leave_old)
    published = Published()

    async def reopen(boards: Boards) -> tuple[FileRecord, list[Hit], list[Hit], int]:
        await published.wait_for("file.ready", file_id)
        return (
            await boards.get_file(board_id, file_id),
            _hits(await boards.search("zeppelins", board_id)),
            _hits(await boards.search("Rotterdam", board_id)),
            len(await boards.store.files_to_reindex(TEXT_VERSION)),
        )

    record, stale_hits, hits, left = run_boards(data_dir, published, reopen)
    assert (record.status, record.pages, record.error) == ("ready", 3, None)
    assert (stale_hits, hits, left) == ([], [(file_id, 2)], 0)
    events = [event for event, _ in published.of_file(file_id)]
    assert events == ["file.progress", "file.ready", "context.updated"]


def test_an_old_file_whose_pdf_is_gone_kept_failing_instead_of_keeping_its_text(
    data_dir: Path, english_pdf: bytes
) -> None:
    """Re-extracting a file without its PDF failed it and dropped its pages: it stays ready."""

    async def leave_old(boards: Boards) -> tuple[str, str, str]:
        board = await boards.create_board("b")
        old = TEXT_VERSION - 1
        gone = await _left_behind(boards, board.board_id, None, "Zeppelins.", ready_at=old)
        kept = await _left_behind(boards, board.board_id, english_pdf, "Airships.", ready_at=old)
        return board.board_id, gone, kept

    board_id, gone, kept = run_boards(data_dir, Published(), leave_old)
    published = Published()

    async def reopen(boards: Boards) -> tuple[FileRecord, str]:
        # Files are taken in order: once the second is done, the first was passed over.
        await published.wait_for("file.ready", kept)
        return await boards.get_file(board_id, gone), await boards.page_text(board_id, gone, 1)

    record, text = run_boards(data_dir, published, reopen)
    assert (record.status, record.error, text) == ("ready", None, "Zeppelins.")
    assert published.of_file(gone) == []


def test_a_resumed_file_that_pypdf_now_refuses_logged_an_error_and_lost_its_reason(
    data_dir: Path,
) -> None:
    """A refusal on resume was logged as a crash with `storing the text failed`: it fails with
    the refusal's own reason."""

    async def leave_processing(boards: Boards) -> tuple[str, str]:
        board = await boards.create_board("b")
        file_id = new_id("fil")
        record = FileRecord(file_id, board.board_id, "bad.pdf", 12, "processing", 1, None, now())
        await boards.store.insert_file(record)
        await anyio.Path(boards.blobs.path(file_id)).write_bytes(b"%PDF-garbage")
        return board.board_id, file_id

    board_id, file_id = run_boards(data_dir, Published(), leave_processing)
    published = Published()

    async def reopen(boards: Boards) -> tuple[dict[str, Any], FileRecord]:
        failed = await published.wait_for("file.failed", file_id)
        return failed, await boards.get_file(board_id, file_id)

    failed, record = run_boards(data_dir, published, reopen)
    assert record.status == "failed"
    assert record.error == failed["error"]
    assert record.error is not None
    assert record.error.startswith("the PDF cannot be read")


def test_closing_mid_ingestion_leaves_the_file_to_the_next_open(data_dir: Path) -> None:
    slow = pdfs.slow_pdf()
    first = Published()

    async def interrupt(boards: Boards) -> FileRecord:
        board = await boards.create_board("b")
        return await boards.add_file(board.board_id, "slow.pdf", Chunks(slow, 8192))

    accepted = run_boards(data_dir, first, interrupt, ingest_timeout=120.0)
    assert accepted.status == "processing"
    assert not {"file.ready", "file.failed"} & {e for e, _ in first.of_file(accepted.file_id)}

    second = Published()

    async def reopen(boards: Boards) -> tuple[dict[str, Any], FileRecord]:
        failed = await second.wait_for("file.failed", accepted.file_id)
        return failed, await boards.get_file(accepted.board_id, accepted.file_id)

    # The second run has a shorter time limit: its message proves it ran the file again.
    failed, record = run_boards(data_dir, second, reopen, ingest_timeout=1.0)
    assert record.status == "failed"
    assert record.error == failed["error"]
    assert "longer than 1 s" in failed["error"]
