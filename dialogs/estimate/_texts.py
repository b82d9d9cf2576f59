"""The estimate's Italian message catalogue (texts_it.toml beside this file)."""

from __future__ import annotations

from pathlib import Path

from dialogs.texts import Messages

__all__ = ["t"]

t = Messages(Path(__file__).with_name("texts_it.toml"), keep_spaces=True)
