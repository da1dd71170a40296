"""The services a request handler may call, as the lifespan made them."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import HTTPConnection

from service.boards import Boards
from service.llm.questions import Questions
from service.metrics import Metrics
from service.settings import Settings
from service.streams.feed import Topics
from service.streams.log import EventLog
from service.streams.runner import Runner


@dataclass(frozen=True, slots=True)
class Services:
    """Handles to the lifespan's resources; the lifespan opens and closes them."""

    settings: Settings
    boards: Boards
    feeds: Topics
    events: EventLog
    runner: Runner
    questions: Questions
    metrics: Metrics


def services(conn: HTTPConnection) -> Services:
    """The services of the app serving this request."""
    found: Services = conn.state.services
    return found


def client_address(conn: HTTPConnection) -> str:
    """The peer's address (a trusted proxy's `X-Forwarded-For`, uvicorn applies it)."""
    return conn.client.host if conn.client else "unknown"


def owner(conn: HTTPConnection) -> str:
    """Who asks: the token's owner id when tokens are on, else the client's address.

    A stream is listed, read and stopped only by its owner, and the per-client limits
    count per owner.
    """
    by_token: str | None = conn.scope.get("state", {}).get("owner")
    return by_token or "client:" + client_address(conn)
