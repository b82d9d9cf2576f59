"""The Rasa action server's own Italian sentences, from texts_it.toml beside this module."""

from __future__ import annotations

from pathlib import Path

from dialogs.texts import Messages

t = Messages(Path(__file__).with_name("texts_it.toml"))
