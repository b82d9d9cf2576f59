"""Who is talking: the shared contact, the customer's mobile, the SMS code, then the link."""

from __future__ import annotations

from bot.channels.telegram import channel_of
from tests.auxil.fake_telegram import FakeUser
from tests.bot.telegram.conftest import Telegram

MARIO_MOBILE = "+393471234567"


def _asks_for_contact(user: FakeUser) -> bool:
    """The newest message shows the 'share my number' keyboard."""
    message = user.api.chat_messages(user.id)[-1]
    keyboard = message.get("_reply_keyboard", {}).get("keyboard", [])
    return any(button.get("request_contact") for row in keyboard for button in row)


async def test_first_contact_then_contact_and_code_link_the_customer(telegram: Telegram) -> None:
    user = telegram.user(2001)
    turn = await user.says("/start")
    assert "assistente automatico" in turn.text
    assert _asks_for_contact(user)

    turn = await user.shares_contact(MARIO_MOBILE.lstrip("+"))
    assert telegram.sms.sent and telegram.sms.sent[-1][0] == MARIO_MOBILE
    assert "finisce con 67" in turn.text
    code = telegram.sms.last_code()
    assert code not in turn.text  # the code travels by SMS only

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    turn = await user.says(wrong)
    assert "non è giusto" in turn.text and "4 tentativi" in turn.text
    assert turn.buttons == ["Mandami un nuovo codice"]
    assert await telegram.runtime.store.linked_customer("telegram", "2001") is None

    turn = await user.says(f"{code[:3]} {code[3:]}")
    assert "ti ho riconosciuto" in turn.text
    assert "Ciao Mario!" in turn.text  # and the conversation starts
    assert "Rimborso" in turn.buttons
    assert await telegram.runtime.store.linked_customer("telegram", "2001") is not None


async def test_only_the_senders_own_contact(telegram: Telegram) -> None:
    user = telegram.user(2002)
    turn = await user.shares_contact(MARIO_MOBILE, own=False)
    assert "non quello di un'altra persona" in turn.text
    assert not telegram.sms.sent
    assert _asks_for_contact(user)


async def test_a_number_that_is_no_customers_mobile(telegram: Telegram) -> None:
    user = telegram.user(2003, "Anna", "393389876543")  # Anna is in the household, not a customer
    turn = await user.shares_contact()
    assert "Non trovo nessun cliente" in turn.text
    assert not telegram.sms.sent
    # Unlinked people get general answers only.
    turn = await user.says("vorrei un rimborso")
    assert "domande generali" in turn.text
    assert await telegram.runtime.store.linked_customer("telegram", "2003") is None


async def test_deep_link_continues_after_linking(telegram: Telegram) -> None:
    user = telegram.user(2004)
    await user.says("/start rimborso")
    await user.shares_contact()
    turn = await user.says(telegram.sms.last_code())
    assert "ti ho riconosciuto" in turn.text
    assert "In che anno" in turn.text
    assert turn.buttons[:2] == ["2026", "2025"]


async def test_resending_is_rate_limited_and_sms_failures_are_said(telegram: Telegram) -> None:
    user = telegram.user(2005)
    await user.shares_contact()
    first = telegram.sms.last_code()
    turn = await user.says("nuovo codice")
    assert "meno di un minuto" in turn.text
    assert len(telegram.sms.sent) == 1
    turn = await user.says("non lo so")
    assert "codice di 6 cifre" in turn.text
    assert (await user.taps("Mandami un nuovo codice")).answers  # every tap is answered
    assert len(telegram.sms.sent) == 1
    turn = await user.says(first)
    assert "ti ho riconosciuto" in turn.text


async def test_sms_gateway_down(telegram: Telegram) -> None:
    telegram.sms.down = True
    user = telegram.user(2006)
    turn = await user.shares_contact()
    assert "non riesco a mandarti l'SMS" in turn.text
    assert turn.buttons == ["Mandami un nuovo codice"]


async def test_five_wrong_codes_lock(telegram: Telegram) -> None:
    user = telegram.user(2007)
    await user.shares_contact()
    code = telegram.sms.last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        await user.says(wrong)
    turn = await user.says(wrong)
    assert "troppe volte" in turn.text
    turn = await user.says(code)
    assert "troppe volte" in turn.text
    assert await telegram.runtime.store.linked_customer("telegram", "2007") is None


async def test_files_and_places_before_linking(telegram: Telegram) -> None:
    user = telegram.user(2008)
    turn = await user.sends_photo(b"\xff\xd8\xff not downloaded")
    assert "devo riconoscerti" in turn.text
    assert not turn.of("getFile")
    user.photo(b"\xff\xd8\xff 1", media_group_id="a1")
    turn = await user.turn(user.photo(b"\xff\xd8\xff 2", media_group_id="a1"))
    assert "devo riconoscerti" in turn.text and not turn.of("getFile")
    assert not channel_of(telegram.application).albums._open  # nothing left waiting
    turn = await user.shares_location(41.9, 12.5)
    assert "Condividi il mio numero" in turn.text
    turn = await user.says("/aiuto")
    assert "domande generali" in turn.text
