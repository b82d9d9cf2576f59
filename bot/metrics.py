"""What operations watch, in Prometheus's format: turns, their latency, errors, reminders,
refused webhooks and the WhatsApp inbox's depth; one registry per process (per Runtime)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry, Gauge

__all__ = ["CONTENT_TYPE", "Metrics"]

# prometheus_client.exposition.CONTENT_TYPE_LATEST (a test keeps them the same).
CONTENT_TYPE = "text/plain; version=1.0.0; charset=utf-8"
# A turn is a few milliseconds on an idle machine; a document's check can take seconds.
_TURN_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# What is counted before the registry exists is kept (see Metrics), up to this many events.
_BACKLOG = 256


class Metrics:
    """The counters a running medbot keeps. Labels are small closed sets (channel names,
    outcomes, kinds of error): never anything a customer said or is.

    prometheus_client (and the HTTP server modules it imports) is loaded when the figures
    are first read, or once _BACKLOG events wait: importing it was a tenth of `medbot chat`'s
    start before its first answer (issue 14). Events counted before are replayed then, in
    order, so what is read is what was counted."""

    def __init__(self) -> None:
        self._families: _Families | None = None
        self._backlog: list[tuple[str, tuple[Any, ...]]] = []
        self._lock = threading.Lock()

    def _built(self) -> _Families:
        if self._families is None:
            with self._lock:
                if self._families is None:
                    families = _Families()
                    for name, args in self._backlog:
                        getattr(families, name)(*args)
                    self._backlog = []
                    self._families = families
        return self._families

    def _count(self, name: str, *args: Any) -> None:
        if self._families is None:
            with self._lock:
                if self._families is None and len(self._backlog) < _BACKLOG:
                    self._backlog.append((name, args))
                    return
        getattr(self._built(), name)(*args)

    @property
    def registry(self) -> CollectorRegistry:
        return self._built().registry

    @property
    def whatsapp_inbox_depth(self) -> Gauge:
        return self._built().whatsapp_inbox_depth

    def turn(self, channel: str, outcome: str, seconds: float) -> None:
        self._count("turn", channel, outcome, seconds)

    def error(self, kind: str, error: BaseException | None = None) -> None:
        self._count("error", kind, type(error).__name__ if error is not None else "")

    def reminder(self, outcome: str) -> None:
        self._count("reminder", outcome)

    def rejected(self, channel: str, reason: str) -> None:
        self._count("rejected", channel, reason)

    def render(self) -> bytes:
        """The exposition text of everything counted so far."""
        from prometheus_client import generate_latest

        return generate_latest(self.registry)


class _Families:
    """The registry and its metric families."""

    def __init__(self) -> None:
        from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

        self.registry = CollectorRegistry()
        r = self.registry
        self.turns = Counter("medbot_turns", "Conversation turns, by channel and outcome "
                             "(answered, failed, duplicate)", ["channel", "outcome"], registry=r)
        self.turn_seconds = Histogram("medbot_turn_seconds", "Time a turn takes, load to "
                                      "commit, by channel", ["channel"], buckets=_TURN_BUCKETS,
                                      registry=r)
        self.errors = Counter("medbot_errors", "Errors, by kind (where they happened: turn, "
                              "telegram_update, whatsapp_message, whatsapp_inbox, "
                              "reminder_round) and exception class", ["kind", "error"],
                              registry=r)
        self.reminders = Counter("medbot_reminders", "Reminders and status messages, by outcome "
                                 "(sent, failed, retrying, postponed, cancelled, lost)",
                                 ["outcome"], registry=r)
        self.webhook_rejections = Counter("medbot_webhook_rejections", "Webhook requests "
                                          "refused, by channel and reason",
                                          ["channel", "reason"], registry=r)
        self.whatsapp_inbox_depth = Gauge("medbot_whatsapp_inbox_depth", "WhatsApp messages "
                                          "accepted and not yet handled (every replica's)",
                                          registry=r)

    def turn(self, channel: str, outcome: str, seconds: float) -> None:
        self.turns.labels(channel, outcome).inc()
        self.turn_seconds.labels(channel).observe(seconds)

    def error(self, kind: str, error_class: str) -> None:
        self.errors.labels(kind, error_class).inc()

    def reminder(self, outcome: str) -> None:
        self.reminders.labels(outcome).inc()

    def rejected(self, channel: str, reason: str) -> None:
        self.webhook_rejections.labels(channel, reason).inc()
