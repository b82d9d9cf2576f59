"""How a flow is declared: steps that ask, parse, validate and describe their answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

from dialogs.events import Inbound, Venue
from dialogs.services import Services
from portal.models import Household


@dataclass(frozen=True, slots=True)
class Option:
    """A choice offered by a step: `key` is stored in the answers, `label` is shown."""

    key: str
    label: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Question:
    text: str
    options: tuple[Option, ...] = ()


@dataclass(slots=True)
class Context:
    """What a step may look at: the household, the day, the answers so far, the services."""

    household: Household
    today: date
    answers: dict[str, Any]
    services: Services
    defaults: dict[str, Any] = field(default_factory=dict)
    flow: str = ""

    def get(self, name: str, default: Any = None) -> Any:
        return self.answers.get(name, default)


# What a step returns when given an answer.
@dataclass(frozen=True, slots=True)
class Accept:
    """The answer is taken; `value` is stored under the step's name (JSON only)."""

    value: Any
    notice: str = ""
    # Other answers set with this one (None forgets one).
    also: dict[str, Any] = field(default_factory=dict)
    # A follow-up the bot owes later (e.g. "booking": did you book?), recorded with the turn.
    followup: str | None = None
    # Places to show on a map after the notice (facilities found near a shared position).
    venues: tuple[Venue, ...] = ()
    # Other steps answered with this one (in `also`), kept in the trail for «indietro».
    answered: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Stay:
    """Something was received but the question stays open (a file added to a list).

    `also` sets other answers (None forgets one); `reopen` names steps to ask again.
    """

    notice: str = ""
    also: dict[str, Any] = field(default_factory=dict)
    reopen: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Invalid:
    """The answer can't be taken; `message` says precisely why and how to answer."""

    message: str


Outcome = Accept | Stay | Invalid


@dataclass(frozen=True, slots=True)
class Early:
    """A file a flow takes before asking for it (a receipt sent first): `also` sets answers,
    `typed` answers questions not reached yet as if typed (what the opening sentence said comes
    first), `notice` says what happened."""

    notice: str = ""
    also: dict[str, Any] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)


class Step(Protocol):
    """One question of a flow."""

    # Read-only in the contract, so steps may declare them as plain class attributes.
    @property
    def name(self) -> str: ...

    @property
    def edit_label(self) -> str | None:
        """Shown in the summary's edit menu; None when the step is not editable from there."""

    @property
    def accepts_files(self) -> bool: ...

    @property
    def accepts_locations(self) -> bool: ...

    @property
    def clears(self) -> Sequence[str]:
        """Answers of other steps that are forgotten with this one (they depend on it)."""

    def applies(self, ctx: Context) -> bool: ...

    def implied(self, ctx: Context) -> Accept | None:
        """The answer when there is nothing to choose, with a notice saying what was chosen."""

    def ask(self, ctx: Context) -> Question: ...

    async def answer(self, ctx: Context, inbound: Inbound, option: str | None) -> Outcome:
        """`option` is the key of the option the customer picked or typed, if any."""

    def still_valid(self, ctx: Context, value: Any) -> bool:
        """Whether a stored answer still holds after earlier answers changed."""

    def describe(self, ctx: Context, value: Any) -> str:
        """The answer in words, for the summary and for "prima avevi risposto"."""

    def help(self, ctx: Context) -> str: ...

    def reopen(self, ctx: Context) -> None:
        """Forget this step's answer so it is asked again (keeping it as the default)."""


class BaseStep:
    """Defaults for the Step protocol: a question that always applies, reopened by forgetting."""

    name: str = ""
    edit_label: str | None = None
    accepts_files: bool = False
    accepts_locations: bool = False
    help_text: str = ""
    # Answers of other steps that are forgotten with this one (they depend on it).
    clears: Sequence[str] = ()
    # Field kinds whose corrections in words this step's own question takes ("l'importo è 95"
    # where a receipt's reading is confirmed), instead of the acts layer's editor.
    corrects: frozenset[str] = frozenset()
    # The step whose answer says this one's better, when it comes right after: what was typed
    # for the service is not said back beside the catalogue entry picked from it.
    refined_by: str = ""

    def applies(self, ctx: Context) -> bool:
        return True

    def implied(self, ctx: Context) -> Accept | None:
        return None

    def still_valid(self, ctx: Context, value: Any) -> bool:
        return True

    def describe(self, ctx: Context, value: Any) -> str:
        return str(value)

    def help(self, ctx: Context) -> str:
        return self.help_text

    def reopen(self, ctx: Context) -> None:
        if self.name in ctx.answers:
            ctx.defaults[self.name] = ctx.answers.pop(self.name)
        for name in self.clears:
            ctx.answers.pop(name, None)


@dataclass(frozen=True, slots=True)
class Field:
    """Something the customer can name to correct it ("l'importo", "la data", "era per Luca"):
    `kind` is how people call it (see dialogs.acts), `step` the step that parses it."""

    kind: str
    step: str


@dataclass(frozen=True, slots=True)
class ItemList:
    """Answers given again for each item of a list (the receipts): the completed items live in
    `answers[name]`, each a dict whose keys are the item steps' names without `prefix`; the item
    being given lives in the prefixed answers; `done` is the answer that closes the list."""

    name: str
    prefix: str
    # How the customer calls one item ("documento di spesa") and the words that name it.
    label: str
    words: tuple[str, ...]
    done: str | None = None


@dataclass(frozen=True, slots=True)
class Flow:
    """A sequence of steps and what to do with the answers once they are all given."""

    name: str
    title: str
    # The message that opens the flow (a key of the message catalogue).
    intro: str
    steps: tuple[Step, ...]
    # Builds what the flow submits from the complete answers.
    finish: Callable[[Context, str], Any]
    # What can be corrected by naming it, and the lists whose items can be changed or removed.
    fields: tuple[Field, ...] = ()
    lists: tuple[ItemList, ...] = ()
    # Whether the flow shows estimates (summary, policy choice): the household's use of its
    # yearly limits is read when it opens and kept with the answers ("claims").
    estimates: bool = False
    # Takes a file sent before the flow asks for one (None: the flow has no use for it now).
    early_file: Callable[[Context, Inbound], Awaitable[Early | Invalid | None]] | None = None
    # Said when the opening message speaks of a file the flow takes early ("ti mando la
    # fattura"): a key of the message catalogue, and the words that trigger it.
    early_file_hint: str = ""
    early_file_words: tuple[str, ...] = ()

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.name == name)
