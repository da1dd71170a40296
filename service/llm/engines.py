"""Choosing the answer engine the settings ask for."""

from __future__ import annotations

from service.llm.engine import Engine
from service.llm.extractive import ExtractiveEngine
from service.llm.openai_engine import OpenAIEngine
from service.settings import Settings


def build_engine(settings: Settings) -> Engine:
    """The engine for these settings: openai once a key or base URL is set (or asked for)."""
    if settings.engine == "openai":
        return OpenAIEngine(settings)
    return ExtractiveEngine(chunk_delay=settings.extractive_delay_ms / 1000)
