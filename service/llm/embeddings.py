"""Embeddings from any OpenAI-compatible `/v1/embeddings`: OpenAI, Ollama, vLLM, llama.cpp."""

from __future__ import annotations

import openai

from service.errors import EmbeddingFailed, EmbeddingRefused

QUERY_TIMEOUT_S = 5.0


class OpenAIEmbedder:
    """Turns passages and questions into vectors, each with the prefix its model expects."""

    def __init__(
        self,
        *,
        model: str,
        base_url: str,
        api_key: str,
        timeout: float,
        query_prefix: str = "",
        document_prefix: str = "",
        query_timeout: float = QUERY_TIMEOUT_S,
    ) -> None:
        self.model = model
        self.query_prefix = query_prefix
        self.document_prefix = document_prefix
        self.client = openai.AsyncOpenAI(
            api_key=api_key or "not-needed",  # local servers take any key
            base_url=base_url or None,
            timeout=timeout,
            max_retries=2,  # the client's backoff honours Retry-After on 429 and 503
        )
        # A question waits for its vector: better keywords alone now than both much later.
        self.query_client = self.client.with_options(timeout=query_timeout, max_retries=0)

    async def aclose(self) -> None:
        """Close the HTTP connection pool."""
        await self.client.close()

    async def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """One vector per passage, in order."""
        return await self._embed(self.client, [self.document_prefix + t for t in texts])

    async def embed_query(self, text: str) -> list[float]:
        """The vector of a question."""
        [vector] = await self._embed(self.query_client, [self.query_prefix + text])
        return vector

    async def _embed(self, client: openai.AsyncOpenAI, texts: list[str]) -> list[list[float]]:
        try:
            response = await client.embeddings.create(
                model=self.model, input=texts, encoding_format="float"
            )
        except openai.APIError as exc:
            raise _error(exc) from exc
        data = sorted(response.data, key=lambda d: d.index)
        if len(data) != len(texts) or any(not isinstance(d.embedding, list) for d in data):
            raise EmbeddingFailed(
                f"the embedding server answered {len(data)} vectors for {len(texts)} texts"
            )
        return [d.embedding for d in data]


def _error(exc: openai.APIError) -> EmbeddingFailed:
    # Never the provider's raw text, which may echo the key.
    if isinstance(exc, openai.AuthenticationError | openai.PermissionDeniedError):
        return EmbeddingRefused(
            "the embedding server refused the key; check BOARDROOM_EMBED_API_KEY"
        )
    if isinstance(exc, openai.NotFoundError):
        return EmbeddingRefused(
            "the embedding server knows no such model or URL; check BOARDROOM_EMBED_MODEL "
            "and BOARDROOM_EMBED_BASE_URL"
        )
    if isinstance(exc, openai.APITimeoutError):
        return EmbeddingFailed("the embedding server did not answer in time")
    if isinstance(exc, openai.APIConnectionError):
        return EmbeddingFailed(
            "the embedding server cannot be reached; check BOARDROOM_EMBED_BASE_URL"
        )
    if isinstance(exc, openai.APIStatusError) and exc.status_code != 429 and exc.status_code < 500:
        return EmbeddingRefused(f"the embedding server refused the request ({exc.status_code})")
    if isinstance(exc, openai.APIStatusError):
        return EmbeddingFailed(f"the embedding server failed ({exc.status_code})")
    return EmbeddingFailed("the embedding server sent an answer we cannot read")
