"""Text as people type it, from PDFs as typesetters make them: ligatures, hyphens, Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.boards import Boards, FileRecord, Passage
from tests import pdfs
from tests.boards.conftest import Chunks, Published, run_boards

Found = dict[str, list[tuple[str | None, int | None]]]


def _ingest_and_search(
    data_dir: Path, data: bytes, queries: list[str]
) -> tuple[FileRecord, list[str], Found]:
    async def body(boards: Boards) -> tuple[FileRecord, list[str], Found]:
        board = await boards.create_board("Typeset")
        record = await boards.add_file(board.board_id, "doc.pdf", Chunks(data, 4096), wait=True)
        texts = [
            await boards.page_text(board.board_id, record.file_id, n)
            for n in range(1, (record.pages or 0) + 1)
        ]
        found = {q: _pages(await boards.search(q, board.board_id)) for q in queries}
        return record, texts, found

    return run_boards(data_dir, Published(), body)


def _pages(hits: list[Passage]) -> list[tuple[str | None, int | None]]:
    return [(hit.filename, hit.page) for hit in hits]


@pytest.mark.parametrize("word", ["Definition", "Hausdorff", "misfits", "first", "government"])
def test_a_word_set_with_a_ligature_or_a_hyphen_was_not_found(data_dir: Path, word: str) -> None:
    """'Definition' found nothing in a LaTeX PDF that holds 'Deﬁnition' (U+FB01)."""
    _, texts, found = _ingest_and_search(data_dir, pdfs.typeset_pdf(), [word])
    assert found[word] == [("doc.pdf", 1)]
    assert word in texts[0]


def test_a_scanned_page_is_flagged_as_having_no_text(data_dir: Path) -> None:
    record, texts, _ = _ingest_and_search(data_dir, pdfs.typeset_pdf(), [])
    assert (record.status, record.pages, texts[2]) == ("ready", 3, "")
    assert record.pages_without_text == (3,)
    assert record.to_dict()["pages_without_text"] == [3]


def test_a_chinese_word_broken_by_a_line_was_not_found(data_dir: Path) -> None:
    """'联会' stored as '联\\n会' was not found, and '动力工厂' read '动力工 厂'."""
    _, texts, found = _ingest_and_search(data_dir, pdfs.chinese_lines_pdf(), ["联会", "动力工厂"])
    assert found == {"联会": [("doc.pdf", 1)], "动力工厂": [("doc.pdf", 1)]}
    assert "叫做联会，" in texts[0]
    assert "这个动力工厂建于" in texts[0]


def test_decimals_and_ranges_survive_extraction(data_dir: Path) -> None:
    _, texts, found = _ingest_and_search(data_dir, pdfs.typeset_pdf(), ["residual chlorine"])
    assert found["residual chlorine"] == [("doc.pdf", 2)]
    assert "near 5.6, because" in texts[1]
    assert "between 0.2 to 0.5 mg/L" in texts[1]
    assert texts[1].startswith("Water quality\n\nThe pH")


def test_a_page_of_several_passages_had_a_score_of_seventeen_digits(data_dir: Path) -> None:
    """A page scored as the sum of its passages showed 3.4870007149999998: four digits."""
    long_page = " ".join(f"Pump {n} is checked for cavitation noise every week." for n in range(60))

    async def body(boards: Boards) -> list[float]:
        board = await boards.create_board("Pumps")
        data = pdfs.text_pdf([long_page])
        await boards.add_file(board.board_id, "pumps.pdf", Chunks(data, 4096), wait=True)
        return [hit.score for hit in await boards.search("cavitation pump", board.board_id)]

    [score] = run_boards(data_dir, Published(), body)
    assert score == float(f"{score:.4g}")
