"""The webhook: Meta's verification, signatures, duplicates, statuses, nothing lost on restart."""

from __future__ import annotations

import asyncio

import pytest

from bot.channels.whatsapp import Inbox
from tests.auxil.fake_graph import APP_SECRET, VERIFY_TOKEN, WAIT, WaUser, webhook_body
from tests.bot.whatsapp.conftest import WhatsApp


async def test_verification_echoes_the_challenge_only_with_our_token(whatsapp: WhatsApp) -> None:
    params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN,
              "hub.challenge": "1158201444"}
    answer = await whatsapp.client.get("/whatsapp/webhook", params=params)
    assert answer.status_code == 200 and answer.text == "1158201444"
    answer = await whatsapp.client.get("/whatsapp/webhook",
                                       params={**params, "hub.verify_token": "wrong"})
    assert answer.status_code == 403


async def test_bad_or_missing_signature_is_refused_and_nothing_kept(
    whatsapp: WhatsApp, mario: WaUser,
) -> None:
    update = mario.update(mario.message("text", {"body": "vorrei un rimborso"}))
    answer = await mario.post(update, secret="not-the-app-secret")
    assert answer.status_code == 403
    answer = await whatsapp.client.post("/whatsapp/webhook", json=update)
    assert answer.status_code == 403
    assert await whatsapp.runtime.store.unprocessed_whatsapp() == []
    assert whatsapp.api.messages_to(mario.wa_id) == []
    assert APP_SECRET  # the good one works: see every other test


async def test_a_duplicate_delivery_is_handled_once(whatsapp: WhatsApp, mario: WaUser) -> None:
    message = mario.message("text", {"body": "ciao"})
    first = await mario.send(message)
    assert "Ciao Mario!" in first.text
    again = await mario.send(message)  # Meta retries when unsure the first one arrived
    assert again.messages == []


async def test_statuses_are_recorded(whatsapp: WhatsApp, mario: WaUser) -> None:
    body = webhook_body({"statuses": [{
        "id": "wamid.out.7", "status": "failed", "timestamp": "1700000000",
        "recipient_id": mario.wa_id,
        "errors": [{"code": 131047, "title": "Re-engagement message"}]}]})
    answer = await mario.post(body)
    assert answer.status_code == 200
    assert await whatsapp.runtime.store.whatsapp_status("wamid.out.7") == "failed"


async def test_a_replayed_status_never_moves_back(whatsapp: WhatsApp, mario: WaUser) -> None:
    def status(name: str) -> dict[str, object]:
        return webhook_body({"statuses": [{"id": "wamid.out.8", "status": name,
                                           "timestamp": "1700000000",
                                           "recipient_id": mario.wa_id}]})

    sent, read = status("sent"), status("read")
    for body in (sent, status("delivered"), read):
        assert (await mario.post(body)).status_code == 200
    for replayed in (sent, status("delivered")):  # signed, and delivered again
        assert (await mario.post(replayed)).status_code == 200
        assert await whatsapp.runtime.store.whatsapp_status("wamid.out.8") == "read"
    assert (await mario.post(status("failed"))).status_code == 200
    assert await whatsapp.runtime.store.whatsapp_status("wamid.out.8") == "failed"


async def test_messages_accepted_before_a_stop_are_handled_at_the_next_start(
    whatsapp: WhatsApp, mario: WaUser,
) -> None:
    await whatsapp.feature.inbox.stop()  # the worker is gone: messages are only accepted
    answer = await mario.post(mario.update(mario.message("text", {"body": "ciao"})))
    assert answer.status_code == 200
    assert len(await whatsapp.runtime.store.unprocessed_whatsapp()) == 1
    assert whatsapp.api.messages_to(mario.wa_id) == []

    restarted = Inbox(whatsapp.runtime.store, whatsapp.feature.channel.process,
                      whatsapp.runtime.clock.now)
    await restarted.start()
    try:
        await asyncio.wait_for(restarted.drained(), WAIT)
    finally:
        await restarted.stop()
    assert any("Ciao Mario!" in m.get("text", {}).get("body", "")
               or "Ciao Mario!" in m.get("interactive", {}).get("body", {}).get("text", "")
               for m in whatsapp.api.messages_to(mario.wa_id))
    assert await whatsapp.runtime.store.unprocessed_whatsapp() == []


async def test_a_message_is_applied_once_even_if_the_process_dies_right_after_its_turn(
    whatsapp: WhatsApp, mario: WaUser, monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = whatsapp.runtime.store
    await mario.says("vorrei un rimborso")
    before = await store.load_conversation("whatsapp", mario.wa_id)
    assert before is not None

    async def dies(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("killed between the turn and marking the message handled")

    # The turn of "2025" is saved, then the process "dies" before the inbox's own mark.
    monkeypatch.setattr(store, "whatsapp_processed", dies)
    await mario.says("2025")
    monkeypatch.undo()
    answered = await store.load_conversation("whatsapp", mario.wa_id)
    assert answered is not None and answered.version == before.version + 1

    restarted = Inbox(store, whatsapp.feature.channel.process, whatsapp.runtime.clock.now)
    await restarted.start()
    try:
        await asyncio.wait_for(restarted.drained(), WAIT)
    finally:
        await restarted.stop()
    after = await store.load_conversation("whatsapp", mario.wa_id)
    assert after == answered  # not applied a second time (the next question keeps its answer)
    assert await store.unprocessed_whatsapp() == []


async def test_a_message_handled_by_another_worker_is_not_applied_again(
    whatsapp: WhatsApp, mario: WaUser,
) -> None:
    store = whatsapp.runtime.store
    await mario.says("vorrei un rimborso")
    message = mario.message("text", {"body": "2025"})
    await whatsapp.feature.inbox.stop()  # accepted only
    assert (await mario.post(mario.update(message))).status_code == 200
    record = await store.load_conversation("whatsapp", mario.wa_id)
    # Two workers (replicas) picked the same message: the first one's turn counts.
    await whatsapp.feature.channel.process(message)
    once = await store.load_conversation("whatsapp", mario.wa_id)
    sent = len(whatsapp.api.messages_to(mario.wa_id))
    await whatsapp.feature.channel.process(message)
    assert record is not None and once is not None and once.version == record.version + 1
    assert await store.load_conversation("whatsapp", mario.wa_id) == once
    assert len(whatsapp.api.messages_to(mario.wa_id)) == sent  # and it says nothing
