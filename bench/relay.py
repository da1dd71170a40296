"""Relay: tokens from an OpenAI-compatible server, read through our service vs read directly.

Run: .venv/bin/python -m bench.relay [--tokens N] [--rounds R]

The stand-in provider (tests/fakeopenai.py) runs in its own process and streams N tokens
as fast as it can. "direct" reads them with the `openai` client in this process; "ours"
reads the SSE stream of a one-shot question to a real `boardroom serve` process whose
openai engine reads the same provider. Rounds alternate, medians compared.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import openai

from tests.process import ServiceProcess


async def direct(base_url: str, tokens: int) -> float:
    """Tokens per second read straight from the provider with the openai client."""
    client = openai.AsyncOpenAI(base_url=base_url, api_key="bench", max_retries=0)
    start = time.perf_counter()
    stream = await client.chat.completions.create(
        model="bench", messages=[{"role": "user", "content": "go"}], stream=True
    )
    seen = 0
    async with stream:
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                seen += 1
    elapsed = time.perf_counter() - start
    await client.close()
    assert seen == tokens, seen
    return tokens / elapsed


async def through_us(url: str, tokens: int) -> float:
    """Tokens per second as deltas of our SSE stream."""
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        start = time.perf_counter()
        body = bytearray()
        async with client.stream(
            "GET", "/api/assistant/stream", params={"question": "go"}
        ) as response:
            async for chunk in response.aiter_raw():
                body += chunk
        seen = body.count(b"event: delta")
        elapsed = time.perf_counter() - start
    assert seen == tokens, seen
    return tokens / elapsed


async def measure(
    base_url: str, data_dir: Path, args: argparse.Namespace
) -> dict[str, list[float]]:
    env = {
        "BOARDROOM_LLM": "openai",
        "BOARDROOM_LLM_BASE_URL": base_url,
        "BOARDROOM_LLM_API_KEY": "bench",
        "BOARDROOM_LLM_MODEL": "bench",
    }
    rates: dict[str, list[float]] = {"direct": [], "ours": []}
    with ServiceProcess(data_dir, access_log=False, env=env) as service:
        await direct(base_url, args.tokens)  # warm both paths
        await through_us(service.url, args.tokens)
        for _ in range(args.rounds):
            rates["direct"].append(await direct(base_url, args.tokens))
            rates["ours"].append(await through_us(service.url, args.tokens))
    return rates


def report(rates: dict[str, list[float]], args: argparse.Namespace) -> None:
    base = statistics.median(rates["direct"])
    print(f"{args.tokens} tokens at full speed, median of {args.rounds} rounds\n")
    print("| path | tokens/s | vs direct |")
    print("|---|---|---|")
    for name, label in (
        ("direct", "openai client reading the provider directly"),
        ("ours", "through Boardroom (engine, runner, event log, SSE)"),
    ):
        rate = statistics.median(rates[name])
        print(f"| {label} | {rate:,.0f} | {rate / base:.2f}× |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tokens", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    provider = subprocess.Popen(
        [sys.executable, "-m", "tests.fakeopenai", str(args.tokens)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert provider.stdout is not None
        base_url = f"http://127.0.0.1:{provider.stdout.readline().strip()}/v1"
        with tempfile.TemporaryDirectory() as tmp:
            rates = asyncio.run(measure(base_url, Path(tmp), args))
    finally:
        provider.terminate()
        provider.wait(10)
    report(rates, args)


if __name__ == "__main__":
    main()
