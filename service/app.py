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

from service.boards.blobs import BlobStore
from service.boards.db import Database
from service.boards.service import Boards
from service.boards.workers import WorkerPool
from service.routes import build_routes
from service.routes.auth import TokenAuth
from service.routes.responses import EXCEPTION_HANDLERS
from service.routes.state import Services
from service.settings import Settings
from service.streams.feed import FeedHub

log = logging.getLogger("service")


def create_app(settings: Settings | None = None) -> Starlette:
    """Build the app; nothing is opened until the lifespan starts."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[dict[str, Any]]:
        data_dir = settings.data_dir.resolve()
        blobs = BlobStore(data_dir)
        await anyio.to_thread.run_sync(blobs.prepare)
        db = Database(data_dir / "boardroom.sqlite3")
        await db.open()
        pool = WorkerPool(settings.ingest_workers, settings.ingest_memory_mb)
        feeds = FeedHub()

        def publish(board_id: str, event: str, data: dict[str, Any]) -> None:
            feeds.publish(board_id, event, data)
            if event == "board.deleted":
                feeds.close(board_id)

        try:
            await pool.start()
            async with anyio.create_task_group() as tasks:
                boards = Boards(
                    db,
                    blobs,
                    pool,
                    tasks,
                    publish,
                    ingest_timeout=settings.ingest_timeout_s,
                    max_upload_bytes=settings.max_upload_bytes,
                )
                await boards.recover()
                log.info("serving %s with the %s engine", data_dir, settings.engine)
                yield {"services": Services(settings, boards, feeds)}
                feeds.close_all()
                # Ingestions still running resume at the next start.
                tasks.cancel_scope.cancel()
        finally:
            with anyio.CancelScope(shield=True):
                await pool.aclose()
                await db.close()

    middleware = []
    if settings.cors_origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["*"],
                allow_headers=["*"],
                expose_headers=["Location"],
            )
        )
    if settings.api_token:
        middleware.append(Middleware(TokenAuth, token=settings.api_token))

    return Starlette(
        routes=build_routes(settings.web_dir),
        middleware=middleware,
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
