"""portal.store: households, conversations, the turn transaction, request numbers, archive."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import event, func, insert, select
from sqlalchemy.exc import IntegrityError

from portal.models import CatalogueKind, Relation, RequestStatus
from portal.schema import documents, persons, request_counters, requests
from portal.store import NotFound, StaleConversation, Store, format_request_number, new_id
from tests.auxil.portal import (
    BACKENDS,
    demo_store_on,
    make_draft,
)

MARIO_CF = "RSSMRA75D12H501J"
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)


@pytest.fixture(params=BACKENDS)
async def db(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    """The demo store on each backend: SQLite always, PostgreSQL when it answers."""
    async with demo_store_on(request.param, tmp_path) as store:
        yield store


async def _count(store: Store, table: object) -> int:
    async with store.engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(table)))  # type: ignore[arg-type]


async def _mario(store: Store) -> int:
    mario = await store.customer_by_fiscal_code(MARIO_CF)
    assert mario is not None
    return mario.id


# -- households -----------------------------------------------------------------------------


async def test_household_customer_first_then_family_by_birth_date(db: Store) -> None:
    household = await db.household(await _mario(db))
    assert [m.first_name for m in household.members] == ["Mario", "Anna", "Luca", "Marco"]
    assert household.customer.relation is Relation.HOLDER
    assert {m.customer_id for m in household.members} == {household.customer.id}


async def test_household_customer_first_even_if_a_member_is_older(db: Store) -> None:
    mario = await _mario(db)
    async with db.engine.begin() as conn:
        await conn.execute(
            insert(persons).values(
                customer_id=mario,
                relation=Relation.OTHER.value,
                first_name="Giuseppe",
                last_name="Rossi",
                birth_date=date(1948, 3, 1),
                fiscal_code="RSSGPP48C01H501X",
            )
        )
    names = [m.first_name for m in (await db.household(mario)).members]
    assert names == ["Mario", "Giuseppe", "Anna", "Luca", "Marco"]


async def test_household_policies_guarantees_and_insured(db: Store) -> None:
    household = await db.household(await _mario(db))
    by_name = {p.name: p for p in household.policies}
    assert set(by_name) == {"Salute Più", "Protezione Famiglia"}
    ids = {m.first_name: m.id for m in household.members}
    assert by_name["Salute Più"].insured_ids == tuple(ids.values())
    assert by_name["Protezione Famiglia"].insured_ids == (ids["Mario"], ids["Anna"])
    assert household.insured() == household.members

    def covering(person: str, code: str) -> set[str]:
        return {
            p.name
            for p in household.policies
            if ids[person] in p.insured_ids
            and any(g.covers_code(code, CatalogueKind.OUTPATIENT) for g in p.guarantees)
        }

    assert covering("Mario", "89.7A.3") == {"Salute Più", "Protezione Famiglia"}
    assert covering("Luca", "89.7A.3") == {"Salute Più"}


async def test_household_unknown_customer(db: Store) -> None:
    with pytest.raises(NotFound):
        await db.household(999_999)


async def test_customer_lookups(db: Store) -> None:
    mario = await db.customer_by_fiscal_code(" rssmra75d12h501j ")
    assert mario is not None and mario.full_name == "Mario Rossi"
    assert await db.customer_by_mobile("+393471234567") == mario
    # Family members are people, not customers.
    assert await db.customer_by_fiscal_code("RSSNNA78M55F205Z") is None
    anna = await db.person_by_fiscal_code("RSSNNA78M55F205Z")
    assert anna is not None and anna.customer_id == mario.id
    assert await db.customer_by_mobile("+393389876543") is None
    assert await db.customer_by_fiscal_code("XXXXXX00X00X000X") is None
    assert await db.customers() == [mario]
    assert await db.person(anna.id) == anna


async def test_facilities(db: Store) -> None:
    everything = await db.facilities()
    assert {f.town for f in everything} == {"Roma", "Milano", "Torino"}
    rome = await db.facilities(town="roma")
    assert rome and all(f.town == "Roma" for f in rome)
    assert await db.facility(rome[0].id) == rome[0]
    assert await db.facility(999_999) is None


# -- conversations --------------------------------------------------------------------------


async def test_conversation_versions(db: Store) -> None:
    assert await db.load_conversation("console", "u") is None
    first = await db.save_turn("console", "u", None, {"step": "start", "è": [1, 2]}, 0, now=NOW)
    assert first.version == 1 and first.request_number is None
    record = await db.load_conversation("console", "u")
    assert record is not None
    assert (record.customer_id, record.state, record.version) == (
        None,
        {"step": "start", "è": [1, 2]},
        1,
    )

    mario = await _mario(db)
    second = await db.save_turn("console", "u", mario, {"step": "next"}, 1, now=NOW)
    assert second.version == 2
    record = await db.load_conversation("console", "u")
    assert record is not None and record.customer_id == mario and record.state == {"step": "next"}


async def test_stale_versions_are_refused(db: Store) -> None:
    await db.save_turn("console", "u", None, {"n": 1}, 0)
    with pytest.raises(StaleConversation):
        await db.save_turn("console", "u", None, {"n": 2}, 0)  # a second "first" turn
    await db.save_turn("console", "u", None, {"n": 2}, 1)
    with pytest.raises(StaleConversation):
        await db.save_turn("console", "u", None, {"n": 3}, 1)
    record = await db.load_conversation("console", "u")
    assert record is not None and (record.state, record.version) == ({"n": 2}, 2)


async def test_concurrent_turns_one_wins(db: Store) -> None:
    await db.save_turn("console", "u", None, {"n": 0}, 0)
    results = await asyncio.gather(
        *(db.save_turn("console", "u", None, {"n": i}, 1) for i in range(5)),
        return_exceptions=True,
    )
    assert sum(1 for r in results if not isinstance(r, BaseException)) == 1
    assert all(isinstance(r, StaleConversation) for r in results if isinstance(r, BaseException))


async def test_concurrent_turns_share_transactions_and_a_failing_one_fails_alone(
        db: Store) -> None:
    """Turns saved together are grouped (portal.store.lanes): fewer commits than turns;
    a stale turn and a first turn for an unknown customer are refused without undoing the
    others, and each of the others is applied exactly once."""
    household = await db.household(await _mario(db))
    customer = household.customer.id
    await db.save_turn("console", "stale", customer, {"n": 1}, 0, now=NOW)
    commits = []
    lanes = db._lanes  # noqa: SLF001 - the engine the turns' writes run on
    sync_engine = getattr(lanes, "_engine", None)
    sync_engine = sync_engine.sync_engine if hasattr(sync_engine, "sync_engine") else sync_engine
    listen = (sync_engine, "commit", lambda _conn: commits.append(1))
    event.listen(*listen)
    try:
        turns = [db.save_turn("console", f"c{i}", customer, {"n": i}, 0, now=NOW)
                 for i in range(12)]
        turns.append(db.save_turn("console", "stale", customer, {"n": 2}, 0, now=NOW))
        turns.append(db.save_turn("console", "nobody", 999_999, {"n": 3}, 0, now=NOW))
        turns.append(db.save_turn("console", "c-submit", customer, {}, 0,
                                  make_draft(db, household, key="grouped"), NOW))
        outcomes = await asyncio.gather(*turns, return_exceptions=True)
    finally:
        event.remove(*listen)
    assert isinstance(outcomes[12], StaleConversation)
    assert isinstance(outcomes[13], IntegrityError)  # no such customer
    assert all(getattr(o, "version", None) == 1 for o in outcomes[:12] + outcomes[14:])
    assert 1 <= len(commits) < len(turns)
    for i in range(12):
        record = await db.load_conversation("console", f"c{i}")
        assert record is not None and (record.state, record.version) == ({"n": i}, 1)
    stale = await db.load_conversation("console", "stale")
    assert stale is not None and stale.state == {"n": 1}
    assert await db.load_conversation("console", "nobody") is None
    number = outcomes[14].request_number  # type: ignore[union-attr]
    assert number is not None and await db.get_request(number) is not None
    async with db.engine.connect() as conn:  # submitted once, not once per attempt
        assert await conn.scalar(select(func.count()).select_from(requests).where(
            requests.c.submission_key == "grouped")) == 1


async def test_channels_and_users_are_separate(db: Store) -> None:
    await db.save_turn("telegram", "1", None, {"a": 1}, 0)
    await db.save_turn("whatsapp", "1", None, {"b": 1}, 0)
    await db.save_turn("telegram", "2", None, {"c": 1}, 0)
    record = await db.load_conversation("telegram", "1")
    assert record is not None and record.state == {"a": 1}


async def test_reset_keeps_the_link_forget_drops_it(db: Store) -> None:
    mario = await _mario(db)
    await db.save_turn("console", "u", mario, {"step": "summary"}, 0)
    await db.reset_conversation("console", "u")
    record = await db.load_conversation("console", "u")
    assert record is not None and (record.customer_id, record.state, record.version) == (
        mario,
        {},
        2,
    )
    with pytest.raises(StaleConversation):
        await db.save_turn("console", "u", mario, {"step": "late"}, 1)
    await db.forget_conversation("console", "u")
    assert await db.load_conversation("console", "u") is None
    await db.reset_conversation("console", "nobody")  # nothing to reset: no error


# -- submission -----------------------------------------------------------------------------


async def test_submit_creates_request_documents_and_history(db: Store) -> None:
    household = await db.household(await _mario(db))
    draft = make_draft(db, household)
    result = await db.save_turn(
        "console", "u", household.customer.id, {"done": True}, 0, draft, NOW
    )
    assert result.request_number == "26000113"  # the demo used 26000001..26000112
    request = await db.get_request("26000113")
    assert request is not None
    assert request.status == RequestStatus.SENT.value == "inviata"
    assert (request.created_at, request.updated_at) == (NOW, NOW)
    assert request.created_at.tzinfo is not None
    assert request.submission_key == draft.submission_key
    assert (request.service_code, request.beneficiary_id) == ("89.7A.3", household.customer.id)
    [document] = request.documents
    assert document.amount == Decimal("1234.56")
    assert document.sha256 == draft.documents[0].file.sha256
    assert db.documents.exists(document.sha256)
    [change] = request.history
    assert (change.status, change.by, change.at) == ("inviata", "cliente", NOW)


async def test_stale_turn_leaves_no_request_behind(db: Store) -> None:
    household = await db.household(await _mario(db))
    await db.save_turn("console", "u", household.customer.id, {"n": 1}, 0)
    before = [await _count(db, t) for t in (requests, documents)]
    with pytest.raises(StaleConversation):
        await db.save_turn(
            "console", "u", household.customer.id, {"n": 2}, 5, make_draft(db, household), NOW
        )
    assert [await _count(db, t) for t in (requests, documents)] == before
    # The number was not consumed either.
    result = await db.save_turn(
        "console", "u", household.customer.id, {"n": 2}, 1, make_draft(db, household), NOW
    )
    assert result.request_number == "26000113"


async def test_failed_submit_leaves_state_unsaved(db: Store) -> None:
    household = await db.household(await _mario(db))
    await db.save_turn("console", "u", household.customer.id, {"n": 1}, 0)
    broken = make_draft(db, household, guarantee_id=999_999)  # violates a foreign key
    with pytest.raises(IntegrityError):
        await db.save_turn("console", "u", household.customer.id, {"n": 2}, 1, broken, NOW)
    record = await db.load_conversation("console", "u")
    assert record is not None and (record.state, record.version) == ({"n": 1}, 1)
    assert await db.get_request("26000113") is None


async def test_submission_is_idempotent(db: Store) -> None:
    household = await db.household(await _mario(db))
    draft = make_draft(db, household, key="same")
    first = await db.save_turn("console", "u", household.customer.id, {}, 0, draft, NOW)
    again = await db.save_turn("console", "u", household.customer.id, {"x": 1}, 1, draft, NOW)
    assert first.request_number == again.request_number == "26000113"
    assert again.version == 2
    async with db.engine.connect() as conn:
        found = await conn.scalar(
            select(func.count()).select_from(requests).where(requests.c.submission_key == "same")
        )
    assert found == 1
    other = await db.save_turn(
        "console", "u", household.customer.id, {}, 2, make_draft(db, household, key="other"), NOW
    )
    assert other.request_number == "26000114"


async def test_concurrent_submissions_get_distinct_numbers(db: Store) -> None:
    household = await db.household(await _mario(db))
    customer = household.customer.id
    results = await asyncio.gather(
        *(
            db.save_turn(
                "console", f"u{i}", customer, {}, 0, make_draft(db, household, key=f"c{i}"), NOW
            )
            for i in range(6)
        )
    )
    assert sorted(r.request_number or "" for r in results) == [f"2600011{i}" for i in range(3, 9)]


async def test_request_numbers_per_year(db: Store) -> None:
    household = await db.household(await _mario(db))
    customer = household.customer.id
    numbers = []
    version = 0
    for i, now in enumerate(
        [
            NOW,
            NOW,
            datetime(2026, 12, 31, 22, 59, tzinfo=UTC),  # still 2026 in Rome
            datetime(2026, 12, 31, 23, 30, tzinfo=UTC),  # already 2027 in Rome
            datetime(2027, 3, 1, tzinfo=UTC),
        ]
    ):
        result = await db.save_turn(
            "console", "u", customer, {}, version, make_draft(db, household, key=f"k{i}"), now
        )
        version = result.version
        numbers.append(result.request_number)
    assert numbers == ["26000113", "26000114", "26000115", "27000001", "27000002"]
    assert all(re.fullmatch(r"\d{8}", n or "") for n in numbers)
    async with db.engine.connect() as conn:
        counters = dict(
            (await conn.execute(select(request_counters.c.year, request_counters.c.last))).all()
        )
    assert counters == {2025: 158, 2026: 115, 2027: 2}


async def test_plain_urls_get_the_async_driver(tmp_path: Path) -> None:
    store = await Store.open(f"sqlite:///{tmp_path}/plain.sqlite3", tmp_path)
    try:
        assert store.engine.dialect.driver == "aiosqlite"
        await store.migrate()
        assert await store.schema_revision() is not None
    finally:
        await store.close()


def test_format_request_number() -> None:
    assert format_request_number(2026, 123) == "26000123"
    assert format_request_number(2030, 999_999) == "30999999"
    with pytest.raises(ValueError):
        format_request_number(2026, 1_000_000)
    with pytest.raises(ValueError):
        format_request_number(2026, 0)


async def test_naive_datetimes_are_refused(db: Store) -> None:
    with pytest.raises(ValueError):
        await db.save_turn("console", "u", None, {}, 0, now=datetime(2026, 1, 1))


# -- archive ----------------------------------------------------------------------------------


async def test_list_requests_newest_first(db: Store) -> None:
    found = await db.list_requests(await _mario(db))
    assert [r.number for r in found] == [
        "26000112", "26000087", "26000058", "26000021",
        "25000158", "25000103", "25000047", "25000012",
    ]  # fmt: skip
    assert all(r.history and r.history[-1].status == r.status for r in found)
    assert all(r.documents for r in found)


async def test_list_requests_filters(db: Store) -> None:
    household = await db.household(await _mario(db))
    ids = {m.first_name: m.id for m in household.members}
    customer = household.customer.id

    async def numbers(**filters: object) -> list[str]:
        return [r.number for r in await db.list_requests(customer, **filters)]  # type: ignore[arg-type]

    assert await numbers(beneficiary_id=ids["Anna"]) == ["26000058", "25000047"]
    assert await numbers(status="liquidata") == ["25000047", "25000012"]
    assert await numbers(since=date(2026, 1, 1)) == ["26000112", "26000087", "26000058", "26000021"]
    assert await numbers(until=date(2025, 5, 16)) == ["25000047", "25000012"]
    assert await numbers(since=date(2025, 5, 17), until=date(2025, 12, 31)) == [
        "25000158",
        "25000103",
    ]
    assert await numbers(year=2025, beneficiary_id=ids["Marco"]) == ["25000158"]
    assert await numbers(status="annullata") == []
    # 26000112 was sent at 22:41 in Rome on 20 November, 21:41 UTC: Italian days count.
    assert await numbers(since=date(2026, 11, 20), until=date(2026, 11, 20)) == ["26000112"]


async def test_list_requests_only_that_household(db: Store) -> None:
    async with db.engine.begin() as conn:
        result = await conn.execute(
            insert(persons).values(
                relation=Relation.HOLDER.value,
                first_name="Giulia",
                last_name="Verdi",
                birth_date=date(1980, 1, 1),
                fiscal_code="VRDGLI80A41H501X",
            )
        )
        other = new_id(result)
        await conn.execute(persons.update().where(persons.c.id == other).values(customer_id=other))
    assert await db.list_requests(other) == []
    assert len(await db.list_requests(await _mario(db))) == 8


async def test_get_request(db: Store) -> None:
    request = await db.get_request("26000058")
    assert request is not None
    assert [d.kind.value for d in request.documents] == ["spesa", "cartella_clinica"]
    assert request.documents[0].amount == Decimal("4850.00")
    assert [h.status for h in request.history] == ["inviata", "in_lavorazione"]
    assert request.history[0].at == datetime(2026, 4, 2, 8, 25, tzinfo=UTC)
    assert await db.get_request("99999999") is None


async def test_change_status_appends_history(db: Store) -> None:
    await db.change_status("26000021", "in_lavorazione", by="operatore",
                           note="Prescrizione ricevuta", now=NOW)
    request = await db.get_request("26000021")
    assert request is not None
    assert (request.status, request.updated_at) == ("in_lavorazione", NOW)
    assert request.history[-1].note == "Prescrizione ricevuta"
    assert [h.status for h in request.history] == [
        "inviata",
        "in_lavorazione",
        "sospesa",
        "in_lavorazione",
    ]
    with pytest.raises(NotFound):
        await db.change_status("00000000", "in_lavorazione", by="operatore")


async def test_sent_expenses_finds_the_same_receipt_in_the_household(db: Store) -> None:
    household = await db.household(await _mario(db))
    draft = make_draft(db, household, key="dup-1")
    [first] = draft.documents
    invoice = dataclasses.replace(first, expense_date=date(2026, 3, 12), number="FT 118/2026",
                                  issuer_vat="01234560124")
    draft = dataclasses.replace(draft, documents=(invoice,))
    result = await db.save_turn("console", "u", household.customer.id, {}, 0, draft, NOW)
    number = result.request_number
    customer = household.customer.id
    sha = invoice.file.sha256
    # The very same file.
    [twin] = await db.sent_expenses(customer, sha256=sha)
    assert (twin.request_number, twin.same_file, twin.number) == (number, True, "FT 118/2026")
    # Another file with the same number (spaces and case aside), day and issuer.
    [twin] = await db.sent_expenses(customer, sha256="0" * 64, number="ft118/2026",
                                    expense_date=date(2026, 3, 12), issuer_vat="01234560124")
    assert (twin.request_number, twin.same_file) == (number, False)
    # An issuer not read on one side does not tell them apart.
    assert len(await db.sent_expenses(customer, sha256="0" * 64, number="FT 118/2026",
                                      expense_date=date(2026, 3, 12))) == 1
    # Another issuer, another day, another number: not the same receipt.
    assert await db.sent_expenses(customer, sha256="0" * 64, number="FT 118/2026",
                                  expense_date=date(2026, 3, 12),
                                  issuer_vat="09876540122") == []
    assert await db.sent_expenses(customer, sha256="0" * 64, number="FT 118/2026",
                                  expense_date=date(2026, 3, 13)) == []
    assert await db.sent_expenses(customer, sha256="0" * 64, number="FT 119/2026",
                                  expense_date=date(2026, 3, 12)) == []
    # Another household's receipts are not looked at.
    async with db.engine.begin() as conn:
        other = new_id(await conn.execute(insert(persons).values(
            relation=Relation.HOLDER.value, first_name="Giulia", last_name="Verdi",
            birth_date=date(1980, 1, 1), fiscal_code="VRDGLI80A41H501X")))
    assert await db.sent_expenses(other, sha256=sha) == []
    request = await db.get_request(number)
    assert request is not None and request.documents[0].issuer_vat == "01234560124"
