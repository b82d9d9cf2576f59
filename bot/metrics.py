"""What operations watch, in Prometheus's format: turns, their latency, errors, reminders,
refused webhooks and the WhatsApp inbox's depth; one registry per process (per Runtime)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST

__all__ = ["CONTENT_TYPE", "Metrics"]

CONTENT_TYPE = CONTENT_TYPE_LATEST
# A turn is a few milliseconds on an idle machine; a document's check can take seconds.
_TURN_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The counters a running medbot keeps. Labels are small closed sets (channel names,
    outcomes, kinds of error): never anything a customer said or is."""

    def __init__(self) -> None:
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

    def error(self, kind: str, error: BaseException | None = None) -> None:
        self.errors.labels(kind, type(error).__name__ if error is not None else "").inc()

    def reminder(self, outcome: str) -> None:
        self.reminders.labels(outcome).inc()

    def rejected(self, channel: str, reason: str) -> None:
        self.webhook_rejections.labels(channel, reason).inc()

    def render(self) -> bytes:
        """The exposition text of everything counted so far."""
        return generate_latest(self.registry)
