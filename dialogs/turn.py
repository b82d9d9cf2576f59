"""One turn in the making: the replies gathered so far, the state, what to submit or hand over."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from dialogs.events import Choice, Reply
from dialogs.state import State
from dialogs.steps import Context, Question
from portal.models import DocumentsDraft, RequestDraft

# No answer is longer than this (the longest, a note, is 1,000 characters).
MAX_TEXT = 2000


@dataclass(slots=True)
class TurnOutcome:
    """What a turn produced. When `submit` is set, the caller stores it with the state and
    adds `after_submit(request_number)` to the replies."""

    replies: list[Reply]
    state: State
    submit: RequestDraft | DocumentsDraft | None = None
    after_submit: Callable[[str], Reply] | None = None
    # A follow-up kind to record for the draft (`state.draft_id`), e.g. "booking".
    followup: str | None = None
    # A conversation to hand to a person: the caller records it and inserts
    # `handoff.reply(reference)` at `handoff.position` among the replies.
    handoff: HandoffRequest | None = None


@dataclass(frozen=True, slots=True)
class HandoffRequest:
    reason: str  # "human" or "complaint"
    text: str
    request_number: str | None
    position: int
    reply: Callable[[str], Reply]


@dataclass(slots=True)
class Turn:
    """The turn being built: notices wait to be sent together with the next question."""

    state: State
    ctx: Context | None
    customer_name: str
    replies: list[Reply] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    submit: RequestDraft | DocumentsDraft | None = None
    after_submit: Callable[[str], Reply] | None = None
    followup: str | None = None
    handoff: HandoffRequest | None = None
    # The message that opened a request, read for what it already answers.
    opening: str = ""

    def say(self, text: str) -> None:
        if text:
            self.notices.append(text)

    def flush(self, question: Question | None = None, token: int = 0) -> None:
        """Sends the pending notices, with the question (and its buttons) last."""
        parts = [*self.notices]
        choices: tuple[Choice, ...] = ()
        if question is not None:
            parts.append(question.text)
            choices = tuple(Choice(f"{token}.{o.key}", o.label) for o in question.options)
        if parts:
            self.replies.append(Reply("\n\n".join(p for p in parts if p), choices))
        self.notices.clear()

    def outcome(self) -> TurnOutcome:
        return TurnOutcome(self.replies, self.state, self.submit, self.after_submit,
                           self.followup if self.state.draft_id else None, self.handoff)
