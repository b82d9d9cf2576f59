"""Messages the bot owes customers: enqueue once per key, claim when due, mark the outcome."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from portal.schema import notification_preferences, notifications

if TYPE_CHECKING:  # the async layer is imported only by what uses it
    from sqlalchemy.ext.asyncio import AsyncConnection


__all__ = [
    "CLAIM_FOR",
    "MAX_ATTEMPTS",
    "Notice",
    "Notification",
    "Preferences",
    "backoff",
    "cancel_missing",
    "claim",
    "enqueue",
    "preferences",
]

# A sender holding a row longer than this is taken for dead; its row is then retried (if it
# never started delivering) or given up (if it did: it may have arrived, never send twice).
CLAIM_FOR = timedelta(minutes=5)
MAX_ATTEMPTS = 6
PENDING, SENDING, SENT, CANCELLED, FAILED = "pending", "sending", "sent", "cancelled", "failed"


@dataclass(frozen=True, slots=True)
class Notice:
    """A message to schedule: its key (customer, kind, subject, occurrence) and content."""

    customer_id: int
    kind: str
    subject: str
    occurrence: str
    due_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    urgent: bool = False

    @property
    def key(self) -> tuple[int, str, str, str]:
        return (self.customer_id, self.kind, self.subject, self.occurrence)


@dataclass(frozen=True, slots=True)
class Notification:
    """A stored notice and where it stands."""

    id: int
    customer_id: int
    kind: str
    subject: str
    occurrence: str
    due_at: datetime
    urgent: bool
    payload: dict[str, Any]
    status: str
    attempts: int
    next_try_at: datetime
    claimed_until: datetime | None
    sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class Preferences:
    """What the customer wants to be told; both on unless turned off."""

    reminders: bool = True
    status_changes: bool = True


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after `attempts` failed ones: 1, 2, 4... minutes, at most 1 h."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=1))


def row_to_notification(r: Any) -> Notification:
    return Notification(
        id=r.id, customer_id=r.customer_id, kind=r.kind, subject=r.subject,
        occurrence=r.occurrence, due_at=r.due_at, urgent=r.urgent, payload=dict(r.payload),
        status=r.status, attempts=r.attempts, next_try_at=r.next_try_at,
        claimed_until=r.claimed_until, sent_at=r.sent_at,
    )


async def enqueue(conn: AsyncConnection, notice: Notice) -> bool:
    """Adds the notice unless its key is already stored (whatever its status); True if added."""
    key = notifications.c
    exists = await conn.scalar(select(key.id).where(
        key.customer_id == notice.customer_id, key.kind == notice.kind,
        key.subject == notice.subject, key.occurrence == notice.occurrence))
    if exists is not None:
        return False
    try:
        async with conn.begin_nested():
            await conn.execute(insert(notifications).values(
                customer_id=notice.customer_id, kind=notice.kind, subject=notice.subject,
                occurrence=notice.occurrence, due_at=notice.due_at, urgent=notice.urgent,
                payload=notice.payload, status=PENDING, attempts=0, next_try_at=notice.due_at,
            ))
    except IntegrityError:
        return False  # scheduled concurrently
    return True


async def cancel_missing(conn: AsyncConnection, kinds: Iterable[str],
                         wanted: set[tuple[int, str, str, str]]) -> int:
    """Cancels the pending notices of `kinds` whose key is not `wanted` (their reason went
    away); returns how many."""
    kinds = list(kinds)
    found = await conn.execute(select(
        notifications.c.id, notifications.c.customer_id, notifications.c.kind,
        notifications.c.subject, notifications.c.occurrence,
    ).where(notifications.c.status == PENDING, notifications.c.kind.in_(kinds)))
    gone = [r.id for r in found if (r.customer_id, r.kind, r.subject, r.occurrence) not in wanted]
    if gone:
        await conn.execute(update(notifications).where(
            notifications.c.id.in_(gone), notifications.c.status == PENDING,
        ).values(status=CANCELLED))
    return len(gone)


async def claim(conn: AsyncConnection, now: datetime, limit: int) -> list[Notification]:
    """Takes up to `limit` due notices for this sender until now + CLAIM_FOR.

    Rows a dead sender had started delivering are given up first: they may have arrived.
    """
    c = notifications.c
    await conn.execute(update(notifications).where(
        c.status == SENDING, c.claimed_until < now).values(status=FAILED, claimed_until=None))
    due = select(c.id).where(
        c.status == PENDING, c.next_try_at <= now,
        or_(c.claimed_until.is_(None), c.claimed_until < now),
    ).order_by(c.next_try_at, c.id).limit(limit)
    if conn.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = [r.id for r in await conn.execute(due)]
    taken: list[Notification] = []
    for id_ in ids:
        # Conditional: a concurrent sender (SQLite has no SKIP LOCKED) may have taken it.
        done = await conn.execute(update(notifications).where(
            c.id == id_, c.status == PENDING,
            or_(c.claimed_until.is_(None), c.claimed_until < now),
        ).values(claimed_until=now + CLAIM_FOR))
        if done.rowcount == 1:
            row = (await conn.execute(select(notifications).where(c.id == id_))).one()
            taken.append(row_to_notification(row))
    return taken


def still_claimed(id_: int, now: datetime, claim: datetime | None = None) -> Any:
    """The condition that the row is still this sender's, pending and claimed. `claim`: the
    claim's own end (`Notification.claimed_until`), which names the claim: once it ran out
    and another sender (a replica) claimed the row, the first one's claim no longer holds."""
    c = notifications.c
    held = and_(c.id == id_, c.status == PENDING, c.claimed_until >= now)
    return held if claim is None else and_(held, c.claimed_until == claim)


async def preferences(conn: AsyncConnection, customer_id: int) -> Preferences:
    row = (await conn.execute(select(notification_preferences).where(
        notification_preferences.c.customer_id == customer_id))).first()
    return Preferences(row.reminders, row.status_changes) if row else Preferences()
