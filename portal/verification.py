"""One-time verification codes: the rules (expiry, wrong tries, resending) and their results."""

from __future__ import annotations

import enum
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

__all__ = [
    "CODE_DIGITS",
    "CODE_TTL",
    "LOCK_FOR",
    "MAX_WRONG",
    "PURPOSES",
    "RESEND_AFTER",
    "SENDS_PER_WINDOW",
    "SEND_WINDOW",
    "SUBJECT_LIMITS",
    "TARGET_LIMITS",
    "CheckResult",
    "CheckStatus",
    "CodeRefused",
    "IssuedCode",
    "PendingCode",
    "code_hash",
    "code_matches",
    "new_code",
    "new_salt",
    "normalise_code",
]

# 'link': a chat user proves the customer's mobile is theirs; 'contact': a new email or mobile.
PURPOSES = ("link", "contact")
CODE_DIGITS = 6
CODE_TTL = timedelta(minutes=10)
MAX_WRONG = 5
LOCK_FOR = timedelta(minutes=15)
RESEND_AFTER = timedelta(seconds=60)
SENDS_PER_WINDOW = 5
SEND_WINDOW = timedelta(hours=1)
# Limits over every code sent, kept in the store (they survive restarts and replicas).
# Per asker (a chat user): a person proves one mobile; asking for many is probing or spamming.
SUBJECT_LIMITS = ((timedelta(hours=1), 3), (timedelta(days=1), 6))
# Per target (a mobile, whoever asks): its owner is not flooded with SMS.
TARGET_LIMITS = ((SEND_WINDOW, SENDS_PER_WINDOW), (timedelta(days=1), 10))

_NOT_DIGITS = re.compile(r"[\s.\-]")


class CheckStatus(enum.StrEnum):
    OK = "ok"
    WRONG = "wrong"  # not the code; `tries_left` more before the lock
    EXPIRED = "expired"  # the right moment has passed: ask for a new code
    LOCKED = "locked"  # too many wrong tries: `locked_until`
    MISSING = "missing"  # no code sent (or already used): ask for one


@dataclass(frozen=True, slots=True)
class IssuedCode:
    """A code to send now. `code` is kept out of the repr so it never lands in a log by chance."""

    code: str = field(repr=False)
    expires_at: datetime
    resend_at: datetime  # when asking again is allowed
    sends_left: int  # in the current hour


@dataclass(frozen=True, slots=True)
class CheckResult:
    status: CheckStatus
    tries_left: int
    customer_id: int | None = None  # set when OK
    locked_until: datetime | None = None  # set when LOCKED

    @property
    def ok(self) -> bool:
        return self.status is CheckStatus.OK


@dataclass(frozen=True, slots=True)
class PendingCode:
    """A code waiting for its answer (or locked), as its channel needs to continue."""

    purpose: str
    target: str
    customer_id: int | None  # None for a decoy (no customer behind the target)
    expires_at: datetime
    locked_until: datetime | None


class CodeRefused(Exception):
    """No new code now: sent too recently, too many this hour, or locked after wrong tries.

    `by_target` says the limit was the target's (codes many askers requested for it): a
    channel that must not reveal whether a target exists answers as if the code was sent.
    """

    def __init__(self, reason: Literal["too_soon", "too_many", "locked"], retry_at: datetime,
                 *, by_target: bool = False) -> None:
        super().__init__(f"{reason} until {retry_at.isoformat()}")
        self.reason = reason
        self.retry_at = retry_at
        self.by_target = by_target


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def new_salt() -> str:
    return secrets.token_hex(16)


def code_hash(salt: str, purpose: str, target: str, code: str) -> str:
    """HMAC-SHA256 of the code keyed by the row's salt, bound to its purpose and target."""
    message = f"{purpose}\x00{target}\x00{code}".encode()
    return hmac.new(bytes.fromhex(salt), message, hashlib.sha256).hexdigest()


def code_matches(salt: str, purpose: str, target: str, code: str, stored: str) -> bool:
    if not stored:
        return False
    return hmac.compare_digest(code_hash(salt, purpose, target, code), stored)


def normalise_code(text: str) -> str | None:
    """The code as typed ("123 456", "123-456"), or None if it is not six digits."""
    digits = _NOT_DIGITS.sub("", text.strip())
    if len(digits) == CODE_DIGITS and digits.isascii() and digits.isdigit():
        return digits
    return None
