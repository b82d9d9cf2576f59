"""The engine: one inbound event and the state in, replies, the new state and effects out."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from dialogs.acts import PENDING, ActsLayer
from dialogs.estimate import ServiceLevels
from dialogs.events import Inbound
from dialogs.matching import reminder_command, yes_or_no
from dialogs.menu import ask_menu
from dialogs.routing import Router, command_of
from dialogs.runner import FlowRunner, picked
from dialogs.services import Services
from dialogs.state import State
from dialogs.steps import Context, Flow, Option
from dialogs.texts import t
from dialogs.turn import HandoffRequest, Turn, TurnOutcome
from dialogs.voice import HEARD, Listening
from nlu.language import chosen, only_asks_for_language, speaking
from portal.models import Household

__all__ = ["Engine", "HandoffRequest", "TurnOutcome"]


class Engine:
    """Runs the declared flows. Stateless: everything it knows of a conversation is the State."""

    def __init__(self, flows: Sequence[Flow], support_contact: str,
                 service_levels: ServiceLevels | None = None) -> None:
        self._runner = FlowRunner(flows, support_contact, service_levels or ServiceLevels())
        self._router = Router(self._runner)
        self._acts = ActsLayer(self._runner, self._router)
        self._listening = Listening(self._runner)

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
        if state.flow in self._runner.flows:
            ctx = Context(household, today, state.answers, services, state.defaults, state.flow)
        elif state.flow is not None:
            state.reset()  # a flow that no longer exists: start over rather than crash
        turn = Turn(state, ctx, household.customer.first_name)
        state.language = chosen(state.language, inbound.text)
        with speaking(state.language):
            if inbound.text and only_asks_for_language(inbound.text):
                self._language_asked(turn)
            else:
                await self._dispatch(turn, inbound, household, today, services)
        return turn.outcome()

    def _language_asked(self, turn: Turn) -> None:
        """"in English please", "parla italiano": said in the new language, and the question
        the conversation is at asked again in it."""
        turn.say(t("engine.language"))
        if turn.ctx is None:
            ask_menu(turn)
        else:
            turn.state.pending, turn.state.held = None, {}
            self._runner.ask_next(turn, fresh=True)

    async def _dispatch(
        self, turn: Turn, inbound: Inbound, household: Household, today: date, services: Services
    ) -> None:
        state = turn.state

        async def again(turn: Turn, inbound: Inbound) -> None:
            await self._dispatch(turn, inbound, household, today, services)

        if inbound.heard is not None:
            # A voice note: said back, confirmed when needed, then read as typed text.
            await self._listening.heard(turn, inbound.heard, household, today, again)
            return
        if state.pending == HEARD:
            await self._listening.confirmed(turn, inbound, again)
            return
        command = command_of(inbound.text)
        reminders = reminder_command(inbound.text) if inbound.text else None
        if inbound == Inbound():
            self._runner.resume(turn)
        elif reminders is not None and state.pending is None:
            await self._router.reminders(turn, reminders, household, services)
        elif state.pending in PENDING and turn.ctx is not None:
            await self._acts.held(turn, inbound, household, today, services)
        elif state.pending is not None:
            self._answer_pending(turn, inbound, command)
        elif command is not None and command != "human":
            if turn.ctx is None:
                self._router.command(turn, command)
            else:
                self._runner.command(turn, command)
        elif turn.ctx is None:
            await self._router.idle(turn, inbound, household, today, services)
        else:
            await self._acts.handle(turn, inbound, household, today, services)

    def _answer_pending(self, turn: Turn, inbound: Inbound, command: str | None) -> None:
        state = turn.state
        pending = state.pending
        options = (Option("yes", ""), Option("no", ""))
        key = picked(state, inbound, options)
        if key is None and inbound.text:
            verdict = yes_or_no(inbound.text)
            if verdict is not None:
                key = "yes" if verdict else "no"
            elif command == pending:
                key = "yes"
        state.pending = None
        if key == "yes" and pending is not None:
            self._runner.cancel_or_restart(turn, pending)
            return
        if key is None:
            # Neither yes nor no: take it as "no", so nothing is lost, and say so.
            turn.say(t("engine.pending_kept"))
        else:
            turn.say(t("engine.pending_resumed"))
        if turn.ctx is None:
            ask_menu(turn)
        else:
            self._runner.ask_next(turn, fresh=True)
