"""What happens outside a flow: the menu, the archive's answers and buttons, intents that open a
flow, reminders settings and hand-offs to a person."""

from __future__ import annotations

from datetime import date

from dialogs import archive, estimate
from dialogs.events import Choice, Inbound, Reply
from dialogs.matching import command_in
from dialogs.menu import MENU_KEYS, ask_menu, menu_from_text
from dialogs.runner import FlowRunner
from dialogs.services import Services
from dialogs.texts import t
from dialogs.turn import MAX_TEXT, HandoffRequest, Turn
from nlu.intents import Parsed, parse
from portal.models import Household


class Router:
    """Everything a message can ask when no request is being filled, and the pieces of it
    (archive answers, hand-offs, reminders) that are also asked in the middle of one."""

    def __init__(self, runner: FlowRunner) -> None:
        self._runner = runner

    @property
    def support_contact(self) -> str:
        return self._runner.support_contact

    async def idle(self, turn: Turn, inbound: Inbound, household: Household, today: date,
                   services: Services) -> None:
        """No request open: the menu's buttons, the archive's buttons, or what the text asks."""
        state = turn.state
        if inbound.choice is not None:
            token, _, key = inbound.choice.partition(".")
            if token == str(state.token) and state.asked == "menu" and key in MENU_KEYS:
                await self.menu_choice(turn, key, household, today, services)
                return
            if token == str(state.token) and state.asked == "archive":
                if key.startswith("a") and key[1:].isdigit():
                    await self.add_documents(turn, key[1:], household, today, services)
                    return
                replies = await archive.answer_choice(key, household, today, services,
                                                      state.shown)
                if replies is not None:
                    self.show_archive(turn, replies, key)
                    return
            turn.say(t("engine.stale"))
            ask_menu(turn)
            return
        if inbound.kind == "file":
            # A receipt sent first: it opens a reimbursement and answers what it can.
            await self._runner.start(turn, "rimborso", household, today, services, None,
                                     file=inbound)
            return
        if inbound.kind != "text" or not inbound.text or len(inbound.text) > MAX_TEXT:
            turn.say(t("menu.greeting", name=household.customer.first_name))
            ask_menu(turn)
            return
        if command_of(inbound.text) == "human":
            self.handoff(turn, "human", inbound.text, None)
            ask_menu(turn)
            return
        turn.opening = inbound.text
        menu_key = menu_from_text(inbound.text)
        parsed = parse(inbound.text, today, [m.first_name for m in household.members])
        if parsed.intent in ("unknown", "greeting") and turn.state.language == "en" \
                and parsed.entities.get("language") == "en":
            # An English opening the bot cannot place: greeted in English with the menu.
            turn.say(t("menu.greeting", name=household.customer.first_name))
            ask_menu(turn)
            return
        if menu_key is not None and parsed.intent not in ("status", "human", "complaint",
                                                           "coverage"):
            await self.menu_choice(turn, menu_key, household, today, services, parsed)
            return
        await self.intent(turn, parsed, inbound.text, household, today, services)

    def command(self, turn: Turn, command: str) -> None:
        """A navigation command with no request open."""
        if command == "human":
            turn.say(t("engine.human", contact=self.support_contact))
        elif command == "help":
            turn.say(t("menu.help"))
        elif command == "greeting":
            turn.say(t("menu.greeting", name=turn.customer_name))
        else:
            turn.say(t("menu.nothing_open"))
        ask_menu(turn)

    async def intent(self, turn: Turn, parsed: Parsed, text: str, household: Household,
                     today: date, services: Services) -> None:
        intent = parsed.intent
        if intent == "status":
            replies = await archive.answer_question(parsed, household, today, services)
            # A request asked for by its number is the one whose document buttons are shown.
            number = parsed.entities.get("request_id")
            self.show_archive(turn, replies, f"r{number}" if number else None)
        elif intent in ("reimbursement", "direct_service", "find_facility"):
            await self._runner.start(turn, flow_of_intent(intent), household, today, services,
                                     parsed)
        elif intent == "reminders_off":
            await self.reminders(turn, "reminders_off", household, services)
        elif intent == "add_documents":
            replies = await archive.answer_question(
                Parsed("status", {**parsed.entities, "status": "sospesa"}, parsed.confidence),
                household, today, services)
            self.show_archive(turn, replies, None)
        elif intent in ("human", "complaint"):
            self.handoff(turn, intent, text, parsed)
            ask_menu(turn)
        elif intent == "contact":
            turn.say(t("menu.contact", contact=self.support_contact))
            ask_menu(turn)
        elif intent == "coverage":
            turn.say(await estimate.answer(str(parsed.entities.get("cover") or "estimate"),
                                           parsed, household, today, services,
                                           self._runner.service_levels))
            ask_menu(turn)
        else:
            key = {"greeting": "menu.greeting", "thanks": "menu.thanks", "help": "menu.help",
                   "cancel": "menu.nothing_open",
                   "back": "menu.nothing_open"}.get(intent, "menu.not_understood")
            turn.say(t(key, name=household.customer.first_name))
            ask_menu(turn)

    async def menu_choice(self, turn: Turn, key: str, household: Household, today: date,
                          services: Services, parsed: Parsed | None = None) -> None:
        if key == "richieste":
            self.show_archive(turn, await archive.show_all(household, today, services), None)
        else:
            await self._runner.start(turn, key, household, today, services, parsed)

    async def reminders(self, turn: Turn, command: str, household: Household,
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
            ask_menu(turn)
        else:
            self._runner.ask_next(turn, fresh=False)

    async def add_documents(self, turn: Turn, number: str, household: Household,
                            today: date, services: Services) -> None:
        """Opens the documents flow for a request of the household that can take them."""
        request = await services.get_request(number)
        if request is None or not archive.can_see(request, household):
            self.show_archive(turn, [archive.render_not_found(number)], None)
            return
        details = request.status_details
        await self._runner.start(turn, "documenti", household, today, services, None, {
            "request": number,
            "missing": list(details.missing_documents) if details else [],
        })

    def show_archive(self, turn: Turn, replies: list[Reply], key: str | None) -> None:
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
            ask_menu(turn)

    async def status_in_flow(self, turn: Turn, parsed: Parsed, household: Household,
                             today: date, services: Services) -> None:
        """A status question in the middle of a flow: said as text only, so the pending
        question keeps its own buttons."""
        for reply in await archive.answer_question(parsed, household, today, services,
                                                   tappable=False):
            turn.say(reply.text)

    def handoff(self, turn: Turn, reason: str, text: str, parsed: Parsed | None) -> None:
        turn.flush()
        contact = self.support_contact
        if reason == "complaint":
            def reply(reference: str) -> Reply:
                return Reply(archive.complaint_text(reference))
        else:
            def reply(reference: str) -> Reply:
                return Reply(archive.handoff_text(reference, contact))
        number = parsed.entities.get("request_id") if parsed else None
        turn.handoff = HandoffRequest(reason, text, number, len(turn.replies), reply)


def flow_of_intent(intent: str) -> str:
    return "rimborso" if intent == "reimbursement" else "diretta"


def command_of(text: str | None) -> str | None:
    """The navigation command a message gives («annulla», «/aiuto», «operatore»), if any."""
    if text is None:
        return None
    if text.strip() in {"?", "/aiuto", "/help"}:
        return "help"
    if text.strip() in {"/annulla", "/cancel"}:
        return "cancel"
    return command_in(text)
