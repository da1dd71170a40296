"""The lease a process holds in Redis while it runs generations, and the sweep of lapsed ones.

    boardroom:lease:<worker>     string  set with a TTL of LEASE_TTL_S, renewed every TICK_S
    boardroom:workers            set     workers that may own running streams
    boardroom:running:<worker>   set     the running streams a worker generates

One task per process renews its lease for all its streams at once. Every tick one process
(whoever takes the short sweep lock) looks for workers whose lease has lapsed (killed,
out of memory, host lost) and has their running streams ended; the script that ends a
stream checks the lease and the state atomically, so a stream gets one terminal event
however many processes sweep, and none while its worker is alive.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress

import anyio

from service.streams.broker import BROKER_ERRORS, PREFIX, Broker

log = logging.getLogger(__name__)

LEASE_TTL_S = 5.0
TICK_S = 1.0
WORKERS = PREFIX + "workers"
SWEEP_LOCK = PREFIX + "sweep"


def lease_key(worker: str) -> str:
    """The key whose presence says `worker` is alive."""
    return f"{PREFIX}lease:{worker}"


def running_key(worker: str) -> str:
    """The set of running streams `worker` generates."""
    return f"{PREFIX}running:{worker}"


class Lease:
    """Keeps this process's lease alive and ends the streams of workers whose lease lapsed."""

    def __init__(
        self,
        broker: Broker,
        *,
        reap: Callable[[str, list[str]], Awaitable[None]],
        lapsed: Callable[[], Awaitable[None]],
        tick: Callable[[], Awaitable[None]],
        ttl: float = LEASE_TTL_S,
        every: float = TICK_S,
    ) -> None:
        self.broker = broker
        # A connection of its own: a renewal never waits behind a burst of readers'
        # commands on the pool, which under load could outlast the lease.
        self.redis = broker.dedicated()
        self.worker = broker.worker
        self.ttl_ms = round(ttl * 1000)
        self.every = every
        self._reap = reap
        self._lapsed = lapsed
        self._tick = tick
        self._held = False

    async def renew(self) -> None:
        """Set the lease (again); tell `lapsed` if it had run out while this process lived."""
        # Commands, not a pipeline: a pipeline would open a second connection.
        before = await self.redis.set(lease_key(self.worker), 1, px=self.ttl_ms, get=True)
        await self.redis.sadd(WORKERS, self.worker)
        held, self._held = self._held, True
        if held and before is None:
            log.warning("this process's lease lapsed; checking the streams it generates")
            await self._lapsed()

    async def run(self) -> None:
        """Renew, sweep and tick every `every` seconds, for the lifespan's whole life."""
        try:
            while True:
                await anyio.sleep(self.every)
                try:
                    await self.renew()
                    await self._tick()
                    await self.sweep()
                except BROKER_ERRORS as exc:
                    self.broker.failed("lease")
                    log.debug("lease tick failed: %s", exc)
        finally:
            with anyio.CancelScope(shield=True), suppress(*BROKER_ERRORS):
                # Streams still running (an exit without the runner's drain) are left for
                # the sweepers to end: the worker stays listed until they have.
                await self.redis.delete(lease_key(self.worker))
                if not await self.redis.scard(running_key(self.worker)):
                    await self.redis.srem(WORKERS, self.worker)
            with anyio.CancelScope(shield=True), suppress(*BROKER_ERRORS):
                await self.redis.aclose()

    async def sweep(self) -> None:
        """End the running streams of workers whose lease lapsed (one sweeper per tick)."""
        if not await self.redis.set(SWEEP_LOCK, self.worker, nx=True, px=round(self.every * 900)):
            return
        workers = [w.decode() for w in await self.redis.smembers(WORKERS)]
        if not workers:
            return
        for worker in workers:
            if await self.redis.exists(lease_key(worker)):
                continue
            streams = [s.decode() for s in await self.redis.smembers(running_key(worker))]
            if streams:
                log.warning(
                    "worker %s stopped renewing its lease: ending its %d streams",
                    worker,
                    len(streams),
                )
                await self._reap(worker, streams)
            if not await self.redis.scard(running_key(worker)):
                await self.redis.srem(WORKERS, worker)
