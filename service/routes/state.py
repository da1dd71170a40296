"""The services a request handler may call, as the lifespan made them."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import HTTPConnection

from service.boards import Boards
from service.llm.questions import Questions
from service.settings import Settings
from service.streams.feed import FeedHub
from service.streams.log import EventLog
from service.streams.runner import Runner


@dataclass(frozen=True, slots=True)
class Services:
    """Handles to the lifespan's resources; the lifespan opens and closes them."""

    settings: Settings
    boards: Boards
    feeds: FeedHub
    events: EventLog
    runner: Runner
    questions: Questions


def services(conn: HTTPConnection) -> Services:
    """The services of the app serving this request."""
    found: Services = conn.state.services
    return found


def client_address(conn: HTTPConnection) -> str:
    """Who is asking, for the per-client limits."""
    return conn.client.host if conn.client else "unknown"
