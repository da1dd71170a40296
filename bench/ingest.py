"""Ingestion speed against bare pypdf, and /healthz latency while a long PDF ingests.

Run: .venv/bin/python -m bench.ingest [--rounds N]
     .venv/bin/python -m bench.ingest --postgres [--rounds N] [--passages N]
     .venv/bin/python -m bench.ingest --database-url postgresql://… [--rounds N]

With `--postgres` (a private cluster, started as the tests start theirs) or
`--database-url`, the same ingestion runs on SQLite and then on PostgreSQL, and search
latency is measured on both over the same synthetic board (bench/retrieval/latency).
"""

from __future__ import annotations

import argparse
import io
import statistics
import tempfile
import threading
import time
from pathlib import Path

import anyio
import httpx
from pypdf import PdfReader

from bench.retrieval import latency
from tests import pdfs
from tests.process import ServiceProcess


def bare_pypdf(data: bytes) -> float:
    """Seconds for pypdf alone to extract every page's text."""
    start = time.perf_counter()
    reader = PdfReader(io.BytesIO(data))
    for page in reader.pages:
        page.extract_text()
    return time.perf_counter() - start


def ours(client: httpx.Client, board_id: str, data: bytes) -> float:
    """Seconds for the service to take, extract, store and index the file (upload ?wait)."""
    start = time.perf_counter()
    response = client.post(
        f"/api/boards/{board_id}/files",
        params={"wait": "true"},
        files={"file": ("bench.pdf", data, "application/pdf")},
    )
    elapsed = time.perf_counter() - start
    if response.status_code != 201 or response.json()["status"] != "ready":
        raise RuntimeError(f"ingestion failed: {response.text}")
    return elapsed


def healthz_latencies(client: httpx.Client, stop: threading.Event) -> list[float]:
    """Sequential /healthz round trips until `stop` is set."""
    samples = []
    while not stop.is_set():
        start = time.perf_counter()
        client.get("/healthz")
        samples.append(time.perf_counter() - start)
    return samples


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def ingestion(label: str, database_url: str, files: dict[str, bytes], rounds: int) -> None:
    """Print ingestion rates for each file, then /healthz latency while a long file ingests."""
    env = {"BOARDROOM_DATABASE_URL": database_url}
    with (
        tempfile.TemporaryDirectory() as tmp,
        ServiceProcess(Path(tmp), access_log=False, env=env) as service,
        httpx.Client(base_url=service.url, timeout=120) as client,
    ):
        board_id = client.post("/api/boards", json={"name": "bench"}).json()["board_id"]
        print(
            "| boards in | file | pages | bare pypdf pages/s | ours pages/s | ratio "
            "| median of paired ratios |"
        )
        print("|---|---|---|---|---|---|---|")
        for name, data in files.items():
            pages = len(PdfReader(io.BytesIO(data)).pages)
            ours(client, board_id, data)  # warm both paths once
            bare_pypdf(data)
            bare, mine = [], []
            for _ in range(rounds):  # interleaved, so drift hits both alike
                bare.append(bare_pypdf(data))
                mine.append(ours(client, board_id, data))
            bare_rate = pages / statistics.median(bare)
            our_rate = pages / statistics.median(mine)
            # Each round's pair ran back to back: the median of their ratios moves less
            # with the machine's drift than the ratio of the two medians.
            paired = statistics.median(b / m for b, m in zip(bare, mine, strict=True))
            print(
                f"| {label} | {name} | {pages} | {bare_rate:.0f} | {our_rate:.0f} "
                f"| {our_rate / bare_rate:.2f}× | {paired:.2f}× |"
            )

        idle_stop = threading.Event()
        timer = threading.Timer(2.0, idle_stop.set)
        timer.start()
        idle = healthz_latencies(client, idle_stop)

        busy_stop = threading.Event()
        long = files["200-page English"]
        with httpx.Client(base_url=service.url, timeout=120) as uploader:

            def ingest_long() -> None:
                ours(uploader, board_id, long)
                busy_stop.set()

            worker = threading.Thread(target=ingest_long)
            worker.start()
            busy = healthz_latencies(client, busy_stop)
            worker.join()
        print()
        print("| boards in | /healthz | samples | p50 ms | p99 ms | max ms |")
        print("|---|---|---|---|---|---|")
        for what, samples in (("idle", idle), ("while a 200-page PDF ingests", busy)):
            print(
                f"| {label} | {what} | {len(samples)} | {percentile(samples, 0.5) * 1000:.2f} "
                f"| {percentile(samples, 0.99) * 1000:.2f} | {max(samples) * 1000:.2f} |"
            )
        print()


def search_latency(backends: dict[str, str], passages: int, queries: int) -> None:
    """Search latency (BM25 alone, and hybrid) over the same synthetic board on each backend."""
    print("| boards in | mode | passages | stored in s | queries | p50 ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    for label, url in backends.items():
        stored, results = anyio.run(latency.measure, passages, queries, url)
        for mode, samples in results.items():
            print(
                f"| {label} | {mode} | {passages} | {stored:.1f} | {len(samples)} "
                f"| {statistics.median(samples):.1f} | {percentile(samples, 0.99):.1f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--postgres", action="store_true", help="also on a private PostgreSQL cluster"
    )
    parser.add_argument("--database-url", default="", help="also on this PostgreSQL database")
    parser.add_argument("--passages", type=int, default=20_000, help="for the search latency")
    parser.add_argument("--queries", type=int, default=100, help="per mode and round")
    args = parser.parse_args()

    files = {
        "200-page English": pdfs.long_pdf(200),
        "40-page Chinese": pdfs.text_pdf(pdfs.CHINESE_PAGES * 20, cjk=True),
        # The same text, five times longer: a per-file cost shows as the difference.
        "200-page Chinese": pdfs.text_pdf(pdfs.CHINESE_PAGES * 100, cjk=True),
    }
    if not (args.postgres or args.database_url):
        ingestion("SQLite", "", files, args.rounds)
        return
    server = None
    if args.postgres:
        from tests.pgserver import PostgresServer

        server = PostgresServer()
    try:
        if server is None:
            urls = [args.database_url] * 2
        else:
            urls = [server.database(name) for name in ("ingest", "search")]
        ingestion("SQLite", "", files, args.rounds)
        ingestion("PostgreSQL", urls[0], files, args.rounds)
        search_latency({"SQLite": "", "PostgreSQL": urls[1]}, args.passages, args.queries)
    finally:
        if server is not None:
            server.stop()


if __name__ == "__main__":
    main()
