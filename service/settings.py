"""One frozen Settings object, read from `BOARDROOM_*` environment variables."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

PREFIX = "BOARDROOM_"
LlmChoice = Literal["auto", "openai", "extractive"]


class SettingsError(ValueError):
    """A configuration value that cannot be used."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the service can be told from the outside."""

    host: str = "127.0.0.1"
    port: int = 8000
    data_dir: Path = Path("./data")
    llm: LlmChoice = "auto"
    llm_model: str = "gpt-4o-mini"
    llm_base_url: str = ""
    llm_api_key: str = ""
    llm_timeout_s: float = 60.0
    # Hybrid retrieval: unset, search is BM25 alone.
    embed_model: str = ""
    embed_base_url: str = ""  # the LLM's when unset
    embed_api_key: str = ""  # the LLM's when unset
    embed_query_prefix: str = ""
    embed_document_prefix: str = ""
    embed_batch: int = 32
    broker_url: str = ""
    database_url: str = ""  # empty: SQLite under data_dir; postgresql://…: PostgreSQL
    api_token: str = ""
    api_tokens: tuple[str, ...] = ()  # several, comma-separated; each its own owner
    trusted_proxies: tuple[str, ...] = ()  # addresses whose X-Forwarded-For is believed
    cors_origins: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()  # empty: loopback names and HOST; * = any
    ping_s: float = 15.0
    header_timeout_s: float = 10.0  # a request's headers must arrive within this
    reconnect_grace_s: float = 5.0
    attach_timeout_s: float = 30.0
    retention_s: float = 600.0
    max_upload_mb: float = 50.0
    max_streams: int = 1000
    max_streams_per_client: int = 20
    workers: int = 1  # serving processes on one port (`boardroom serve --workers`)
    # Not in the contract's list; documented in docs/OPERATIONS.md.
    ingest_timeout_s: float = 120.0
    ingest_memory_mb: int = 1024
    ingest_workers: int = 2
    ingest_lease_s: float = 30.0  # a claim lapses this long after its owner's last heartbeat
    ingest_open_timeout_s: float = 10.0
    ingest_cpu_s: float = 60.0
    shutdown_grace_s: float = 3.0
    extractive_delay_ms: float = 0.0
    web_dir: Path = field(default_factory=lambda: Path(__file__).resolve().parent.parent / "web")

    @property
    def max_upload_bytes(self) -> int:
        """The upload limit in bytes (`MAX_UPLOAD_MB` is in MiB)."""
        return int(self.max_upload_mb * 1024 * 1024)

    @property
    def engine(self) -> Literal["openai", "extractive"]:
        """The engine `auto` resolves to: openai once a key or base URL is given."""
        if self.llm != "auto":
            return self.llm
        return "openai" if (self.llm_api_key or self.llm_base_url) else "extractive"

    @property
    def tokens(self) -> tuple[str, ...]:
        """Every accepted API token: `API_TOKENS` and `API_TOKEN` together."""
        return tuple(dict.fromkeys(t for t in (*self.api_tokens, self.api_token) if t))

    @property
    def host_names(self) -> tuple[str, ...]:
        """The Host names requests may carry: `ALLOWED_HOSTS`, else loopback and a named `HOST`."""
        if self.allowed_hosts:
            return tuple(normalize_host(h) for h in self.allowed_hosts)
        names = ["localhost", "127.0.0.1", "::1"]
        if self.host not in ("", "0.0.0.0", "::"):
            names.append(normalize_host(self.host))
        return tuple(dict.fromkeys(names))

    @property
    def embed_url(self) -> str:
        """Where embeddings are asked for: their own base URL, else the LLM's."""
        return self.embed_base_url or self.llm_base_url

    @property
    def embed_key(self) -> str:
        """The embedding endpoint's key: its own, else the LLM's."""
        return self.embed_api_key or self.llm_api_key

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Read settings from the environment; explicit overrides win."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in dataclasses.fields(cls):
            raw = env.get(PREFIX + f.name.upper())
            if raw is None or raw == "":
                continue
            values[f.name] = _parse(f.name, f.type, raw)
        if "llm_api_key" not in values and env.get("OPENAI_API_KEY"):
            values["llm_api_key"] = env["OPENAI_API_KEY"]
        if "llm_base_url" not in values and env.get("OPENAI_BASE_URL"):
            values["llm_base_url"] = env["OPENAI_BASE_URL"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        settings.validate()
        return settings

    def validate(self) -> None:
        """Refuse values that would make the service misbehave later."""
        if self.llm not in ("auto", "openai", "extractive"):
            raise SettingsError(
                f"BOARDROOM_LLM must be auto, openai or extractive, not {self.llm!r}"
            )
        if not 0 < self.port < 65536:
            raise SettingsError(f"BOARDROOM_PORT must be between 1 and 65535, not {self.port}")
        for name in (
            "ping_s",
            "llm_timeout_s",
            "attach_timeout_s",
            "ingest_timeout_s",
            "ingest_open_timeout_s",
            "ingest_cpu_s",
            "header_timeout_s",
            "ingest_lease_s",
        ):
            if getattr(self, name) <= 0:
                raise SettingsError(f"BOARDROOM_{name.upper()} must be positive")
        for name in ("reconnect_grace_s", "retention_s", "shutdown_grace_s"):
            if getattr(self, name) < 0:
                raise SettingsError(f"BOARDROOM_{name.upper()} must not be negative")
        if self.broker_url and not self.broker_url.startswith(("redis://", "rediss://", "unix://")):
            # Refused rather than ignored: a deployment that asks for a shared broker must
            # not silently get streams that live in one process.
            raise SettingsError("BOARDROOM_BROKER_URL must be a redis://, rediss:// or unix:// URL")
        if self.database_url:
            _check_database_url(self.database_url)
        if self.workers < 1:
            raise SettingsError("BOARDROOM_WORKERS must be at least 1")
        if self.workers > 1 and not self.broker_url:
            # Refused rather than run: each worker would keep its own streams, and a stream
            # asked through one would be unknown to the next request's worker.
            raise SettingsError(
                f"BOARDROOM_WORKERS={self.workers} (--workers) needs BOARDROOM_BROKER_URL "
                "(redis://…): without a broker each worker would keep its own streams"
            )
        if self.embed_batch < 1:
            raise SettingsError("BOARDROOM_EMBED_BATCH must be at least 1")
        if self.max_upload_mb <= 0 or self.ingest_memory_mb <= 0 or self.ingest_workers < 1:
            raise SettingsError("upload, memory and worker limits must be positive")
        for name in self.allowed_hosts:
            if "/" in name or not name.strip():
                raise SettingsError(
                    f"BOARDROOM_ALLOWED_HOSTS takes host names (boards.example.com), not {name!r}"
                )


def normalize_host(value: str) -> str:
    """A Host header or host name as compared: lower case, no port, no brackets, no final dot."""
    host = value.strip().lower()
    if host.startswith("["):  # [::1]:8000
        host = host[1 : host.find("]")] if "]" in host else host[1:]
    elif host.count(":") == 1:  # example.com:8000 (a bare IPv6 address has several colons)
        host = host.split(":", 1)[0]
    return host.rstrip(".")


def _check_database_url(url: str) -> None:
    # Refused rather than ignored, as BROKER_URL: hosts that are meant to share one
    # database must not each quietly keep their own SQLite file.
    if not url.startswith(("postgresql://", "postgres://")):
        raise SettingsError(
            "BOARDROOM_DATABASE_URL must be a postgresql:// URL "
            "(or empty, for SQLite under BOARDROOM_DATA_DIR)"
        )
    try:
        urlsplit(url).port  # noqa: B018 (reading it checks it)
    except ValueError as exc:
        raise SettingsError("BOARDROOM_DATABASE_URL has a port that is not a number") from exc


def _parse(name: str, kind: object, raw: str) -> object:
    if name.endswith("_prefix"):
        return raw  # "query: " ends with the space the model expects
    text = raw.strip()
    try:
        if kind in ("int", int):
            return int(text)
        if kind in ("float", float):
            return float(text)
        if kind in ("Path", Path):
            return Path(text)
        if kind == "tuple[str, ...]":
            return tuple(part.strip() for part in text.split(",") if part.strip())
    except ValueError as exc:
        raise SettingsError(f"{PREFIX}{name.upper()}={raw!r} is not a valid {kind}") from exc
    return text
