"""The real service on a private PostgreSQL: boards, uploads, answers, and a second host."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests import sse
from tests.conftest import LiveServer, upload


def test_an_answer_cites_a_pdf_whose_board_lives_in_postgresql(
    make_server: Callable[..., LiveServer],
    postgres_url: str,
    data_dir: Path,
    english_pdf: bytes,
) -> None:
    server = make_server(database_url=postgres_url)
    with server.client() as client:
        board = client.post("/api/boards", json={"name": "Quarterly"}).json()
        uploaded = upload(client, board["board_id"], english_pdf, "report.pdf")
        assert uploaded.status_code == 201, uploaded.text
        assert uploaded.json()["status"] == "ready"
        with client.stream(
            "GET",
            "/api/expert/stream",
            params={"board_id": board["board_id"], "question": "Where is the factory?"},
        ) as response:
            events = sse.until_terminal(response)
    sources = next(e.data["sources"] for e in events if e.event == "context")
    assert (sources[0]["filename"], sources[0]["page"]) == ("report.pdf", 2)
    assert events[-1].event == "done"
    assert "[report.pdf p.2]" in events[-1].data["answer"]
    # Everything but the PDF is in PostgreSQL.
    assert not (data_dir / "boardroom.sqlite3").exists()
    assert [p.suffix for p in (data_dir / "files").iterdir()] == [".pdf"]


def test_a_second_host_on_the_same_database_and_data_dir_serves_the_same_boards(
    make_server: Callable[..., LiveServer], postgres_url: str, chinese_pdf: bytes
) -> None:
    first = make_server(database_url=postgres_url)
    second = make_server(database_url=postgres_url)
    with first.client() as one, second.client() as other:
        board = one.post("/api/boards", json={"name": "学习"}).json()
        file_id = upload(one, board["board_id"], chinese_pdf, "学习.pdf").json()["file_id"]
        one.post(
            f"/api/boards/{board['board_id']}/notes",
            json={"title": "算力", "text": "问一下神经网络的训练。"},
        )

        assert [b["board_id"] for b in other.get("/api/boards").json()["boards"]] == [
            board["board_id"]
        ]
        raw = other.get(f"/api/boards/{board['board_id']}/files/{file_id}/raw")
        assert raw.status_code == 200
        assert raw.content == chinese_pdf
        found = other.get(
            f"/api/boards/{board['board_id']}/search", params={"q": "神经网络"}
        ).json()["results"]
        assert {(hit["kind"], hit["filename"], hit["page"]) for hit in found} == {
            ("page", "学习.pdf", 2),
            ("note", "算力", None),
        }
        other.delete(f"/api/boards/{board['board_id']}")
        assert one.get(f"/api/boards/{board['board_id']}").status_code == 404
