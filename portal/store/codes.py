"""Verification codes: issued, checked, locked, as salted HMACs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from portal.schema import (
    verification_codes,
)
from portal.store.database import Database, utc
from portal.verification import (
    CODE_TTL,
    LOCK_FOR,
    MAX_WRONG,
    RESEND_AFTER,
    SEND_WINDOW,
    SENDS_PER_WINDOW,
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

__all__ = ["Codes"]


def _code_row(purpose: str, target: str) -> Any:
    return select(verification_codes).where(
        verification_codes.c.purpose == purpose, verification_codes.c.target == target
    )


class Codes(Database):
    """One-time codes sent by SMS to prove a mobile or email."""

    async def issue_code(
        self,
        purpose: str,
        target: str,
        customer_id: int,
        now: datetime | None = None,
        *,
        subject: str | None = None,
    ) -> IssuedCode:
        """A new code for `target` (E.164 mobile or email), replacing any earlier one.

        Raises `CodeRefused` when one was sent less than a minute ago, five were sent this
        hour, or wrong tries locked the target. `subject` says who asked (e.g.
        "telegram:12345"), so that channel can find its pending code with `pending_code`.
        Only a salted HMAC of the code is stored; the caller sends `IssuedCode.code`.
        """
        now = utc(now)
        for _ in range(3):
            code, salt = new_code(), new_salt()
            values: dict[str, Any] = {
                "customer_id": customer_id,
                "subject": subject,
                "code_hash": code_hash(salt, purpose, target, code),
                "salt": salt,
                "expires_at": now + CODE_TTL,
                "last_sent_at": now,
                "locked_until": None,
            }
            async with self._write() as conn:
                row = (await conn.execute(_code_row(purpose, target))).first()
                if row is None:
                    try:
                        async with conn.begin_nested():
                            await conn.execute(insert(verification_codes).values(
                                purpose=purpose, target=target, attempts=0, sends=1,
                                window_start=now, **values))
                    except IntegrityError:
                        continue  # issued concurrently: decide again on the stored row
                    return IssuedCode(code, now + CODE_TTL, now + RESEND_AFTER,
                                      SENDS_PER_WINDOW - 1)
                if row.locked_until is not None and now < row.locked_until:
                    raise CodeRefused("locked", row.locked_until)
                window_start, sends = row.window_start, row.sends
                if now - window_start >= SEND_WINDOW:
                    window_start, sends = now, 0
                if sends >= SENDS_PER_WINDOW:
                    raise CodeRefused("too_many", window_start + SEND_WINDOW)
                if now - row.last_sent_at < RESEND_AFTER:
                    raise CodeRefused("too_soon", row.last_sent_at + RESEND_AFTER)
                # A lock that has run out starts the wrong tries afresh.
                attempts = 0 if row.locked_until is not None else row.attempts
                done = await conn.execute(
                    update(verification_codes)
                    .where(verification_codes.c.id == row.id,
                           verification_codes.c.sends == row.sends,
                           verification_codes.c.last_sent_at == row.last_sent_at)
                    .values(sends=sends + 1, window_start=window_start, attempts=attempts,
                            **values)
                )
                if done.rowcount == 1:
                    return IssuedCode(code, now + CODE_TTL, now + RESEND_AFTER,
                                      SENDS_PER_WINDOW - sends - 1)
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
        """Checks a typed code: OK uses it up; five wrong tries lock the target for 15 minutes.

        With `subject`, a code issued to someone else counts as MISSING.
        """
        now = utc(now)
        typed = normalise_code(code) or ""
        for _ in range(3):
            async with self._write() as conn:
                row = (await conn.execute(_code_row(purpose, target))).first()
                if row is None:
                    return CheckResult(CheckStatus.MISSING, MAX_WRONG)
                if row.locked_until is not None and now < row.locked_until:
                    return CheckResult(CheckStatus.LOCKED, 0, locked_until=row.locked_until)
                if not row.code_hash or (subject is not None and row.subject != subject):
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
