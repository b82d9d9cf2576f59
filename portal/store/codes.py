"""Verification codes: issued, checked, locked, as salted HMACs."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from portal.schema import verification_codes, verification_sends
from portal.store.database import Database, utc
from portal.verification import (
    CODE_TTL,
    LOCK_FOR,
    MAX_WRONG,
    RESEND_AFTER,
    SEND_WINDOW,
    SENDS_PER_WINDOW,
    SUBJECT_LIMITS,
    TARGET_LIMITS,
    CheckResult,
    CheckStatus,
    CodeRefused,
    IssuedCode,
    PendingCode,
    code_hash,
    code_matches,
    new_code,
    new_salt,
    normalise_code,
)

if TYPE_CHECKING:  # the async layer is imported only by what uses it
    from sqlalchemy.ext.asyncio import AsyncConnection


__all__ = ["Codes"]


# Stored for a decoy: no typed code ever matches it (code_hash gives lowercase hex).
DECOY_HASH = "-" * 64
# Sends older than this count for no limit any more.
_FORGET_SENDS_AFTER = max(window for window, _ in (*SUBJECT_LIMITS, *TARGET_LIMITS))


def _code_row(purpose: str, target: str, subject: str) -> Any:
    return select(verification_codes).where(
        verification_codes.c.purpose == purpose, verification_codes.c.target == target,
        verification_codes.c.subject == subject,
    )


async def _within_limits(conn: AsyncConnection, purpose: str, who: Any,
                         limits: tuple[tuple[timedelta, int], ...], now: datetime,
                         *, by_target: bool) -> int:
    """Raises CodeRefused("too_many") when `who` (a condition on verification_sends) had as
    many codes as a window allows; else how many more this hour."""
    left = SENDS_PER_WINDOW
    for window, limit in limits:
        sent = verification_sends.c.sent_at
        found = (await conn.execute(
            select(func.count(), func.min(sent)).where(
                verification_sends.c.purpose == purpose, who, sent > now - window))).one()
        count, oldest = int(found[0]), found[1]
        if count >= limit:
            raise CodeRefused("too_many", utc(oldest) + window, by_target=by_target)
        if window <= SEND_WINDOW:
            left = min(left, limit - count - 1)
    return left


class Codes(Database):
    """One-time codes sent by SMS to prove a mobile or email.

    One row per (purpose, target, asker): wrong tries lock that asker only, so nobody can
    lock a customer out by guessing from elsewhere. The codes sent are logged for limits per
    asker (SUBJECT_LIMITS) and per target (TARGET_LIMITS), kept in the store.
    """

    async def issue_code(
        self,
        purpose: str,
        target: str,
        customer_id: int | None,
        now: datetime | None = None,
        *,
        subject: str | None = None,
    ) -> IssuedCode:
        """A new code for `target` (E.164 mobile or email), replacing this asker's earlier one.

        Raises `CodeRefused` when one was sent to this asker less than a minute ago, wrong
        tries locked this asker out, or too many codes went to this asker or to this target
        (`by_target`). `subject` says who asked (e.g. "telegram:12345"), so that channel can
        find its pending code with `pending_code`. Only a salted HMAC of the code is stored;
        the caller sends `IssuedCode.code`. With `customer_id` None the code is a decoy: it
        counts and behaves like any other but can never be right (and is not to be sent).
        """
        now = utc(now)
        asker = subject or ""
        for _ in range(3):
            code, salt = new_code(), new_salt()
            hashed = code_hash(salt, purpose, target, code) if customer_id is not None \
                else DECOY_HASH
            values: dict[str, Any] = {
                "customer_id": customer_id, "code_hash": hashed, "salt": salt,
                "expires_at": now + CODE_TTL, "last_sent_at": now, "locked_until": None,
            }
            async with self._write() as conn:
                row = (await conn.execute(_code_row(purpose, target, asker))).first()
                if row is not None and row.locked_until is not None and now < row.locked_until:
                    raise CodeRefused("locked", row.locked_until)
                if row is not None and now - row.last_sent_at < RESEND_AFTER:
                    raise CodeRefused("too_soon", row.last_sent_at + RESEND_AFTER)
                left = SENDS_PER_WINDOW
                if asker:
                    left = await _within_limits(conn, purpose,
                                                verification_sends.c.subject == asker,
                                                SUBJECT_LIMITS, now, by_target=False)
                left = min(left, await _within_limits(
                    conn, purpose, verification_sends.c.target == target, TARGET_LIMITS, now,
                    by_target=True))
                if row is None:
                    try:
                        async with conn.begin_nested():
                            await conn.execute(insert(verification_codes).values(
                                purpose=purpose, target=target, subject=asker, attempts=0,
                                sends=1, window_start=now, **values))
                    except IntegrityError:
                        continue  # issued concurrently: decide again on the stored row
                else:
                    # A lock that has run out starts the wrong tries afresh.
                    attempts = 0 if row.locked_until is not None else row.attempts
                    fresh = now - row.window_start >= SEND_WINDOW
                    done = await conn.execute(
                        update(verification_codes)
                        .where(verification_codes.c.id == row.id,
                               verification_codes.c.last_sent_at == row.last_sent_at)
                        .values(attempts=attempts, sends=1 if fresh else row.sends + 1,
                                window_start=now if fresh else row.window_start, **values))
                    if done.rowcount != 1:
                        continue
                await conn.execute(insert(verification_sends).values(
                    purpose=purpose, subject=asker, target=target, sent_at=now))
                await conn.execute(delete(verification_sends).where(
                    verification_sends.c.purpose == purpose,
                    verification_sends.c.target == target,
                    verification_sends.c.sent_at < now - _FORGET_SENDS_AFTER))
                return IssuedCode(code, now + CODE_TTL, now + RESEND_AFTER, max(left, 0))
        raise RuntimeError("verification code kept changing while issuing")

    async def check_code(
        self,
        purpose: str,
        target: str,
        code: str,
        now: datetime | None = None,
        *,
        subject: str | None = None,
    ) -> CheckResult:
        """Checks a typed code against the one issued to `subject` (or to nobody in
        particular, for None): OK uses it up; five wrong tries lock this asker for 15 minutes.
        """
        now = utc(now)
        typed = normalise_code(code) or ""
        for _ in range(3):
            async with self._write() as conn:
                row = (await conn.execute(_code_row(purpose, target, subject or ""))).first()
                if row is None:
                    return CheckResult(CheckStatus.MISSING, MAX_WRONG)
                if row.locked_until is not None and now < row.locked_until:
                    return CheckResult(CheckStatus.LOCKED, 0, locked_until=row.locked_until)
                if not row.code_hash:
                    return CheckResult(CheckStatus.MISSING, MAX_WRONG)
                if now >= row.expires_at:
                    return CheckResult(CheckStatus.EXPIRED, MAX_WRONG - row.attempts)
                same_row = (verification_codes.c.id == row.id,
                            verification_codes.c.attempts == row.attempts,
                            verification_codes.c.code_hash == row.code_hash)
                if typed and code_matches(row.salt, purpose, target, typed, row.code_hash):
                    result = CheckResult(CheckStatus.OK, MAX_WRONG, customer_id=row.customer_id)
                    values: dict[str, Any] = {"code_hash": "", "attempts": 0,
                                              "locked_until": None, "expires_at": now}
                else:
                    attempts = row.attempts + 1
                    if attempts >= MAX_WRONG:
                        result = CheckResult(CheckStatus.LOCKED, 0, locked_until=now + LOCK_FOR)
                        values = {"code_hash": "", "attempts": attempts,
                                  "locked_until": now + LOCK_FOR}
                    else:
                        result = CheckResult(CheckStatus.WRONG, MAX_WRONG - attempts)
                        values = {"attempts": attempts}
                done = await conn.execute(
                    update(verification_codes).where(*same_row).values(**values))
                if done.rowcount == 1:
                    return result
        raise RuntimeError("verification code kept changing while checking")

    async def pending_code(
        self, purpose: str, subject: str, now: datetime | None = None
    ) -> PendingCode | None:
        """The code `subject` asked for last, if it still waits for an answer or is locked."""
        now = utc(now)
        async with self._read() as conn:
            row = (await conn.execute(
                select(verification_codes)
                .where(verification_codes.c.purpose == purpose,
                       verification_codes.c.subject == subject)
                .order_by(verification_codes.c.last_sent_at.desc(), verification_codes.c.id.desc())
                .limit(1)
            )).first()
        if row is None:
            return None
        locked = row.locked_until if row.locked_until is not None and now < row.locked_until \
            else None
        if not row.code_hash and locked is None:
            return None
        return PendingCode(row.purpose, row.target, row.customer_id, row.expires_at, locked)
