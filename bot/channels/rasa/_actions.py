"""The custom actions: `action_medbot` (the conversation) and `action_medbot_status`.

Both set `medbot_reached` to true: the example assistant's rules say Rasa's own fallback
message when it stays false after them (the action server did not answer).
"""

from __future__ import annotations

import logging
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.channels.rasa._fetch import AttachmentError
from bot.channels.rasa._inbound import inbound_from, offered_payloads
from bot.channels.rasa._linking import CHANNEL, identify
from bot.channels.rasa._medbot import Medbot
from bot.channels.rasa._render import messages
from bot.channels.rasa._status import (
    document_tap,
    is_status_payload,
    status_buttons,
    status_question,
)
from bot.channels.rasa._texts import t
from dialogs.archive.chat import answer_choice, answer_question, show_request
from dialogs.events import Reply
from dialogs.state import State
from nlu.language import chosen, speaking

__all__ = ["FLOW_SLOT", "REACHED_SLOT", "REQUEST_SLOT", "STEP_SLOT", "ActionMedbot",
           "ActionMedbotStatus"]

log = logging.getLogger(__name__)
FLOW_SLOT = "medbot_flow"
STEP_SLOT = "medbot_step"
REQUEST_SLOT = "medbot_request"
REACHED_SLOT = "medbot_reached"
REACHED = SlotSet(REACHED_SLOT, True)


class _MedbotAction(Action):
    def __init__(self, medbot: Medbot) -> None:
        self._medbot = medbot

    async def _customer(self, dispatcher: CollectingDispatcher, tracker: Tracker) -> int | None:
        """The customer this call speaks for; None after telling the user the assistant must
        identify them."""
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

    async def _archive_replies(self, customer_id: int, replies: list[Reply],
                               dispatcher: CollectingDispatcher) -> None:
        """Archive answers outside the conversation, their buttons as payloads in words."""
        requests = await self._medbot.services.list_requests(customer_id)
        for message in messages([status_buttons(r, requests) for r in replies]):
            dispatcher.utter_message(**message)

    async def _status(self, customer_id: int, text: str, entities: list[dict[str, Any]],
                      dispatcher: CollectingDispatcher, sender_id: str) -> None:
        """A status question, or a tapped archive button ("pratica 26000112", "documento 57
        della pratica 25000047", "le mie richieste"), answered from the archive in the
        conversation's language (or the question's, when it is clearly written in one)."""
        record = await self._medbot.runtime.store.load_conversation(CHANNEL, sender_id)
        language = chosen(State.from_json(record.state if record else None).language, text)
        with speaking(language):
            await self._archive_answer(customer_id, text, entities, dispatcher)

    async def _archive_answer(self, customer_id: int, text: str, entities: list[dict[str, Any]],
                              dispatcher: CollectingDispatcher) -> None:
        runtime = self._medbot.runtime
        household = await runtime.store.household(customer_id)
        today, services = runtime.clock.today(), self._medbot.services
        tap = document_tap(text)
        if tap is not None:
            choice, number = tap
            replies = (await answer_choice(choice, household, today, services, number)
                       or await show_request(number, household, today, services))
        else:
            parsed = status_question(text, entities, today,
                                     [m.first_name for m in household.members])
            replies = await answer_question(parsed, household, today, services)
        await self._archive_replies(customer_id, replies, dispatcher)


class ActionMedbot(_MedbotAction):
    """The latest message goes to the engine once; its replies come back with the flow and
    step, and the number of a request just submitted (else the slot is cleared)."""

    def name(self) -> str:
        return "action_medbot"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        customer_id = await self._customer(dispatcher, tracker)
        if customer_id is None:
            return [SlotSet(FLOW_SLOT, None), SlotSet(STEP_SLOT, None),
                    SlotSet(REQUEST_SLOT, None), REACHED]
        latest = tracker.latest_message or {}
        runtime = self._medbot.runtime
        if not await self._first_time(tracker.sender_id, latest.get("message_id")):
            # Rasa called again for a message medbot has already handled: nothing to add,
            # the slots it set then still hold.
            log.info("rasa called action_medbot again for the same message: ignored")
            return [REACHED]
        text = latest.get("text")
        if (isinstance(text, str) and is_status_payload(text)
                and text in offered_payloads(tracker.events or [])):
            # An archive button tapped while a request is open: answered beside it, the
            # request keeps its question.
            await self._status(customer_id, text, [], dispatcher, tracker.sender_id)
            return [REACHED]
        try:
            inbound = await inbound_from(latest, tracker.events or [],
                                         self._medbot.http, self._medbot.attachments)
        except AttachmentError as exc:
            log.info("rasa attachment refused or unreachable")
            dispatcher.utter_message(text=str(exc))
            return [REACHED]
        result = await runtime.conversations.handle(CHANNEL, tracker.sender_id, customer_id,
                                                    inbound)
        for message in messages(result.replies):
            dispatcher.utter_message(**message)
        return [SlotSet(FLOW_SLOT, result.flow), SlotSet(STEP_SLOT, result.step),
                SlotSet(REQUEST_SLOT, result.request_number), REACHED]


    async def _first_time(self, sender_id: str, message_id: object) -> bool:
        """Claims the message for the conversation; False if it was claimed before. A message
        without an id (not sent by Rasa 3) cannot be told apart: it goes through."""
        if not isinstance(message_id, str) or not message_id:
            return True
        runtime = self._medbot.runtime
        return await runtime.store.claim_rasa_message(sender_id, message_id[:128],
                                                      runtime.clock.now())


class ActionMedbotStatus(_MedbotAction):
    """A status question answered from the archive, outside any request in progress."""

    def name(self) -> str:
        return "action_medbot_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: dict[str, Any]) -> list[dict[str, Any]]:
        customer_id = await self._customer(dispatcher, tracker)
        if customer_id is None:
            return [REACHED]
        latest = tracker.latest_message or {}
        await self._status(customer_id, str(latest.get("text") or ""),
                           latest.get("entities") or [], dispatcher, tracker.sender_id)
        return [REACHED]
