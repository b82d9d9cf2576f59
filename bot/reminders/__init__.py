"""Reminders and status-change messages: schedule them from the records, send the due ones."""

from bot.reminders._loop import QuietHours, Reminders, Round, running
from bot.reminders._render import render
from bot.reminders._schedule import SCHEDULED_KINDS, schedule
from bot.reminders._service import configured_senders, reminders_for, serving

__all__ = [
    "SCHEDULED_KINDS",
    "QuietHours",
    "Reminders",
    "Round",
    "configured_senders",
    "reminders_for",
    "render",
    "running",
    "schedule",
    "serving",
]
