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


@pytest.mark.parametrize(
    "env",
    [
        {"BOARDROOM_PORT": "eighty"},
        {"BOARDROOM_LLM": "gpt"},
        {"BOARDROOM_PING_S": "0"},
        {"BOARDROOM_PORT": "70000"},
        {"BOARDROOM_BROKER_URL": "amqp://127.0.0.1:5672/"},
    ],
)
def test_bad_values_are_refused_with_a_clear_message(env: dict[str, str]) -> None:
    with pytest.raises(SettingsError, match="BOARDROOM_"):
        Settings.from_env(env)
