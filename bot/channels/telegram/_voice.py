"""Voice notes and audio files from Telegram: length and size checked from the update, so a
note too long to listen to is never downloaded; the bytes stay in memory."""

from __future__ import annotations

import warnings
from datetime import timedelta

from telegram import Audio, Bot, Message, Voice
from telegram.warnings import PTBDeprecationWarning

from bot.channels.telegram._send import call
from dialogs.events import IncomingVoice

__all__ = ["MAX_VOICE_BYTES", "download_voice"]

# Telegram lets bots download up to 20 MB; a two-minute note is well under 1 MB.
MAX_VOICE_BYTES = 20 * 1024 * 1024


async def download_voice(bot: Bot, message: Message, max_seconds: int) -> IncomingVoice:
    """The note, or (when its declared length or size is over the limits) a note without
    bytes whose length says why it is not listened to."""
    media = message.voice or message.audio
    assert media is not None
    seconds = _seconds(media)
    filename = getattr(media, "file_name", None) or "vocale.ogg"
    too_big = media.file_size is not None and media.file_size > MAX_VOICE_BYTES
    if seconds is not None and seconds > max_seconds or too_big:
        return IncomingVoice(b"", filename, max(seconds or 0.0, max_seconds + 1.0))
    file = await call(lambda: bot.get_file(media.file_id), "getFile")
    data = bytes(await call(file.download_as_bytearray, "download"))
    return IncomingVoice(data, filename, seconds)


def _seconds(media: Voice | Audio) -> float | None:
    """The declared length: PTB 22 gives seconds (with a warning that it will be a timedelta
    in the next major version), or a timedelta where PTB_TIMEDELTA is set; both are read."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        duration = media.duration
    if duration is None:
        return None
    return duration.total_seconds() if isinstance(duration, timedelta) else float(duration)
