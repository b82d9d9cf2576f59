"""Who is talking: the number WhatsApp verified, the codice fiscale, an SMS code otherwise."""

from __future__ import annotations

from tests.auxil.fake_graph import Turn
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
    assert "SMS" in turn.text
    assert not any(MARIO_WA[-n:] in turn.text for n in (2, 3, 4))  # no digits of his mobile
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


NOBODY = "BNCLRA80A41F205G"  # a valid codice fiscale of no customer


def _shape(turn: Turn) -> tuple[str, tuple[str, ...]]:
    return turn.text, tuple(turn.buttons)


async def test_the_answers_reveal_nothing_about_the_codice_fiscale(whatsapp: WhatsApp) -> None:
    """From a number that is no customer's, a customer's codice fiscale and anyone else's get
    the same answers, to the code and to wrong codes alike; only the customer gets an SMS."""
    customer, stranger = whatsapp.user("393330000001"), whatsapp.user("393330000002")
    answers = {}
    for user, cf in ((customer, MARIO), (stranger, NOBODY)):
        first = await user.says(cf)
        wrong = await user.says("000000")
        answers[cf] = (_shape(first), _shape(wrong))
    assert answers[MARIO] == answers[NOBODY]
    assert "4 tentativi" in answers[MARIO][1][0]
    assert [to for to, _ in whatsapp.sms.sent] == ["+" + MARIO_WA]


async def test_someone_else_cannot_lock_the_customer_out(whatsapp: WhatsApp) -> None:
    attacker = whatsapp.user("393330000003")
    await attacker.says(MARIO)
    for _ in range(5):
        turn = await attacker.says("000000")
    assert "troppe volte" in turn.text
    # Mario, writing from another number of his, still gets his code and links.
    mario = whatsapp.user("393330000004")
    await mario.says(MARIO)
    turn = await mario.says(whatsapp.sms.last_code())
    assert "ti ho riconosciuto" in turn.text


async def test_codes_are_limited_per_sender_and_per_mobile(whatsapp: WhatsApp) -> None:
    prober = whatsapp.user("393330000005")
    for cf in (MARIO, NOBODY, "VRDLGU80A01H501Q"):
        turn = await prober.says(cf)
        assert "SMS" in turn.text
    turn = await prober.says("RSSNNA78M55F205Z")  # a fourth codice fiscale within the hour
    assert "troppi codici" in turn.text
    # Many numbers asking for Mario's: his mobile gets five SMS an hour at most, and the
    # sixth number is told the same as the others.
    sent_before = len(whatsapp.sms.sent)
    replies = {_shape(await whatsapp.user(f"39333100000{n}").says(MARIO)) for n in range(6)}
    assert len(replies) == 1
    assert len(whatsapp.sms.sent) - sent_before == 4  # one of the five went to the prober
