"""What operations see of the server: liveness, readiness (database and migrations), and the
Prometheus metrics after real turns, refused webhooks and the inbox's queue."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import text

from bot.runtime import Runtime
from bot.web import create_app
from portal.store import Store
from tests.bot.whatsapp.conftest import WhatsApp


def _samples(body: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {(s.name, frozenset(s.labels.items())): s.value
            for family in text_string_to_metric_families(body) for s in family.samples}


async def _metrics(client: httpx.AsyncClient) -> dict[tuple[str, frozenset[tuple[str, str]]],
                                                        float]:
    answer = await client.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    return _samples(answer.text)


def _labels(**labels: str) -> frozenset[tuple[str, str]]:
    return frozenset(labels.items())


async def test_healthz_and_readyz(whatsapp: WhatsApp) -> None:
    client = whatsapp.client
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok", "database": "ok", "migrations": "current"}


async def test_readyz_says_when_migrations_are_pending(whatsapp: WhatsApp) -> None:
    async with whatsapp.runtime.store.engine.begin() as conn:
        await conn.execute(text("DELETE FROM alembic_version"))
    answer = await whatsapp.client.get("/readyz")
    assert answer.status_code == 503
    assert answer.json()["migrations"] == "pending"
    assert (await whatsapp.client.get("/healthz")).status_code == 200  # alive all the same


async def test_readyz_says_when_the_database_does_not_answer(runtime: Runtime,
                                                             tmp_path: Path) -> None:
    # A PostgreSQL URL on a port nobody listens on: the engine is made, the query fails.
    away = await Store.open("postgresql+asyncpg://medbot@127.0.0.1:9/none", tmp_path / "away")
    app = create_app(dataclasses.replace(runtime, store=away), [])
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app),
                                     base_url="http://medbot.test") as client:
            answer = await client.get("/readyz")
            assert answer.status_code == 503
            assert answer.json() == {"status": "unavailable", "database": "unreachable"}
            assert (await client.get("/healthz")).status_code == 200
    finally:
        await away.close()


async def test_metrics_count_turns_errors_and_rejections(whatsapp: WhatsApp) -> None:
    client = whatsapp.client
    before = await _metrics(client)
    assert before[("medbot_whatsapp_inbox_depth", _labels())] == 0
    mario = await whatsapp.linked_mario()
    await mario.says("ciao")
    await mario.says("vorrei un rimborso")
    # A message delivered twice is applied once: the second delivery is no turn.
    again = mario.message("text", {"body": "aiuto"})
    await mario.send(again)
    await mario.send(again)
    refused = await mario.post(mario.update(mario.message("text", {"body": "x"})),
                               secret="not-the-app-secret")
    assert refused.status_code == 403
    # A turn whose database write fails is counted as failed, with its kind of error.
    async with whatsapp.runtime.store.engine.begin() as conn:
        await conn.execute(text("ALTER TABLE conversations RENAME TO conversations_away"))
    await mario.says("annulla")
    async with whatsapp.runtime.store.engine.begin() as conn:
        await conn.execute(text("ALTER TABLE conversations_away RENAME TO conversations"))

    after = await _metrics(client)
    answered = after[("medbot_turns_total", _labels(channel="whatsapp", outcome="answered"))]
    assert answered == 3
    assert after[("medbot_turns_total", _labels(channel="whatsapp", outcome="failed"))] == 1
    assert after[("medbot_turn_seconds_count", _labels(channel="whatsapp"))] == 4
    assert after[("medbot_turn_seconds_sum", _labels(channel="whatsapp"))] > 0
    assert after[("medbot_errors_total", _labels(kind="turn", error="OperationalError"))] == 1
    assert after[("medbot_webhook_rejections_total",
                  _labels(channel="whatsapp", reason="signature"))] == 1
    assert after[("medbot_whatsapp_inbox_depth", _labels())] == 0


async def test_inbox_depth_counts_what_waits(whatsapp: WhatsApp) -> None:
    await whatsapp.feature.inbox.stop()  # nobody handles them: they wait in the store
    mario = await whatsapp.linked_mario()
    for word in ("uno", "due"):
        answer = await mario.post(mario.update(mario.message("text", {"body": word})))
        assert answer.status_code == 200
    after = await _metrics(whatsapp.client)
    assert after[("medbot_whatsapp_inbox_depth", _labels())] == 2
