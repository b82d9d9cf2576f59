"""Back-office operators: a name and a bearer token each (only its hash kept), revocable."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update

from portal.schema import operators
from portal.store.database import Database, utc

__all__ = ["Operator", "OperatorExists", "Operators", "token_hash"]

TOKEN_PREFIX = "mbo_"


class OperatorExists(ValueError):
    """An active operator already has this name."""


@dataclass(frozen=True, slots=True)
class Operator:
    id: int
    name: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def token_hash(token: str) -> str:
    """Tokens are 256 random bits: a plain SHA-256 is enough to keep them unusable at rest."""
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


class Operators(Database):
    """Who may use the back-office API; the name is what the records say they did."""

    async def add_operator(self, name: str, now: datetime | None = None) -> str:
        """A new token for `name` (shown once, never stored); a revoked name gets a new one.
        OperatorExists if `name` is active."""
        now = utc(now)
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        async with self._write() as conn:
            row = (await conn.execute(select(operators).where(operators.c.name == name))).first()
            if row is not None and row.revoked_at is None:
                raise OperatorExists(name)
            if row is None:
                await conn.execute(insert(operators).values(
                    name=name, token_hash=token_hash(token), created_at=now, revoked_at=None))
            else:
                await conn.execute(update(operators).where(operators.c.id == row.id).values(
                    token_hash=token_hash(token), created_at=now, revoked_at=None))
        return token

    async def revoke_operator(self, name: str, now: datetime | None = None) -> bool:
        """The operator's token stops working at once; False if no active one by that name."""
        async with self._write() as conn:
            done = await conn.execute(
                update(operators)
                .where(operators.c.name == name, operators.c.revoked_at.is_(None))
                .values(revoked_at=utc(now)))
        return bool(done.rowcount)

    async def operators(self) -> list[Operator]:
        async with self._read() as conn:
            rows = await conn.execute(select(operators).order_by(operators.c.name))
            return [Operator(r.id, r.name, r.created_at, r.revoked_at) for r in rows]

    async def operator_by_token(self, token: str) -> str | None:
        """The name of the active operator this token belongs to."""
        if not token.startswith(TOKEN_PREFIX):
            return None
        async with self._read() as conn:
            found = await conn.scalar(select(operators.c.name).where(
                operators.c.token_hash == token_hash(token), operators.c.revoked_at.is_(None)))
        return None if found is None else str(found)
