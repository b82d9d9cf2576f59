"""Runs a declared flow: asks its next question, parses answers, goes back, finishes it."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from dialogs.estimate import ServiceLevels, claims_json, load_claims
from dialogs.events import Inbound, Reply
from dialogs.matching import keeps_previous, match_choice, normalise, position_in
from dialogs.menu import ask_menu
from dialogs.prefill import read_opening, said_date
from dialogs.services import Services
from dialogs.state import State
from dialogs.steps import Accept, Context, Early, Flow, Invalid, Option, Question, Stay, Step
from dialogs.texts import label, t
from dialogs.turn import MAX_TEXT, Turn
from nlu.intents import Parsed
from portal.models import Household

# After this many wrong answers to the same question the engine offers help.
STUCK_AFTER = 3
# The option that keeps the previous answer of a reopened question.
KEEP = "="


class FlowRunner:
    """The flows' mechanics, shared by every flow: nothing here knows a particular step."""

    def __init__(self, flows: Sequence[Flow], support_contact: str,
                 service_levels: ServiceLevels | None = None) -> None:
        self.flows = {flow.name: flow for flow in flows}
        self._support_contact = support_contact
        self.service_levels = service_levels or ServiceLevels()
        # Called when an answer is taken, before its notice (the acts layer says what changed).
        self.on_accept: list[Callable[[Turn, Step], None]] = []

    @property
    def support_contact(self) -> str:
        """How customers reach a person, as configured; the default sentence in the turn's
        language ([labels] of the catalogues)."""
        return label(self._support_contact)

    def flow_of(self, turn: Turn) -> Flow:
        assert turn.state.flow is not None
        return self.flows[turn.state.flow]

    # -- opening a flow -------------------------------------------------------------------

    async def start(self, turn: Turn, name: str, household: Household, today: date,
                    services: Services, parsed: Parsed | None,
                    given: dict[str, Any] | None = None, file: Inbound | None = None) -> None:
        """Opens a flow; what the sentence already said answers its first questions, a `file`
        sent first (a receipt) is taken by the flow. A file it refuses opens nothing."""
        flow = self.flows.get(name)
        if flow is None:
            turn.say(t("menu.direct_not_yet"))
            ask_menu(turn)
            return
        state = turn.state
        state.start(flow.name)
        state.answers.update(given or {})
        if flow.estimates:
            state.answers["claims"] = claims_json(await load_claims(services, household))
        turn.ctx = Context(household, today, state.answers, services, state.defaults, flow.name)
        if file is not None:
            early = await flow.early_file(turn.ctx, file) if flow.early_file else None
            if not isinstance(early, Early):
                state.reset()
                turn.ctx = None
                turn.say(early.message if early is not None else t("menu.file_without_request"))
                ask_menu(turn)
                return
            self._take_early(turn, early)
            await self.proceed(turn, flow)
            return
        turn.say(t(flow.intro))
        if parsed is not None:
            state.answers.update(said_date(parsed, flow.name))
            opening = read_opening(parsed, flow.name, turn.opening, today, household)
            state.prefill = opening.typed
            turn.say(opening.recap)  # the recap says what the first questions took
            if flow.early_file_hint and set(normalise(turn.opening).split()) & set(
                    flow.early_file_words):
                turn.say(t(flow.early_file_hint))
            await self._prefill(turn, flow)
            self.ask_next(turn, fresh=True)
            return
        await self.proceed(turn, flow)

    async def proceed(self, turn: Turn, flow: Flow) -> None:
        """Asks the next question, after answering the ones the opening sentence answers
        (said briefly: the recap was some messages ago)."""
        understood = await self._prefill(turn, flow)
        if understood:
            turn.say(t("engine.prefilled", what=", ".join(understood)))
        self.ask_next(turn, fresh=True)

    async def _prefill(self, turn: Turn, flow: Flow) -> list[str]:
        """Answers the flow's questions with what the opening sentence said, as if typed, when
        they come up and while they take it; one that doesn't is asked, saying why. Their own
        notices are not said: the recap, or the list of what was used, says it."""
        ctx = turn.ctx
        assert ctx is not None
        typed = turn.state.prefill
        understood: list[tuple[Step, str]] = []
        refused = ""
        while typed:
            step = self.current(turn, flow)
            if step is None or step.name not in typed:
                break
            text = typed.pop(step.name)
            options = self.options(step, ctx, step.ask(ctx))
            outcome = await step.answer(ctx, Inbound(text=text), typed_key(text, options))
            if isinstance(outcome, Invalid):
                refused = outcome.message  # why what the sentence said is asked after all
            if not isinstance(outcome, Accept):
                break
            ctx.answers[step.name] = outcome.value
            apply(ctx, outcome.also)
            turn.state.trail.append(step.name)
            understood.append((step, step.describe(ctx, outcome.value)))
        turn.say(refused)
        # "Elettrocardiogramma (ECG)" searched, then the entry picked: said once, as picked.
        return [said for i, (step, said) in enumerate(understood)
                if i + 1 == len(understood)
                or getattr(step, "refined_by", "") != understood[i + 1][0].name]

    def _take_early(self, turn: Turn, early: Early) -> None:
        ctx = turn.ctx
        assert ctx is not None
        apply(ctx, early.also)
        typed = {k: v for k, v in early.typed.items() if k not in ctx.answers}
        turn.state.prefill = {**typed, **turn.state.prefill}
        turn.say(early.notice)

    async def _early_file(self, turn: Turn, flow: Flow, step: Step, inbound: Inbound) -> bool:
        """A file sent before its question: taken by the flow if it has a use for it now."""
        ctx = turn.ctx
        assert ctx is not None
        if flow.early_file is None:
            return False
        early = await flow.early_file(ctx, inbound)
        if early is None:
            return False
        if isinstance(early, Invalid):
            self.invalid(turn, step, early)
            return True
        self._take_early(turn, early)
        await self.proceed(turn, flow)
        return True

    def resume(self, turn: Turn) -> None:
        """An empty event (a channel opened again): show where the conversation is."""
        if turn.ctx is None:
            turn.say(t("menu.greeting", name=turn.customer_name))
            ask_menu(turn)
        elif turn.state.pending is not None:
            turn.state.pending = None
            turn.say(t("engine.resumed"))
            self.ask_next(turn, fresh=True)
        else:
            turn.say(t("engine.resumed"))
            self.ask_next(turn, fresh=False)

    # -- commands inside a flow -----------------------------------------------------------

    def command(self, turn: Turn, command: str) -> None:
        """«indietro», «annulla», «ricomincia», «aiuto», a greeting, a person: in a flow."""
        ctx = turn.ctx
        assert ctx is not None
        flow = self.flow_of(turn)
        if command == "greeting":
            self.resume(turn)
            return
        if command in ("cancel", "restart"):
            self.confirm(turn, command, t(f"engine.{command}_confirm", flow=label(flow.title)),
                         t(f"engine.{command}_yes"))
            return
        if command == "back":
            if not self.go_back(turn, flow):
                turn.say(t("engine.back_at_start"))
        elif command == "help":
            step = self.current(turn, flow)
            if step is not None:
                turn.say(step.help(ctx) or t("engine.no_help"))
            self.ask_next(turn, fresh=False)
            return
        elif command == "human":
            turn.say(t("engine.human", contact=self.support_contact))
            self.ask_next(turn, fresh=False)
            return
        self.ask_next(turn, fresh=True)

    def confirm(self, turn: Turn, pending: str, question: str, yes: str,
                no: str | None = None) -> None:
        """A yes/no asked across the flow (cancel, restart, leave the draft...)."""
        state = turn.state
        state.pending = pending
        state.token += 1
        options = (Option("yes", yes), Option("no", no or t("engine.pending_no")))
        turn.flush(Question(question, options), state.token)

    def cancel_or_restart(self, turn: Turn, pending: str) -> None:
        """The confirmed «annulla» or «ricomincia»."""
        state = turn.state
        if pending == "restart" and state.flow:
            claims = state.answers.get("claims")
            state.start(state.flow)
            if claims is not None:
                state.answers["claims"] = claims
            assert turn.ctx is not None
            turn.ctx.answers = state.answers
            turn.ctx.defaults = state.defaults
            turn.say(t("engine.restarted"))
            self.ask_next(turn, fresh=True)
            return
        state.reset()
        turn.ctx = None
        turn.say(t("engine.cancelled"))
        ask_menu(turn)

    # -- answering the current question ---------------------------------------------------

    async def answer(self, turn: Turn, inbound: Inbound, typed: str | None = None) -> None:
        """`inbound` as the answer to the current question; `typed` is an option key the acts
        layer already read in the text (e.g. "send" for «ok manda» at the summary)."""
        state, ctx = turn.state, turn.ctx
        assert ctx is not None and state.flow is not None
        flow = self.flow_of(turn)
        step = self.current(turn, flow)
        if step is None:  # a flow with everything answered: finish it now
            self.finish(turn, flow)
            return
        question = step.ask(ctx)
        options = self.options(step, ctx, question)
        if inbound.kind == "choice":
            key = picked(state, inbound, options)
            if key is None or state.asked != step.name:
                turn.say(t("engine.stale"))
                self.ask_next(turn, fresh=False)
                return
        elif inbound.kind == "file" and not step.accepts_files:
            if not await self._early_file(turn, flow, step, inbound):
                self.invalid(turn, step, Invalid(t("files.not_now")))
            return
        elif inbound.kind == "contact" or (inbound.kind == "location"
                                            and not step.accepts_locations):
            self.invalid(turn, step,
                         Invalid(t("engine.not_now", what=t(f"engine.{inbound.kind}"))))
            return
        elif inbound.location is not None and not _on_earth(inbound.location):
            self.invalid(turn, step, Invalid(t("engine.bad_location")))
            return
        else:
            key = typed if any(o.key == typed for o in options) else None
            if inbound.text is not None and key is None:
                if not inbound.text.strip():
                    self.invalid(turn, step, Invalid(t("engine.empty")))
                    return
                if len(inbound.text) > MAX_TEXT:
                    self.invalid(turn, step, Invalid(t("engine.too_long")))
                    return
                key = typed_key(inbound.text, options)
        if key == KEEP:
            value = ctx.defaults.get(step.name)
            if value is not None and step.still_valid(ctx, value):
                self.accept(turn, step, Accept(value))
                await self.proceed(turn, flow)
                return
            key = None
        outcome = await step.answer(ctx, inbound, key)
        if isinstance(outcome, Invalid):
            self.invalid(turn, step, outcome)
        elif isinstance(outcome, Stay):
            apply(ctx, outcome.also)
            for name in outcome.reopen:
                reopen(flow.step(name), ctx, state)
            state.failures = 0
            turn.say(outcome.notice)
            await self.proceed(turn, flow)
        else:
            self.accept(turn, step, outcome)
            await self.proceed(turn, flow)

    def accept(self, turn: Turn, step: Step, outcome: Accept) -> None:
        state, ctx = turn.state, turn.ctx
        assert ctx is not None
        ctx.answers[step.name] = outcome.value
        if step.name in state.implied:
            state.implied.remove(step.name)
        apply(ctx, outcome.also)
        ctx.defaults.pop(step.name, None)
        for name in (step.name, *outcome.answered):
            if name in state.trail:
                state.trail.remove(name)
            state.trail.append(name)
        state.failures = 0
        turn.followup = outcome.followup or turn.followup
        for hook in self.on_accept:
            hook(turn, step)
        turn.say(outcome.notice)
        if outcome.venues:
            turn.flush()
            turn.replies.extend(Reply(v.name, venue=v) for v in outcome.venues)

    def invalid(self, turn: Turn, step: Step, outcome: Invalid) -> None:
        state, ctx = turn.state, turn.ctx
        assert ctx is not None
        state.failures += 1
        turn.say(outcome.message)
        if state.failures >= STUCK_AFTER:
            turn.say(t("engine.stuck", help=step.help(ctx) or t("engine.no_help"),
                       contact=self.support_contact))
        question = step.ask(ctx)
        options = self.options(step, ctx, question)
        # Re-ask briefly: the buttons again under the explanation, with the same token.
        turn.flush(Question("", options) if options else None, state.token)

    # -- moving through the flow ----------------------------------------------------------

    def current(self, turn: Turn, flow: Flow) -> Step | None:
        """The first applicable step without a valid answer, filling implied answers on the way."""
        ctx = turn.ctx
        assert ctx is not None
        implied_names = turn.state.implied
        for step in flow.steps:
            if not step.applies(ctx):
                continue
            if step.name in ctx.answers:
                if step.name in implied_names:
                    # Chosen for the customer: it follows the answers it was implied from.
                    implied = step.implied(ctx)
                    if implied is not None and implied.value == ctx.answers[step.name]:
                        continue
                    ctx.answers.pop(step.name)
                    implied_names.remove(step.name)
                    for name in step.clears:
                        ctx.answers.pop(name, None)
                elif step.still_valid(ctx, ctx.answers[step.name]):
                    continue
                else:
                    reopen(step, ctx, turn.state)
            implied = step.implied(ctx)
            if implied is not None:
                ctx.answers[step.name] = implied.value
                apply(ctx, implied.also)
                implied_names.append(step.name)
                turn.say(implied.notice)
                continue
            return step
        return None

    def ask_next(self, turn: Turn, fresh: bool) -> None:
        state, ctx = turn.state, turn.ctx
        assert ctx is not None and state.flow is not None
        flow = self.flow_of(turn)
        step = self.current(turn, flow)
        if step is None:
            self.finish(turn, flow)
            return
        if fresh or state.asked != step.name:
            state.token += 1
            state.failures = 0 if state.asked != step.name else state.failures
        state.asked = step.name
        question = step.ask(ctx)
        text = question.text
        if step.name in ctx.defaults:
            text += "\n" + t("engine.previous", value=step.describe(ctx, ctx.defaults[step.name]))
        turn.flush(Question(text, self.options(step, ctx, question)), state.token)

    def options(self, step: Step, ctx: Context, question: Question) -> tuple[Option, ...]:
        options = question.options
        default = ctx.defaults.get(step.name)
        if default is None or not step.still_valid(ctx, default):
            return options
        described = step.describe(ctx, default)
        if any(o.label == described for o in options):
            return options  # the previous answer is a button already
        label = _shorten(described, 40)
        return (Option(KEEP, t("engine.keep", value=label)), *options)

    def go_back(self, turn: Turn, flow: Flow) -> bool:
        state, ctx = turn.state, turn.ctx
        assert ctx is not None
        while state.trail:
            name = state.trail.pop()
            step = flow.step(name)
            if step.applies(ctx):
                reopen(step, ctx, state)
                return True
        return False

    def finish(self, turn: Turn, flow: Flow) -> None:
        state, ctx = turn.state, turn.ctx
        assert ctx is not None and state.draft_id is not None
        draft, after = flow.finish(ctx, state.draft_id)
        turn.submit = draft
        turn.after_submit = after
        turn.flush()
        state.reset()
        turn.ctx = None


def apply(ctx: Context, values: dict[str, Any]) -> None:
    """Sets other answers given with one (None forgets one)."""
    for name, value in values.items():
        if value is None:
            ctx.answers.pop(name, None)
            ctx.defaults.pop(name, None)
        else:
            ctx.answers[name] = value


def picked(state: State, inbound: Inbound, options: Sequence[Option]) -> str | None:
    """The option key of a tapped button, if it belongs to the current question."""
    if inbound.choice is None:
        return None
    token, _, key = inbound.choice.partition(".")
    if token != str(state.token):
        return None
    return key if any(o.key == key for o in options) else None


def typed_key(text: str, options: Sequence[Option]) -> str | None:
    """The option a typed answer names. The keep option only when the text says to keep, or
    picks it by its place or its whole label: a correction that resembles the previous answer
    ("7, 9 e 11 dicembre" after "7, 9 e 18 dicembre") is an answer, not a keep."""
    if not options:
        return None
    keep = next((i for i, o in enumerate(options) if o.key == KEEP), None)
    if keep is not None and keeps_previous(text):
        return KEEP
    index = match_choice(text, [o.label for o in options], [o.aliases for o in options])
    if index is None or index != keep:
        return options[index].key if index is not None else None
    if position_in(text, len(options)) == keep or normalise(text) == normalise(options[keep].label):
        return KEEP
    others = [o for o in options if o.key != KEEP]
    index = match_choice(text, [o.label for o in others], [o.aliases for o in others])
    return others[index].key if index is not None else None


def reopen(step: Step, ctx: Context, state: State) -> None:
    step.reopen(ctx)
    if step.name in state.trail:
        state.trail.remove(step.name)


def _shorten(text: str, limit: int) -> str:
    """Cuts at a word boundary, never mid-word."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def _on_earth(position: tuple[float, float]) -> bool:
    """A latitude and longitude a map can show (a forged update may carry NaN or 1e308)."""
    lat, lon = position
    return all(math.isfinite(v) for v in position) and -90 <= lat <= 90 and -180 <= lon <= 180
