"""Messages the bot starts: normal within 24 hours of the customer's last message, the
approved template outside that window."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.outbound import DeliveryError, Outbound
from dialogs.events import Reply
from tests.auxil.fake_graph import WaUser
from tests.bot.whatsapp.conftest import WhatsApp

STATUS = Outbound("status_changed", Reply("La pratica 26000112 è stata pagata."),
                  parameters=("26000112", "pagata"))


async def test_inside_the_window_a_normal_message(whatsapp: WhatsApp, mario: WaUser) -> None:
    await mario.says("ciao")
    await whatsapp.feature.sender.deliver(mario.wa_id, STATUS)
    last = whatsapp.api.messages_to(mario.wa_id)[-1]
    assert last["type"] == "text" and "26000112" in last["text"]["body"]


async def test_outside_the_window_the_configured_template(
    whatsapp: WhatsApp, mario: WaUser,
) -> None:
    await mario.says("ciao")
    whatsapp.runtime.clock.offset = timedelta(hours=25)
    await whatsapp.feature.sender.deliver(mario.wa_id, STATUS)
    last = whatsapp.api.messages_to(mario.wa_id)[-1]
    assert last["type"] == "template"
    assert last["template"] == {
        "name": "aggiornamento_pratica", "language": {"code": "it"},
        "components": [{"type": "body", "parameters": [
            {"type": "text", "text": "26000112"}, {"type": "text", "text": "pagata"}]}]}


async def test_never_written_and_no_template_is_not_delivered(
    whatsapp: WhatsApp, mario: WaUser,
) -> None:
    with pytest.raises(DeliveryError) as refused:
        await whatsapp.feature.sender.deliver(mario.wa_id, Outbound("appointment", Reply("x")))
    assert refused.value.retry is False
    assert whatsapp.api.messages_to(mario.wa_id) == []
