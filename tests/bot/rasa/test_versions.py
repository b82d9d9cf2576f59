"""The Rasa versions the action server claims, and the rasa-sdk it runs on."""

from __future__ import annotations

import logging

import pytest
import rasa_sdk

from bot.channels.rasa._versions import check_rasa_version


def test_rasa_3_6_is_supported_silently(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert check_rasa_version("3.6.21")
        assert check_rasa_version("3.6.0")
    assert caplog.records == []


def test_other_versions_are_warned_about_once(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        for version in ("2.8.1", "3.7.0", "2.8.1", None, "x", "3"):
            assert not check_rasa_version(version)
    warned = [r.getMessage() for r in caplog.records]
    assert len(warned) == 5 and all("tested with Rasa 3.6" in w for w in warned)


def test_the_rasa_sdk_of_pyproject() -> None:
    """rasa-sdk 3.21 (Python 3.11+); its protocol is the one make test-rasa drives."""
    major, minor = (int(n) for n in rasa_sdk.__version__.split(".")[:2])
    assert (major, minor) == (3, 21)
