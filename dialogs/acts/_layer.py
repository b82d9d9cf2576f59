"""The acts layer in a flow: classifies each typed message, then answers the pending question,
applies a correction, answers a question, obeys a command or confirms something new."""

from __future__ import annotations

from datetime import date

from dialogs import texts
from dialogs.acts._classify import Act, Expectation, classify
from dialogs.acts._edit import Editor
from dialogs.acts._fields import answered_kinds
from dialogs.acts._questions import cover, recap
from dialogs.acts._texts import t
from dialogs.events import Inbound
from dialogs.matching import yes_or_no
from dialogs.routing import Router, command_of
from dialogs.runner import FlowRunner, picked
from dialogs.services import Services
from dialogs.steps import Option
from dialogs.texts import label
from dialogs.turn import MAX_TEXT, Turn
from nlu.intents import parse
from portal.models import Household

# The confirmations this layer asks (State.pending), answered through `held`.
PENDING = ("switch", "clarify")
# Field kinds whose step takes any text: only unmistakable acts are read in them.
FREE_TEXT = {"notes"}


class ActsLayer:
    """Decides what a message does before any step parses it; shared by every flow."""

    def __init__(self, runner: FlowRunner, router: Router) -> None:
        self._runner = runner
        self._router = router
        self._editor = Editor(runner)

    def expectation(self, turn: Turn, household: Household, today: date) -> Expectation | None:
        """The pending question as the classifier sees it; None when there is none."""
        ctx = turn.ctx
        assert ctx is not None
        flow = self._runner.flow_of(turn)
        step = self._runner.current(turn, flow)
        if step is None:
            return None
        kind = next((f.kind for f in flow.fields if f.step == step.name), None)
        at_summary = step.name == "summary" and not ctx.answers.get("summary_editing")
        return Expectation(
            flow=flow.name, step=step.name, today=today, kind=kind,
            fields=frozenset(f.kind for f in flow.fields),
            answered=answered_kinds(flow, ctx),
            free_text=kind in FREE_TEXT, at_summary=at_summary,
            people=tuple(m.first_name for m in household.members),
            own=frozenset(getattr(step, "corrects", ())),
        )

    async def handle(self, turn: Turn, inbound: Inbound, household: Household, today: date,
                     services: Services) -> None:
        """A message in the middle of a flow (no yes/no pending)."""
        text = inbound.text
        expect = None
        if inbound.kind == "text" and text and text.strip() and len(text) <= MAX_TEXT:
            expect = self.expectation(turn, household, today)
        if expect is None:
            await self._runner.answer(turn, inbound)
            return
        assert text is not None
        act = (Act("command", intent="human") if command_of(text) == "human"
               else classify(text, expect))
        await self.perform(turn, act, inbound, household, today, services)

    async def perform(self, turn: Turn, act: Act, inbound: Inbound, household: Household,
                      today: date, services: Services) -> None:
        ctx = turn.ctx
        assert ctx is not None
        flow = self._runner.flow_of(turn)
        if act.kind == "answer":
            given = inbound if act.text in (None, inbound.text) else Inbound(text=act.text)
            await self._runner.answer(turn, given, act.option)
        elif act.kind == "correction":
            await self._editor.correct(turn, act)
        elif act.kind == "removal":
            self._editor.remove(turn, act)
        elif act.kind == "command" and act.intent not in ("human", "complaint"):
            self._runner.command(turn, act.intent or "help")
        elif act.kind == "command":
            assert inbound.text is not None
            self._router.handoff(turn, act.intent or "human", inbound.text, act.parsed)
            turn.say(t("question.back"))
            self._runner.ask_next(turn, fresh=False)
        elif act.kind == "question":
            if act.intent == "status" and act.parsed is not None:
                await self._router.status_in_flow(turn, act.parsed, household, today, services)
                turn.say(t("question.back"))
            elif act.intent == "contact":
                turn.say(texts.t("menu.contact", contact=self._runner.support_contact))
            elif act.intent == "recap":
                turn.say(recap(flow, ctx))
            elif act.intent == "why":
                step = self._runner.current(turn, flow)
                turn.say(step.help(ctx) if step is not None and step.help(ctx)
                         else texts.t("engine.no_help"))
            else:
                turn.say(await cover(act, ctx, household, today, services,
                                     self._runner.service_levels))
            self._runner.ask_next(turn, fresh=False)
        elif act.kind == "new_intent" and act.option == "fresh":
            # Nothing was answered yet, so nothing is lost: the message opens the flow again.
            turn.opening = act.text
            await self._runner.start(turn, act.intent or flow.name, household, today, services,
                                     act.parsed)
        elif act.kind == "new_intent":
            assert act.intent is not None and act.text is not None
            new = self._runner.flows.get(act.intent)
            title = label(new.title) if new is not None else act.intent
            turn.state.held = {"do": "switch", "flow": act.intent, "text": act.text}
            self._runner.confirm(turn, "switch", t("switch.ask", current=label(flow.title), new=title),
                                 t("switch.yes"), t("switch.no"))
        elif act.intent == "correction":
            # A correction where any text is an answer (a note): asked, not guessed.
            assert act.text is not None and act.field is not None
            turn.state.held = {"do": "correction", "field": act.field, "item": act.item,
                               "value": act.value, "text": act.text}
            self._runner.confirm(turn, "clarify",
                                 t("clarify.correction" if act.value else "clarify.reopen",
                                   what=t(f"field.{act.field}"), value=act.value),
                                 t("clarify.correction_yes"), t("clarify.correction_no"))
        else:  # clarify: a question the customer may or may not be asking
            assert act.text is not None
            turn.state.held = {"do": act.intent or "status", "text": act.text}
            self._runner.confirm(turn, "clarify", t("clarify.status"), t("clarify.status_yes"),
                                 t("clarify.status_no"))

    async def held(self, turn: Turn, inbound: Inbound, household: Household, today: date,
                   services: Services) -> None:
        """The answer to a confirmation the acts layer asked (leave the draft? a question?)."""
        state = turn.state
        held, state.held = state.held, {}
        state.pending = None
        key = picked(state, inbound, (Option("yes", ""), Option("no", "")))
        if key is None and inbound.text:
            verdict = yes_or_no(inbound.text)
            key = None if verdict is None else "yes" if verdict else "no"
        text = str(held.get("text", ""))
        if held.get("do") == "switch":
            if key == "yes":
                flow = self._runner.flow_of(turn) if turn.ctx is not None else None
                if flow is not None:
                    turn.say(t("switch.left", current=label(flow.title)))
                parsed = parse(text, today, [m.first_name for m in household.members])
                await self._runner.start(turn, str(held["flow"]), household, today, services,
                                         parsed)
                return
            if key is None:
                await self.handle(turn, inbound, household, today, services)
                return
            turn.say(texts.t("engine.pending_resumed"))
            self._runner.ask_next(turn, fresh=True)
            return
        if key == "yes" and held.get("do") == "correction":
            item = held.get("item")
            await self._editor.correct(turn, Act(
                "correction", field=str(held["field"]), item=int(item) if item else None,
                value=str(held["value"]) if held.get("value") else None))
        elif key == "yes":
            parsed = parse(text, today, [m.first_name for m in household.members])
            await self._router.status_in_flow(turn, parsed, household, today, services)
            turn.say(t("question.back"))
            self._runner.ask_next(turn, fresh=True)
        elif key == "no":
            await self._runner.answer(turn, Inbound(text=text))
        else:
            # Neither: the customer moved on; the new message is read as any other.
            await self.handle(turn, inbound, household, today, services)
