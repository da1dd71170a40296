"""Processes sharing one data dir: each file extracted once, by whoever holds its claim."""

from __future__ import annotations

import io
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest
from pypdf import PdfReader, PdfWriter

from tests import pdfs
from tests.conftest import metric, upload, wait_for
from tests.process import ServiceProcess

PAGES = 300
# One extraction worker, so that files wait in line and a stop finds them unfinished; a
# short lease, so that a dead process's files are taken over within the test.
ENV = {"BOARDROOM_INGEST_WORKERS": "1", "BOARDROOM_INGEST_LEASE_S": "2"}


@pytest.fixture(scope="module")
def long_pdf() -> bytes:
    return pdfs.long_pdf(PAGES)


def _service(data_dir: Path) -> ServiceProcess:
    return ServiceProcess(data_dir, env=ENV, access_log=False)


def _files(data_dir: Path) -> dict[str, tuple[str, int, int]]:
    """Every file as the database has it: status, page count, pages stored."""
    with sqlite3.connect(f"file:{data_dir / 'boardroom.sqlite3'}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT f.file_id, f.status, f.pages, "
            "(SELECT count(*) FROM pages p WHERE p.file_id = f.file_id) FROM files f"
        ).fetchall()
    return {file_id: (status, pages, stored) for file_id, status, pages, stored in rows}


def _unfinished_after_a_crash(data_dir: Path, pdf: bytes, uploads: int) -> set[str]:
    """Upload files to a process, then kill it mid-ingestion; the files it left processing."""
    with _service(data_dir) as doomed, httpx.Client(base_url=doomed.url, timeout=30) as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        for _ in range(uploads):
            assert upload(client, board_id, pdf, wait=False).status_code == 202
        doomed.crash()
    left = {f for f, (status, _, _) in _files(data_dir).items() if status == "processing"}
    # One worker extracts one file at a time: the last upload cannot have finished.
    assert left
    return left


def _ready(client: httpx.Client, outcome: str = "ready") -> float:
    return metric(client, "boardroom_ingest_files_total", outcome=outcome)


def _none_processing(data_dir: Path) -> bool:
    return all(status != "processing" for status, _, _ in _files(data_dir).values())


def test_two_processes_starting_together_extract_each_unfinished_file_once(
    tmp_path: Path, long_pdf: bytes
) -> None:
    """Each process resumed every file left processing: both extracted all of them."""
    data_dir = tmp_path / "data"
    left = _unfinished_after_a_crash(data_dir, long_pdf, uploads=3)
    first, second = _service(data_dir), _service(data_dir)
    with ExitStack() as stack:
        first.start()
        second.start()
        for service in (first, second):
            stack.enter_context(service)
            service.wait_ready()
        clients = [
            stack.enter_context(httpx.Client(base_url=s.url, timeout=30)) for s in (first, second)
        ]
        wait_for(lambda: _none_processing(data_dir), timeout=60, what="every file ended")
        # Every page of every file, and one extraction per unfinished file among both.
        assert _files(data_dir) == {f: ("ready", PAGES, PAGES) for f in _files(data_dir)}
        assert sum(_ready(c) for c in clients) == len(left)
        assert sum(_ready(c, "failed") for c in clients) == 0


def test_a_live_process_takes_over_the_files_of_one_killed_mid_ingestion(
    tmp_path: Path, long_pdf: bytes
) -> None:
    data_dir = tmp_path / "data"
    with _service(data_dir) as survivor, httpx.Client(base_url=survivor.url, timeout=30) as client:
        left = _unfinished_after_a_crash(data_dir, long_pdf, uploads=2)
        wait_for(lambda: _none_processing(data_dir), timeout=60, what="the survivor to finish")
        assert _files(data_dir) == {f: ("ready", PAGES, PAGES) for f in _files(data_dir)}
        assert _ready(client) == len(left)
        assert "resuming ingestion of" in survivor.log()


def _padded(pdf: bytes, size: int) -> bytes:
    """The PDF with an attachment of random bytes, to make it at least `size` bytes."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.add_attachment("padding.bin", os.urandom(size))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class SlowBody:
    """An upload body that sends its first part, then waits to be let go."""

    def __init__(self, data: bytes, first: int) -> None:
        self.data = data
        self.first = first
        self.go = threading.Event()

    def __iter__(self) -> Iterator[bytes]:
        yield self.data[: self.first]
        assert self.go.wait(60)
        yield self.data[self.first :]


def test_a_process_starting_leaves_the_upload_in_flight_in_another_alone(
    tmp_path: Path, english_pdf: bytes
) -> None:
    """A second process emptied tmp/ at start: the first's upload failed with 422."""
    data_dir = tmp_path / "data"
    pdf = _padded(english_pdf, 3 * 1024 * 1024)
    body = SlowBody(pdf, 2 * 1024 * 1024)  # past the first write to disk
    answers: list[httpx.Response] = []
    with _service(data_dir) as first, httpx.Client(base_url=first.url, timeout=60) as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        sending = threading.Thread(
            target=lambda: answers.append(
                client.post(
                    f"/api/boards/{board_id}/files",
                    params={"wait": "true", "filename": "big.pdf"},
                    content=body,
                    headers={"Content-Type": "application/pdf"},
                )
            )
        )
        sending.start()
        temp = wait_for(lambda: list((data_dir / "tmp").iterdir()), what="the temp file")
        with _service(data_dir):
            assert [p for p in temp if p.exists()] == temp
            body.go.set()
            sending.join(60)
    assert len(answers) == 1
    assert answers[0].status_code == 201, answers[0].text
    assert answers[0].json()["status"] == "ready"
    assert (data_dir / "files" / f"{answers[0].json()['file_id']}.pdf").exists()
