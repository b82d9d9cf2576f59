"""Telegram-side behaviour: commands, places, status questions, pages, venues, files back,
errors retried or apologised for, chats the bot does not talk in."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

import pytest

from bot.channels.telegram import COMMANDS, channel_of
from bot.channels.telegram._render import send_replies
from dialogs.events import Choice, Inbound, OutgoingFile, Reply, Venue
from tests.auxil import files
from tests.auxil.fake_telegram import FakeUser
from tests.bot.telegram.conftest import Telegram


async def test_commands_menu_is_set_at_start_up(telegram: Telegram) -> None:
    await telegram.api.wait_for(lambda: telegram.api.calls_of("setMyCommands") or None)
    (call,) = telegram.api.calls_of("setMyCommands")
    assert [c["command"] for c in call.params["commands"]] == list(COMMANDS)
    assert all(c["description"] for c in call.params["commands"])
    assert telegram.api.calls_of("deleteWebhook")  # polling removes any webhook first


async def test_commands_send_their_words(mario: FakeUser) -> None:
    turn = await mario.says("/rimborso")
    assert "In che anno" in turn.text
    assert not turn.of("sendChatAction")  # a quick turn just answers: no 'typing'
    turn = await mario.says("/annulla")
    assert "Sì, annulla" in turn.buttons
    turn = await mario.taps("Sì, annulla")
    assert "annullata" in turn.text
    turn = await mario.says("/aiuto")
    assert turn.text


async def test_shared_location_mid_flow_gets_the_engines_answer(mario: FakeUser) -> None:
    await mario.says("/rimborso")
    turn = await mario.shares_location(41.9028, 12.4964)
    assert "posizione" in turn.text
    assert "2026" in turn.buttons  # the question again


async def test_status_question_and_documents_sent_back(telegram: Telegram,
                                                       mario: FakeUser) -> None:
    turn = await mario.says("a che punto è la mia richiesta?")
    assert "Ecco le tue richieste" in turn.text, turn.text
    number = turn.buttons[0].split()[0]
    turn = await mario.taps(turn.buttons[0])
    assert f"{number}" in turn.text and "Stato:" in turn.text, turn.text
    document_button = next(b for b in turn.buttons if b[:1].isdigit())
    turn = await mario.taps(document_button)
    (sent,) = turn.of("sendDocument")
    request = await telegram.runtime.store.get_request(number)
    assert request is not None
    name, data = sent.files["document"]
    assert (name, data) in {(d.filename, telegram.runtime.store.documents.read(d.sha256))
                            for d in request.documents}


async def test_more_than_eight_choices_come_in_pages(telegram: Telegram, mario: FakeUser) -> None:
    channel = channel_of(telegram.application)
    choices = tuple(Choice(f"9.o{i}", f"Struttura numero {i}") for i in range(1, 13))
    await send_replies(telegram.application.bot, mario.id, channel._memory(mario.id),
                       [Reply("Scegli la struttura", choices)])
    assert mario.last_buttons == [f"Struttura numero {i}" for i in range(1, 9)] + ["Altri ▸"]
    turn = await mario.taps("Altri ▸")
    assert turn.answers and turn.of("editMessageReplyMarkup")
    assert mario.last_buttons == [f"Struttura numero {i}" for i in range(9, 13)] + ["◂ Indietro"]
    await mario.taps("Indietro")
    assert mario.last_buttons[0] == "Struttura numero 1"
    # A tap on a page goes to the conversation (here an old question: the engine says so).
    turn = await mario.taps("Struttura numero 3")
    assert turn.answers[0].params.get("text") == "Questo pulsante non è più valido"


async def test_long_choice_ids_fit_the_callback_data(telegram: Telegram, mario: FakeUser) -> None:
    channel = channel_of(telegram.application)
    long_id = "1." + "x" * 80
    await send_replies(telegram.application.bot, mario.id, channel._memory(mario.id),
                       [Reply("Scegli", (Choice(long_id, "Lunga"),))])
    message = telegram.api.chat_messages(mario.id)[-1]
    data = message["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert len(data.encode()) <= 64
    turn = await mario.taps("Lunga")
    assert turn.answers and turn.texts  # resolved and handled, not stuck


async def test_venues_and_documents_are_rendered(telegram: Telegram, mario: FakeUser) -> None:
    channel = channel_of(telegram.application)
    pdf = files.pdf(title="Fattura")
    replies = [
        Reply("Ecco la struttura più vicina:",
              venue=Venue("Centro Medico Salus Prati", "Via Cola di Rienzo 112, Roma",
                          41.9065, 12.4647, "06 1234567")),
        Reply("La fattura della richiesta 26000115",
              file=OutgoingFile("fattura.pdf", "application/pdf", pdf)),
    ]
    await send_replies(telegram.application.bot, mario.id, channel._memory(mario.id), replies)
    (venue,) = telegram.api.calls_of("sendVenue", mario.id)
    assert venue.params["title"] == "Centro Medico Salus Prati"
    assert venue.params["latitude"] == pytest.approx(41.9065)
    assert venue.params["address"] == "Via Cola di Rienzo 112, Roma · tel. 06 1234567"
    (document,) = telegram.api.calls_of("sendDocument", mario.id)
    assert document.files["document"] == ("fattura.pdf", pdf)
    assert document.params["caption"] == "La fattura della richiesta 26000115"


async def test_long_texts_are_split(telegram: Telegram, mario: FakeUser) -> None:
    channel = channel_of(telegram.application)
    text = "\n\n".join(f"Paragrafo {i}: " + "parola " * 100 for i in range(12))
    await send_replies(telegram.application.bot, mario.id, channel._memory(mario.id),
                       [Reply(text, (Choice("1.a", "Va bene"),))])
    sent = telegram.api.calls_of("sendMessage", mario.id)
    assert len(sent) == 3 and all(len(c.params["text"]) <= 4096 for c in sent)
    assert all(c.params["text"].startswith("Paragrafo") for c in sent)  # cut between them
    assert ["reply_markup" in c.params for c in sent] == [False, False, True]


async def test_an_error_apologises_and_keeps_the_conversation(
    telegram: Telegram, mario: FakeUser, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await mario.says("/rimborso")
    conversations = telegram.runtime.conversations
    real = conversations.handle
    failures = [RuntimeError("IBAN IT60X0542811101000000123456 in a message")]

    async def failing(*args: Any, **kwargs: Any) -> Any:
        if failures:
            raise failures.pop()
        return await real(*args, **kwargs)

    monkeypatch.setattr(conversations, "handle", failing)
    with caplog.at_level(logging.INFO):
        turn = await mario.says("2026")
    assert "qualcosa non ha funzionato" in turn.text
    assert turn.buttons == ["Riprendi"]
    assert "RuntimeError" in caplog.text and "IT60X" not in caplog.text
    turn = await mario.taps("Riprendi")
    assert "In che anno" in turn.text  # the same question: nothing was lost or skipped


async def test_telegram_errors_are_retried(telegram: Telegram, mario: FakeUser,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.channels.telegram._send.BACKOFF", 0.01)
    telegram.api.fail("sendMessage", 502)
    turn = await mario.says("/start")
    assert len(turn.of("sendMessage")) == 2  # one failed, one delivered
    assert len(telegram.api.chat_messages(mario.id)) == 1
    telegram.api.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    turn = await mario.says("ciao")
    assert len(turn.of("sendMessage")) == 2  # the rate limiter waited and tried again


async def test_a_chat_that_keeps_failing_does_not_stop_the_bot(
    telegram: Telegram, mario: FakeUser, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("bot.channels.telegram._send.BACKOFF", 0.01)
    telegram.api.fail("sendMessage", 502, times=6)  # the reply and the apology both fail
    turn = await mario.says("/start")
    assert len(turn.of("sendMessage")) == 6
    turn = await mario.says("/start")
    assert "Ciao Mario" in turn.text


async def test_unsupported_messages_and_group_chats(telegram: Telegram, mario: FakeUser) -> None:
    sticker = {"file_id": "s1", "file_unique_id": "su1", "width": 512, "height": 512,
               "is_animated": False, "is_video": False, "type": "regular"}
    turn = await mario.turn(mario.message(sticker=sticker))
    assert "non lo so leggere" in turn.text
    group = {"id": -100, "type": "group", "title": "Famiglia"}
    update_id = telegram.api.push({"message": {
        "message_id": telegram.api.next_message_id(), "date": 0, "chat": group,
        "from": mario.user, "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}})
    await telegram.processed.wait(update_id)
    (reply,) = telegram.api.calls_of("sendMessage", -100)
    assert "chat privata" in reply.params["text"]


async def test_nothing_private_reaches_the_log(telegram: Telegram,
                                               caplog: pytest.LogCaptureFixture) -> None:
    user = telegram.user(3001)
    with caplog.at_level(logging.DEBUG, logger="bot"), caplog.at_level(logging.INFO):
        await user.shares_contact()
        code = telegram.sms.last_code()
        await user.says(code)
        await user.says("/rimborso")
    assert code not in caplog.text
    assert "3471234567" not in caplog.text
    assert "linked to a customer" in caplog.text


async def test_inbound_kinds_reach_the_engine(telegram: Telegram, mario: FakeUser,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Inbound] = []
    conversations = telegram.runtime.conversations
    real = conversations.handle

    async def spy(channel: str, user_key: str, customer_id: int, inbound: Inbound) -> Any:
        seen.append(inbound)
        return await real(channel, user_key, customer_id, inbound)

    monkeypatch.setattr(conversations, "handle", spy)
    await mario.says("/start polizza_400123456")
    await mario.shares_contact("+39 347 123 4567")
    await mario.shares_location(45.0, 9.0)
    photo = files.png("Foto")
    await mario.sends_photo(photo)
    assert seen[0] == Inbound(text="polizza 400123456")
    assert seen[1] == Inbound(contact="+393471234567")
    assert seen[2] == Inbound(location=(45.0, 9.0))
    assert seen[3].file is not None and seen[3].file.data == photo


async def test_shared_location_finds_facilities_in_the_direct_flow(mario: FakeUser) -> None:
    await mario.says("/diretta")
    await mario.says("luca")
    await mario.taps("Visite, esami")
    await mario.says("visita cardiologica")
    turn = await mario.says("1")
    turn = await mario.taps("Sì, continua")
    turn = await mario.taps("No, devo")
    turn = await mario.shares_location(45.4642, 9.19)  # Milan, Duomo
    assert "posizione" in turn.text, turn.text
    assert any("km" in label for label in turn.buttons), turn.buttons


async def test_a_button_that_cannot_be_read_shows_where_we_were(telegram: Telegram,
                                                               mario: FakeUser) -> None:
    await mario.says("/rimborso")
    question = telegram.api.chat_messages(mario.id)[-1]
    turn = await mario.turn(mario.tap_data(question, "zz-unknown"))
    assert len(turn.answers) == 1
    assert "In che anno" in turn.text


async def test_turns_read_no_link_and_taps_no_conversation(
    telegram: Telegram, mario: FakeUser, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The link is remembered, and a tap's question token is known from the buttons sent."""
    store = telegram.runtime.store
    reads: Counter[str] = Counter()
    for name in ("linked_customer", "load_conversation"):
        real = getattr(store, name)

        async def counted(*args: Any, _name: str = name, _real: Any = real) -> Any:
            reads[_name] += 1
            return await _real(*args)

        monkeypatch.setattr(store, name, counted)
    await mario.says("/start")
    await mario.taps("Rimborso")
    await mario.says("2026")
    turn = await mario.taps("Anna")
    assert "Anna" in turn.text
    assert reads["linked_customer"] <= 1
    assert reads["load_conversation"] <= 4  # the turns' own, if any: none for the taps


async def test_a_link_removed_elsewhere_stops_counting(
    telegram: Telegram, mario: FakeUser, monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert "Ciao Mario" in (await mario.says("/start")).text
    # `medbot link telegram --remove`, another process: seen once the remembered link expires.
    assert await telegram.runtime.store.unlink_user("telegram", str(mario.id))
    monkeypatch.setattr("bot.channels.telegram._links.LINK_TTL", 0.0)
    turn = await mario.says("ciao")
    assert "Ciao Mario" not in turn.text
    assert "Finché non ti ho riconosciuto" in turn.text
