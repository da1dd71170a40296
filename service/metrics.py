"""The service's Prometheus metrics, kept in a registry of each app's own.

One `Metrics` per app, handed down to the parts that count (the HTTP middleware, the
runner, the stream readers, ingestion), so that two apps in one process (the tests, an
embedding) never add to each other's counters, and nothing is global.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

CONTENT_TYPE = CONTENT_TYPE_LATEST

# Seconds. A first token within 50 ms is a cached or local model, past 30 s a stalled one.
_FIRST_TOKEN = (0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60)
# A stop should land within a provider's chunk or two; seconds mean the cancel is stuck.
_CANCEL = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
# Extraction of one file: a 3-page note to a 2,000-page book, up to the default deadline.
_INGEST = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)
# Until the response starts: a JSON answer in microseconds, an upload in seconds.
_RESPONSE_START = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10)


class Metrics:
    """Every metric the service exports; `exposition()` is the `/metrics` body."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        reg = self.registry
        self._started = time.monotonic()
        ProcessCollector(registry=reg)
        PlatformCollector(registry=reg)
        GCCollector(registry=reg)
        Gauge("boardroom_up", "Whether the service is serving.", registry=reg).set(1)
        Gauge(
            "boardroom_uptime_seconds", "Seconds since the app was built.", registry=reg
        ).set_function(lambda: time.monotonic() - self._started)

        # HTTP.
        self.http_requests = Counter(
            "boardroom_http_requests",
            "HTTP requests answered, by route template, method and status.",
            ["route", "method", "status"],
            registry=reg,
        )
        self.http_response_start = Histogram(
            "boardroom_http_response_start_seconds",
            "Seconds from a request's arrival to its response's status line, by route.",
            ["route"],
            buckets=_RESPONSE_START,
            registry=reg,
        )

        # Generations.
        self.streams_started = Counter(
            "boardroom_streams_started",
            "Generations started, by kind (expert or assistant).",
            ["kind"],
            registry=reg,
        )
        self.streams_running = Gauge(
            "boardroom_streams_running", "Generations running in this process.", registry=reg
        )
        self.streams_ended = Counter(
            "boardroom_streams_ended",
            "Generations ended, by kind, outcome (the terminal event) and code (an error's "
            "code or a cancel's reason; empty for done).",
            ["kind", "outcome", "code"],
            registry=reg,
        )
        self.first_token = Histogram(
            "boardroom_time_to_first_token_seconds",
            "Seconds from a question's start to its answer's first delta, by kind.",
            ["kind"],
            buckets=_FIRST_TOKEN,
            registry=reg,
        )
        self.cancel_latency = Histogram(
            "boardroom_cancel_latency_seconds",
            "Seconds from a cancel reaching the runner to the cancelled event, by reason.",
            ["reason"],
            buckets=_CANCEL,
            registry=reg,
        )

        # Readers (SSE and the WebSocket shim).
        self.readers = Gauge(
            "boardroom_stream_readers",
            "Readers attached to a stream in this process, by transport.",
            ["transport"],
            registry=reg,
        )
        self.events_sent = Counter(
            "boardroom_stream_events_sent",
            "Stream events written to readers, by transport.",
            ["transport"],
            registry=reg,
        )
        self.resumes = Counter(
            "boardroom_stream_resumes",
            "Readers that came back with a last event id, by transport.",
            ["transport"],
            registry=reg,
        )
        self.disconnects = Counter(
            "boardroom_stream_disconnects",
            "Readers gone before their stream's terminal event, by transport.",
            ["transport"],
            registry=reg,
        )

        # Ingestion.
        self.ingest_files = Counter(
            "boardroom_ingest_files",
            "Uploaded files by outcome: ready, failed (accepted, then extraction failed) "
            "or refused (pypdf could not open it).",
            ["outcome"],
            registry=reg,
        )
        self.ingest_pages = Counter(
            "boardroom_ingest_pages", "Pages of files that became ready.", registry=reg
        )
        self.ingest_seconds = Histogram(
            "boardroom_ingest_seconds",
            "Seconds of one file's extraction, from its worker taking it to its end.",
            buckets=_INGEST,
            registry=reg,
        )
        self.ingest_failures = Counter(
            "boardroom_ingest_failures",
            "Files failed or refused, by reason: timeout, cpu_limit, crashed, error, "
            "store_error, pdf_encrypted, pdf_unreadable.",
            ["reason"],
            registry=reg,
        )

        # The stream event log.
        self.event_log_errors = Counter(
            "boardroom_event_log_errors",
            "Failures of the stream event log's backend (the broker), by operation.",
            ["operation"],
            registry=reg,
        )

        self.sse = ReaderMetrics(self, "sse")
        self.ws = ReaderMetrics(self, "ws")

    def exposition(self) -> bytes:
        """The registry in Prometheus text format."""
        return generate_latest(self.registry)

    def watch(self, running: Callable[[], float]) -> None:
        """Read the running-generations gauge from `running()` at each scrape."""
        self.streams_running.set_function(running)


class ReaderMetrics:
    """One transport's reader counters, with their label children bound once."""

    def __init__(self, metrics: Metrics, transport: str) -> None:
        self.attached = metrics.readers.labels(transport)
        self.sent = metrics.events_sent.labels(transport)
        self.resumed = metrics.resumes.labels(transport)
        self.gone = metrics.disconnects.labels(transport)
