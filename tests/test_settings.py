"""Settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.settings import Settings, SettingsError


def test_defaults_are_the_embedded_ones() -> None:
    settings = Settings.from_env({})
    assert (settings.host, settings.port, settings.data_dir) == ("127.0.0.1", 8000, Path("data"))
    assert settings.engine == "extractive"
    assert settings.max_upload_bytes == 50 * 1024 * 1024


def test_environment_is_read_with_its_prefix() -> None:
    settings = Settings.from_env(
        {"BOARDROOM_PORT": "9001", "BOARDROOM_CORS_ORIGINS": "a, b", "BOARDROOM_PING_S": "2.5"}
    )
    assert settings.port == 9001
    assert settings.cors_origins == ("a", "b")
    assert settings.ping_s == 2.5


def test_openai_variables_select_the_openai_engine() -> None:
    settings = Settings.from_env({"OPENAI_BASE_URL": "http://127.0.0.1:11434/v1"})
    assert settings.llm_base_url == "http://127.0.0.1:11434/v1"
    assert settings.engine == "openai"


def test_embedding_settings_default_to_the_llms_endpoint_and_keep_their_prefixes_whole() -> None:
    """'query: ' lost its space to the settings' trimming; e5 expects it."""
    settings = Settings.from_env(
        {
            "BOARDROOM_LLM_BASE_URL": "http://127.0.0.1:11434/v1",
            "BOARDROOM_LLM_API_KEY": "k",
            "BOARDROOM_EMBED_MODEL": "bge-m3",
            "BOARDROOM_EMBED_QUERY_PREFIX": "query: ",
            "BOARDROOM_EMBED_DOCUMENT_PREFIX": "passage: ",
        }
    )
    assert (settings.embed_url, settings.embed_key) == ("http://127.0.0.1:11434/v1", "k")
    assert (settings.embed_query_prefix, settings.embed_document_prefix) == ("query: ", "passage: ")
    own = Settings.from_env(
        {"BOARDROOM_EMBED_BASE_URL": "http://e/v1", "BOARDROOM_LLM_API_KEY": "k"}
    )
    assert own.embed_url == "http://e/v1"


@pytest.mark.parametrize(
    "env",
    [
        {"BOARDROOM_EMBED_BATCH": "0"},
        {"BOARDROOM_PORT": "eighty"},
        {"BOARDROOM_LLM": "gpt"},
        {"BOARDROOM_PING_S": "0"},
        {"BOARDROOM_PORT": "70000"},
        {"BOARDROOM_BROKER_URL": "amqp://127.0.0.1:5672/"},
        {"BOARDROOM_DATABASE_URL": "mysql://127.0.0.1/boardroom"},
        {"BOARDROOM_DATABASE_URL": "sqlite:///data/boardroom.sqlite3"},
        {"BOARDROOM_DATABASE_URL": "postgresql://db.internal:five/boardroom"},
    ],
)
def test_bad_values_are_refused_with_a_clear_message(env: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="BOARDROOM_"):
        Settings.from_env(env)


def test_a_database_url_names_postgresql_and_none_keeps_sqlite() -> None:
    assert Settings.from_env({}).database_url == ""
    for url in ("postgresql://app:secret@db:5432/boardroom", "postgres:///boardroom"):
        assert Settings.from_env({"BOARDROOM_DATABASE_URL": url}).database_url == url


def test_several_workers_need_a_broker() -> None:
    assert Settings.from_env({}).workers == 1
    with pytest.raises(SettingsError, match="BOARDROOM_BROKER_URL"):
        Settings.from_env({"BOARDROOM_WORKERS": "2"})
    shared = Settings.from_env({"BOARDROOM_WORKERS": "2", "BOARDROOM_BROKER_URL": "redis://r"})
    assert shared.workers == 2
    with pytest.raises(SettingsError, match="BOARDROOM_WORKERS"):
        Settings.from_env({"BOARDROOM_WORKERS": "0"})
