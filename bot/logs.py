"""Logging for medbot's processes: one format (text, or JSON for a log collector), quiet HTTP
clients, no query strings in access lines, every line (tracebacks included) cleared of secrets
and customer identifiers, and the conversation a line belongs to named by a pseudonym."""

from __future__ import annotations

import contextvars
import hashlib
import hmac
import json
import logging
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from bot.config import Settings

__all__ = ["Redactor", "configure_logging", "conversation_id", "in_conversation",
           "redacting_formatter", "secrets_of"]

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
HIDDEN = "[nascosto]"
# Settings whose values must never be written anywhere.
SECRET_SETTINGS = ("telegram_token", "telegram_webhook_secret", "whatsapp_token",
                   "whatsapp_app_secret", "whatsapp_verify_token", "sms_token", "api_token",
                   "document_key", "rasa_token", "rasa_link_secret")
_SECRET_NAME = re.compile(r"TOKEN|SECRET|KEY|PASSWORD")
# What identifies a customer, wherever it turns up (an exception's message, a library's line).
_PATTERNS = [
    # codice fiscale (omocodia letters included)
    re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{6}[0-9LMNP-V]{2}[A-Za-z][0-9LMNP-V]{2}[A-Za-z]"
               r"[0-9LMNP-V]{3}[A-Za-z](?![A-Za-z0-9])", re.I),
    # IBAN, printed whole or in groups of four
    re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?:[ ]?[A-Z0-9]){11,30}(?![A-Za-z0-9])"),
    # e-mail address
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    # phone number: 9 to 15 digits, spaces, dots or dashes between them
    re.compile(r"(?<![\w+])(?:\+|00)?[0-9](?:[ .-]?[0-9]){8,14}(?![\w])"),
]
# Bot API URLs carry the token after /bot: hidden even for a token we were not told about.
_BOT_URL = re.compile(r"(/bot|/file/bot)[0-9]+:[A-Za-z0-9_-]+")


class Redactor:
    """Replaces secrets and customer identifiers in a text."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret containing another is hidden whole.
        self._secrets = sorted({s for s in secrets if len(s) >= 3}, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, HIDDEN)
        text = _BOT_URL.sub(lambda m: m.group(1) + HIDDEN, text)
        for pattern in _PATTERNS:
            text = pattern.sub(HIDDEN, text)
        return text


# The conversation the running task works for (its pseudonym), added to every line it logs.
_conversation: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "medbot_conversation", default=None)


def conversation_id(channel: str, user_key: str, key: bytes) -> str:
    """A pseudonym of the conversation, the same on every replica (keyed with the deployment's
    document key): lines of one conversation can be followed, and a chat user key (a phone
    number on WhatsApp) cannot be guessed back from it."""
    derived = hashlib.sha256(b"medbot log pseudonym\x00" + key).digest()
    return hmac.new(derived, f"{channel}\x00{user_key}".encode(), hashlib.sha256).hexdigest()[:16]


@contextmanager
def in_conversation(pseudonym: str) -> Iterator[None]:
    """Lines logged inside the block (and tasks it starts) carry `pseudonym`."""
    token = _conversation.set(pseudonym)
    try:
        yield
    finally:
        _conversation.reset(token)


class _RedactingFormatter(logging.Formatter):
    def __init__(self, redact: Redactor, fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        self._redact = redact

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        # Only the message is cleared: the time stamp and logger name are ours.
        saved = record.message
        record.message = self._redact(record.message)
        try:
            return super().formatMessage(record)
        finally:
            record.message = saved

    def formatException(self, ei: object) -> str:  # noqa: N802
        return self._redact(super().formatException(ei))  # type: ignore[arg-type]

    def formatStack(self, stack_info: str) -> str:  # noqa: N802
        return self._redact(super().formatStack(stack_info))


class _JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, the conversation's pseudonym
    when there is one, the traceback when there is one; message and traceback cleared."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": self._redact(record.getMessage()),
        }
        conversation = getattr(record, "conversation", None) or _conversation.get()
        if conversation:
            line["conversation"] = conversation
        if record.exc_info:
            line["exception"] = self._redact(self.formatException(record.exc_info))
        if record.stack_info:
            line["stack"] = self._redact(self.formatStack(record.stack_info))
        return json.dumps(line, ensure_ascii=False)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a line is written (set once, kept by tests and
    commands run in-process that replace it)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


class _NoQueryString(logging.Filter):
    """uvicorn's access lines without query strings (hub.verify_token, hub.challenge)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            record.args = (*args[:2], args[2].split("?", 1)[0], *args[3:])
        return True


def secrets_of(settings: Settings) -> list[str]:
    """The secret values the settings hold, and those of any MEDBOT_* variable named as a
    token, secret or key (features with settings of their own, such as Rasa's)."""
    found = [value for name, value in os.environ.items()
             if name.startswith("MEDBOT_") and _SECRET_NAME.search(name) and value]
    for name in SECRET_SETTINGS:
        value = getattr(settings, name, None)
        if value is None:
            continue
        text = value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)
        if text:
            found.append(text)
    return found


def redacting_formatter(settings: Settings | None = None, fmt: str = FORMAT) -> logging.Formatter:
    """The formatter of the settings' MEDBOT_LOG_FORMAT: text (`fmt`) or JSON."""
    redact = Redactor(secrets_of(settings) if settings else ())
    if settings is not None and settings.log_format == "json":
        return _JsonFormatter(redact)
    return _RedactingFormatter(redact, fmt)


def configure_logging(settings: Settings | None = None, level: int = logging.INFO) -> None:
    """The root handler on stderr with the redacting formatter; HTTP clients kept at warnings
    (their request lines hold the Bot API token); uncaught exceptions logged through it."""
    root = logging.getLogger()
    ours = next((h for h in root.handlers if isinstance(h, _StderrHandler)), None)
    if ours is None:
        ours = _StderrHandler()
        root.addHandler(ours)
    ours.setFormatter(redacting_formatter(settings))
    root.setLevel(level)
    for noisy in ("httpx", "httpcore"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _NoQueryString) for f in access.filters):
        access.addFilter(_NoQueryString())
    sys.excepthook = _log_uncaught


def _log_uncaught(kind: type[BaseException], error: BaseException,
                  trace: TracebackType | None) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return
    logging.getLogger("medbot").critical("stopped by an unexpected error",
                                         exc_info=(kind, error, trace))
