"""Verification codes (expiry, wrong tries, resending) and chat users linked to customers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.schema import verification_codes
from portal.store import Store
from portal.verification import (
    CheckStatus,
    CodeRefused,
    IssuedCode,
    normalise_code,
)

T0 = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
MOBILE = "+393471234567"


async def _mario(store: Store) -> int:
    mario = await store.customer_by_mobile(MOBILE)
    assert mario is not None
    return mario.id


def _wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


async def test_issue_then_check_uses_the_code_up(store: Store) -> None:
    mario = await _mario(store)
    issued = await store.issue_code("link", MOBILE, mario, T0, subject="telegram:1")
    assert len(issued.code) == 6 and issued.code.isdigit()
    assert issued.expires_at == T0 + timedelta(minutes=10)
    assert issued.resend_at == T0 + timedelta(seconds=60)
    assert issued.sends_left == 2  # this asker may have three an hour
    # Checked as the asker it went to (subject): anyone else has no code to check.
    later = T0 + timedelta(minutes=9)
    assert (await store.check_code("link", MOBILE, issued.code, later)).status \
        is CheckStatus.MISSING
    result = await store.check_code("link", MOBILE, issued.code, later, subject="telegram:1")
    assert result.ok and result.customer_id == mario
    again = await store.check_code("link", MOBILE, issued.code, later, subject="telegram:1")
    assert again.status is CheckStatus.MISSING


async def test_only_a_salted_hash_is_stored(store: Store) -> None:
    mario = await _mario(store)
    issued = await store.issue_code("link", MOBILE, mario, T0)
    async with store.engine.connect() as conn:
        row = (await conn.execute(select(verification_codes))).one()
    assert issued.code not in "".join(str(v) for v in row)
    assert len(row.code_hash) == 64 and len(row.salt) == 32
    assert issued.code not in repr(issued)


async def test_typed_with_spaces_or_dashes(store: Store) -> None:
    mario = await _mario(store)
    code = (await store.issue_code("link", MOBILE, mario, T0)).code
    spaced = f"{code[:3]} {code[3:]}"
    assert (await store.check_code("link", MOBILE, spaced, T0)).ok
    assert normalise_code("123-456") == "123456"
    assert normalise_code("12345") is None
    assert normalise_code("١٢٣٤٥٦") is None  # other scripts' digits are not codes


async def test_expires_after_ten_minutes(store: Store) -> None:
    mario = await _mario(store)
    code = (await store.issue_code("link", MOBILE, mario, T0)).code
    result = await store.check_code("link", MOBILE, code, T0 + timedelta(minutes=10))
    assert result.status is CheckStatus.EXPIRED


async def test_five_wrong_tries_lock_for_fifteen_minutes(store: Store) -> None:
    mario = await _mario(store)
    code = (await store.issue_code("link", MOBILE, mario, T0)).code
    for left in (4, 3, 2, 1):
        result = await store.check_code("link", MOBILE, _wrong(code), T0)
        assert result.status is CheckStatus.WRONG and result.tries_left == left
    result = await store.check_code("link", MOBILE, _wrong(code), T0)
    assert result.status is CheckStatus.LOCKED
    assert result.locked_until == T0 + timedelta(minutes=15)
    # Locked: even the right code is refused, and no new code is sent.
    assert (await store.check_code("link", MOBILE, code, T0)).status is CheckStatus.LOCKED
    with pytest.raises(CodeRefused) as refused:
        await store.issue_code("link", MOBILE, mario, T0 + timedelta(minutes=5))
    assert refused.value.reason == "locked"
    assert refused.value.retry_at == T0 + timedelta(minutes=15)
    # After the lock the old code is gone; a new one starts the tries afresh.
    later = T0 + timedelta(minutes=15)
    assert (await store.check_code("link", MOBILE, code, later)).status is CheckStatus.MISSING
    fresh = (await store.issue_code("link", MOBILE, mario, later)).code
    result = await store.check_code("link", MOBILE, _wrong(fresh), later)
    assert result.status is CheckStatus.WRONG and result.tries_left == 4
    assert (await store.check_code("link", MOBILE, fresh, later)).ok


async def test_wrong_tries_are_not_reset_by_resending(store: Store) -> None:
    mario = await _mario(store)
    code = (await store.issue_code("link", MOBILE, mario, T0)).code
    for _ in range(3):
        await store.check_code("link", MOBILE, _wrong(code), T0)
    second = (await store.issue_code("link", MOBILE, mario, T0 + timedelta(minutes=1))).code
    result = await store.check_code("link", MOBILE, _wrong(second), T0 + timedelta(minutes=1))
    assert result.status is CheckStatus.WRONG and result.tries_left == 1


async def test_resending_once_a_minute_five_an_hour(store: Store) -> None:
    mario = await _mario(store)
    first = await store.issue_code("link", MOBILE, mario, T0)
    with pytest.raises(CodeRefused) as refused:
        await store.issue_code("link", MOBILE, mario, T0 + timedelta(seconds=59))
    assert refused.value.reason == "too_soon"
    assert refused.value.retry_at == T0 + timedelta(seconds=60)
    issued: list[IssuedCode] = [first]
    for minute in range(1, 5):
        issued.append(await store.issue_code("link", MOBILE, mario, T0 + timedelta(minutes=minute)))
    assert [i.sends_left for i in issued] == [4, 3, 2, 1, 0]
    with pytest.raises(CodeRefused) as refused:
        await store.issue_code("link", MOBILE, mario, T0 + timedelta(minutes=30))
    assert refused.value.reason == "too_many"
    assert refused.value.retry_at == T0 + timedelta(hours=1)
    # Only the last code counts.
    now = T0 + timedelta(minutes=5)
    result = await store.check_code("link", MOBILE, issued[0].code, now)
    assert result.status is CheckStatus.WRONG or issued[0].code == issued[-1].code
    assert (await store.check_code("link", MOBILE, issued[-1].code, now)).ok
    # A new hour, new codes.
    assert await store.issue_code("link", MOBILE, mario, T0 + timedelta(hours=1))


async def test_subject_and_pending_code(store: Store) -> None:
    mario = await _mario(store)
    assert await store.pending_code("link", "telegram:7", T0) is None
    code = (await store.issue_code("link", MOBILE, mario, T0, subject="telegram:7")).code
    pending = await store.pending_code("link", "telegram:7", T0)
    assert pending is not None
    assert (pending.target, pending.customer_id, pending.locked_until) == (MOBILE, mario, None)
    assert await store.pending_code("link", "telegram:8", T0) is None
    other = await store.check_code("link", MOBILE, code, T0, subject="telegram:8")
    assert other.status is CheckStatus.MISSING
    assert (await store.check_code("link", MOBILE, code, T0, subject="telegram:7")).ok
    assert await store.pending_code("link", "telegram:7", T0) is None


async def test_purposes_are_separate(store: Store) -> None:
    mario = await _mario(store)
    link = (await store.issue_code("link", MOBILE, mario, T0)).code
    contact = (await store.issue_code("contact", MOBILE, mario, T0)).code
    assert (await store.check_code("contact", MOBILE, contact, T0)).ok
    assert (await store.check_code("link", MOBILE, link, T0)).ok


async def test_link_relink_unlink(store: Store) -> None:
    mario = await _mario(store)
    assert await store.linked_customer("telegram", "42") is None
    await store.link_user("telegram", "42", mario, T0)
    await store.link_user("telegram", "42", mario, T0 + timedelta(days=1))
    assert await store.linked_customer("telegram", "42") == mario
    assert await store.linked_customer("whatsapp", "42") is None
    assert await store.unlink_user("telegram", "42")
    assert not await store.unlink_user("telegram", "42")
    assert await store.linked_customer("telegram", "42") is None


async def test_wrong_tries_lock_the_asker_not_the_customer(store: Store) -> None:
    """Someone guessing from elsewhere locks themselves out, never the customer."""
    mario = await _mario(store)
    theirs = (await store.issue_code("link", MOBILE, mario, T0, subject="whatsapp:39333")).code
    for _ in range(5):
        await store.check_code("link", MOBILE, _wrong(theirs), T0, subject="whatsapp:39333")
    locked = await store.pending_code("link", "whatsapp:39333", T0)
    assert locked is not None and locked.locked_until is not None
    mine = (await store.issue_code("link", MOBILE, mario, T0, subject="telegram:7")).code
    assert (await store.check_code("link", MOBILE, mine, T0, subject="telegram:7")).ok
    # Nor can a new code asked from elsewhere replace the customer's own.
    mine = (await store.issue_code("link", MOBILE, mario, T0 + timedelta(minutes=2),
                                   subject="telegram:7")).code
    await store.issue_code("link", MOBILE, mario, T0 + timedelta(minutes=3),
                           subject="whatsapp:39444")
    assert (await store.check_code("link", MOBILE, mine, T0 + timedelta(minutes=3),
                                   subject="telegram:7")).ok


async def test_limits_per_asker_and_per_target(store: Store) -> None:
    mario = await _mario(store)
    for n, target in enumerate(("+393330000001", "+393330000002", "+393330000003")):
        await store.issue_code("link", target, mario, T0 + timedelta(seconds=n),
                               subject="whatsapp:1")
    with pytest.raises(CodeRefused) as refused:  # a fourth mobile from the same asker
        await store.issue_code("link", "+393330000004", mario, T0, subject="whatsapp:1")
    assert refused.value.reason == "too_many" and not refused.value.by_target
    assert refused.value.retry_at == T0 + timedelta(hours=1)
    # Five askers may have a code for one mobile in an hour; the sixth is the target's limit.
    for n in range(5):
        await store.issue_code("link", MOBILE, mario, T0, subject=f"whatsapp:9{n}")
    with pytest.raises(CodeRefused) as refused:
        await store.issue_code("link", MOBILE, mario, T0, subject="whatsapp:96")
    assert refused.value.reason == "too_many" and refused.value.by_target


async def test_limits_survive_a_restart(store: Store) -> None:
    mario = await _mario(store)
    for n in range(3):
        await store.issue_code("link", f"+39333000001{n}", mario, T0, subject="telegram:5")
    again = await Store.open(store.url, store.home)
    try:
        with pytest.raises(CodeRefused):
            await again.issue_code("link", "+393330000019", mario, T0, subject="telegram:5")
    finally:
        await again.close()


async def test_a_decoy_behaves_like_a_code_but_is_never_right(store: Store) -> None:
    issued = await store.issue_code("link", "decoy:abc", None, T0, subject="whatsapp:2")
    pending = await store.pending_code("link", "whatsapp:2", T0)
    assert pending is not None and pending.customer_id is None
    result = await store.check_code("link", "decoy:abc", issued.code, T0, subject="whatsapp:2")
    assert result.status is CheckStatus.WRONG and result.tries_left == 4
    with pytest.raises(CodeRefused) as refused:
        await store.issue_code("link", "decoy:abc", None, T0, subject="whatsapp:2")
    assert refused.value.reason == "too_soon"
