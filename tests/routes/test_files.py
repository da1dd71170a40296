"""Uploads: what is accepted, what is refused, and that a refusal leaves nothing behind."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import httpx
import pytest
from pypdf import PdfReader

from service.boards.layout import clean
from tests import pdfs, sse
from tests.conftest import LiveServer, upload, wait_for


def _stored_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "files").iterdir()) + sorted((data_dir / "tmp").iterdir())


def test_upload_stores_the_text_pypdf_extracts_as_paragraphs(
    client: httpx.Client, board: dict[str, Any], english_pdf: bytes
) -> None:
    response = upload(client, board["board_id"], english_pdf, "report.pdf")
    assert response.status_code == 201
    record = response.json()
    assert record["status"] == "ready"
    assert record["pages"] == 3
    assert record["filename"] == "report.pdf"
    assert record["size"] == len(english_pdf)
    expected = [clean(p.extract_text()) for p in PdfReader(io.BytesIO(english_pdf)).pages]
    for number, text in enumerate(expected, start=1):
        page = client.get(
            f"/api/boards/{board['board_id']}/files/{record['file_id']}/pages/{number}"
        )
        assert page.status_code == 200
        assert page.json()["text"] == text


def test_chinese_page_text_equals_pypdf(
    client: httpx.Client, board: dict[str, Any], chinese_pdf: bytes
) -> None:
    record = upload(client, board["board_id"], chinese_pdf, "机器学习.pdf").json()
    assert record["filename"] == "机器学习.pdf"
    expected = PdfReader(io.BytesIO(chinese_pdf)).pages[1].extract_text()
    page = client.get(f"/api/boards/{board['board_id']}/files/{record['file_id']}/pages/2")
    assert page.json()["text"] == expected
    assert "神经网络" in expected


def test_upload_without_wait_answers_202_then_becomes_ready(
    client: httpx.Client, board: dict[str, Any], english_pdf: bytes
) -> None:
    board_id = board["board_id"]
    with client.stream(
        "GET", f"/api/boards/{board_id}/events", params={"last_event_id": "0"}
    ) as events:
        response = upload(client, board_id, english_pdf, wait=False)
        assert response.status_code == 202
        record = response.json()
        assert record["status"] == "processing"
        assert record["pages"] == 3
        assert response.headers["location"].endswith(record["file_id"])
        seen = _read_events_until(events, "file.ready")
    assert ("file.ready", record["file_id"]) in seen
    assert client.get(response.headers["location"]).json()["status"] == "ready"


def test_raw_returns_the_uploaded_bytes(
    client: httpx.Client, board: dict[str, Any], english_pdf: bytes
) -> None:
    record = upload(client, board["board_id"], english_pdf).json()
    raw = client.get(f"/api/boards/{board['board_id']}/files/{record['file_id']}/raw")
    assert raw.status_code == 200
    assert raw.headers["content-type"] == "application/pdf"
    assert raw.content == english_pdf


def test_bare_pdf_body_is_accepted(
    client: httpx.Client, board: dict[str, Any], english_pdf: bytes
) -> None:
    response = client.post(
        f"/api/boards/{board['board_id']}/files",
        params={"wait": "true", "filename": "bare.pdf"},
        content=english_pdf,
        headers={"content-type": "application/pdf"},
    )
    assert response.status_code == 201
    assert response.json()["filename"] == "bare.pdf"


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (b"", 415, "empty_file"),
        (b"hello, this is plain text and not a PDF at all", 415, "not_a_pdf"),
        (b"%PDF-1.7\nthis is not really a PDF\n%%EOF", 422, "pdf_unreadable"),
    ],
    ids=["empty", "not-a-pdf", "unreadable"],
)
def test_refused_upload_keeps_nothing(
    server: LiveServer,
    client: httpx.Client,
    board: dict[str, Any],
    data: bytes,
    status: int,
    code: str,
) -> None:
    response = upload(client, board["board_id"], data)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert client.get(f"/api/boards/{board['board_id']}/files").json()["files"] == []
    assert _stored_files(server.settings.data_dir) == []


def test_encrypted_pdf_is_refused(
    server: LiveServer, client: httpx.Client, board: dict[str, Any], encrypted_pdf: bytes
) -> None:
    response = upload(client, board["board_id"], encrypted_pdf)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "pdf_encrypted"
    assert _stored_files(server.settings.data_dir) == []


def test_pdf_with_empty_user_password_is_accepted(
    client: httpx.Client, board: dict[str, Any]
) -> None:
    data = pdfs.text_pdf(["Opens without a password."], password="")
    response = upload(client, board["board_id"], data)
    assert response.status_code == 201
    assert response.json()["status"] == "ready"


def test_oversized_upload_is_refused_while_streaming(make_server: Any) -> None:
    server = make_server(max_upload_mb=0.05)  # 51,200 bytes
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        big = b"%PDF-1.7\n" + b"0" * 200_000

        def body() -> Any:
            # A body of unknown length: the server can only stop it while it streams in.
            for start in range(0, len(big), 8192):
                yield big[start : start + 8192]

        response = client.post(
            f"/api/boards/{board_id}/files",
            params={"filename": "big.pdf"},
            content=body(),
            headers={"content-type": "application/pdf"},
        )
        assert response.status_code == 413
        assert response.json()["error"]["code"] == "upload_too_large"
        assert _stored_files(server.settings.data_dir) == []


def test_oversized_multipart_upload_is_refused_by_length(make_server: Any) -> None:
    server = make_server(max_upload_mb=0.05)
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        response = upload(client, board_id, b"%PDF-1.7\n" + b"0" * 200_000)
        assert response.status_code == 413


def test_refusals_leave_other_boards_untouched(
    client: httpx.Client, english_pdf: bytes, encrypted_pdf: bytes
) -> None:
    keep = client.post("/api/boards", json={"name": "keep"}).json()["board_id"]
    other = client.post("/api/boards", json={"name": "other"}).json()["board_id"]
    kept = upload(client, keep, english_pdf).json()
    before = client.get(f"/api/boards/{keep}").json()
    for data in (b"", b"not a pdf", b"%PDF-broken", encrypted_pdf):
        assert upload(client, other, data).status_code in (415, 422)
    assert client.get(f"/api/boards/{keep}").json() == before
    assert client.get(f"/api/boards/{keep}/files/{kept['file_id']}").json()["status"] == "ready"
    hits = client.get(f"/api/boards/{keep}/search", params={"q": "revenue"}).json()["results"]
    assert hits
    assert hits[0]["file_id"] == kept["file_id"]


def test_upload_to_unknown_board_is_404(client: httpx.Client, english_pdf: bytes) -> None:
    response = upload(client, "brd_missing", english_pdf)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "board_not_found"


def test_multipart_without_file_field_is_400(client: httpx.Client, board: dict[str, Any]) -> None:
    response = client.post(f"/api/boards/{board['board_id']}/files", files={"other": b"x"})
    assert response.status_code == 400


def test_filename_is_a_label_never_a_path(
    server: LiveServer, client: httpx.Client, board: dict[str, Any], english_pdf: bytes
) -> None:
    record = upload(client, board["board_id"], english_pdf, "../../etc/passwd.pdf").json()
    assert record["filename"] == "passwd.pdf"
    stored = list((server.settings.data_dir / "files").iterdir())
    assert [p.name for p in stored] == [f"{record['file_id']}.pdf"]


def test_deleted_file_is_gone_from_disk_and_search(
    server: LiveServer, client: httpx.Client, board: dict[str, Any], english_pdf: bytes
) -> None:
    board_id = board["board_id"]
    record = upload(client, board_id, english_pdf).json()
    assert client.delete(f"/api/boards/{board_id}/files/{record['file_id']}").status_code == 204
    assert client.get(f"/api/boards/{board_id}/files/{record['file_id']}").status_code == 404
    assert (
        client.get(f"/api/boards/{board_id}/search", params={"q": "revenue"}).json()["results"]
        == []
    )
    assert _stored_files(server.settings.data_dir) == []


def test_slow_extraction_is_stopped_while_the_server_keeps_answering(make_server: Any) -> None:
    server = make_server(ingest_timeout_s=2)
    with server.client() as client:
        board_id = client.post("/api/boards", json={"name": "slow"}).json()["board_id"]
        with client.stream(
            "GET", f"/api/boards/{board_id}/events", params={"last_event_id": "0"}
        ) as events:
            response = upload(client, board_id, pdfs.slow_pdf(), "slow.pdf", wait=False)
            assert response.status_code == 202
            file_id = response.json()["file_id"]
            # While the worker grinds, the server answers.
            assert client.get("/healthz").status_code == 200
            assert (
                client.get(f"/api/boards/{board_id}/files/{file_id}").json()["status"]
                == "processing"
            )
            seen = _read_events_until(events, "file.failed")
        assert ("file.failed", file_id) in seen
        record = client.get(f"/api/boards/{board_id}/files/{file_id}").json()
        assert record["status"] == "failed"
        assert "longer than 2 s" in record["error"]
        # The worker was replaced: the next upload is ingested normally.
        assert upload(client, board_id, pdfs.english_pdf()).json()["status"] == "ready"


def _read_events_until(events: httpx.Response, name: str) -> list[tuple[str, str]]:
    return [(e.event, e.data.get("file_id", "")) for e in sse.until(events, name)]


def test_an_ingestion_cut_by_a_restart_resumes_at_the_next_start(make_server: Any) -> None:
    first: LiveServer = make_server(ingest_timeout_s=120)
    with first.client() as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        record = upload(client, board_id, pdfs.slow_pdf(), "slow.pdf", wait=False).json()
        assert record["status"] == "processing"
    first.stop()  # mid-extraction: the record stays `processing`

    second: LiveServer = make_server(ingest_timeout_s=1)
    with second.client() as client:
        path = f"/api/boards/{board_id}/files/{record['file_id']}"
        failed = wait_for(
            lambda: (r := client.get(path).json())["status"] == "failed" and r,
            what="the resumed ingestion to end",
        )
    assert "longer than 1 s" in failed["error"]  # the second server's limit: it ran again
