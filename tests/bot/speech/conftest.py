"""The real speech model, when the `voice` extra is installed: assembled and loaded once per
test session."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from bot.speech import WhisperTranscriber
from bot.speech._weights import packaged_model, packaged_parts

NOTES = Path(__file__).parent / "notes"


def voice_extra_missing() -> str | None:
    """Why the real model cannot be tested here, or None when it can."""
    if importlib.util.find_spec("faster_whisper") is None:
        return "faster-whisper is not installed (pip install -e '.[voice]')"
    if packaged_parts() is None:
        return "the Whisper weight packages of the voice extra are not installed"
    return None


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    missing = voice_extra_missing()
    if missing:
        pytest.skip(missing)
    folder = packaged_model(tmp_path_factory.mktemp("speech-home"))
    assert folder is not None
    return folder


@pytest.fixture(scope="session")
def whisper(model_dir: Path) -> WhisperTranscriber:
    transcriber = WhisperTranscriber(str(model_dir), str(model_dir.parent))
    transcriber.load()
    return transcriber
