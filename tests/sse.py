"""A small SSE reader for tests: events as the wire format defines them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class Event:
    """One dispatched event, or a comment block (event == "")."""

    id: str | None
    event: str
    data: Any
    retry: int | None = None
    comments: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        assert self.id is not None
        return int(self.id.rsplit(":", 1)[1])

    @property
    def stream_id(self) -> str:
        assert self.id is not None
        return self.id.rsplit(":", 1)[0]


def events(response: httpx.Response, *, comments: bool = False) -> Iterator[Event]:
    """Parse a `text/event-stream` body as it arrives; comment-only blocks if asked."""
    block: dict[str, Any] = {"data": [], "comments": []}
    for line in response.iter_lines():
        if line == "":
            if block["data"]:
                yield Event(
                    block.get("id"),
                    block.get("event", "message"),
                    json.loads("\n".join(block["data"])),
                    block.get("retry"),
                    block["comments"],
                )
            elif comments and (block["comments"] or "retry" in block):
                yield Event(None, "", None, block.get("retry"), block["comments"])
            block = {"data": [], "comments": []}
            continue
        if line.startswith(":"):
            block["comments"].append(line[1:].strip())
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data":
            block["data"].append(value)
        elif name == "retry":
            block["retry"] = int(value)
        elif name in ("id", "event"):
            block[name] = value


def until(response: httpx.Response, match: str | Callable[[Event], bool]) -> list[Event]:
    """Every event up to and including the first that `match` names (or accepts)."""
    accept = match if callable(match) else (lambda event: event.event == match)
    seen = []
    for event in events(response):
        seen.append(event)
        if accept(event):
            return seen
    raise AssertionError(f"the stream ended before {match}: {seen}")


def until_terminal(response: httpx.Response) -> list[Event]:
    """Every event up to and including the terminal one."""
    return until(response, lambda event: event.event in ("done", "error", "cancelled"))
