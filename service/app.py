"""`create_app(settings)`: the Starlette app, whose lifespan owns every resource."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

from service.boards import open_boards
from service.llm.embeddings import OpenAIEmbedder
from service.llm.engine import Engine
from service.llm.extractive import ExtractiveEngine
from service.llm.openai_engine import OpenAIEngine
from service.llm.questions import Questions
from service.metrics import Metrics
from service.routes import build_routes
from service.routes.auth import TokenAuth
from service.routes.responses import EXCEPTION_HANDLERS
from service.routes.security import Security, redact_tokens_in_logs
from service.routes.state import Services
from service.routes.telemetry import RequestMetrics
from service.settings import Settings
from service.streams.feed import FeedHub, Topics
from service.streams.log import EventLog
from service.streams.memory import MemoryEventLog
from service.streams.runner import Limits, Runner

log = logging.getLogger("service")


def create_app(settings: Settings | None = None, *, engine: Engine | None = None) -> Starlette:
    """Build the app; nothing is opened until the lifespan starts.

    `engine` replaces the one the settings choose (for embedding, and for benchmarks).

    `await app.state.drain()` (called by `boardroom serve` as soon as the server starts to
    stop, before it closes its sockets) refuses new questions and waits while running
    streams have their grace; `app.state.begin_shutdown()` starts the same without waiting.
    """
    settings = settings or Settings.from_env()
    # Made with the app, not in the lifespan: the request counter outlives no lifespan
    # but wraps it, and is built before it starts.
    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        data_dir = settings.data_dir.resolve()
        events, feeds = _event_log(settings, metrics)
        answer_engine = engine or build_engine(settings)
        embedder = build_embedder(settings)

        def publish(board_id: str, event: str, data: dict[str, Any]) -> None:
            feeds.publish(board_id, event, data)
            if event == "board.deleted":
                feeds.close(board_id)

        try:
            async with (
                open_boards(
                    data_dir,
                    publish,
                    ingest_workers=settings.ingest_workers,
                    ingest_memory_mb=settings.ingest_memory_mb,
                    ingest_timeout=settings.ingest_timeout_s,
                    ingest_open_timeout=settings.ingest_open_timeout_s,
                    ingest_cpu=settings.ingest_cpu_s,
                    max_upload_bytes=settings.max_upload_bytes,
                    embedder=embedder,
                    embed_batch=settings.embed_batch,
                    metrics=metrics,
                    database_url=settings.database_url,
                    ingest_lease=settings.ingest_lease_s,
                ) as boards,
                anyio.create_task_group() as tasks,
            ):
                await events.start(tasks)
                await feeds.start(tasks)
                runner = Runner(events, tasks, _limits(settings), metrics)
                try:
                    shutdown = anyio.Event()
                    tasks.start_soon(_relay_shutdown, shutdown, runner, feeds)
                    tasks.start_soon(runner.expire_forever)
                    tasks.start_soon(runner.run_deadlines)
                    app.state.begin_shutdown = shutdown.set

                    async def drain() -> None:
                        shutdown.set()
                        await runner.shutdown()
                        await _readers_gone(events)

                    app.state.drain = drain
                    log.info(
                        "serving %s (boards in %s) with the %s engine, %s",
                        data_dir,
                        boards.storage.where,
                        settings.engine,
                        f"hybrid search with {embedder.model}" if embedder else "keyword search",
                    )
                    questions = Questions(boards, answer_engine, runner)
                    yield {
                        "services": Services(
                            settings, boards, feeds, events, runner, questions, metrics
                        )
                    }
                    await runner.shutdown()
                    feeds.close_all()
                finally:
                    # Its generations write their terminal events through the log's tasks:
                    # they end before those do.
                    await runner.aclose()
                tasks.cancel_scope.cancel()
        finally:
            with anyio.CancelScope(shield=True):
                if engine is None and isinstance(answer_engine, OpenAIEngine):
                    await answer_engine.aclose()  # its HTTP connection pool
                if embedder is not None:
                    await embedder.aclose()
                await events.aclose()

    # Here rather than in `boardroom serve` alone: an app embedded in another uvicorn logs
    # its requests too.
    redact_tokens_in_logs()
    # Outermost first: every response is counted and gets the headers, a foreign Host is
    # refused before anything else looks at the request, another site's page before it
    # reaches a route.
    middleware = [
        Middleware(RequestMetrics, metrics=metrics),
        Middleware(Security, hosts=settings.host_names, origins=settings.cors_origins),
    ]
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["*"],
                allow_headers=["*"],
                expose_headers=["Location", "Retry-After"],
            )
        )
    if settings.tokens:
        middleware.append(Middleware(TokenAuth, tokens=settings.tokens))

    return Starlette(
        routes=build_routes(settings.web_dir),
        middleware=middleware,
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )


def build_engine(settings: Settings) -> Engine:
    """The engine for these settings: openai once a key or base URL is set (or asked for)."""
    if settings.engine == "openai":
        return OpenAIEngine(
            model=settings.llm_model,
            base_url=settings.llm_base_url,
            api_key=settings.llm_api_key,
            timeout=settings.llm_timeout_s,
        )
    return ExtractiveEngine(chunk_delay=settings.extractive_delay_ms / 1000)


def build_embedder(settings: Settings) -> OpenAIEmbedder | None:
    """The embedding client once `BOARDROOM_EMBED_MODEL` is set; search is BM25 alone without."""
    if not settings.embed_model:
        return None
    return OpenAIEmbedder(
        model=settings.embed_model,
        base_url=settings.embed_url,
        api_key=settings.embed_key,
        timeout=settings.llm_timeout_s,
        query_prefix=settings.embed_query_prefix,
        document_prefix=settings.embed_document_prefix,
    )


def _event_log(settings: Settings, metrics: Metrics) -> tuple[EventLog, Topics]:
    """The question streams' log and the board events' topics: in process, or in Redis."""
    if settings.broker_url:
        from service.streams.redislog import RedisEventLog
        from service.streams.redistopics import RedisTopics

        redis_log = RedisEventLog(settings.broker_url, settings.retention_s, metrics=metrics)
        return redis_log, RedisTopics(redis_log.broker, redis_log.fanout)
    return MemoryEventLog(settings.retention_s), FeedHub()


def _limits(settings: Settings) -> Limits:
    return Limits(
        max_streams=settings.max_streams,
        max_per_client=settings.max_streams_per_client,
        reconnect_grace=settings.reconnect_grace_s,
        attach_timeout=settings.attach_timeout_s,
        retention=settings.retention_s,
        shutdown_grace=settings.shutdown_grace_s,
    )


READERS_GONE_S = 2.0


async def _readers_gone(events: EventLog) -> None:
    # Every stream has its terminal event; its readers still have to send it (a WebSocket
    # reader its last frame and its close). uvicorn would otherwise cut them with 1012.
    with anyio.move_on_after(READERS_GONE_S):
        # Polled: a subscriber count has no event of its own, and this runs once, at exit.
        while any(s.subscribers for s in await events.streams()):  # noqa: ASYNC110
            await anyio.sleep(0.02)


async def _relay_shutdown(shutdown: anyio.Event, runner: Runner, feeds: Topics) -> None:
    # Set by `boardroom serve` as soon as uvicorn begins to stop, which is before it waits
    # for open connections: question streams get their grace and their terminal event,
    # and board event streams (notifications a client simply reconnects to) end now.
    await shutdown.wait()
    runner.begin_shutdown()
    feeds.close_all()
