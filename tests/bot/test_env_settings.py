"""Settings from arguments, the environment and .env, converted to their declared types."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest

from bot.config import SecretStr, Settings


@pytest.fixture(autouse=True)
def _clean(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(__import__("os").environ):
        if name.upper().startswith("MEDBOT_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)  # no .env but the test's own


def test_defaults_without_environment() -> None:
    settings = Settings()
    assert settings.home == Path("./var")
    assert settings.database_url is None and settings.today is None
    assert settings.quiet_start == time(20, 30) and settings.speech_vad is False
    assert settings.service_levels == {} and settings.service_levels is not Settings().service_levels


def test_environment_any_case_converted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MEDBOT_TODAY", "2026-11-24")
    monkeypatch.setenv("medbot_speech_vad", "yes")
    monkeypatch.setenv("MEDBOT_QUIET_END", "07:45")
    monkeypatch.setenv("MEDBOT_VOICE_MAX_SECONDS", "90")
    monkeypatch.setenv("MEDBOT_RECEIPT_READ_SECONDS", "2.5")
    monkeypatch.setenv("MEDBOT_SERVICE_LEVELS", '{"reimbursement_days": "20"}')
    monkeypatch.setenv("MEDBOT_SMS_TOKEN", "s3cret")
    monkeypatch.setenv("MEDBOT_DATABASE_URL", "")
    settings = Settings()
    assert settings.today == date(2026, 11, 24)
    assert settings.speech_vad is True and settings.quiet_end == time(7, 45)
    assert settings.voice_max_seconds == 90 and settings.receipt_read_seconds == 2.5
    assert settings.service_levels == {"reimbursement_days": 20}
    assert settings.sms_token is not None and settings.sms_token.get_secret_value() == "s3cret"
    assert "s3cret" not in repr(settings)
    assert settings.database_url == "" and settings.resolved_database_url.startswith("sqlite")


def test_arguments_over_environment_over_dotenv(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    (tmp_path / ".env").write_text('MEDBOT_TIMEZONE="Europe/London"\nMEDBOT_HOME=from-file\n'
                                   "OTHER=ignored\n")
    monkeypatch.setenv("MEDBOT_HOME", "from-env")
    settings = Settings()
    assert settings.timezone == "Europe/London" and settings.home == Path("from-env")
    assert Settings(home=tmp_path).home == tmp_path
    assert Settings(telegram_token="1:x").telegram_token == SecretStr("1:x")


@pytest.mark.parametrize(("name", "value"), [
    ("MEDBOT_SMS_PROVIDER", "carrier-pigeon"),
    ("MEDBOT_TODAY", "yesterday"),
    ("MEDBOT_SPEECH_VAD", "maybe"),
    ("MEDBOT_VOICE_MAX_SECONDS", "1.5"),
    ("MEDBOT_SERVICE_LEVELS", "[20]"),
])
def test_a_wrong_value_names_its_variable(monkeypatch: pytest.MonkeyPatch, name: str,
                                          value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValueError, match=name):
        Settings()


def test_fields_are_the_declared_settings() -> None:
    fields = Settings.fields()
    assert list(fields)[:3] == ["home", "database_url", "support_contact"]
    assert "env_prefix" not in fields and "speech_prompt" in fields
