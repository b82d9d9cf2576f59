"""The Italian texts of the messages the bot starts (bot/reminders_it.toml)."""

from pathlib import Path

from dialogs.texts import Messages

__all__ = ["t"]

t = Messages(Path(__file__).parent.with_name("reminders_it.toml"))
