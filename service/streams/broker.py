"""The Redis connections of one process, its name there, and what a broker failure means.

Every Redis-backed part of the streaming core (the event log, its reader fan-out, the
lease, the topics) shares these: one bounded pool for short commands, plus one dedicated
connection each for the fan-out's blocking read, the control channel, the writer's
batches and the lease. So a process holds at most `POOL_SIZE + DEDICATED` connections, however many
readers it serves.
"""

from __future__ import annotations

import os
import secrets
import socket
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import NoScriptError, RedisError

from service.errors import ServiceUnavailable
from service.metrics import Metrics

PREFIX = "boardroom:"
POOL_SIZE = 8
DEDICATED = 4
POOL_WAIT_S = 10.0
"""How long a command waits for a pooled connection before the broker counts as unavailable."""

BROKER_ERRORS = (RedisError, OSError)
"""Whatever Redis fails with: unreachable, timed out, or refusing (out of memory, say)."""


class Broker:
    """One process's connections to Redis, all named after its worker id."""

    def __init__(self, url: str, metrics: Metrics | None = None) -> None:
        self.url = url
        self.metrics = metrics or Metrics()
        self.worker = f"{socket.gethostname()}-{os.getpid()}-{secrets.token_hex(3)}"
        self.client_name = PREFIX + self.worker
        # The client's own annotations are looser than its behaviour; we convert at the edge.
        # A blocking pool: a burst of readers waits its turn for a connection instead of
        # opening one each (the default pool refuses past 100 with an error).
        pool = aioredis.BlockingConnectionPool.from_url(
            url, max_connections=POOL_SIZE, timeout=POOL_WAIT_S, client_name=self.client_name
        )
        self.redis: Any = aioredis.Redis.from_pool(pool)

    def dedicated(self, read_timeout: float = 5.0) -> Any:
        """A client of one connection of its own, for one task.

        Commands use that connection; a pipeline takes one more from the client's own
        pool, so a task uses commands or pipelines, not both. `read_timeout` must outlast
        the longest block asked of Redis, and still notices a peer that vanished without
        closing the connection.
        """
        return aioredis.Redis.from_url(
            self.url,
            single_connection_client=True,
            client_name=self.client_name,
            socket_timeout=read_timeout,
        )

    def failed(self, operation: str) -> None:
        """Count a failure of Redis during `operation` (`boardroom_event_log_errors_total`)."""
        self.metrics.event_log_errors.labels(operation).inc()

    @asynccontextmanager
    async def unavailable(self, operation: str) -> AsyncIterator[None]:
        """Redis failures become 503s (or `error` events), never tracebacks to a client."""
        try:
            yield
        except BROKER_ERRORS as exc:
            self.failed(operation)
            raise ServiceUnavailable(
                "the stream broker is unavailable; try again shortly", retry_after=2
            ) from exc

    async def aclose(self) -> None:
        """Close the pool."""
        await self.redis.aclose()


ScriptCall = tuple[Sequence[Any], Sequence[Any]]
"""The keys and the arguments of one call of a script."""


async def call_script(client: Any, script: Any, calls: Sequence[ScriptCall]) -> list[Any]:
    """Several calls of one registered script in one pipeline: one round trip, in order.

    redis-py's own script objects, called on a pipeline, ask Redis whether it has the
    script (SCRIPT EXISTS) before every batch, a round trip each. Here EVALSHA is queued
    as it is, and when Redis has no such script (the first batch, or after a restart) the
    batch goes again with the script loaded in the same pipeline, on the same connection.
    """

    async def execute(load: bool) -> list[Any]:
        pipe = client.pipeline(transaction=False)
        if load:
            pipe.script_load(script.script)
        for keys, args in calls:
            pipe.evalsha(script.sha, len(keys), *keys, *args)
        results = list(await pipe.execute())
        return results[1:] if load else results

    try:
        return await execute(load=False)
    except NoScriptError:
        return await execute(load=True)
