"""Who is talking: the number WhatsApp verified, the codice fiscale, an SMS code otherwise."""

from __future__ import annotations

from tests.auxil.runtime import MARIO
from tests.bot.whatsapp.conftest import MARIO_WA, WhatsApp


async def test_customers_own_number_links_with_the_codice_fiscale(whatsapp: WhatsApp) -> None:
    user = whatsapp.user(MARIO_WA)
    turn = await user.says("ciao")
    assert "assistente automatico" in turn.text and "codice fiscale" in turn.text
    turn = await user.says("RSSMRA80A01H501U")  # a valid codice fiscale, not Mario's
    assert "non è quello del cliente" in turn.text
    assert await whatsapp.runtime.store.linked_customer("whatsapp", MARIO_WA) is None

    turn = await user.says(f"il mio codice fiscale è {MARIO.lower()}")
    assert "ti ho riconosciuto" in turn.text
    assert "Ciao Mario!" in turn.text  # and the conversation starts
    # Three short choices: reply buttons.
    assert [title for _id, title, _d in turn.options] == [
        "Rimborso", "Prestazione diretta", "Le mie richieste"]
    assert not whatsapp.sms.sent  # WhatsApp verified the number already
    assert await whatsapp.runtime.store.linked_customer("whatsapp", MARIO_WA) is not None
    # Every message is marked as read.
    reads = [c.body for c in whatsapp.api.calls if c.body.get("status") == "read"]
    assert len(reads) == 3


async def test_another_number_needs_an_sms_code_to_the_mobile_on_file(
    whatsapp: WhatsApp,
) -> None:
    user = whatsapp.user("393331112222", "Mario")
    turn = await user.says("buongiorno")
    assert "SMS" in turn.text
    turn = await user.says(MARIO)
    assert whatsapp.sms.sent[-1][0] == "+" + MARIO_WA
    assert "finisce con 67" in turn.text
    code = whatsapp.sms.last_code()
    assert code not in turn.text

    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    turn = await user.says(wrong)
    assert "non è giusto" in turn.text and "4 tentativi" in turn.text
    assert turn.buttons == ["Nuovo codice"]
    assert await whatsapp.runtime.store.linked_customer("whatsapp", "393331112222") is None

    turn = await user.says(code)
    assert "ti ho riconosciuto" in turn.text
    assert await whatsapp.runtime.store.linked_customer("whatsapp", "393331112222") is not None


async def test_files_before_linking_are_not_taken(whatsapp: WhatsApp) -> None:
    user = whatsapp.user("393331112223")
    turn = await user.sends_image(b"\xff\xd8\xff")
    assert "devo riconoscerti" in turn.text
    assert not [c for c in whatsapp.api.calls if c.path.endswith("/media")
                or c.path.count("/") == 1 and not c.body]
