"""Fuzzing the service with broken PDFs and malformed JSON while measuring who still gets served.

Run: .venv/bin/python -m bench.fuzz [--pdfs 60] [--bodies 400] [--seed 1] [--ingest-timeout 30]

`boardroom serve` runs on loopback. Mutated PDFs (byte flips, truncations, nested
objects, CPU bombs, decompression bombs) are uploaded, and malformed JSON sent to every
JSON route, from several threads, while one thread times `/healthz` round trips and
another uploads a small valid PDF every second and times its answer. Checked: no 5xx,
no request past its 60 s timeout, and the board made before the run intact afterwards
(its file ready, its page found by search).
"""

from __future__ import annotations

import argparse
import io
import json
import random
import statistics
import tempfile
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from tests import pdfs
from tests.process import ServiceProcess

TIMEOUT_S = 60.0


def decompression_bomb(megabytes: int = 200) -> bytes:
    """A one-page PDF whose content stream inflates from a few hundred KB to `megabytes` MB."""
    packed = zlib.compress(b"0 0 m " * (megabytes * 1024 * 1024 // 6), 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def nested_objects(data: bytes, depth: int = 5000) -> bytes:
    """The PDF with a deeply nested array spliced in before its first `endobj`."""
    cut = data.find(b"endobj")
    return data[:cut] + b"[" * depth + b"]" * depth + b"\n" + data[cut:]


def mutants(count: int, rng: random.Random) -> list[tuple[str, bytes]]:
    """`count` broken PDFs of every kind, and a few bombs."""
    seeds = [pdfs.english_pdf(), pdfs.chinese_pdf(), pdfs.typeset_pdf(), pdfs.long_pdf(20)]
    made: list[tuple[str, bytes]] = [
        ("cpu bomb", pdfs.slow_pdf()),
        ("cpu bomb", pdfs.slow_pdf()),
        ("decompression bomb", decompression_bomb()),
    ]
    while len(made) < count:
        data = bytearray(rng.choice(seeds))
        kind = rng.choice(["byte flips", "truncation", "nested objects"])
        if kind == "byte flips":
            for _ in range(rng.randrange(1, 50)):
                data[rng.randrange(8, len(data))] = rng.randrange(256)
        elif kind == "truncation":
            del data[rng.randrange(16, len(data)) :]
        else:
            data = bytearray(nested_objects(bytes(data), rng.choice([100, 5000, 50000])))
        made.append((kind, bytes(data)))
    return made


def bodies(count: int, rng: random.Random) -> list[bytes]:
    """Malformed or hostile JSON bodies."""
    shapes: list[Callable[[], bytes]] = [
        lambda: b"[" * rng.randrange(1, 200_000),
        lambda: b'{"name": "\\ud800"}',
        lambda: b'{"name": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        lambda: json.dumps({"name": "x" * rng.randrange(0, 3_000_000)}).encode(),
        lambda: json.dumps({"page": 2 ** rng.randrange(30, 200), "file_id": "f"}).encode(),
        lambda: bytes(rng.randrange(256) for _ in range(rng.randrange(1, 200))),
        lambda: json.dumps({"question": "?" * rng.randrange(0, 9000), "board_id": 1}).encode(),
        lambda: b'{"name": "a", "name": "b", "x": NaN, "y": Infinity}',
        lambda: b"\xef\xbb\xbf" + json.dumps({"name": "bom"}).encode(),
    ]
    return [rng.choice(shapes)() for _ in range(count)]


class Probe(threading.Thread):
    """Calls `call` in a loop until stopped, recording seconds per call."""

    def __init__(self, call: Callable[[], object], pause: float = 0.0) -> None:
        super().__init__(daemon=True)
        self.call = call
        self.pause = pause
        self.samples: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            start = time.perf_counter()
            self.call()
            self.samples.append(time.perf_counter() - start)
            self.stop.wait(self.pause)


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pdfs", type=int, default=60)
    parser.add_argument("--bodies", type=int, default=400)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--ingest-timeout", type=float, default=30.0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    files = mutants(args.pdfs, rng)
    junk = bodies(args.bodies, rng)
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        ServiceProcess(
            Path(tmp),
            access_log=False,
            env={"BOARDROOM_INGEST_TIMEOUT_S": str(args.ingest_timeout)},
        ) as service,
        httpx.Client(base_url=service.url, timeout=TIMEOUT_S) as client,
    ):
        keep = client.post("/api/boards", json={"name": "kept"}).json()["board_id"]
        kept_file = client.post(
            f"/api/boards/{keep}/files",
            params={"wait": "true"},
            files={"file": ("report.pdf", pdfs.english_pdf(), "application/pdf")},
        ).json()
        target = client.post("/api/boards", json={"name": "fuzz"}).json()["board_id"]
        json_routes = [
            ("POST", "/api/boards"),
            ("PATCH", f"/api/boards/{target}"),
            ("POST", f"/api/boards/{target}/notes"),
            ("PUT", f"/api/boards/{target}/view"),
            ("POST", "/api/expert/questions"),
            ("POST", "/api/assistant/commands"),
        ]

        senders = threading.local()

        def send(request: tuple[str, str, bytes, dict[str, str]]) -> None:
            method, path, body, headers = request
            if not hasattr(senders, "client"):
                senders.client = httpx.Client(base_url=service.url, timeout=TIMEOUT_S)
            try:
                status = senders.client.request(
                    method, path, content=body, headers=headers
                ).status_code
            except httpx.TimeoutException:
                failures.append(f"{method} {path}: no answer within {TIMEOUT_S:g} s")
                return
            statuses[status] += 1
            if status >= 500:
                failures.append(f"{method} {path}: {status}")

        small = pdfs.english_pdf()
        # One client per probe: a new httpx client costs ~100 ms (its TLS context) by itself.
        probing = httpx.Client(base_url=service.url, timeout=TIMEOUT_S)
        uploading = httpx.Client(base_url=service.url, timeout=TIMEOUT_S)
        healthz = Probe(lambda: probing.get("/healthz"))
        uploads = Probe(
            lambda: uploading.post(
                f"/api/boards/{keep}/files",
                files={"file": ("small.pdf", small, "application/pdf")},
            ),
            pause=1.0,
        )
        requests = [
            ("POST", f"/api/boards/{target}/files", data, {"content-type": "application/pdf"})
            for _, data in files
        ] + [
            (*rng.choice(json_routes), body, {"content-type": "application/json"}) for body in junk
        ]
        rng.shuffle(requests)
        start = time.monotonic()
        healthz.start()
        uploads.start()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(send, requests))
        elapsed = time.monotonic() - start
        # Keep probing while the accepted files (the bombs among them) are extracted.
        while time.monotonic() - start < 180 and any(
            f["status"] == "processing"
            for f in client.get(f"/api/boards/{target}/files").json()["files"]
        ):
            time.sleep(0.5)
        extracted = time.monotonic() - start
        healthz.stop.set()
        uploads.stop.set()
        healthz.join(TIMEOUT_S)
        uploads.join(TIMEOUT_S)
        probing.close()
        uploading.close()
        after = client.get(f"/api/boards/{keep}/files/{kept_file['file_id']}").json()
        found = client.get(f"/api/boards/{keep}/search", params={"q": "Rotterdam"}).json()
    intact = after["status"] == "ready" and any(
        hit["file_id"] == kept_file["file_id"] for hit in found["results"]
    )
    kinds = Counter(kind for kind, _ in files)
    print(f"all accepted files extracted or failed after {extracted:.1f} s")
    print(f"requests: {len(requests)} in {elapsed:.1f} s ({dict(kinds)}, {len(junk)} JSON bodies)")
    print(f"statuses: {dict(sorted(statuses.items()))}")
    print(
        f"/healthz: {len(healthz.samples)} round trips, "
        f"p50 {statistics.median(healthz.samples) * 1000:.1f} ms, "
        f"p99 {percentile(healthz.samples, 0.99) * 1000:.1f} ms, "
        f"max {max(healthz.samples) * 1000:.1f} ms"
    )
    print(
        f"small upload while bombs extract: {len(uploads.samples)} answered, "
        f"median {statistics.median(uploads.samples):.2f} s, "
        f"max {max(uploads.samples):.2f} s"
    )
    print(f"the board made before: {'intact' if intact else 'DAMAGED'}")
    print(f"5xx or hangs: {len(failures)}")
    for failure in failures[:20]:
        print(f"  {failure}")
    if failures or not intact:
        raise SystemExit(1)
    print("OK")


if __name__ == "__main__":
    main()
