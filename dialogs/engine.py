"""The engine: one inbound event and the state in, replies, the new state and effects out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dialogs import archive
from dialogs.events import Choice, Inbound, Reply
from dialogs.matching import (
    command_in,
    keeps_previous,
    match_choice,
    normalise,
    position_in,
    reminder_command,
    yes_or_no,
)
from dialogs.prefill import prefill_answers, said_date
from dialogs.services import Services
from dialogs.state import State
from dialogs.steps import Accept, Context, Flow, Invalid, Option, Question, Stay, Step
from dialogs.texts import t
from nlu.intents import Parsed, parse
from portal.models import DocumentsDraft, Household, RequestDraft

# After this many wrong answers to the same question the engine offers help.
STUCK_AFTER = 3
# The option that keeps the previous answer of a reopened question.
KEEP = "="
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
class _Turn:
    state: State
    ctx: Context | None
    customer_name: str
    replies: list[Reply] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    submit: RequestDraft | DocumentsDraft | None = None
    after_submit: Callable[[str], Reply] | None = None
    followup: str | None = None
    handoff: HandoffRequest | None = None

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


class Engine:
    """Runs the declared flows. Stateless: everything it knows of a conversation is the State."""

    def __init__(self, flows: Sequence[Flow], support_contact: str) -> None:
        self._flows = {flow.name: flow for flow in flows}
        self._support_contact = support_contact

    async def handle(
        self,
        state: State,
        inbound: Inbound,
        household: Household,
        today: date,
        services: Services,
    ) -> TurnOutcome:
        state = State.from_json(state.to_json())  # never mutate the caller's copy
        ctx = None
        if state.flow in self._flows:
            ctx = Context(household, today, state.answers, services, state.defaults, state.flow)
        elif state.flow is not None:
            state.reset()  # a flow that no longer exists: start over rather than crash
        turn = _Turn(state, ctx, household.customer.first_name)
        await self._dispatch(turn, inbound, household, today, services)
        return TurnOutcome(turn.replies, turn.state, turn.submit, turn.after_submit,
                           turn.followup if turn.state.draft_id else None, turn.handoff)

    # -- routing --------------------------------------------------------------------------

    async def _dispatch(
        self, turn: _Turn, inbound: Inbound, household: Household, today: date, services: Services
    ) -> None:
        state = turn.state
        command = _command(inbound)
        reminders = reminder_command(inbound.text) if inbound.text else None
        if inbound == Inbound():
            self._resume(turn)
        elif reminders is not None and state.pending is None:
            await self._reminders(turn, reminders, household, services)
        elif state.pending is not None:
            self._answer_pending(turn, inbound, command)
        elif command is not None and command != "human":
            self._command(turn, command)
        elif turn.ctx is None:
            await self._idle(turn, inbound, household, today, services)
        elif not await self._digression(turn, inbound, household, today, services):
            await self._answer(turn, inbound)

    def _resume(self, turn: _Turn) -> None:
        """An empty event (a channel opened again): show where the conversation is."""
        if turn.ctx is None:
            turn.say(t("menu.greeting", name=turn.customer_name))
            self._ask_menu(turn)
        elif turn.state.pending is not None:
            turn.state.pending = None
            turn.say(t("engine.resumed"))
            self._ask_next(turn, fresh=True)
        else:
            turn.say(t("engine.resumed"))
            self._ask_next(turn, fresh=False)

    async def _idle(
        self, turn: _Turn, inbound: Inbound, household: Household, today: date, services: Services
    ) -> None:
        """No request open: the menu's buttons, the archive's buttons, or what the text asks."""
        state = turn.state
        if inbound.choice is not None:
            token, _, key = inbound.choice.partition(".")
            if token == str(state.token) and state.asked == "menu" and key in _MENU_KEYS:
                await self._menu_choice(turn, key, household, today, services)
                return
            if token == str(state.token) and state.asked == "archive":
                if key.startswith("a") and key[1:].isdigit():
                    await self._add_documents(turn, key[1:], household, today, services)
                    return
                replies = await archive.answer_choice(key, household, today, services,
                                                      state.shown)
                if replies is not None:
                    self._show_archive(turn, replies, key)
                    return
            turn.say(t("engine.stale"))
            self._ask_menu(turn)
            return
        if inbound.kind == "file":
            turn.say(t("menu.file_without_request"))
            self._ask_menu(turn)
            return
        if inbound.kind != "text" or not inbound.text or len(inbound.text) > MAX_TEXT:
            turn.say(t("menu.greeting", name=household.customer.first_name))
            self._ask_menu(turn)
            return
        if _command(inbound) == "human":
            self._handoff(turn, "human", inbound.text, None)
            self._ask_menu(turn)
            return
        menu_key = _menu_from_text(inbound.text)
        parsed = parse(inbound.text, today, [m.first_name for m in household.members])
        if menu_key is not None and parsed.intent not in ("status", "human", "complaint"):
            await self._menu_choice(turn, menu_key, household, today, services, parsed)
            return
        await self._intent(turn, parsed, inbound.text, household, today, services)

    async def _intent(self, turn: _Turn, parsed: Parsed, text: str, household: Household,
                      today: date, services: Services) -> None:
        intent = parsed.intent
        if intent == "status":
            replies = await archive.answer_question(parsed, household, today, services)
            self._show_archive(turn, replies, None)
        elif intent in ("reimbursement", "direct_service", "find_facility"):
            flow = "rimborso" if intent == "reimbursement" else "diretta"
            await self._start(turn, flow, household, today, services, parsed)
        elif intent == "reminders_off":
            await self._reminders(turn, "reminders_off", household, services)
        elif intent == "add_documents":
            replies = await archive.answer_question(
                Parsed("status", {**parsed.entities, "status": "sospesa"}, parsed.confidence),
                household, today, services)
            self._show_archive(turn, replies, None)
        elif intent in ("human", "complaint"):
            self._handoff(turn, intent, text, parsed)
            self._ask_menu(turn)
        else:
            key = {"greeting": "menu.greeting", "thanks": "menu.thanks", "help": "menu.help",
                   "cancel": "menu.nothing_open",
                   "back": "menu.nothing_open"}.get(intent, "menu.not_understood")
            turn.say(t(key, name=household.customer.first_name))
            self._ask_menu(turn)

    async def _menu_choice(self, turn: _Turn, key: str, household: Household, today: date,
                           services: Services, parsed: Parsed | None = None) -> None:
        if key == "richieste":
            self._show_archive(turn, await archive.show_all(household, today, services), None)
        elif key in self._flows:
            await self._start(turn, key, household, today, services, parsed)
        else:
            turn.say(t("menu.direct_not_yet"))
            self._ask_menu(turn)

    async def _start(self, turn: _Turn, name: str, household: Household, today: date,
                     services: Services, parsed: Parsed | None,
                     given: dict[str, Any] | None = None) -> None:
        """Opens a flow; what the sentence already said answers its first questions."""
        flow = self._flows.get(name)
        if flow is None:
            turn.say(t("menu.direct_not_yet"))
            self._ask_menu(turn)
            return
        state = turn.state
        state.start(flow.name)
        state.answers.update(given or {})
        turn.ctx = Context(household, today, state.answers, services, state.defaults, flow.name)
        turn.say(t(flow.intro))
        if parsed is not None:
            state.answers.update(said_date(parsed, flow.name))
            state.prefill = prefill_answers(parsed, flow.name)
        await self._continue(turn, flow)

    async def _continue(self, turn: _Turn, flow: Flow) -> None:
        """Asks the next question, after answering the ones the opening sentence answers."""
        understood = await self._prefill(turn, flow)
        if understood:
            turn.say(t("engine.prefilled", what=", ".join(understood)))
        self._ask_next(turn, fresh=True)

    async def _reminders(self, turn: _Turn, command: str, household: Household,
                         services: Services) -> None:
        """Shows or changes what the bot may send unasked: reminders, status changes."""
        customer = household.customer.id
        if command == "show":
            reminders, status = await services.reminder_settings(customer)
        else:
            subject, _, value = command.partition("_")
            change = {"reminders" if subject == "reminders" else "status_changes": value == "on"}
            reminders, status = await services.set_reminder_settings(customer, **change)
            turn.say(t(f"reminders.{command}"))
        turn.say(t("reminders.now", reminders=t(f"reminders.state_{reminders}"),
                   status=t(f"reminders.state_{status}")))
        if turn.ctx is None:
            self._ask_menu(turn)
        else:
            self._ask_next(turn, fresh=False)

    async def _add_documents(self, turn: _Turn, number: str, household: Household,
                             today: date, services: Services) -> None:
        """Opens the documents flow for a request of the household that can take them."""
        request = await services.get_request(number)
        if request is None or not archive.can_see(request, household):
            self._show_archive(turn, [archive.render_not_found(number)], None)
            return
        details = request.status_details
        await self._start(turn, "documenti", household, today, services, None, {
            "request": number,
            "missing": list(details.missing_documents) if details else [],
        })

    async def _prefill(self, turn: _Turn, flow: Flow) -> list[str]:
        """Answers the flow's questions with what the opening sentence said, as if typed, when
        they come up and while they take it; one that doesn't is asked. Their notices are kept
        quiet: the summary of what was understood says it."""
        ctx = turn.ctx
        assert ctx is not None
        typed = turn.state.prefill
        understood: list[str] = []
        before = len(turn.notices)
        while typed:
            step = self._current(turn, flow)
            if step is None or step.name not in typed:
                break
            text = typed.pop(step.name)
            options = self._options(step, ctx, step.ask(ctx))
            outcome = await step.answer(ctx, Inbound(text=text), _typed_key(text, options))
            if not isinstance(outcome, Accept):
                break
            ctx.answers[step.name] = outcome.value
            self._apply(ctx, outcome.also)
            turn.state.trail.append(step.name)
            understood.append(step.describe(ctx, outcome.value))
        if understood:
            del turn.notices[before:]
        return understood

    def _show_archive(self, turn: _Turn, replies: list[Reply], key: str | None) -> None:
        """Archive replies with their buttons live until the next message."""
        state = turn.state
        state.token += 1
        state.asked = "archive"
        if key is not None and key.startswith("r"):
            state.shown = key[1:]
        elif key in ("all", "list"):
            state.shown = None
        turn.flush()
        for reply in replies:
            turn.replies.append(Reply(
                reply.text,
                tuple(Choice(f"{state.token}.{c.id}", c.label) for c in reply.choices),
                reply.file,
            ))
        if not any(r.choices for r in replies):
            self._ask_menu(turn)

    async def _digression(self, turn: _Turn, inbound: Inbound, household: Household,
                          today: date, services: Services) -> bool:
        """A status question, or a request for a person, in the middle of a flow: answered,
        then the pending question asked again. False when the text is an answer."""
        text = inbound.text
        if inbound.kind != "text" or not text or len(text) > MAX_TEXT:
            return False
        if _command(inbound) == "human":
            self._handoff(turn, "human", text, None)
            self._ask_next(turn, fresh=False)
            return True
        parsed = parse(text, today, [m.first_name for m in household.members])
        if parsed.intent not in ("status", "complaint", "human") or parsed.confidence < 0.8:
            return False
        if parsed.intent == "status":
            # Text only: the pending question keeps its own buttons.
            for reply in await archive.answer_question(parsed, household, today, services,
                                                       tappable=False):
                turn.say(reply.text)
        else:
            self._handoff(turn, parsed.intent, text, parsed)
        turn.say(t("engine.back_to_question"))
        self._ask_next(turn, fresh=False)
        return True

    def _handoff(self, turn: _Turn, reason: str, text: str, parsed: Parsed | None) -> None:
        turn.flush()
        contact = self._support_contact
        if reason == "complaint":
            def reply(reference: str) -> Reply:
                return Reply(archive.complaint_text(reference))
        else:
            def reply(reference: str) -> Reply:
                return Reply(archive.handoff_text(reference, contact))
        number = parsed.entities.get("request_id") if parsed else None
        turn.handoff = HandoffRequest(reason, text, number, len(turn.replies), reply)

    def _ask_menu(self, turn: _Turn) -> None:
        turn.state.token += 1
        turn.state.asked = "menu"
        turn.flush(Question(t("menu.question"), _MENU), turn.state.token)

    # -- commands -------------------------------------------------------------------------

    def _command(self, turn: _Turn, command: str) -> None:
        state, ctx = turn.state, turn.ctx
        if ctx is None:
            if command == "human":
                turn.say(t("engine.human", contact=self._support_contact))
            elif command == "help":
                turn.say(t("menu.help"))
            elif command == "greeting":
                turn.say(t("menu.greeting", name=turn.customer_name))
            else:
                turn.say(t("menu.nothing_open"))
            self._ask_menu(turn)
            return
        flow = self._flows[state.flow or ""]
        if command == "greeting":
            self._resume(turn)
            return
        if command in ("cancel", "restart"):
            state.pending = command
            state.token += 1
            options = (
                Option("yes", t(f"engine.{command}_yes")),
                Option("no", t("engine.pending_no")),
            )
            turn.flush(Question(t(f"engine.{command}_confirm", flow=flow.title), options),
                       state.token)
            return
        if command == "back":
            if not self._go_back(turn, flow):
                turn.say(t("engine.back_at_start"))
        elif command == "help":
            step = self._current(turn, flow)
            if step is not None:
                turn.say(step.help(ctx) or t("engine.no_help"))
            self._ask_next(turn, fresh=False)
            return
        elif command == "human":
            turn.say(t("engine.human", contact=self._support_contact))
            self._ask_next(turn, fresh=False)
            return
        self._ask_next(turn, fresh=True)

    def _answer_pending(self, turn: _Turn, inbound: Inbound, command: str | None) -> None:
        state = turn.state
        pending = state.pending
        options = (Option("yes", ""), Option("no", ""))
        key = self._picked(state, inbound, options)
        if key is None and inbound.text:
            verdict = yes_or_no(inbound.text)
            if verdict is not None:
                key = "yes" if verdict else "no"
            elif command == pending:
                key = "yes"
        state.pending = None
        if key == "yes":
            if pending == "restart" and state.flow:
                flow = state.flow
                state.start(flow)
                assert turn.ctx is not None
                turn.ctx.answers = state.answers
                turn.ctx.defaults = state.defaults
                turn.say(t("engine.restarted"))
                self._ask_next(turn, fresh=True)
                return
            state.reset()
            turn.ctx = None
            turn.say(t("engine.cancelled"))
            self._ask_menu(turn)
            return
        if key is None:
            # Neither yes nor no: take it as "no", so nothing is lost, and say so.
            turn.say(t("engine.pending_kept"))
        else:
            turn.say(t("engine.pending_resumed"))
        if turn.ctx is None:
            self._ask_menu(turn)
        else:
            self._ask_next(turn, fresh=True)

    # -- answering the current question ---------------------------------------------------

    async def _answer(self, turn: _Turn, inbound: Inbound) -> None:
        state, ctx = turn.state, turn.ctx
        assert ctx is not None and state.flow is not None
        flow = self._flows[state.flow]
        step = self._current(turn, flow)
        if step is None:  # a flow with everything answered: finish it now
            self._finish(turn, flow)
            return
        question = step.ask(ctx)
        options = self._options(step, ctx, question)
        if inbound.kind == "choice":
            key = self._picked(state, inbound, options)
            if key is None or state.asked != step.name:
                turn.say(t("engine.stale"))
                self._ask_next(turn, fresh=False)
                return
        elif inbound.kind == "file" and not step.accepts_files:
            self._invalid(turn, step, Invalid(t("files.not_now")))
            return
        elif inbound.kind == "contact" or (inbound.kind == "location"
                                            and not step.accepts_locations):
            self._invalid(turn, step, Invalid(t("engine.not_now", what=t(f"engine.{inbound.kind}"))))
            return
        else:
            key = None
            if inbound.text is not None:
                if not inbound.text.strip():
                    self._invalid(turn, step, Invalid(t("engine.empty")))
                    return
                if len(inbound.text) > MAX_TEXT:
                    self._invalid(turn, step, Invalid(t("engine.too_long")))
                    return
                key = _typed_key(inbound.text, options)
        if key == KEEP:
            value = ctx.defaults.get(step.name)
            if value is not None and step.still_valid(ctx, value):
                self._accept(turn, step, Accept(value))
                await self._continue(turn, flow)
                return
            key = None
        outcome = await step.answer(ctx, inbound, key)
        if isinstance(outcome, Invalid):
            self._invalid(turn, step, outcome)
        elif isinstance(outcome, Stay):
            self._apply(ctx, outcome.also)
            for name in outcome.reopen:
                _reopen(flow.step(name), ctx, state)
            state.failures = 0
            turn.say(outcome.notice)
            await self._continue(turn, flow)
        else:
            self._accept(turn, step, outcome)
            await self._continue(turn, flow)

    def _accept(self, turn: _Turn, step: Step, outcome: Accept) -> None:
        state, ctx = turn.state, turn.ctx
        assert ctx is not None
        ctx.answers[step.name] = outcome.value
        if step.name in state.implied:
            state.implied.remove(step.name)
        self._apply(ctx, outcome.also)
        ctx.defaults.pop(step.name, None)
        if step.name in state.trail:
            state.trail.remove(step.name)
        state.trail.append(step.name)
        state.failures = 0
        turn.followup = outcome.followup or turn.followup
        turn.say(outcome.notice)
        if outcome.venues:
            turn.flush()
            turn.replies.extend(Reply(v.name, venue=v) for v in outcome.venues)

    def _invalid(self, turn: _Turn, step: Step, outcome: Invalid) -> None:
        state, ctx = turn.state, turn.ctx
        assert ctx is not None
        state.failures += 1
        turn.say(outcome.message)
        if state.failures >= STUCK_AFTER:
            turn.say(t("engine.stuck", help=step.help(ctx) or t("engine.no_help"),
                       contact=self._support_contact))
        question = step.ask(ctx)
        options = self._options(step, ctx, question)
        # Re-ask briefly: the buttons again under the explanation, with the same token.
        turn.flush(Question("", options) if options else None, state.token)

    @staticmethod
    def _apply(ctx: Context, values: dict[str, Any]) -> None:
        for name, value in values.items():
            if value is None:
                ctx.answers.pop(name, None)
                ctx.defaults.pop(name, None)
            else:
                ctx.answers[name] = value

    # -- moving through the flow ----------------------------------------------------------

    def _current(self, turn: _Turn, flow: Flow) -> Step | None:
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
                    _reopen(step, ctx, turn.state)
            implied = step.implied(ctx)
            if implied is not None:
                ctx.answers[step.name] = implied.value
                self._apply(ctx, implied.also)
                implied_names.append(step.name)
                turn.say(implied.notice)
                continue
            return step
        return None

    def _ask_next(self, turn: _Turn, fresh: bool) -> None:
        state, ctx = turn.state, turn.ctx
        assert ctx is not None and state.flow is not None
        flow = self._flows[state.flow]
        step = self._current(turn, flow)
        if step is None:
            self._finish(turn, flow)
            return
        if fresh or state.asked != step.name:
            state.token += 1
            state.failures = 0 if state.asked != step.name else state.failures
        state.asked = step.name
        question = step.ask(ctx)
        text = question.text
        if step.name in ctx.defaults:
            text += "\n" + t("engine.previous", value=step.describe(ctx, ctx.defaults[step.name]))
        turn.flush(Question(text, self._options(step, ctx, question)), state.token)

    def _options(self, step: Step, ctx: Context, question: Question) -> tuple[Option, ...]:
        options = question.options
        default = ctx.defaults.get(step.name)
        if default is None or not step.still_valid(ctx, default):
            return options
        described = step.describe(ctx, default)
        if any(o.label == described for o in options):
            return options  # the previous answer is a button already
        label = _shorten(described, 40)
        return (Option(KEEP, t("engine.keep", value=label)), *options)

    def _go_back(self, turn: _Turn, flow: Flow) -> bool:
        state, ctx = turn.state, turn.ctx
        assert ctx is not None
        while state.trail:
            name = state.trail.pop()
            step = flow.step(name)
            if step.applies(ctx):
                _reopen(step, ctx, state)
                return True
        return False

    def _finish(self, turn: _Turn, flow: Flow) -> None:
        state, ctx = turn.state, turn.ctx
        assert ctx is not None and state.draft_id is not None
        draft, after = flow.finish(ctx, state.draft_id)
        turn.submit = draft
        turn.after_submit = after
        turn.flush()
        state.reset()
        turn.ctx = None

    def _picked(self, state: State, inbound: Inbound, options: Sequence[Option]) -> str | None:
        """The option key of a tapped button, if it belongs to the current question."""
        if inbound.choice is None:
            return None
        token, _, key = inbound.choice.partition(".")
        if token != str(state.token):
            return None
        return key if any(o.key == key for o in options) else None


# Short labels, so every channel shows them whole (WhatsApp buttons: 20 characters).
_MENU = (
    Option("rimborso", "Rimborso", ("si", "sì", "si devo richiedere un rimborso")),
    Option("diretta", "Prestazione diretta",
           ("diretta", "no", "no devo richiedere una prestazione diretta")),
    Option("richieste", "Le mie richieste", ("richieste", "archivio", "pratiche")),
)
_MENU_KEYS = {o.key for o in _MENU}


def _menu_from_text(text: str) -> str | None:
    if len(text) > MAX_TEXT:
        return None
    index = match_choice(text, [o.label for o in _MENU], [o.aliases for o in _MENU])
    if index is not None:
        return _MENU[index].key
    words = set(normalise(text).split())
    if words & {"rimborso", "rimborsi", "rimborsare", "rimborsato", "fattura", "ricevuta"}:
        return "rimborso"
    if words & {"diretta", "diretto", "convenzionata", "convenzione", "prenotare", "prenotazione"}:
        return "diretta"
    return None


def _command(inbound: Inbound) -> str | None:
    if inbound.text is None:
        return None
    if inbound.text.strip() in {"?", "/aiuto", "/help"}:
        return "help"
    if inbound.text.strip() in {"/annulla", "/cancel"}:
        return "cancel"
    return command_in(inbound.text)


def _typed_key(text: str, options: Sequence[Option]) -> str | None:
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


def _reopen(step: Step, ctx: Context, state: State) -> None:
    step.reopen(ctx)
    if step.name in state.trail:
        state.trail.remove(step.name)


def _shorten(text: str, limit: int) -> str:
    """Cuts at a word boundary, never mid-word."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"
