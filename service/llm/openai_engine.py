"""The engine for any OpenAI-compatible server: OpenAI, Ollama, vLLM, llama.cpp, DeepSeek, Qwen.

A cancelled answer closes the upstream HTTP response at once, so the provider stops
generating (and billing). Failures before the first token are retried with backoff;
after it, a retry would repeat text the reader already has, so the stream ends with
a retryable error instead.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncGenerator
from typing import Any

import anyio
import openai

from service.errors import (
    LlmAuth,
    LlmBadResponse,
    LlmError,
    LlmRateLimited,
    LlmTimeout,
    LlmUnavailable,
)
from service.llm.engine import Chunk, Finish, Notice, Prompt, ToolCall

log = logging.getLogger(__name__)

ATTEMPTS = 3
BROKE_OFF = "the model's answer broke off; ask again"
BACKOFF_S = 0.5


class OpenAIEngine:
    """Streams chat completions with the `openai` client."""

    name = "openai"

    def __init__(self, *, model: str, base_url: str, api_key: str, timeout: float) -> None:
        self.model = model
        self.client = openai.AsyncOpenAI(
            api_key=api_key or "not-needed",  # local servers take any key
            base_url=base_url or None,
            timeout=timeout,
            max_retries=0,  # ours: only before the first token, and visible as steps
        )

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self.client.close()

    def answer(self, prompt: Prompt) -> AsyncGenerator[Chunk, None]:
        """The answer to a prepared prompt (or to the bare question)."""
        messages = prompt.messages or [{"role": "user", "content": prompt.question}]
        return self.chat(messages, [])

    async def chat(
        self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]
    ) -> AsyncGenerator[Chunk, None]:
        """One model turn: text chunks or tool calls, then a Finish."""
        stream = None
        for attempt in range(1, ATTEMPTS + 1):
            try:
                stream = await self._open(messages, tools)
                break
            except LlmError as exc:
                if not exc.retryable or attempt == ATTEMPTS:
                    raise
                delay = BACKOFF_S * 2 ** (attempt - 1)
                if exc.retry_after:
                    delay = max(delay, min(exc.retry_after, 30.0))
                yield Notice(
                    "retry",
                    "warning",
                    f"{exc.message}; trying again in {delay:g} s "
                    f"(attempt {attempt + 1} of {ATTEMPTS})",
                )
                await anyio.sleep(delay)
        assert stream is not None
        async with stream:  # leaving this block closes the upstream response, come what may
            async for chunk in self._read(stream):
                yield chunk

    async def _open(self, messages: list[dict[str, Any]], tools: list[dict[str, Any]]) -> Any:
        extra: dict[str, Any] = {"tools": tools} if tools else {}
        try:
            # The client's message types are TypedDicts; ours are plain dicts of the same shape.
            completions: Any = self.client.chat.completions
            return await completions.create(
                model=self.model,
                messages=messages,
                stream=True,
                stream_options={"include_usage": True},
                **extra,
            )
        except openai.APIError as exc:
            raise translate(exc) from exc

    async def _read(self, stream: Any) -> AsyncGenerator[Chunk, None]:
        calls: dict[int, dict[str, str]] = {}
        finish_reason: str | None = None
        usage, started = None, False
        try:
            async for chunk in stream:
                if getattr(chunk, "usage", None) is not None:
                    usage = chunk.usage.model_dump(exclude_none=True)
                for choice in chunk.choices or []:
                    delta = choice.delta
                    if delta is not None and delta.content:
                        started = True
                        yield delta.content
                    for call in (delta.tool_calls or []) if delta is not None else []:
                        slot = calls.setdefault(call.index, {"id": "", "name": "", "args": ""})
                        slot["id"] = call.id or slot["id"]
                        if call.function is not None:
                            slot["name"] += call.function.name or ""
                            slot["args"] += call.function.arguments or ""
                    if choice.finish_reason:
                        finish_reason = choice.finish_reason
        except openai.APIError as exc:
            raise translate(exc, started=started) from exc
        except (OSError, ValueError) as exc:  # the connection dropped, or garbled bytes
            raise LlmUnavailable(BROKE_OFF) from exc
        except Exception as exc:
            # httpx errors from inside the client (a dropped connection mid-stream) have no
            # common base we can name without importing the client's transport.
            if type(exc).__module__.split(".")[0] in ("httpx", "httpx2", "httpcore"):
                raise LlmUnavailable(BROKE_OFF) from exc
            raise
        if finish_reason is None:
            # A stream cut without its last chunk looks, to the client, like a short answer.
            raise LlmUnavailable(BROKE_OFF)
        for index in sorted(calls):
            yield _tool_call(calls[index])
        yield Finish(finish_reason, usage)


def _tool_call(slot: dict[str, str]) -> ToolCall:
    try:
        arguments = json.loads(slot["args"] or "{}")
    except ValueError as exc:
        raise LlmBadResponse(
            f"the model called {slot['name']} with arguments that are not JSON"
        ) from exc
    if not isinstance(arguments, dict):
        raise LlmBadResponse(f"the model called {slot['name']} without an argument object")
    return ToolCall(slot["id"], slot["name"], arguments)


def translate(exc: openai.APIError, *, started: bool = False) -> LlmError:
    """Our error for the client's; never the provider's raw text, which may echo the key."""
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return LlmAuth("the model provider refused the API key; check BOARDROOM_LLM_API_KEY")
    if isinstance(exc, openai.RateLimitError):
        retry_after = _retry_after(exc)
        return LlmRateLimited(
            "the model provider is rate limiting us; try again shortly", retry_after=retry_after
        )
    if isinstance(exc, openai.APITimeoutError):
        return LlmTimeout("the model did not answer within BOARDROOM_LLM_TIMEOUT_S")
    if isinstance(exc, openai.APIConnectionError):
        if started:
            return LlmUnavailable(BROKE_OFF)
        return LlmUnavailable("the model provider cannot be reached; check BOARDROOM_LLM_BASE_URL")
    if isinstance(exc, openai.NotFoundError):
        return LlmBadResponse(
            "the model provider does not know the model or the URL; check "
            "BOARDROOM_LLM_MODEL and BOARDROOM_LLM_BASE_URL"
        )
    if isinstance(exc, openai.APIStatusError) and exc.status_code >= 500:
        return LlmUnavailable(f"the model provider failed ({exc.status_code}); try again")
    if isinstance(exc, openai.APIStatusError):
        return LlmBadResponse(f"the model provider refused the request ({exc.status_code})")
    return LlmBadResponse("the model provider sent an answer we cannot read")


def _retry_after(exc: openai.APIStatusError) -> float | None:
    value = exc.response.headers.get("retry-after") if exc.response is not None else None
    try:
        return float(value) if value else None
    except ValueError:
        return None
