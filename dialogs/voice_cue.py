"""What the bot expects to hear before a voice note is listened to: the question the
conversation is at, with the answers it can take, given to the recogniser as the text before
the note (Whisper's prompt). A general model hears a name or a year far better when it was told
which ones to expect; it never learns the answer, only the question and what it accepts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from dialogs.matching import normalise
from dialogs.state import State
from portal.models import Household

__all__ = ["Cue", "cue_for", "echoes"]

# Steps that ask who a request is for or who is paid, answered with a name of the household:
# the question as the prompt says it.
_PERSON_STEPS = {"beneficiary": "Per chi era la prestazione?",
                 "payee": "Chi deve ricevere il rimborso?"}
# Steps that ask the year of the service.
_YEAR_STEPS = {"year"}
# Not cued: amounts, dates and times. Given example sums or dates in the prompt, the base
# model wrote the examples instead of what was said (voice eval: «ottanta euro» heard as the
# example «35 euro», «lascia perdere, annulla tutto» as a sum); with the bare question it
# heard no better than with the domain prompt.


@dataclass(frozen=True, slots=True)
class Cue:
    """`prompt`: the text before the note; `answers`: the answers the prompt lists, by which
    a transcript that only repeats the prompt is recognised (see `echoes`)."""

    prompt: str
    answers: tuple[str, ...] = ()


def cue_for(state: State, household: Household, today: date) -> Cue | None:
    """The cue for a note arriving now, None when the question expects free text (the
    recogniser's domain prompt is best there: an opening, a service, a date...)."""
    if state.pending is not None or state.flow is None:
        return None
    if state.asked in _PERSON_STEPS:
        # The names alone: listed as "per Mario, per Anna, per mio figlio...", they came back
        # as a list ("Per mio figlio, per mio marito") more often than bare names.
        names = tuple(dict.fromkeys(m.first_name for m in household.members))
        return Cue(f"{_PERSON_STEPS[state.asked]} {', '.join(names)}.", names)
    if state.asked in _YEAR_STEPS:
        years = (str(today.year), str(today.year - 1))
        return Cue(f"In che anno? {', '.join(years)}, quest'anno, l'anno scorso.", years)
    return None


def echoes(cue: Cue, transcript: str) -> bool:
    """Whether the transcript repeats the prompt rather than the note: two or more of the
    answers it lists, where a note says one."""
    said = f" {normalise(transcript)} "
    found = {a for a in cue.answers if re.search(rf"(?<!\w){re.escape(normalise(a))}(?!\w)",
                                                  said)}
    return len(found) >= 2
