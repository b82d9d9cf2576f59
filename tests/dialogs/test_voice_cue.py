"""What the recogniser is told to expect before a voice note: the question the conversation
is at and the answers it takes, never the answer."""

from __future__ import annotations

from datetime import date

from bot.runtime import Runtime
from dialogs.state import State
from dialogs.voice_cue import Cue, cue_for, echoes
from portal.models import Household
from tests.auxil.chat import EngineChat
from tests.auxil.runtime import MARIO
from tests.auxil.voice import HearingWords
from tests.dialogs.test_voice import chat, runtime, speak  # noqa: F401 (fixtures)

TODAY = date(2026, 11, 24)


async def demo_household(runtime: Runtime) -> Household:  # noqa: F811
    mario = await runtime.store.customer_by_fiscal_code(MARIO)
    assert mario is not None
    return await runtime.store.household(mario.id)


async def test_who_it_is_for_is_cued_with_the_household_names(runtime: Runtime) -> None:  # noqa: F811
    household = await demo_household(runtime)
    cue = cue_for(State(flow="rimborso", asked="beneficiary"), household, TODAY)
    assert cue is not None
    assert cue.answers == ("Mario", "Anna", "Luca", "Marco")
    assert cue.prompt == "Per chi era la prestazione? Mario, Anna, Luca, Marco."


async def test_the_year_is_cued_with_this_year_and_the_last(runtime: Runtime) -> None:  # noqa: F811
    household = await demo_household(runtime)
    year = cue_for(State(flow="rimborso", asked="year"), household, TODAY)
    assert year is not None and year.answers == ("2026", "2025")


async def test_free_answers_and_open_questions_get_no_cue(runtime: Runtime) -> None:  # noqa: F811
    household = await demo_household(runtime)
    assert cue_for(State(), household, TODAY) is None  # the menu: anything may be said
    assert cue_for(State(flow="rimborso", asked="service_query"), household, TODAY) is None
    # Example sums in the prompt were written instead of the sum said.
    assert cue_for(State(flow="rimborso", asked="exp_amount"), household, TODAY) is None
    assert cue_for(State(flow="rimborso", asked="beneficiary", pending="cancel"), household,
                   TODAY) is None


def test_a_transcript_that_repeats_the_prompt_is_an_echo() -> None:
    cue = Cue("Per chi era la prestazione? Mario, Anna, Luca.", ("Mario", "Anna", "Luca"))
    assert echoes(cue, "Per Anna, per Luca.")
    assert echoes(cue, "Mario, Anna, Luca.")
    assert not echoes(cue, "Per mio figlio, Luca.")
    assert not echoes(cue, "È per Anna.")
    assert not echoes(Cue("In che anno? 2026, 2025.", ("2026", "2025")), "2026.")


async def test_the_note_is_listened_to_with_the_question_it_answers(
        runtime: Runtime, chat: EngineChat) -> None:  # noqa: F811
    hearing = runtime.conversations._listener
    assert isinstance(hearing, HearingWords)
    await speak(chat, "rimborso")
    await chat.say("2026")
    turn = await speak(chat, "per Luca")
    assert turn.step == "service_query"
    assert hearing.cues[0] is None  # the first note answered no question
    assert hearing.cues[-1] is not None and "Luca" in hearing.cues[-1].answers
