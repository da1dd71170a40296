"""The board store's contract, run against a real SQLite file and a real PostgreSQL."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from service.boards.models import FileRecord, FileStatus, Note, View, now
from service.boards.pdf import page_text
from service.boards.storage import BoardStore, Storage
from service.boards.text import index_text, query_terms
from service.errors import BoardNotFound, FileNotFound, NoteNotFound, PageNotFound
from tests.boards.conftest import (
    StoreBackend,
    add_stored_file,
    file_record,
    index_of,
    page_texts,
    sql_rows,
)

PAGES = [
    "Revenue grew by twelve percent in the third quarter.",
    "The main supply chain risk is the single factory in Rotterdam.",
    "The photovoltaic division expands while hiring slows.",
]


def _note(note_id: str, board_id: str, title: str, text: str, at: float | None = None) -> Note:
    return Note(note_id, board_id, title, text, now() if at is None else at)


async def _put_note(store: BoardStore, note: Note, *, create: bool = True) -> None:
    await store.put_note(note, index_text(f"{note.title}\n{note.text}"), create=create)


async def _count(store: BoardStore, sql: str, *params: Any) -> int:
    [row] = await sql_rows(store, sql, *params)
    return int(row[0])


def _match(query: str) -> list[str]:
    return query_terms(query)


async def _set_board_times(
    store: BoardStore, board_id: str, created: float, updated: float
) -> None:
    # Stamps have millisecond resolution: tests that depend on them set them outright.
    await sql_rows(
        store,
        "UPDATE boards SET created_at = ?, updated_at = ? WHERE board_id = ?",
        created,
        updated,
        board_id,
    )


# Boards


def test_boards_are_listed_oldest_first_with_their_file_and_note_counts(
    backend: StoreBackend,
) -> None:
    async def body(store: BoardStore) -> list[tuple[str, str, int, int]]:
        await store.create_board("brd_a", "Quarterly")
        await store.create_board("brd_b", "Empty")
        await _set_board_times(store, "brd_a", 2000.0, 2000.0)
        await _set_board_times(store, "brd_b", 1000.0, 1000.0)
        await add_stored_file(store, "fil_1", "brd_a", PAGES)
        await add_stored_file(store, "fil_2", "brd_a", PAGES[:1], "failed")
        await _put_note(store, _note("not_1", "brd_a", "Idea", "Open a second site."))
        return [(b.board_id, b.name, b.files, b.notes) for b in await store.list_boards()]

    assert backend.run(body) == [("brd_b", "Empty", 0, 0), ("brd_a", "Quarterly", 2, 1)]


def test_a_board_is_fetched_with_its_counts_and_an_unknown_one_is_not_found(
    backend: StoreBackend,
) -> None:
    async def body(store: BoardStore) -> tuple[str, int, int]:
        created = await store.create_board("brd_a", "Quarterly")
        assert (created.files, created.notes) == (0, 0)
        await _put_note(store, _note("not_1", "brd_a", "Idea", "text"))
        with pytest.raises(BoardNotFound):
            await store.get_board("brd_missing")
        board = await store.get_board("brd_a")
        assert board.created_at == created.created_at
        return board.name, board.files, board.notes

    assert backend.run(body) == ("Quarterly", 0, 1)


def test_renaming_a_board_changes_its_name_and_an_unknown_board_is_not_found(
    backend: StoreBackend,
) -> None:
    async def body(store: BoardStore) -> tuple[str, float]:
        await store.create_board("brd_a", "Draft")
        await _set_board_times(store, "brd_a", 1.0, 1.0)
        await store.rename_board("brd_a", "Final")
        with pytest.raises(BoardNotFound):
            await store.rename_board("brd_missing", "Other")
        board = await store.get_board("brd_a")
        return board.name, board.updated_at

    name, updated_at = backend.run(body)
    assert name == "Final"
    assert updated_at > 1.0


def test_deleting_a_board_removes_everything_on_it_and_returns_its_file_ids(
    backend: StoreBackend,
) -> None:
    async def body(store: BoardStore) -> tuple[list[str], dict[str, int]]:
        for board_id in ("brd_gone", "brd_kept"):
            await store.create_board(board_id, board_id)
        await add_stored_file(store, "fil_1", "brd_gone", PAGES)
        await add_stored_file(store, "fil_2", "brd_gone", PAGES[:1], "processing")
        await add_stored_file(store, "fil_kept", "brd_kept", PAGES)
        for board_id in ("brd_gone", "brd_kept"):
            await _put_note(store, _note(f"not_{board_id}", board_id, "Rotterdam", "factory"))
            await store.set_view(board_id, "fil_1" if board_id == "brd_gone" else "fil_kept", 2)
            await store.add_history(board_id, "q", "a", [], "stop")

        file_ids = await store.delete_board("brd_gone")

        with pytest.raises(BoardNotFound):
            await store.get_board("brd_gone")
        with pytest.raises(BoardNotFound):
            await store.delete_board("brd_gone")
        remaining = {
            table: await _count(store, f"SELECT count(*) FROM {table}")
            for table in (
                "boards",
                "files",
                "pages",
                "passage_index",
                "notes",
                "note_index",
                "views",
                "history",
            )
        }
        # What the other board holds is still found.
        assert [
            r.file_id
            for r in await index_of(store).search_passages(query_terms("Rotterdam"), None, 10)
        ] == ["fil_kept"]
        assert [
            r.note_id for r in await index_of(store).search_notes(_match("factory"), None, 10)
        ] == ["not_brd_kept"]
        return sorted(file_ids), remaining

    file_ids, remaining = backend.run(body)
    assert file_ids == ["fil_1", "fil_2"]
    assert remaining == {
        "boards": 1,
        "files": 1,
        "pages": 3,
        "passage_index": 3,
        "notes": 1,
        "note_index": 1,
        "views": 1,
        "history": 1,
    }


# Files


def test_files_are_listed_oldest_first_and_fetched_only_through_their_board(
    backend: StoreBackend,
) -> None:
    async def body(store: BoardStore) -> None:
        await store.create_board("brd_a", "A")
        await store.create_board("brd_b", "B")
        later = file_record("fil_1", "brd_a", "processing", None, at=2000.0)
        earlier = file_record("fil_2", "brd_a", "ready", 3, at=1000.0)
        await store.insert_file(later)
        await store.insert_file(earlier)

        assert await store.get_file("brd_a", "fil_1") == later
        assert await store.list_files("brd_a") == [earlier, later]
        assert await store.list_files("brd_b") == []
        assert await store.files_with_status("processing") == [later]
        assert await store.all_file_ids() == {"fil_1", "fil_2"}
        with pytest.raises(FileNotFound):
            await store.get_file("brd_b", "fil_1")
        with pytest.raises(FileNotFound):
            await store.get_file("brd_a", "fil_missing")

    backend.run(body)


def test_a_file_cannot_be_added_to_an_unknown_board(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> set[str]:
        with pytest.raises(BoardNotFound):
            await store.insert_file(file_record("fil_1", "brd_missing"))
        return await store.all_file_ids()

    assert backend.run(body) == set()


def test_adding_or_removing_a_file_or_note_touches_the_board(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> dict[str, float]:
        await store.create_board("brd_a", "A")
        changes: dict[str, Callable[[], Awaitable[None]]] = {
            "insert_file": lambda: store.insert_file(file_record("fil_1", "brd_a")),
            "delete_file": lambda: store.delete_file("brd_a", "fil_1"),
            "create_note": lambda: _put_note(store, _note("not_1", "brd_a", "T", "x")),
            "update_note": lambda: _put_note(
                store, _note("not_1", "brd_a", "T", "y"), create=False
            ),
            "delete_note": lambda: store.delete_note("brd_a", "not_1"),
        }
        touched: dict[str, float] = {}
        for name, change in changes.items():
            await _set_board_times(store, "brd_a", 1.0, 1.0)
            await change()
            touched[name] = (await store.get_board("brd_a")).updated_at
        return touched

    touched = backend.run(body)
    assert all(updated_at > 1.0 for updated_at in touched.values()), touched


def test_storing_a_page_again_left_its_old_index_row_behind(backend: StoreBackend) -> None:
    """A page stored twice got a new row id and left an orphan index row; it is replaced."""

    async def body(store: BoardStore) -> tuple[int, int, str]:
        await store.create_board("brd_a", "A")
        await store.insert_file(file_record("fil_1", "brd_a", "processing"))
        await store.add_pages("fil_1", [page_text(1, "zeppelins")])
        await store.add_pages("fil_1", [page_text(1, "airships")])
        stale = await index_of(store).search_passages(["zeppelins"], "brd_a", 10)
        return (
            await _count(store, "SELECT count(*) FROM passage_index"),
            len(stale),
            await store.page_text("brd_a", "fil_1", 1),
        )

    assert backend.run(body) == (1, 0, "airships")


def test_add_pages_stores_page_text_until_the_file_is_deleted(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> tuple[bool, bool, int]:
        await store.create_board("brd_a", "A")
        await store.insert_file(file_record("fil_1", "brd_a", "processing"))
        stored = await store.add_pages("fil_1", page_texts(PAGES[:2]))
        assert await store.page_text("brd_a", "fil_1", 2) == PAGES[1]
        await store.delete_file("brd_a", "fil_1")
        late = await store.add_pages("fil_1", page_texts(PAGES))
        with pytest.raises(FileNotFound):
            await store.delete_file("brd_a", "fil_1")
        return stored, late, await _count(store, "SELECT count(*) FROM pages")

    assert backend.run(body) == (True, False, 0)


def test_a_failed_file_keeps_its_error_and_no_pages(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> tuple[FileRecord, int, int]:
        await store.create_board("brd_a", "A")
        await add_stored_file(store, "fil_1", "brd_a", PAGES, "processing")
        await store.finish_file("fil_1", "failed", "text extraction crashed")
        with pytest.raises(PageNotFound):
            await store.page_text("brd_a", "fil_1", 1)
        return (
            await store.get_file("brd_a", "fil_1"),
            await _count(store, "SELECT count(*) FROM pages"),
            await _count(store, "SELECT count(*) FROM passage_index"),
        )

    record, pages, indexed = backend.run(body)
    assert (record.status, record.error, record.pages) == ("failed", "text extraction crashed", 3)
    assert (pages, indexed) == (0, 0)


def test_a_ready_file_keeps_its_pages(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> tuple[FileStatus, list[str]]:
        await store.create_board("brd_a", "A")
        await add_stored_file(store, "fil_1", "brd_a", PAGES)
        texts = [await store.page_text("brd_a", "fil_1", n) for n in (1, 2, 3)]
        return (await store.get_file("brd_a", "fil_1")).status, texts

    assert backend.run(body) == ("ready", PAGES)


def test_reset_file_forgets_partial_pages_and_their_index(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> tuple[FileStatus, int, int]:
        await store.create_board("brd_a", "A")
        await add_stored_file(store, "fil_1", "brd_a", PAGES[:2], "processing")
        await store.reset_file("fil_1")
        with pytest.raises(PageNotFound):
            await store.page_text("brd_a", "fil_1", 1)
        return (
            (await store.get_file("brd_a", "fil_1")).status,
            await _count(store, "SELECT count(*) FROM pages"),
            await _count(store, "SELECT count(*) FROM passage_index"),
        )

    assert backend.run(body) == ("processing", 0, 0)


def test_page_text_names_a_missing_file_or_page(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> None:
        await store.create_board("brd_a", "A")
        await store.create_board("brd_b", "B")
        await add_stored_file(store, "fil_1", "brd_a", PAGES)
        with pytest.raises(FileNotFound):
            await store.page_text("brd_a", "fil_missing", 1)
        with pytest.raises(FileNotFound):
            await store.page_text("brd_b", "fil_1", 1)
        for page in (0, 4):
            with pytest.raises(PageNotFound):
                await store.page_text("brd_a", "fil_1", page)

    backend.run(body)


# Notes


def test_a_note_is_updated_in_place_keeping_its_place_in_the_list(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> list[Note]:
        await store.create_board("brd_a", "A")
        await _put_note(store, _note("not_1", "brd_a", "Plan", "Build in Rotterdam.", 1000.0))
        await _put_note(store, _note("not_2", "brd_a", "Other", "Unrelated.", 2000.0))
        await _put_note(
            store, _note("not_1", "brd_a", "Plan B", "Build in Lyon.", 3000.0), create=False
        )
        return await store.list_notes("brd_a")

    notes = backend.run(body)
    assert [(n.note_id, n.title, n.text, n.updated_at) for n in notes] == [
        ("not_1", "Plan B", "Build in Lyon.", 3000.0),
        ("not_2", "Other", "Unrelated.", 2000.0),
    ]


def test_an_updated_note_is_found_by_its_new_text_only(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> tuple[list[str], list[str], int]:
        await store.create_board("brd_a", "A")
        await _put_note(store, _note("not_1", "brd_a", "Plan", "Build in Rotterdam."))
        await _put_note(store, _note("not_1", "brd_a", "Plan", "Build in Lyon."), create=False)
        old = await index_of(store).search_notes(_match("Rotterdam"), "brd_a", 10)
        new = await index_of(store).search_notes(_match("Lyon"), "brd_a", 10)
        return (
            [r.note_id for r in old],
            [r.note_id for r in new],
            await _count(store, "SELECT count(*) FROM note_index"),
        )

    assert backend.run(body) == ([], ["not_1"], 1)


def test_updating_or_deleting_an_unknown_note_is_not_found(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> list[Note]:
        await store.create_board("brd_a", "A")
        await store.create_board("brd_b", "B")
        await _put_note(store, _note("not_1", "brd_a", "Plan", "Keep me."))
        with pytest.raises(NoteNotFound):
            await _put_note(store, _note("not_missing", "brd_a", "T", "x"), create=False)
        with pytest.raises(NoteNotFound):
            await _put_note(store, _note("not_1", "brd_b", "Moved", "x"), create=False)
        with pytest.raises(NoteNotFound):
            await store.delete_note("brd_b", "not_1")
        with pytest.raises(BoardNotFound):
            await _put_note(store, _note("not_2", "brd_missing", "T", "x"))
        return await store.list_notes("brd_a")

    assert [(n.note_id, n.text) for n in backend.run(body)] == [("not_1", "Keep me.")]


def test_a_deleted_note_leaves_the_list_and_the_index(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> tuple[list[Note], int]:
        await store.create_board("brd_a", "A")
        await _put_note(store, _note("not_1", "brd_a", "Plan", "Rotterdam"))
        await store.delete_note("brd_a", "not_1")
        with pytest.raises(NoteNotFound):
            await store.delete_note("brd_a", "not_1")
        return (
            await store.list_notes("brd_a"),
            await _count(store, "SELECT count(*) FROM note_index"),
        )

    assert backend.run(body) == ([], 0)


# Views


def test_set_view_accepts_only_pages_the_file_has(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> tuple[View, tuple[View, str] | None]:
        await store.create_board("brd_a", "A")
        await add_stored_file(store, "fil_1", "brd_a", PAGES)
        for page in (0, 4):
            with pytest.raises(PageNotFound):
                await store.set_view("brd_a", "fil_1", page)
        view = await store.set_view("brd_a", "fil_1", 3)
        return view, await store.get_view("brd_a")

    view, viewed = backend.run(body)
    assert (view.file_id, view.filename, view.page) == ("fil_1", "fil_1.pdf", 3)
    assert viewed == (view, PAGES[2])


def test_set_view_needs_a_known_board_and_a_file_of_that_board(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> tuple[View, str] | None:
        await store.create_board("brd_a", "A")
        await store.create_board("brd_b", "B")
        await add_stored_file(store, "fil_1", "brd_a", PAGES)
        with pytest.raises(BoardNotFound):
            await store.set_view("brd_missing", "fil_1", 1)
        with pytest.raises(FileNotFound):
            await store.set_view("brd_b", "fil_1", 1)
        with pytest.raises(FileNotFound):
            await store.set_view("brd_a", "fil_missing", 1)
        return await store.get_view("brd_b")

    assert backend.run(body) is None


def test_the_view_of_a_page_not_yet_stored_has_empty_text(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> tuple[View, str] | None:
        await store.create_board("brd_a", "A")
        await store.insert_file(file_record("fil_1", "brd_a", "processing", 3))
        await store.set_view("brd_a", "fil_1", 2)
        return await store.get_view("brd_a")

    viewed = backend.run(body)
    assert viewed is not None
    assert (viewed[0].page, viewed[1]) == (2, "")


def test_the_latest_view_replaces_the_previous_one(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> tuple[View, str] | None:
        await store.create_board("brd_a", "A")
        await add_stored_file(store, "fil_1", "brd_a", PAGES)
        await add_stored_file(store, "fil_2", "brd_a", PAGES[::-1])
        await store.set_view("brd_a", "fil_1", 1)
        await store.set_view("brd_a", "fil_2", 1)
        return await store.get_view("brd_a")

    viewed = backend.run(body)
    assert viewed is not None
    assert (viewed[0].file_id, viewed[1]) == ("fil_2", PAGES[2])


# History


def test_history_lists_the_latest_entries_oldest_first(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> tuple[list[str], list[str]]:
        await store.create_board("brd_a", "A")
        for n in range(4):
            await store.add_history("brd_a", f"q{n}", f"a{n}", [], "stop")
        latest = await store.list_history("brd_a", limit=2)
        every = await store.list_history("brd_a")
        return [e.question for e in latest], [e.answer for e in every]

    assert backend.run(body) == (["q2", "q3"], ["a0", "a1", "a2", "a3"])


def test_a_history_entry_keeps_its_sources_and_finish_reason(backend: StoreBackend) -> None:
    sources = [{"kind": "page", "filename": "报告.pdf", "page": 2, "score": 1.5}]

    async def body(store: BoardStore) -> tuple[list[dict[str, Any]], str, str]:
        await store.create_board("brd_a", "A")
        await store.add_history("brd_a", "什么是风险？", "工厂。", sources, "length")
        [entry] = await store.list_history("brd_a")
        return entry.sources, entry.question, entry.finish_reason

    assert backend.run(body) == (sources, "什么是风险？", "length")


def test_clearing_history_empties_only_that_board(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> tuple[int, int]:
        for board_id in ("brd_a", "brd_b"):
            await store.create_board(board_id, board_id)
            await store.add_history(board_id, "q", "a", [], "stop")
        with pytest.raises(BoardNotFound):
            await store.add_history("brd_missing", "q", "a", [], "stop")
        await store.clear_history("brd_a")
        return len(await store.list_history("brd_a")), len(await store.list_history("brd_b"))

    assert backend.run(body) == (0, 1)


# Search


def test_search_pages_finds_ready_pages_and_filters_by_board(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> dict[str, list[tuple[str, int]]]:
        await store.create_board("brd_a", "A")
        await store.create_board("brd_b", "B")
        await add_stored_file(store, "fil_a", "brd_a", PAGES)
        await add_stored_file(store, "fil_b", "brd_b", ["A new factory opens in Lyon."])
        await add_stored_file(
            store, "fil_busy", "brd_a", ["Factory pages not ready yet."], "processing"
        )
        terms = query_terms("Which factory is the risk?")
        found: dict[str, list[tuple[str, int]]] = {}
        for board_id in ("brd_a", "brd_b", None):
            rows = await index_of(store).search_passages(terms, board_id, 10)
            found[str(board_id)] = sorted((r.file_id, r.page) for r in rows)
        return found

    assert backend.run(body) == {
        "brd_a": [("fil_a", 2)],
        "brd_b": [("fil_b", 1)],
        "None": [("fil_a", 2), ("fil_b", 1)],
    }


def test_search_pages_ranks_the_denser_page_first_and_honours_the_limit(
    backend: StoreBackend,
) -> None:
    async def body(store: BoardStore) -> tuple[list[int], list[int]]:
        await store.create_board("brd_a", "A")
        texts = [
            "Solar output rose; the solar farm and solar roofs did well.",
            "Wind output rose; the solar farm and the hydro dams did well.",
            "Nothing here matches the query at all, just filler words.",
        ]
        await add_stored_file(store, "fil_1", "brd_a", texts)
        rows = await index_of(store).search_passages(query_terms("solar"), "brd_a", 10)
        limited = await index_of(store).search_passages(query_terms("solar"), "brd_a", 1)
        return [r.page for r in rows], [r.page for r in limited]

    assert backend.run(body) == ([1, 2], [1])


def test_search_pages_row_carries_what_a_passage_needs(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> dict[str, Any]:
        await store.create_board("brd_a", "A")
        await add_stored_file(store, "fil_1", "brd_a", PAGES)
        [row] = await index_of(store).search_passages(query_terms("Rotterdam"), "brd_a", 10)
        return {
            key: getattr(row, key) for key in ("file_id", "filename", "board_id", "page", "text")
        } | {"score_is_positive": row.score > 0}

    assert backend.run(body) == {
        "file_id": "fil_1",
        "filename": "fil_1.pdf",
        "board_id": "brd_a",
        "page": 2,
        "text": PAGES[1],
        "score_is_positive": True,
    }


def test_a_chinese_two_character_term_finds_its_page(backend: StoreBackend) -> None:
    texts = ["机器学习是人工智能的一个分支。", "深度学习使用多层神经网络。"]

    async def body(store: BoardStore) -> dict[str, list[int]]:
        await store.create_board("brd_a", "A")
        await add_stored_file(store, "fil_1", "brd_a", texts)
        found: dict[str, list[int]] = {}
        for query in ("神经", "什么是神经网络？", "学习", "网神"):
            rows = await index_of(store).search_passages(query_terms(query), "brd_a", 10)
            found[query] = sorted(r.page for r in rows)
        return found

    assert backend.run(body) == {
        "神经": [2],
        "什么是神经网络？": [2],
        "学习": [1, 2],
        "网神": [],  # both characters are on page 2, but never side by side
    }


def test_search_notes_matches_title_or_text_and_filters_by_board(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> dict[str, list[str]]:
        await store.create_board("brd_a", "A")
        await store.create_board("brd_b", "B")
        await _put_note(store, _note("not_title", "brd_a", "Rotterdam", "A second site."))
        await _put_note(store, _note("not_text", "brd_a", "Plan", "Leave Rotterdam by 2030."))
        await _put_note(store, _note("not_b", "brd_b", "Elsewhere", "Rotterdam, again."))
        await _put_note(store, _note("not_zh", "brd_b", "想法", "研究神经网络"))
        found: dict[str, list[str]] = {}
        for key, query, board_id in (
            ("a", "rotterdam", "brd_a"),
            ("b", "rotterdam", "brd_b"),
            ("all", "rotterdam", None),
            ("zh", "神经", None),
        ):
            rows = await index_of(store).search_notes(_match(query), board_id, 10)
            found[key] = sorted(r.note_id for r in rows)
        return found

    assert backend.run(body) == {
        "a": ["not_text", "not_title"],
        "b": ["not_b"],
        "all": ["not_b", "not_text", "not_title"],
        "zh": ["not_zh"],
    }


def test_a_query_full_of_fts_syntax_is_searched_as_plain_words(backend: StoreBackend) -> None:
    async def body(store: BoardStore) -> list[int]:
        await store.create_board("brd_a", "A")
        await add_stored_file(store, "fil_1", "brd_a", PAGES)
        rows = await index_of(store).search_passages(
            query_terms('risk" OR NEAR(* AND "'), "brd_a", 10
        )
        return [r.page for r in rows]

    assert backend.run(body) == [2]


def test_postgresql_ranks_and_scores_passages_and_notes_as_sqlite_does(
    tmp_path: Path, postgres_url: str
) -> None:
    """PostgreSQL indexes the words FTS5 would and computes FTS5's bm25 over them."""
    files = {
        "fil_en": [*PAGES, "Factories in Rotterdam and Lyon: the factory risk, again and again."],
        "fil_zh": [
            "机器学习是人工智能的一个分支。",
            "深度学习使用多层神经网络。神经网络需要算力。",
        ],
    }
    queries = ["Which factory is the risk?", "factories", "neural 神经网络", "Rotterdam hiring"]

    async def body(storage: Storage) -> dict[str, list[tuple[str, Any, float]]]:
        await storage.store.create_board("brd_a", "A")
        for file_id, texts in files.items():
            await add_stored_file(storage.store, file_id, "brd_a", texts)
        await _put_note(storage.store, _note("not_1", "brd_a", "Risks", "The factory, 神经网络."))
        found: dict[str, list[tuple[str, Any, float]]] = {}
        for query in queries:
            terms = query_terms(query)
            passages = await storage.index.search_passages(terms, "brd_a", 10)
            notes = await storage.index.search_notes(terms, "brd_a", 10)
            found[query] = [(r.file_id, r.page, float(f"{r.score:.4g}")) for r in passages] + [
                (r.note_id, None, float(f"{r.score:.4g}")) for r in notes
            ]
        return found

    sqlite = StoreBackend("sqlite", tmp_path / "sqlite", "").run_storage(body)
    postgres = StoreBackend("postgres", tmp_path / "postgres", postgres_url).run_storage(body)
    assert all(sqlite.values())
    assert postgres == sqlite


# Vectors


def test_vectors_are_kept_for_existing_passages_and_go_with_them(backend: StoreBackend) -> None:
    async def body(storage: Storage) -> None:
        store, vectors = storage.store, storage.vectors
        await store.create_board("brd_a", "A")
        await add_stored_file(store, "fil_1", "brd_a", PAGES)
        total, missing = await vectors.missing("fil_1")
        assert (total, [text for _, text in missing]) == (3, PAGES)
        assert await vectors.files_missing_vectors() == [("brd_a", "fil_1")]
        ids = [passage_id for passage_id, _ in missing]
        rows = [(passage_id, bytes([n]) * 8) for n, passage_id in enumerate(ids)]
        assert sorted(await vectors.store("brd_a", "m1", [*rows, (10**9, b"gone")])) == ids
        assert await vectors.missing("fil_1") == (3, [])
        assert await vectors.files_missing_vectors() == []
        assert sorted(await vectors.load("brd_a", "m1")) == rows
        assert await vectors.boards_with_vectors("m1") == ["brd_a"]
        assert await vectors.prune_other_models("m1") == 0
        assert await vectors.prune_other_models("m2") == 3
        await vectors.store("brd_a", "m2", rows)
        await store.delete_file("brd_a", "fil_1")
        assert await vectors.load("brd_a", "m2") == []

    backend.run_storage(body)
