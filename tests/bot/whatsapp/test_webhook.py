"""The webhook: Meta's verification, signatures, duplicates, statuses, nothing lost on restart."""

from __future__ import annotations

import asyncio

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
