"""Search over pages and notes: English, two-character Chinese, and whatever people type."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import upload


@pytest.fixture
def filled(
    client: httpx.Client, board: dict[str, Any], english_pdf: bytes, chinese_pdf: bytes
) -> dict[str, str]:
    board_id = board["board_id"]
    english = upload(client, board_id, english_pdf, "report.pdf").json()["file_id"]
    chinese = upload(client, board_id, chinese_pdf, "学习.pdf").json()["file_id"]
    return {"board": board_id, "english": english, "chinese": chinese}


def _search(client: httpx.Client, board_id: str, q: str) -> list[dict[str, Any]]:
    response = client.get(f"/api/boards/{board_id}/search", params={"q": q})
    assert response.status_code == 200
    assert response.json()["query"] == q
    results: list[dict[str, Any]] = response.json()["results"]
    return results


@pytest.mark.parametrize(
    ("query", "file", "page"),
    [
        ("Rotterdam", "english", 2),
        ("photovoltaic", "english", 3),
        ("How much did revenue grow in the third quarter?", "english", 1),
        ('"supply chain" risks?!', "english", 2),
        ("算力", "chinese", 2),
        ("学习", "chinese", 1),
        ("什么是神经网络？", "chinese", 2),
        ("人工智能", "chinese", 1),
    ],
)
def test_search_finds_the_right_page(
    client: httpx.Client, filled: dict[str, str], query: str, file: str, page: int
) -> None:
    results = _search(client, filled["board"], query)
    assert results, f"nothing found for {query!r}"
    best = results[0]
    assert (best["file_id"], best["page"]) == (filled[file], page)
    assert best["score"] > 0
    assert best["snippet"]
    assert set(best) >= {"file_id", "filename", "page", "score", "snippet"}


def test_results_are_best_first(client: httpx.Client, filled: dict[str, str]) -> None:
    results = _search(client, filled["board"], "revenue supply factory")
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)


def test_a_missing_word_does_not_empty_the_results(
    client: httpx.Client, filled: dict[str, str]
) -> None:
    results = _search(client, filled["board"], "Rotterdam zeppelin xylophone")
    assert results[0]["page"] == 2


@pytest.mark.parametrize("query", ['"', "((", "AND OR NOT", "*", "-revenue", "NEAR(a b)", "'"])
def test_fts_syntax_in_a_query_is_never_an_error(
    client: httpx.Client, filled: dict[str, str], query: str
) -> None:
    response = client.get(f"/api/boards/{filled['board']}/search", params={"q": query})
    assert response.status_code == 200


def test_mixed_language_query_finds_both(client: httpx.Client, filled: dict[str, str]) -> None:
    files = {r["file_id"] for r in _search(client, filled["board"], "Rotterdam 神经网络")}
    assert files == {filled["english"], filled["chinese"]}


def test_search_finds_notes(client: httpx.Client, board: dict[str, Any]) -> None:
    board_id = board["board_id"]
    note = client.post(
        f"/api/boards/{board_id}/notes",
        json={"title": "Budget", "text": "The marketing budget is frozen."},
    ).json()
    results = _search(client, board_id, "marketing budget")
    assert results[0]["kind"] == "note"
    assert results[0]["note_id"] == note["note_id"]


def test_search_stays_inside_its_board(
    client: httpx.Client, filled: dict[str, str], english_pdf: bytes
) -> None:
    other = client.post("/api/boards", json={"name": "other"}).json()["board_id"]
    upload(client, other, english_pdf)
    results = _search(client, filled["board"], "Rotterdam")
    assert {r["file_id"] for r in results} == {filled["english"]}


def test_empty_query_is_422(client: httpx.Client, board: dict[str, Any]) -> None:
    response = client.get(f"/api/boards/{board['board_id']}/search", params={"q": "  "})
    assert response.status_code == 422


@pytest.mark.parametrize("limit", ["0", "51", "-3", "ten"])
def test_a_limit_outside_1_to_50_was_silently_clamped(
    client: httpx.Client, board: dict[str, Any], limit: str
) -> None:
    """`limit` outside 1–50 was clamped without a word: it is now a 400 that names the range."""
    response = client.get(
        f"/api/boards/{board['board_id']}/search", params={"q": "revenue", "limit": limit}
    )
    assert response.status_code == 400
    assert "from 1 to 50" in response.json()["error"]["message"]


def test_a_limit_bounds_the_results(client: httpx.Client, filled: dict[str, str]) -> None:
    response = client.get(
        f"/api/boards/{filled['board']}/search", params={"q": "revenue growth solar", "limit": "1"}
    )
    assert len(response.json()["results"]) == 1
