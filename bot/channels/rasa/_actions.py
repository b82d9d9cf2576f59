"""The custom actions: `action_medbot` (the conversation) and `action_medbot_status`."""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.channels.rasa._fetch import AttachmentError
from bot.channels.rasa._inbound import inbound_from
from bot.channels.rasa._linking import CHANNEL, identify
from bot.channels.rasa._medbot import Medbot
from bot.channels.rasa._render import messages
from bot.channels.rasa._status import status_question
from bot.channels.rasa._texts import t
from dialogs.archive.chat import answer_question
from dialogs.events import Choice, Reply

__all__ = ["ActionMedbot", "ActionMedbotStatus"]

log = logging.getLogger(__name__)
FLOW_SLOT = "medbot_flow"
STEP_SLOT = "medbot_step"
REQUEST_SLOT = "medbot_request"


class _MedbotAction(Action):
    def __init__(self, medbot: Medbot) -> None:
        self._medbot = medbot

    async def _customer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> int | None:
        """The sender's customer; None after telling them the assistant must identify them."""
        runtime = self._medbot.runtime
        metadata = (tracker.latest_message or {}).get("metadata") or {}
        slots = tracker.slots or {}
        identity = await identify(runtime.store, tracker.sender_id, slots, metadata,
                                  self._medbot.link_secret, runtime.clock.now())
        if identity.customer_id is None:
            if not identity.vouched:
                dispatcher.utter_message(text=t("link.not_linked"))
            else:
                dispatcher.utter_message(text=t("link.unknown_customer",
                                                contact=self._medbot.settings.support_contact))
        return identity.customer_id


class ActionMedbot(_MedbotAction):
    """The latest message goes to the engine; its replies come back with the flow and step."""

    def name(self) -> str:
        return "action_medbot"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        customer_id = await self._customer(dispatcher, tracker)
        if customer_id is None:
            return [SlotSet(FLOW_SLOT, None), SlotSet(STEP_SLOT, None)]
        try:
            inbound = await inbound_from(tracker.latest_message or {}, tracker.events or [],
                                         self._medbot.http, self._medbot.attachments)
        except AttachmentError as exc:
            log.info("rasa attachment refused or unreachable")
            dispatcher.utter_message(text=str(exc))
            return []
        result = await self._medbot.runtime.conversations.handle(
            CHANNEL, tracker.sender_id, customer_id, inbound)
        for message in messages(result.replies):
            dispatcher.utter_message(**message)
        events = [SlotSet(FLOW_SLOT, result.flow), SlotSet(STEP_SLOT, result.step)]
        if result.request_number:
            events.append(SlotSet(REQUEST_SLOT, result.request_number))
        return events


class ActionMedbotStatus(_MedbotAction):
    """A status question answered from the archive, outside any request in progress."""

    def name(self) -> str:
        return "action_medbot_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        customer_id = await self._customer(dispatcher, tracker)
        if customer_id is None:
            return []
        runtime = self._medbot.runtime
        latest = tracker.latest_message or {}
        household = await runtime.store.household(customer_id)
        today = runtime.clock.today()
        parsed = status_question(str(latest.get("text") or ""), latest.get("entities") or [],
                                 today, [m.first_name for m in household.members])
        replies = await answer_question(parsed, household, today, self._medbot.services)
        for message in messages([_typed_buttons(r) for r in replies]):
            dispatcher.utter_message(**message)
        return []


def _typed_buttons(reply: Reply) -> Reply:
    """Archive buttons as the words that ask the same again ("pratica 26000112"), since these
    answers are outside the engine's conversation; other buttons are left out."""
    choices: list[Choice] = []
    for choice in reply.choices:
        if choice.id.startswith("r") and choice.id[1:].isdigit():
            choices.append(Choice(f"pratica {choice.id[1:]}", choice.label))
    return Reply(reply.text, tuple(choices), reply.file, reply.venue)
