"""Whether a message is written in English (nlu.language.detect), for the `language` entity."""

from __future__ import annotations

from nlu.language import detect

__all__ = ["language"]


def language(text: str) -> str:
    """"en" when the message is clearly written in English, else "it"."""
    return "en" if detect(text) == "en" else "it"
