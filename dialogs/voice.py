"""Voice notes in the conversation: what was heard goes the way typed text goes, said back
where it matters, and confirmed before it becomes data or when the recogniser doubted it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from datetime import date

from dialogs.events import Heard, Inbound
from dialogs.matching import COMMANDS, normalise, yes_or_no
from dialogs.menu import ask_menu
from dialogs.routing import command_of
from dialogs.runner import FlowRunner, picked, typed_key
from dialogs.steps import Option
from dialogs.texts import t
from dialogs.turn import Turn
from nlu.intents import parse
from portal.models import Household

__all__ = ["HEARD", "Listening", "spoken_command"]

# State.pending while the customer confirms what a voice note said (State.held["text"]).
HEARD = "heard"
# Intents that open a request: what such a message says becomes part of it.
_OPENING = {"reimbursement", "direct_service", "find_facility"}
# Entities that become data of a request (a date, an amount, an IBAN, a time).
_DATA = {"date", "period", "amount", "iban", "time", "request_id"}
# A yes or no to the confirmation is short; anything longer is a new message.
_SHORT_ANSWER = 3

Dispatch = Callable[[Turn, Inbound], Awaitable[None]]


class Listening:
    """Decides what a heard voice note does before the engine reads it as text."""

    def __init__(self, runner: FlowRunner) -> None:
        self._runner = runner

    async def heard(self, turn: Turn, heard: Heard, household: Household, today: date,
                    dispatch: Dispatch) -> None:
        state = turn.state
        text = heard.text.strip()
        if not text:
            turn.say(t(f"voice.{heard.problem or 'silence'}",
                       minutes=_minutes(heard.limit_seconds)))
            self._where_we_were(turn)
            return
        if state.pending == HEARD:
            if heard.sure and yes_or_no(text) is not None and _short(text):
                await self.confirmed(turn, Inbound(text=text), dispatch)
                return
            state.pending, state.held = None, {}  # a new note replaces the one asked about
        if state.pending is not None:
            # A yes/no question is open: a clear yes, no or command answers it, anything
            # else leaves its buttons where they are.
            if heard.sure and (yes_or_no(text) is not None or command_of(text) is not None):
                turn.say(t("voice.heard", text=text))
                await dispatch(turn, Inbound(text=text))
            else:
                turn.say(t("voice.unsure_pending", text=text))
                turn.flush()
            return
        command = spoken_command(text, [m.first_name for m in household.members])
        if command is not None:
            # Obeyed even when doubted: cancelling and starting over are confirmed by the
            # engine, going back is undone by answering again.
            turn.say(t("voice.heard", text=text))
            await dispatch(turn, Inbound(text=command))
            return
        if heard.sure and not self._becomes_data(turn, text, household, today):
            turn.say(t("voice.heard", text=text))
            await dispatch(turn, Inbound(text=text))
            return
        state.held = {"do": HEARD, "text": text}
        self._runner.confirm(turn, HEARD,
                             t("voice.confirm" if heard.sure else "voice.unsure", text=text),
                             t("voice.yes"), t("voice.no"))

    async def confirmed(self, turn: Turn, inbound: Inbound, dispatch: Dispatch) -> None:
        """The answer to «Ho capito: "…". È giusto?»."""
        state = turn.state
        text = str(state.held.get("text", ""))
        key = picked(state, inbound, (Option("yes", ""), Option("no", "")))
        if key is None and inbound.text and _short(inbound.text):
            verdict = yes_or_no(inbound.text)
            key = None if verdict is None else "yes" if verdict else "no"
        state.pending, state.held = None, {}
        if key == "yes" and text:
            await dispatch(turn, Inbound(text=text))
        elif key == "no":
            turn.say(t("voice.write_it"))
            self._where_we_were(turn, fresh=True)
        else:
            # The customer wrote (or tapped) something else: that is the answer.
            await dispatch(turn, inbound)

    def _becomes_data(self, turn: Turn, text: str, household: Household, today: date) -> bool:
        """Whether the message, once read, would be stored: an answer in a request (not a
        command, a yes or no, or one of the buttons offered), or an opening that already
        says dates, amounts or other details of the request."""
        if command_of(text) is not None:
            return False
        ctx = turn.ctx
        if ctx is None:
            parsed = parse(text, today, [m.first_name for m in household.members])
            return parsed.intent in _OPENING and bool(_DATA & set(parsed.entities))
        if yes_or_no(text) is not None:
            return False
        step = self._runner.current(turn, self._runner.flow_of(turn))
        if step is None:
            return True
        options = step.ask(ctx).options
        return typed_key(text, options) is None

    def _where_we_were(self, turn: Turn, fresh: bool = False) -> None:
        """The question the conversation was at, asked again (its buttons still work)."""
        if turn.state.pending is not None:
            turn.flush()  # the yes/no above still stands
        elif turn.ctx is None:
            ask_menu(turn)
        else:
            self._runner.ask_next(turn, fresh=fresh)


# Commands that are safe to obey from a doubtful note (see Listening.heard).
_SAFE_COMMANDS = {"cancel", "back", "restart"}
_CLAUSE = re.compile(r"[,;.!?]+")
# Words around a command that the recogniser made up of a hesitation ("L'assaperneve,
# annulla tutto"): a clause this short next to a command does not make it something else.
_STRAY_WORDS = 2


def spoken_command(text: str, names: Iterable[str] = ()) -> str | None:
    """The words of a navigation command said in a note, with what surrounds it misheard:
    «lascia perdere, annulla tutto» and «L'assaperneve, annulla tutto» are «annulla tutto».
    `names`: the household's first names, answers a near-miss never takes for a command."""
    if command_of(text) in _SAFE_COMMANDS:
        return text
    clauses = [c.strip() for c in _CLAUSE.split(text) if c.strip()]
    said = [(c, command_of(c)) for c in clauses]
    commands = {k for _, k in said if k is not None}
    if len(commands) != 1 or not commands <= _SAFE_COMMANDS:
        return _near_command(text, names) if not commands else None
    if any(k is None and len(normalise(c).split()) > _STRAY_WORDS for c, k in said):
        return None
    return next(c for c, k in said if k is not None)


# How close a short note must be to a command's words to be taken for it: "di cominciata
# capo" (83) is «ricomincia da capo», "Allora, tutto" (80) «annulla tutto»; the closest
# non-commands of the spoken and typed test conversations score 76 ("lascia così" to
# «basta così») and 73 ("Anna" to «annulla»).
_NEAR_COMMAND = 80
_NEAR_COMMAND_WORDS = 5
# Below this many letters one letter changed already scores 80: "nulla" (an answer to «altro?»)
# to «annulla», "pasta" to «basta».
_NEAR_COMMAND_CHARS = 8
_SAFE_PHRASES = tuple(sorted(p for c in _SAFE_COMMANDS for p in COMMANDS[c]))


def _near_command(text: str, names: Iterable[str]) -> str | None:
    """The safe command a short note sounds like, misheard: the recogniser's near-misses of
    «ricomincia» or «annulla» are not words the text path knows. A note naming someone of the
    household is an answer ("Anna tutto" scores 87 to «annulla tutto»)."""
    from rapidfuzz import fuzz, process

    words = normalise(text)
    if len(words) < _NEAR_COMMAND_CHARS or len(words.split()) > _NEAR_COMMAND_WORDS:
        return None
    if set(words.split()) & {normalise(n) for n in names}:
        return None
    found = process.extractOne(words, _SAFE_PHRASES, scorer=fuzz.ratio,
                               score_cutoff=_NEAR_COMMAND)
    return None if found is None else found[0]


def _short(text: str) -> bool:
    return len(normalise(text).split()) <= _SHORT_ANSWER


def _minutes(seconds: int) -> str:
    minutes = max(1, round(seconds / 60))
    return t("voice.one_minute") if minutes == 1 else t("voice.minutes", count=minutes)
