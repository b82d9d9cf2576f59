"""Metrics counted before the registry is built are all there once it is read."""

from __future__ import annotations

from prometheus_client.exposition import CONTENT_TYPE_LATEST

from bot.metrics import _BACKLOG, CONTENT_TYPE, Metrics


def test_content_type_is_prometheus_s() -> None:
    assert CONTENT_TYPE == CONTENT_TYPE_LATEST


def test_counted_before_the_registry_exists_is_read_after() -> None:
    metrics = Metrics()
    metrics.turn("console", "answered", 0.02)
    metrics.turn("console", "failed", 0.5)
    metrics.error("turn", ValueError("x"))
    metrics.reminder("sent")
    metrics.rejected("whatsapp", "signature")
    read = metrics.registry.get_sample_value
    assert read("medbot_turns_total", {"channel": "console", "outcome": "answered"}) == 1
    assert read("medbot_turn_seconds_count", {"channel": "console"}) == 2
    assert read("medbot_turn_seconds_sum", {"channel": "console"}) == 0.52
    assert read("medbot_errors_total", {"kind": "turn", "error": "ValueError"}) == 1
    assert read("medbot_reminders_total", {"outcome": "sent"}) == 1
    assert read("medbot_webhook_rejections_total",
                {"channel": "whatsapp", "reason": "signature"}) == 1
    metrics.turn("console", "answered", 0.01)  # after: counted straight away
    assert read("medbot_turns_total", {"channel": "console", "outcome": "answered"}) == 2
    assert b"medbot_whatsapp_inbox_depth 0.0" in metrics.render()


def test_a_long_backlog_builds_the_registry() -> None:
    metrics = Metrics()
    for _ in range(_BACKLOG + 10):
        metrics.reminder("sent")
    assert metrics.registry.get_sample_value("medbot_reminders_total",
                                             {"outcome": "sent"}) == _BACKLOG + 10
