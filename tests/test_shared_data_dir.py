"""Processes sharing one data dir: each file extracted once, by whoever holds its claim."""

from __future__ import annotations

import io
import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg
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


@dataclass(frozen=True)
class Shared:
    """A data dir, and the database its processes share: its SQLite file, or PostgreSQL."""

    data_dir: Path
    database_url: str = ""


@pytest.fixture(params=["sqlite", "postgres"])
def shared(request: pytest.FixtureRequest, tmp_path: Path) -> Shared:
    url = request.getfixturevalue("postgres_url") if request.param == "postgres" else ""
    return Shared(tmp_path / "data", url)


def _service(where: Shared | Path) -> ServiceProcess:
    if isinstance(where, Path):
        where = Shared(where)
    env = {**ENV, "BOARDROOM_DATABASE_URL": where.database_url}
    return ServiceProcess(where.data_dir, env=env, access_log=False)


_FILES = (
    "SELECT f.file_id, f.status, f.pages, "
    "(SELECT count(*) FROM pages p WHERE p.file_id = f.file_id) FROM files f"
)


def _files(where: Shared) -> dict[str, tuple[str, int, int]]:
    """Every file as the database has it: status, page count, pages stored."""
    if where.database_url:
        with psycopg.connect(where.database_url) as conn:
            rows = conn.execute(_FILES).fetchall()
    else:
        path = where.data_dir / "boardroom.sqlite3"
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            rows = db.execute(_FILES).fetchall()
    return {file_id: (status, pages, stored) for file_id, status, pages, stored in rows}


def _unfinished_after_a_crash(shared: Shared, pdf: bytes, uploads: int) -> set[str]:
    """Upload files to a process, then kill it mid-ingestion; the files it left processing."""
    with _service(shared) as doomed, httpx.Client(base_url=doomed.url, timeout=30) as client:
        board_id = client.post("/api/boards", json={"name": "b"}).json()["board_id"]
        for _ in range(uploads):
            assert upload(client, board_id, pdf, wait=False).status_code == 202
        doomed.crash()
    left = {f for f, (status, _, _) in _files(shared).items() if status == "processing"}
    # One worker extracts one file at a time: the last upload cannot have finished.
    assert left
    return left


def _ready(client: httpx.Client, outcome: str = "ready") -> float:
    return metric(client, "boardroom_ingest_files_total", outcome=outcome)


def _none_processing(shared: Shared) -> bool:
    return all(status != "processing" for status, _, _ in _files(shared).values())


def test_two_processes_starting_together_extract_each_unfinished_file_once(
    shared: Shared, long_pdf: bytes
) -> None:
    """Each process resumed every file left processing: both extracted all of them."""
    left = _unfinished_after_a_crash(shared, long_pdf, uploads=3)
    first, second = _service(shared), _service(shared)
    with ExitStack() as stack:
        for service in (first, second):
            service.start()
            stack.callback(service.__exit__)
        for service in (first, second):
            service.wait_ready()
        clients = [
            stack.enter_context(httpx.Client(base_url=s.url, timeout=30)) for s in (first, second)
        ]
        wait_for(lambda: _none_processing(shared), timeout=60, what="every file ended")
        # Every page of every file, and one extraction per unfinished file among both.
        assert _files(shared) == {f: ("ready", PAGES, PAGES) for f in _files(shared)}
        assert sum(_ready(c) for c in clients) == len(left)
        assert sum(_ready(c, "failed") for c in clients) == 0


def test_a_live_process_takes_over_the_files_of_one_killed_mid_ingestion(
    shared: Shared, long_pdf: bytes
) -> None:
    with _service(shared) as survivor, httpx.Client(base_url=survivor.url, timeout=30) as client:
        left = _unfinished_after_a_crash(shared, long_pdf, uploads=2)
        wait_for(lambda: _none_processing(shared), timeout=60, what="the survivor to finish")
        assert _files(shared) == {f: ("ready", PAGES, PAGES) for f in _files(shared)}
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
