"""One turn end to end: load the state, run the engine, save state and records together."""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from bot.logs import conversation_id, in_conversation
from bot.metrics import Metrics
from dialogs import archive
from dialogs.engine import Engine
from dialogs.events import Heard, Inbound, IncomingVoice, Reply
from dialogs.services import Services
from dialogs.state import State
from dialogs.texts import t
from dialogs.uploads import precheck_upload
from dialogs.voice_cue import Cue, cue_for
from nlu.language import DEFAULT, adopt, speaking
from portal.models import FollowUp, Handoff, HandoffReason
from portal.store import AlreadyHandled, ConversationRecord, StaleConversation, Store

log = logging.getLogger(__name__)

# A concurrent turn for the same conversation makes ours stale: retry from the fresh state.
ATTEMPTS = 3
# When each kind of follow-up is due, counted from the turn that asked for it.
FOLLOW_UP_AFTER = {"booking": timedelta(days=2)}


@dataclass(slots=True)
class InboxItem:
    """An accepted update being handled: `key` until a turn takes it, `marked` once a turn's
    commit (or an earlier one: a redelivery) has marked it handled."""

    key: str | None
    marked: bool = False


# The accepted update (an inbox key, see portal.store.inboxes) whose handling is running: the
# first turn it leads to marks it handled in that turn's own transaction.
_handling: contextvars.ContextVar[InboxItem | None] = contextvars.ContextVar(
    "medbot_inbox_item", default=None)


@contextmanager
def handling(inbox_key: str) -> Iterator[InboxItem]:
    """Turns run inside the block (not tasks left behind after it) come from `inbox_key`:
    the first one saved marks it handled with its own commit, so a crash between the two
    can't have it applied twice. The item says afterwards whether one did (then the caller
    need not mark it again)."""
    item = InboxItem(inbox_key)
    token = _handling.set(item)
    try:
        yield item
    finally:
        item.key = None  # a task started inside (an album) outlives the update: not its turn
        _handling.reset(token)


def _take_inbox_item() -> InboxItem | None:
    item = _handling.get()
    if item is None or item.key is None:
        return None
    return item


@dataclass(frozen=True, slots=True)
class TurnResult:
    replies: list[Reply]
    flow: str | None
    step: str | None
    request_number: str | None = None
    # The event was handled before (a redelivered message): nothing saved, nothing to say.
    duplicate: bool = False
    # The conversation's language after the turn ("it", "en").
    language: str = DEFAULT


class Conversations:
    """Runs turns for any channel; the channel only translates updates and renders replies."""

    def __init__(
        self,
        store: Store,
        engine: Engine,
        services: Services,
        now: Callable[[], datetime],
        today: Callable[[], date],
        listener: Callable[[IncomingVoice, Cue | None], Awaitable[Heard]] | None = None,
        *,
        metrics: Metrics | None = None,
        log_key: bytes = b"",
    ) -> None:
        self._store = store
        self._listener = listener
        self._engine = engine
        self._services = services
        self._now = now
        self._today = today
        self.metrics = metrics or Metrics()
        self._log_key = log_key

    async def handle(
        self, channel: str, user_key: str, customer_id: int, inbound: Inbound, *,
        inbox_message: str | None = None,
    ) -> TurnResult:
        """The replies to one event. Never raises: a failure is apologised for and the
        conversation stays where it was (nothing of the turn is saved).

        `inbox_message`: the accepted message (WhatsApp) this event comes from, marked
        handled in the turn's own transaction; if it was handled already, nothing is saved
        and there is nothing to say (`duplicate`).

        The conversation's language stays the current one (nlu.language) for the rest of the
        caller's task, so what the channel adds to the replies is in it too."""
        result = await self._result(channel, user_key, customer_id, inbound, inbox_message)
        adopt(result.language)
        return result

    async def _result(self, channel: str, user_key: str, customer_id: int, inbound: Inbound,
                      inbox_message: str | None) -> TurnResult:
        started = time.perf_counter()
        item = None if inbox_message else _take_inbox_item()
        if item is not None:
            inbox_message, item.key = item.key, None
        with in_conversation(self.pseudonym(channel, user_key)):
            outcome = "answered"
            try:
                # One turn of this conversation at a time, across processes (replicas).
                async with self._store.conversation_lock(channel, user_key):
                    result = await self._handle(channel, user_key, customer_id, inbound,
                                                inbox_message)
                if item is not None:  # committed with the turn
                    item.marked = True
                return result
            except AlreadyHandled:
                if item is not None:  # by an earlier handling
                    item.marked = True
                outcome = "duplicate"
                log.info("message on %s handled already, not applied again", channel)
                return TurnResult([], None, None, duplicate=True)
            except Exception as error:
                outcome = "failed"
                self.metrics.error("turn", error)
                # No customer data in the log: the event kind only, and the traceback.
                log.exception("turn failed on %s (event %s)", channel, inbound.kind)
                record = await self._safe_load(channel, user_key)
                state = State.from_json(record.state if record else None)
                with speaking(state.language):
                    return TurnResult([Reply(t("engine.failure"))], state.flow, _step(state),
                                      language=state.language)
            finally:
                self.metrics.turn(channel, outcome, time.perf_counter() - started)

    def pseudonym(self, channel: str, user_key: str) -> str:
        """The conversation's name in logs (bot.logs.conversation_id)."""
        return conversation_id(channel, user_key, self._log_key)

    @property
    def listener(self) -> Any:
        """The listener of voice notes (bot.speech.Listener), None when there is none."""
        return self._listener

    @property
    def listens(self) -> bool:
        """Whether voice notes are listened to here (else they are declined kindly)."""
        return self._listener is not None

    async def listen(self, voice: IncomingVoice, cue: Cue | None = None) -> Heard:
        if self._listener is None:
            return Heard("", False, "unavailable")
        return await self._listener(voice, cue)

    async def cue(self, channel: str, user_key: str, customer_id: int) -> Cue | None:
        """What the conversation expects a voice note arriving now to say (the question it is
        at and the answers it takes), for the recogniser; None when nothing in particular."""
        if self._listener is None:
            return None
        record, household = await self._store.load_turn(channel, user_key, customer_id)
        return cue_for(State.from_json(record.state if record else None), household,
                       self._today())

    async def _safe_load(self, channel: str, user_key: str) -> ConversationRecord | None:
        try:
            return await self._store.load_conversation(channel, user_key)
        except Exception:
            log.exception("could not reload the conversation after a failed turn")
            return None

    async def _open_handoff(self, customer_id: int, reason: str, text: str,
                            now: datetime) -> Handoff | None:
        """The customer's hand-off of this reason still open (recorded in the last 24 hours),
        when asking again repeats it; None when a new one is to be recorded."""
        if not _is_repeat(reason, text):
            return None
        recent = [h for h in await self._store.handoffs(customer_id=customer_id, reason=reason)
                  if now - h.created_at <= HANDOFF_OPEN_FOR]
        return recent[-1] if recent else None

    async def _handle(
        self, channel: str, user_key: str, customer_id: int, inbound: Inbound,
        inbox_message: str | None,
    ) -> TurnResult:
        if inbound.voice is not None:
            # Listened to once, before the turn, expecting an answer to the question the
            # conversation is at: the engine reads what was heard, as text.
            cue = await self.cue(channel, user_key, customer_id)
            inbound = Inbound(heard=await self.listen(inbound.voice, cue))
        if inbound.file is not None:
            # Decoded off the event loop: a heavy file never stalls other conversations.
            await precheck_upload(inbound.file)
        # One read before the engine, one write after it (portal.store.conversations).
        for _ in range(ATTEMPTS):
            record, household = await self._store.load_turn(channel, user_key, customer_id)
            state = State.from_json(record.state if record else None)
            version = record.version if record else 0
            outcome = await self._engine.handle(state, inbound, household, self._today(),
                                                self._services)
            now = self._now()
            followup = None
            if outcome.followup and outcome.state.draft_id:
                followup = FollowUp(outcome.followup, outcome.state.draft_id,
                                    now + FOLLOW_UP_AFTER[outcome.followup])
            asked, open_one, handoff = outcome.handoff, None, None
            if asked is not None:
                open_one = await self._open_handoff(customer_id, asked.reason, asked.text, now)
                if open_one is None:  # recorded with the turn, in its transaction
                    handoff = Handoff(
                        id=0, customer_id=customer_id, channel=channel, user_key=user_key,
                        reason=HandoffReason(asked.reason), text=asked.text, created_at=now,
                        request_number=asked.request_number)
            try:
                saved = await self._store.save_turn(
                    channel, user_key, customer_id, outcome.state.to_json(), version,
                    submit=outcome.submit, now=now, followup=followup, handoff=handoff,
                    inbox_message=inbox_message,
                )
            except StaleConversation:
                log.info("conversation %s advanced meanwhile, retrying the turn", channel)
                continue
            replies = list(outcome.replies)
            language = outcome.state.language
            with speaking(language):
                if asked is not None and open_one is not None:
                    # Asked again while a person has it already: followed up, not duplicated.
                    replies.insert(asked.position, archive.follow_up(open_one, self._today()))
                elif asked is not None:
                    replies.insert(asked.position, asked.reply(str(saved.handoff_id)))
                if outcome.after_submit is not None and saved.request_number is not None:
                    replies.append(outcome.after_submit(saved.request_number))
            if language != state.language:
                # Kept where the messages the bot starts (reminders, status changes) read it.
                await self._store.set_link_language(channel, user_key, language)
            return TurnResult(replies, outcome.state.flow, _step(outcome.state),
                              saved.request_number, language=language)
        raise RuntimeError("conversation kept changing under this turn")


# A request for a person within this time of the last one is the same request.
HANDOFF_OPEN_FOR = timedelta(hours=24)
# A complaint repeated within that time with no more than these words adds nothing new.
_BARE_COMPLAINT_WORDS = 4


def _is_repeat(reason: str, text: str) -> bool:
    return reason == "human" or len(text.split()) <= _BARE_COMPLAINT_WORDS


def _step(state: State) -> str | None:
    if state.pending:
        return f"confirm_{state.pending}"
    return state.asked if state.flow else None
