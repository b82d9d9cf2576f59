"""The reminder loop with a controllable clock: scheduled, sent once at the right local time,
postponed by quiet hours, cancelled when the reason goes away or the customer says stop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.outbound import DeliveryError, Outbound
from bot.reminders import QuietHours, Reminders
from bot.runtime import Runtime
from portal.models import DocumentDraft, DocumentKind, FollowUp, StatusDetails
from portal.notifications import CLAIM_FOR
from portal.schema import followups
from portal.store import Store
from tests.auxil.runtime import MARIO, demo_runtime

ROME = ZoneInfo("Europe/Rome")


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def at(self, year: int, month: int, day: int, hour: int, minute: int = 0) -> None:
        self.now = datetime(year, month, day, hour, minute, tzinfo=ROME).astimezone(UTC)


@dataclass
class Phone:
    """A ChannelSender that records what it delivers; can be told to fail."""

    channel: str = "telegram"
    sent: list[tuple[str, Outbound]] = field(default_factory=list)
    failing: DeliveryError | None = None

    async def deliver(self, user_key: str, message: Outbound) -> None:
        if self.failing is not None:
            raise self.failing
        self.sent.append((user_key, message))

    def kinds(self, about: str) -> list[str]:
        """What was sent mentioning `about` (the demo has reminders of its own)."""
        return [m.kind for _, m in self.sent if about in m.reply.text]

    def last(self, about: str) -> str:
        return [m.reply.text for _, m in self.sent if about in m.reply.text][-1]


@dataclass
class Loop:
    runtime: Runtime
    clock: Clock
    phone: Phone
    reminders: Reminders
    mario: int

    @property
    def store(self) -> Store:
        return self.runtime.store


@pytest.fixture
async def loop(tmp_path: Path) -> AsyncIterator[Loop]:
    async with demo_runtime(tmp_path / "home") as runtime:
        clock = Clock(datetime(2026, 11, 24, 9, 0, tzinfo=ROME).astimezone(UTC))
        phone = Phone()
        mario = await runtime.store.customer_by_fiscal_code(MARIO)
        assert mario is not None
        await runtime.store.link_user("telegram", "4242", mario.id, clock.now)
        reminders = Reminders(runtime.store, {"telegram": phone}, clock, QuietHours())
        yield Loop(runtime, clock, phone, reminders, mario.id)


async def test_status_change_sent_at_once_and_only_once(loop: Loop) -> None:
    await loop.store.change_status("26000112", "in_lavorazione", by="op", now=loop.clock.now)
    await loop.reminders.run_once()
    assert loop.phone.kinds("26000112") == ["status_changed"]
    assert {user for user, _ in loop.phone.sent} == {"4242"}
    assert "è in lavorazione" in loop.phone.last("26000112")
    await loop.reminders.run_once()
    assert loop.phone.kinds("26000112") == ["status_changed"]


async def test_messages_in_the_language_of_the_customers_conversation(loop: Loop) -> None:
    await loop.store.set_link_language("telegram", "4242", "en")
    await loop.store.change_status("26000112", "sospesa", by="op", now=loop.clock.now,
                                   details=StatusDetails(missing_documents=("prescrizione",),
                                                         deadline=datetime(2026, 12, 20).date()))
    await loop.reminders.run_once()
    text = loop.phone.last("26000112")
    assert text.startswith("An update on your request no. 26000112")
    assert "we need the doctor's prescription by 20 December 2026" in text
    assert "updates off" in text


async def test_quiet_hours_postpone_to_the_morning(loop: Loop) -> None:
    loop.clock.at(2026, 11, 24, 22, 15)
    await loop.store.change_status("26000112", "in_lavorazione", by="op", now=loop.clock.now)
    await loop.reminders.run_once()
    loop.clock.at(2026, 11, 25, 8, 29)
    await loop.reminders.run_once()
    assert loop.phone.kinds("26000112") == []
    loop.clock.at(2026, 11, 25, 8, 30)
    await loop.reminders.run_once()
    assert loop.phone.kinds("26000112") == ["status_changed"]


async def test_documents_missing_after_two_days_weekly_and_before_the_deadline(
        loop: Loop) -> None:
    await loop.store.change_status("26000112", "sospesa", by="op", now=loop.clock.now,
                                   details=StatusDetails(missing_documents=("prescrizione",),
                                                         deadline=datetime(2026, 12, 20).date()))
    await loop.reminders.run_once()
    assert loop.phone.kinds("26000112") == ["status_changed"]
    due = [n.due_at.astimezone(ROME) for n in await loop.store.notifications(status="pending")
           if n.kind == "documents_missing" and n.subject == "26000112"]
    assert [(d.day, d.month, d.hour) for d in due] == [(26, 11, 10), (3, 12, 10), (10, 12, 10),
                                                       (17, 12, 10)]
    loop.clock.at(2026, 11, 26, 9, 59)
    await loop.reminders.run_once()
    assert loop.phone.kinds("26000112") == ["status_changed"]
    loop.clock.at(2026, 11, 26, 10, 0)
    await loop.reminders.run_once()
    await loop.reminders.run_once()
    assert loop.phone.kinds("26000112") == ["status_changed", "documents_missing"]
    assert "prescrizione" in loop.phone.last("26000112")
    # The documents arrive: the rest is cancelled.
    file = loop.store.documents.put(b"%PDF-1.4 ricetta", "application/pdf", "ricetta.pdf")
    await loop.store.add_documents("26000112", [DocumentDraft(DocumentKind.PRESCRIPTION, file)],
                                   by="cliente", now=loop.clock.now)
    loop.clock.at(2026, 12, 18, 12, 0)
    await loop.reminders.run_once()
    assert loop.phone.kinds("26000112") == ["status_changed", "documents_missing"]
    assert not [n for n in await loop.store.notifications(status="pending")
                if n.kind == "documents_missing" and n.subject == "26000112"]


async def test_appointment_the_day_before_at_six(loop: Loop) -> None:
    loop.clock.at(2026, 12, 2, 17, 59)
    await loop.reminders.run_once()
    assert loop.phone.kinds("Salus") == []
    loop.clock.at(2026, 12, 2, 18, 0)
    await loop.reminders.run_once()
    assert loop.phone.kinds("Salus") == ["appointment"]
    text = loop.phone.last("Salus")
    assert "domani alle 08:30" in text and "Salus Prati" in text and "AUT-26-0087-CK" in text


async def test_booking_follow_up_and_cancelled_when_done(loop: Loop) -> None:
    due = loop.clock.now + timedelta(days=2)
    await loop.store.save_turn("telegram", "4242", loop.mario, {}, 0, now=loop.clock.now,
                               followup=FollowUp("booking", "draft-1", due))
    await loop.store.save_turn("telegram", "4242", loop.mario, {}, 1, now=loop.clock.now,
                               followup=FollowUp("booking", "draft-2", due))
    await loop.reminders.run_once()
    loop.clock.now = due
    # draft-2 was submitted meanwhile: its follow-up is done, its reminder cancelled.
    async with loop.store.engine.begin() as conn:
        await conn.execute(followups.update().where(followups.c.subject == "draft-2")
                           .values(done_at=due))
    await loop.reminders.run_once()
    assert loop.phone.kinds("prenotato") == ["booking"]


async def test_not_sent_after_opt_out(loop: Loop) -> None:
    await loop.store.set_preferences(loop.mario, reminders=False)
    await loop.store.change_status("26000112", "in_lavorazione", by="op", now=loop.clock.now)
    loop.clock.at(2026, 12, 2, 18, 0)
    await loop.reminders.run_once()
    assert loop.phone.kinds("26000112") == ["status_changed"]  # status changes stay on
    await loop.store.set_preferences(loop.mario, status_changes=False)
    await loop.store.change_status("26000112", "sospesa", by="op", now=loop.clock.now,
                                   details=StatusDetails(missing_documents=("referto",),
                                                         deadline=datetime(2026, 12, 30).date()))
    loop.clock.at(2026, 12, 29, 12, 0)
    await loop.reminders.run_once()
    assert loop.phone.kinds("26000112") == ["status_changed"]


async def test_channel_errors_retried_with_back_off(loop: Loop) -> None:
    await loop.store.change_status("26000112", "in_lavorazione", by="op", now=loop.clock.now)
    loop.phone.failing = DeliveryError("down")
    await loop.reminders.run_once()
    (row,) = [n for n in await loop.store.notifications() if n.kind == "status_changed"]
    assert row.status == "pending" and row.attempts == 1 and row.next_try_at > loop.clock.now
    loop.phone.failing = None
    await loop.reminders.run_once()
    assert loop.phone.kinds("26000112") == []
    loop.clock.now = row.next_try_at
    await loop.reminders.run_once()
    assert loop.phone.kinds("26000112") == ["status_changed"]


async def test_not_sent_twice_when_the_loop_crashes_after_sending(
        loop: Loop, monkeypatch: pytest.MonkeyPatch) -> None:
    await loop.reminders.run_once()  # the demo's own due reminders first
    await loop.store.change_status("26000112", "in_lavorazione", by="op", now=loop.clock.now)

    async def crash(*_args: object) -> None:
        raise RuntimeError("killed before marking")

    monkeypatch.setattr(loop.store, "mark_sent", crash)
    with pytest.raises(RuntimeError):
        await loop.reminders.run_once()
    monkeypatch.undo()
    assert loop.phone.kinds("26000112") == ["status_changed"]
    loop.clock.now += CLAIM_FOR + timedelta(minutes=1)
    await loop.reminders.run_once()
    assert loop.phone.kinds("26000112") == ["status_changed"]


def test_quiet_hours() -> None:
    quiet = QuietHours()
    evening = datetime(2026, 11, 24, 20, 30, tzinfo=ROME)
    assert quiet.postpone(evening) == datetime(2026, 11, 25, 8, 30, tzinfo=ROME)
    assert quiet.postpone(datetime(2026, 11, 25, 3, 0, tzinfo=ROME)) == \
        datetime(2026, 11, 25, 8, 30, tzinfo=ROME)
    assert quiet.postpone(datetime(2026, 11, 25, 8, 30, tzinfo=ROME)) is None
    assert quiet.postpone(datetime(2026, 11, 25, 20, 29, tzinfo=ROME)) is None


def _unfinished(loop: Loop) -> list[str]:
    return [m.reply.text for _, m in loop.phone.sent if m.kind == "unfinished"]


async def test_unfinished_request_nudged_then_expired(loop: Loop) -> None:
    start = loop.clock.now
    state = {"flow": "rimborso", "draft_id": "d1", "token": 3, "answers": {"x": 1}}
    await loop.store.save_turn("telegram", "4242", loop.mario, state, 0, now=start)
    loop.clock.now = start + timedelta(hours=23, minutes=59)
    await loop.reminders.run_once()
    assert _unfinished(loop) == []
    loop.clock.now = start + timedelta(hours=24)
    await loop.reminders.run_once()
    await loop.reminders.run_once()
    assert len(_unfinished(loop)) == 1 and "richiesta di rimborso" in _unfinished(loop)[0]
    loop.clock.now = start + timedelta(days=3)
    await loop.reminders.run_once()
    assert len(_unfinished(loop)) == 2
    loop.clock.now = start + timedelta(days=30)
    await loop.reminders.run_once()
    assert len(_unfinished(loop)) == 3 and "30 giorni" in _unfinished(loop)[-1]
    record = await loop.store.load_conversation("telegram", "4242")
    assert record is not None and record.state == {}
    loop.clock.now = start + timedelta(days=60)
    await loop.reminders.run_once()
    assert len(_unfinished(loop)) == 3


async def test_unfinished_request_touched_again_starts_over(loop: Loop) -> None:
    start = loop.clock.now
    state = {"flow": "diretta", "draft_id": "d2"}
    await loop.store.save_turn("telegram", "4242", loop.mario, state, 0, now=start)
    await loop.reminders.run_once()
    touched = start + timedelta(hours=2)
    await loop.store.save_turn("telegram", "4242", loop.mario, state, 1, now=touched)
    loop.clock.now = start + timedelta(hours=24)
    await loop.reminders.run_once()
    assert _unfinished(loop) == []
    loop.clock.now = touched + timedelta(hours=24)
    await loop.reminders.run_once()
    assert len(_unfinished(loop)) == 1 and "prestazione diretta" in _unfinished(loop)[0]


async def test_unfinished_after_a_long_pause_only_the_latest(loop: Loop) -> None:
    start = loop.clock.now
    await loop.store.save_turn("telegram", "4242", loop.mario,
                               {"flow": "rimborso", "draft_id": "d3"}, 0, now=start)
    loop.clock.now = start + timedelta(days=31)
    await loop.reminders.run_once()
    assert len(_unfinished(loop)) == 1 and "30 giorni" in _unfinished(loop)[0]


def _checkups(loop: Loop) -> list[str]:
    return [m.reply.text for _, m in loop.phone.sent if m.kind == "checkup"]


async def test_unused_checkup_recalled_once_in_the_autumn(loop: Loop) -> None:
    loop.clock.at(2026, 9, 30, 12, 0)
    await loop.reminders.run_once()
    loop.clock.at(2026, 10, 1, 9, 59)
    await loop.reminders.run_once()
    assert _checkups(loop) == []
    loop.clock.at(2026, 10, 1, 10, 0)
    await loop.reminders.run_once()
    await loop.reminders.run_once()
    texts = _checkups(loop)
    # Mario had his in 2026 (request 26000087); Anna, Luca and Marco not yet.
    assert len(texts) == 3 and not any("per te" in x for x in texts)
    assert any("anche per Anna" in x and "31 dicembre 2026" in x for x in texts)
    assert all("Check-up annuale di prevenzione" in x for x in texts)
    loop.clock.at(2026, 12, 15, 10, 0)
    await loop.reminders.run_once()
    assert len(_checkups(loop)) == 3
    loop.clock.at(2027, 10, 1, 10, 0)  # a new policy year: Mario's is unused too
    await loop.reminders.run_once()
    assert len(_checkups(loop)) == 7 and any("per te" in x for x in _checkups(loop))


async def test_checkup_not_recalled_after_opt_out(loop: Loop) -> None:
    await loop.store.set_preferences(loop.mario, reminders=False)
    loop.clock.at(2026, 10, 1, 10, 0)
    await loop.reminders.run_once()
    assert _checkups(loop) == []
