"""The store: households, conversations and requests in one SQL database, async."""

from __future__ import annotations

# The archive: statuses with their details, documents added later, handoffs to a person.
import dataclasses
import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Self
from zoneinfo import ZoneInfo

from alembic import command
from alembic.config import Config
from sqlalchemy import column, delete, event, func, insert, literal, select, table, update
from sqlalchemy.engine import Connection, CursorResult, make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from portal import facilities as finder
from portal import notifications as queue
from portal import rows
from portal.documents import DocumentStore
from portal.models import (
    CatalogueKind,
    Doctor,
    Document,
    DocumentDraft,
    DocumentsDraft,
    Facility,
    FacilityMatch,
    FollowUp,
    Handoff,
    HandoffReason,
    Household,
    Person,
    Relation,
    Request,
    RequestDraft,
    RequestStatus,
    RequestType,
    StatusChange,
    StatusDetails,
)
from portal.notifications import Notice, Notification, Preferences
from portal.schema import (
    channel_links,
    conversations,
    doctors,
    documents,
    facilities,
    facility_services,
    followups,
    guarantees,
    handoffs,
    notification_preferences,
    notifications,
    persons,
    policies,
    policy_insured,
    request_counters,
    requests,
    status_details,
    status_history,
    verification_codes,
    whatsapp_inbox,
    whatsapp_statuses,
    whatsapp_windows,
)
from portal.statuses import TransitionError, check_details, check_transition
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

__all__ = [
    "ConversationRecord",
    "NotFound",
    "StaleConversation",
    "Store",
    "TurnResult",
    "format_request_number",
    "new_id",
]

MIGRATIONS = Path(__file__).parent / "migrations"
# The insurer's calendar: request numbers and date filters follow Italian days and years.
ROME = ZoneInfo("Europe/Rome")
SUBMITTED_BY = "cliente"
ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg"}
_ALEMBIC_VERSION = table("alembic_version", column("version_num"))


class StaleConversation(Exception):
    """Someone else advanced the conversation first: reload it and handle the turn again."""


class NotFound(LookupError):
    """No such customer or request."""


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    channel: str
    user_key: str
    customer_id: int | None
    state: dict[str, Any]
    version: int


@dataclass(frozen=True, slots=True)
class TurnResult:
    version: int
    request_number: str | None = None


def format_request_number(year: int, sequence: int) -> str:
    """8 digits: the last two of the year, then the sequence in that year (26000123)."""
    if not 0 < sequence <= 999_999:
        raise ValueError("request sequence out of range")
    return f"{year % 100:02d}{sequence:06d}"


def new_id(result: CursorResult[Any]) -> int:
    """The primary key of the row an INSERT created."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def _utc(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None:
        raise ValueError("naive datetime: pass an aware datetime")
    return now.astimezone(UTC)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), ROME).astimezone(UTC)


def _sqlite_pragmas(engine: AsyncEngine) -> None:
    """WAL and foreign keys on every connection; transactions opened by SQLAlchemy.

    The driver's own transaction handling starts transactions only before writes, so reads
    would run outside them and DDL would not be transactional: take that over.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN")


def _upgrade(connection: Connection, config: Config) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, "heads")


class Store:
    """The portal's records over SQLAlchemy Core (aiosqlite by default, asyncpg later).

    Every method opens its own short transaction; `save_turn` writes a conversation turn and
    the request it submits atomically.
    """

    def __init__(self, url: str, home: Path) -> None:
        self.url = url
        self.home = Path(home)
        self.home.mkdir(parents=True, exist_ok=True)
        self.documents = DocumentStore(self.home / "documents")
        parsed = make_url(url)
        # Plain "postgresql://" or "sqlite://" URLs get the async driver the store needs.
        if parsed.drivername in ASYNC_DRIVERS:
            parsed = parsed.set(drivername=ASYNC_DRIVERS[parsed.drivername])
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        self.engine: AsyncEngine = create_async_engine(parsed)
        if self.engine.dialect.name == "sqlite":
            _sqlite_pragmas(self.engine)

    @classmethod
    async def open(cls, url: str, home: Path) -> Store:
        return cls(url, home)

    async def close(self) -> None:
        await self.engine.dispose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.close()

    # -- schema --------------------------------------------------------------------------

    async def migrate(self) -> None:
        """`alembic upgrade heads` on this database: every feature's branch of revisions."""
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        async with self.engine.begin() as conn:
            await conn.run_sync(_upgrade, config)

    async def schema_revision(self) -> str | None:
        """The applied migration, or None for an empty database."""
        async with self.engine.connect() as conn:
            has_table = await conn.run_sync(
                lambda sync: sync.dialect.has_table(sync, "alembic_version")
            )
            if not has_table:
                return None
            revision = await conn.scalar(select(func.max(_ALEMBIC_VERSION.c.version_num)))
        return None if revision is None else str(revision)

    # -- customers and households ---------------------------------------------------------

    async def has_customers(self) -> bool:
        async with self.engine.connect() as conn:
            return (await conn.scalar(select(func.count()).select_from(persons))) != 0

    async def customers(self) -> list[Person]:
        """Every customer (policyholder), by surname and name."""
        async with self.engine.connect() as conn:
            found = await conn.execute(
                select(persons)
                .where(persons.c.relation == Relation.HOLDER.value)
                .order_by(persons.c.last_name, persons.c.first_name, persons.c.id)
            )
            return [rows.person(r) for r in found]

    async def household(self, customer_id: int) -> Household:
        """The customer first, then the family by birth date; the customer's policies."""
        async with self.engine.connect() as conn:
            member_rows = (
                await conn.execute(
                    select(persons)
                    .where(persons.c.customer_id == customer_id)
                    .order_by(persons.c.birth_date, persons.c.id)
                )
            ).all()
            members = [rows.person(r) for r in member_rows]
            customer = next((m for m in members if m.id == customer_id), None)
            if customer is None:
                raise NotFound(f"customer {customer_id}")
            family = [m for m in members if m.id != customer_id]

            policy_rows = (
                await conn.execute(
                    select(policies)
                    .where(policies.c.holder_id == customer_id)
                    .order_by(policies.c.id)
                )
            ).all()
            ids = [p.id for p in policy_rows]
            insured: dict[int, list[int]] = defaultdict(list)
            by_policy: dict[int, list[Any]] = defaultdict(list)
            if ids:
                for r in await conn.execute(
                    select(policy_insured).where(policy_insured.c.policy_id.in_(ids))
                ):
                    insured[r.policy_id].append(r.person_id)
                for r in await conn.execute(
                    select(guarantees)
                    .where(guarantees.c.policy_id.in_(ids))
                    .order_by(guarantees.c.id)
                ):
                    by_policy[r.policy_id].append(rows.guarantee(r))
        order = {m.id: i for i, m in enumerate([customer, *family])}
        return Household(
            customer=customer,
            members=(customer, *family),
            policies=tuple(
                rows.policy(
                    p,
                    sorted(insured[p.id], key=lambda i: order.get(i, len(order))),
                    by_policy[p.id],
                )
                for p in policy_rows
            ),
        )

    async def person(self, person_id: int) -> Person | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(persons).where(persons.c.id == person_id))).first()
        return rows.person(row) if row else None

    async def person_by_fiscal_code(self, cf: str) -> Person | None:
        """Any household member with this codice fiscale."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(persons).where(persons.c.fiscal_code == cf.strip().upper())
                )
            ).first()
        return rows.person(row) if row else None

    async def customer_by_fiscal_code(self, cf: str) -> Person | None:
        """The customer (policyholder) with this codice fiscale; family members are not."""
        found = await self.person_by_fiscal_code(cf)
        return found if found is not None and found.relation == Relation.HOLDER else None

    async def customer_by_mobile(self, e164: str) -> Person | None:
        """The customer (policyholder) with this mobile number, in E.164 (+393471234567)."""
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(persons)
                    .where(persons.c.mobile == e164, persons.c.relation == Relation.HOLDER.value)
                    .order_by(persons.c.id)
                )
            ).first()
        return rows.person(row) if row else None

    # -- facilities ------------------------------------------------------------------------

    async def facilities(self, *, town: str | None = None) -> list[Facility]:
        query = select(facilities).order_by(facilities.c.town, facilities.c.name)
        if town is not None:
            query = query.where(func.lower(facilities.c.town) == town.strip().lower())
        async with self.engine.connect() as conn:
            return [rows.facility(r) for r in await conn.execute(query)]

    async def facility(self, facility_id: int) -> Facility | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(select(facilities).where(facilities.c.id == facility_id))
            ).first()
        return rows.facility(row) if row else None

    async def facility_doctors(self, facility_id: int) -> list[Doctor]:
        async with self.engine.connect() as conn:
            found = await conn.execute(
                select(doctors).where(doctors.c.facility_id == facility_id).order_by(doctors.c.id)
            )
            return [rows.doctor(r) for r in found]

    async def facility_services(self, facility_id: int) -> dict[CatalogueKind, list[str]]:
        """What the facility provides: code patterns ("88.7*", "51*") by catalogue."""
        provided: dict[CatalogueKind, list[str]] = {}
        async with self.engine.connect() as conn:
            for r in await conn.execute(
                select(facility_services)
                .where(facility_services.c.facility_id == facility_id)
                .order_by(facility_services.c.catalogue_kind, facility_services.c.code_pattern)
            ):
                provided.setdefault(CatalogueKind(r.catalogue_kind), []).append(r.code_pattern)
        return provided

    async def search_facilities(
        self,
        *,
        service_code: str | None = None,
        catalogue_kind: CatalogueKind | str | None = None,
        town: str | None = None,
        cap: str | None = None,
        doctor: str | None = None,
        near: tuple[float, float] | None = None,
        limit: int = 8,
    ) -> list[FacilityMatch]:
        """Facilities providing the service (a catalogue code; with `catalogue_kind` alone,
        anything of that catalogue), in a town, near a CAP or a point, with a doctor.

        Nearest first with the distance in km; see `portal.facilities.search` for the rules.
        """
        provided = None
        if service_code is not None or catalogue_kind is not None:
            provided = select(facility_services.c.facility_id)
            if catalogue_kind is not None:
                provided = provided.where(
                    facility_services.c.catalogue_kind == CatalogueKind(catalogue_kind).value
                )
            if service_code is not None:
                # "88.7*" -> LIKE '88.7%'; an exact code is a LIKE without wildcards.
                provided = provided.where(
                    literal(service_code.strip().upper()).like(
                        func.replace(facility_services.c.code_pattern, "*", "%")
                    )
                )
        places = select(facilities)
        staff = select(doctors).order_by(doctors.c.id)
        if provided is not None:
            places = places.where(facilities.c.id.in_(provided))
            staff = staff.where(doctors.c.facility_id.in_(provided))
        async with self.engine.connect() as conn:
            found = [rows.facility(r) for r in await conn.execute(places)]
            people = [rows.doctor(r) for r in await conn.execute(staff)]
            # Where a CAP is does not depend on the service asked for.
            area = None
            if cap is not None:
                same_cap = select(facilities).where(facilities.c.cap == cap.strip())
                area = [rows.facility(r) for r in await conn.execute(same_cap)]
        return finder.search(
            found, people, town=town, cap=cap, doctor=doctor, near=near, limit=limit, cap_area=area
        )

    async def find_facility_by_name(
        self, text: str, town: str | None = None, limit: int = 5
    ) -> list[Facility]:
        """Facilities named like `text` ("quisisana", "aurelia hopsital"), best first; with
        `town`, only those in that town."""
        found = await self.facilities()
        if town is not None:
            found = finder.town_filter(found, town)[1]
        return finder.name_matches(text, found, limit)

    # -- conversations ---------------------------------------------------------------------

    async def load_conversation(self, channel: str, user_key: str) -> ConversationRecord | None:
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    select(conversations).where(
                        conversations.c.channel == channel, conversations.c.user_key == user_key
                    )
                )
            ).first()
        if row is None:
            return None
        return ConversationRecord(
            channel=row.channel,
            user_key=row.user_key,
            customer_id=row.customer_id,
            state=json.loads(row.state),
            version=row.version,
        )

    async def save_turn(
        self,
        channel: str,
        user_key: str,
        customer_id: int | None,
        state: dict[str, Any],
        expected_version: int,
        submit: RequestDraft | DocumentsDraft | None = None,
        now: datetime | None = None,
        followup: FollowUp | None = None,
    ) -> TurnResult:
        """Save the conversation state and, if given, submit the request: all or nothing.

        A `followup` is recorded with the turn (once per kind and subject); submitting the
        draft it follows marks it done.

        `expected_version` is the version loaded (0: no conversation yet). Raises
        `StaleConversation` if the stored version moved on; then nothing is written.
        Submitting a draft whose `submission_key` is already stored creates nothing and
        returns the existing request's number.
        """
        now = _utc(now)
        text = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
        version = expected_version + 1
        values = {"customer_id": customer_id, "state": text, "version": version, "updated_at": now}
        number: str | None = None
        try:
            async with self.engine.begin() as conn:
                # The conversation first: it takes the write lock and checks the version
                # before anything else is written.
                if expected_version == 0:
                    await conn.execute(
                        insert(conversations).values(channel=channel, user_key=user_key, **values)
                    )
                else:
                    result = await conn.execute(
                        update(conversations)
                        .where(
                            conversations.c.channel == channel,
                            conversations.c.user_key == user_key,
                            conversations.c.version == expected_version,
                        )
                        .values(**values)
                    )
                    if result.rowcount != 1:
                        raise StaleConversation()
                if followup is not None and customer_id is not None:
                    await self._follow_up(conn, channel, user_key, customer_id, followup, now)
                if isinstance(submit, DocumentsDraft):
                    await self._attach(conn, submit.number, submit.documents, SUBMITTED_BY, now)
                    number = submit.number
                elif submit is not None:
                    number = await self._submit(conn, submit, now)
                    await conn.execute(
                        update(followups)
                        .where(followups.c.customer_id == submit.customer_id,
                               followups.c.subject == submit.submission_key,
                               followups.c.done_at.is_(None))
                        .values(done_at=now)
                    )
        except IntegrityError:
            # A concurrent first turn inserted the same conversation.
            if expected_version == 0 and await self.load_conversation(channel, user_key):
                raise StaleConversation() from None
            raise
        return TurnResult(version=version, request_number=number)

    async def open_drafts(self) -> list[tuple[ConversationRecord, datetime]]:
        """Conversations of a customer with a request being written (a flow and its draft),
        and when each was last touched; for the reminder loop."""
        async with self.engine.connect() as conn:
            found = await conn.execute(
                select(conversations).where(conversations.c.customer_id.is_not(None)))
            rows = list(found)
        drafts = []
        for row in rows:
            state = json.loads(row.state)
            if state.get("flow") and state.get("draft_id"):
                drafts.append((ConversationRecord(row.channel, row.user_key, row.customer_id,
                                                  state, row.version), row.updated_at))
        return drafts

    async def reset_conversation(self, channel: str, user_key: str) -> None:
        """Start the conversation over: empty state, new version, the customer link kept."""
        async with self.engine.begin() as conn:
            await conn.execute(
                update(conversations)
                .where(conversations.c.channel == channel, conversations.c.user_key == user_key)
                .values(
                    state="{}", version=conversations.c.version + 1, updated_at=datetime.now(UTC)
                )
            )

    async def forget_conversation(self, channel: str, user_key: str) -> None:
        """Delete the conversation, customer link included (the next turn is version 0)."""
        async with self.engine.begin() as conn:
            await conn.execute(
                delete(conversations).where(
                    conversations.c.channel == channel, conversations.c.user_key == user_key
                )
            )

    # -- requests --------------------------------------------------------------------------

    async def _follow_up(self, conn: AsyncConnection, channel: str, user_key: str,
                         customer_id: int, followup: FollowUp, now: datetime) -> None:
        exists = await conn.scalar(
            select(func.count()).select_from(followups).where(
                followups.c.customer_id == customer_id,
                followups.c.kind == followup.kind,
                followups.c.subject == followup.subject,
            )
        )
        if not exists:
            await conn.execute(insert(followups).values(
                customer_id=customer_id, channel=channel, user_key=user_key, kind=followup.kind,
                subject=followup.subject, due_at=followup.due_at, created_at=now,
            ))

    async def followups(self, customer_id: int) -> list[tuple[FollowUp, datetime | None]]:
        """A customer's follow-ups, with when each was done (None: still due)."""
        async with self.engine.connect() as conn:
            found = await conn.execute(
                select(followups).where(followups.c.customer_id == customer_id)
                .order_by(followups.c.due_at)
            )
            return [(FollowUp(r.kind, r.subject, r.due_at), r.done_at) for r in found]

    async def _submit(self, conn: AsyncConnection, draft: RequestDraft, now: datetime) -> str:
        existing = await conn.scalar(
            select(requests.c.number).where(requests.c.submission_key == draft.submission_key)
        )
        if existing is not None:
            return str(existing)
        number = await self._next_number(conn, now.astimezone(ROME).year)
        # A direct service waits for the insurer's authorisation; a reimbursement is just sent.
        status = (RequestStatus.SENT.value if draft.type == RequestType.REIMBURSEMENT
                  else "in_attesa_autorizzazione")
        result = await conn.execute(
            insert(requests).values(rows.request_values(draft, number, status, now))
        )
        request_id = new_id(result)
        if draft.documents:
            await conn.execute(
                insert(documents), [rows.document_values(request_id, d) for d in draft.documents]
            )
        await conn.execute(
            insert(status_history).values(
                request_id=request_id,
                status=status,
                changed_at=now,
                changed_by=SUBMITTED_BY,
                note="",
            )
        )
        return number

    async def _next_number(self, conn: AsyncConnection, year: int) -> str:
        """The next request number of `year`, allocated inside the caller's transaction."""
        bump = (
            update(request_counters)
            .where(request_counters.c.year == year)
            .values(last=request_counters.c.last + 1)
        )
        if (await conn.execute(bump)).rowcount == 0:
            try:
                async with conn.begin_nested():
                    await conn.execute(insert(request_counters).values(year=year, last=1))
                return format_request_number(year, 1)
            except IntegrityError:
                # Another transaction opened the year first: take the next one after it.
                await conn.execute(bump)
        sequence = await conn.scalar(
            select(request_counters.c.last).where(request_counters.c.year == year)
        )
        assert sequence is not None  # the row was just updated or inserted
        return format_request_number(year, int(sequence))

    async def list_requests(
        self,
        customer_id: int,
        *,
        beneficiary_id: int | None = None,
        status: str | None = None,
        since: date | None = None,
        until: date | None = None,
        year: int | None = None,
    ) -> list[Request]:
        """The household's requests, newest first, with documents and history.

        `since`/`until` bound the submission day (inclusive, Italian time); `year` is the
        year the service was performed.
        """
        query = select(requests).where(requests.c.customer_id == customer_id)
        if beneficiary_id is not None:
            query = query.where(requests.c.beneficiary_id == beneficiary_id)
        if status is not None:
            query = query.where(requests.c.status == status)
        if since is not None:
            query = query.where(requests.c.created_at >= _day_start(since))
        if until is not None:
            query = query.where(requests.c.created_at < _day_start(until + timedelta(days=1)))
        if year is not None:
            query = query.where(requests.c.year == year)
        query = query.order_by(requests.c.created_at.desc(), requests.c.id.desc())
        async with self.engine.connect() as conn:
            found = (await conn.execute(query)).all()
            docs, history = await self._details(conn, [r.id for r in found])
            current = await self._current_details(conn, [r.id for r in found])
        return [
            dataclasses.replace(
                rows.request(r, docs[r.id], history[r.id]), status_details=current.get(r.id)
            )
            for r in found
        ]

    async def get_request(self, number: str) -> Request | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(requests).where(requests.c.number == number))).first()
            if row is None:
                return None
            docs, history = await self._details(conn, [row.id])
            current = await self._current_details(conn, [row.id])
        return dataclasses.replace(
            rows.request(row, docs[row.id], history[row.id]), status_details=current.get(row.id)
        )

    async def _details(
        self, conn: AsyncConnection, request_ids: Sequence[int]
    ) -> tuple[dict[int, list[Document]], dict[int, list[StatusChange]]]:
        docs: dict[int, list[Document]] = defaultdict(list)
        history: dict[int, list[StatusChange]] = defaultdict(list)
        if not request_ids:
            return docs, history
        for r in await conn.execute(
            select(documents)
            .where(documents.c.request_id.in_(request_ids))
            .order_by(documents.c.id)
        ):
            docs[r.request_id].append(rows.document(r))
        for r in await conn.execute(
            select(status_history)
            .where(status_history.c.request_id.in_(request_ids))
            .order_by(status_history.c.changed_at, status_history.c.id)
        ):
            history[r.request_id].append(rows.status_change(r))
        return docs, history

    # -- verification codes ----------------------------------------------------------------

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
        now = _utc(now)
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
            async with self.engine.begin() as conn:
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
        now = _utc(now)
        typed = normalise_code(code) or ""
        for _ in range(3):
            async with self.engine.begin() as conn:
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
        now = _utc(now)
        async with self.engine.connect() as conn:
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

    # -- chat users linked to customers ----------------------------------------------------

    async def link_user(
        self, channel: str, user_key: str, customer_id: int, now: datetime | None = None
    ) -> None:
        """`user_key` on `channel` speaks for `customer_id` from now on (replacing any link)."""
        now = _utc(now)
        async with self.engine.begin() as conn:
            done = await conn.execute(
                update(channel_links)
                .where(channel_links.c.channel == channel, channel_links.c.user_key == user_key)
                .values(customer_id=customer_id, linked_at=now)
            )
            if done.rowcount == 0:
                await conn.execute(insert(channel_links).values(
                    channel=channel, user_key=user_key, customer_id=customer_id, linked_at=now))

    async def linked_customer(self, channel: str, user_key: str) -> int | None:
        """The id of the customer this chat user speaks for, or None if not linked."""
        async with self.engine.connect() as conn:
            found = await conn.scalar(
                select(channel_links.c.customer_id).where(
                    channel_links.c.channel == channel, channel_links.c.user_key == user_key)
            )
        return None if found is None else int(found)

    async def unlink_user(self, channel: str, user_key: str) -> bool:
        """Removes the link; True if there was one."""
        async with self.engine.begin() as conn:
            done = await conn.execute(
                delete(channel_links).where(
                    channel_links.c.channel == channel, channel_links.c.user_key == user_key)
            )
        return bool(done.rowcount)

    # -- WhatsApp: accepted messages, 24-hour windows, delivery statuses --------------------

    async def accept_whatsapp(
        self, message_id: str, payload: dict[str, Any], wa_id: str, now: datetime | None = None
    ) -> bool:
        """Keeps a message from the webhook and opens its sender's window; False if it was
        accepted before (Meta delivers again what it is not sure arrived)."""
        now = _utc(now)
        async with self.engine.begin() as conn:
            try:
                async with conn.begin_nested():
                    await conn.execute(insert(whatsapp_inbox).values(
                        message_id=message_id, payload=payload, received_at=now))
            except IntegrityError:
                return False
            done = await conn.execute(
                update(whatsapp_windows).where(whatsapp_windows.c.wa_id == wa_id)
                .values(last_inbound_at=now))
            if done.rowcount == 0:
                await conn.execute(insert(whatsapp_windows).values(wa_id=wa_id,
                                                                   last_inbound_at=now))
        return True

    async def unprocessed_whatsapp(self) -> list[tuple[str, dict[str, Any]]]:
        """(message id, payload) of accepted messages not handled yet, oldest first."""
        async with self.engine.connect() as conn:
            found = await conn.execute(
                select(whatsapp_inbox.c.message_id, whatsapp_inbox.c.payload)
                .where(whatsapp_inbox.c.processed_at.is_(None))
                .order_by(whatsapp_inbox.c.id))
            return [(row.message_id, row.payload) for row in found]

    async def whatsapp_payload(self, message_id: str) -> dict[str, Any] | None:
        """The accepted message, if it still waits to be handled."""
        async with self.engine.connect() as conn:
            found = await conn.scalar(
                select(whatsapp_inbox.c.payload).where(
                    whatsapp_inbox.c.message_id == message_id,
                    whatsapp_inbox.c.processed_at.is_(None)))
        return None if found is None else dict(found)

    async def whatsapp_processed(self, message_id: str, now: datetime | None = None) -> None:
        async with self.engine.begin() as conn:
            await conn.execute(update(whatsapp_inbox)
                               .where(whatsapp_inbox.c.message_id == message_id)
                               .values(processed_at=_utc(now)))

    async def whatsapp_last_inbound(self, wa_id: str) -> datetime | None:
        """When `wa_id` last wrote to the bot (the 24-hour window starts there)."""
        async with self.engine.connect() as conn:
            found: datetime | None = await conn.scalar(
                select(whatsapp_windows.c.last_inbound_at)
                .where(whatsapp_windows.c.wa_id == wa_id))
        return found

    async def record_whatsapp_status(
        self, message_id: str, status: str, error_code: int | None = None,
        now: datetime | None = None,
    ) -> None:
        """The latest delivery status Meta reported for a message the bot sent."""
        values = {"status": status[:16], "error_code": error_code, "updated_at": _utc(now)}
        async with self.engine.begin() as conn:
            done = await conn.execute(update(whatsapp_statuses)
                                      .where(whatsapp_statuses.c.message_id == message_id)
                                      .values(**values))
            if done.rowcount == 0:
                await conn.execute(insert(whatsapp_statuses).values(message_id=message_id,
                                                                    **values))

    async def whatsapp_status(self, message_id: str) -> str | None:
        async with self.engine.connect() as conn:
            found = await conn.scalar(select(whatsapp_statuses.c.status)
                                      .where(whatsapp_statuses.c.message_id == message_id))
        return None if found is None else str(found)

    # -- the archive: statuses, documents added later, handoffs ----------------------------

    async def change_status(
        self,
        number: str,
        new_status: str,
        *,
        by: str,
        note: str = "",
        details: StatusDetails | None = None,
        now: datetime | None = None,
        notify: bool = True,
    ) -> Request:
        """Move the request to `new_status` as portal.statuses allows, recording its details
        (what is missing, what was paid, why, the authorisation) in a new history entry.
        With `notify`, the customer's "status_changed" message is queued in the same
        transaction.

        Raises NotFound, or TransitionError (refused transition, missing details, or the
        status changed meanwhile).
        """
        now = _utc(now)
        check_details(new_status, details)
        async with self.engine.begin() as conn:
            current = await self._status_of(conn, number)
            check_transition(current.type, current.status, new_status)
            history_id = await self._set_status(conn, current, new_status, by, note, details,
                                                now)
            if notify:
                await queue.enqueue(conn, Notice(
                    current.customer_id, "status_changed", number, str(history_id), now,
                    _status_payload(number, new_status, current.service_name, note, details)))
        return await self._request_or_fail(number)

    async def add_documents(
        self,
        number: str,
        documents_: Sequence[DocumentDraft],
        *,
        by: str,
        now: datetime | None = None,
    ) -> Request:
        """Attach documents the customer sends later. A suspended request goes back to
        in_lavorazione (a history entry); an open one just gets them.

        Raises NotFound, ValueError (no documents) or TransitionError (a request that is
        over: paid, refused, cancelled, closed, authorised or provided).
        """
        now = _utc(now)
        async with self.engine.begin() as conn:
            await self._attach(conn, number, documents_, by, now)
        return await self._request_or_fail(number)

    async def _attach(self, conn: AsyncConnection, number: str,
                      documents_: Sequence[DocumentDraft], by: str, now: datetime) -> None:
        """add_documents inside the caller's transaction (also used by save_turn)."""
        if not documents_:
            raise ValueError("no documents to add")
        current = await self._status_of(conn, number)
        if current.status not in _TAKES_DOCUMENTS:
            raise TransitionError(f"request {number} is {current.status}: no documents")
        await conn.execute(
            insert(documents), [rows.document_values(current.id, d) for d in documents_]
        )
        if current.status == RequestStatus.SUSPENDED:
            check_transition(current.type, current.status, RequestStatus.IN_PROGRESS)
            await self._set_status(
                conn, current, RequestStatus.IN_PROGRESS.value, by, "", None, now
            )
        else:
            await conn.execute(
                update(requests).where(requests.c.id == current.id).values(updated_at=now)
            )

    async def record_handoff(
        self,
        *,
        channel: str,
        user_key: str,
        reason: HandoffReason | str,
        text: str,
        customer_id: int | None = None,
        request_number: str | None = None,
        now: datetime | None = None,
    ) -> Handoff:
        """Record that a person must take the conversation over: asked for ("human") or a
        complaint ("complaint"), with what the customer wrote."""
        handoff = Handoff(
            id=0,
            customer_id=customer_id,
            channel=channel,
            user_key=user_key,
            reason=HandoffReason(reason),
            text=text,
            created_at=_utc(now),
            request_number=request_number,
        )
        values = {k: getattr(handoff, k) for k in Handoff.__slots__ if k != "id"}
        values["reason"] = handoff.reason.value
        async with self.engine.begin() as conn:
            handoff_id = new_id(await conn.execute(insert(handoffs).values(**values)))
        return dataclasses.replace(handoff, id=handoff_id)

    async def handoffs(
        self, *, customer_id: int | None = None, reason: HandoffReason | str | None = None
    ) -> list[Handoff]:
        """Handoffs, oldest first; only a customer's, or only of one reason, if asked."""
        query = select(handoffs).order_by(handoffs.c.created_at, handoffs.c.id)
        if customer_id is not None:
            query = query.where(handoffs.c.customer_id == customer_id)
        if reason is not None:
            query = query.where(handoffs.c.reason == HandoffReason(reason).value)
        async with self.engine.connect() as conn:
            return [rows.handoff(r) for r in await conn.execute(query)]

    async def _current_details(
        self, conn: AsyncConnection, request_ids: Sequence[int]
    ) -> dict[int, StatusDetails]:
        """The details of each request's current status: those of the latest history entry
        that set it, if it recorded any."""
        found: dict[int, StatusDetails] = {}
        if not request_ids:
            return found
        for r in await conn.execute(
            select(status_history.c.request_id, status_details)
            .join(status_details, status_details.c.history_id == status_history.c.id)
            .join(requests, requests.c.id == status_history.c.request_id)
            .where(
                status_history.c.request_id.in_(request_ids),
                status_history.c.status == requests.c.status,
            )
            .order_by(status_history.c.changed_at, status_history.c.id)
        ):
            found[r.request_id] = rows.status_details(r)  # the latest wins
        return found

    async def _status_of(self, conn: AsyncConnection, number: str) -> Any:
        row = (
            await conn.execute(
                select(requests.c.id, requests.c.type, requests.c.status,
                       requests.c.customer_id, requests.c.service_name).where(
                    requests.c.number == number
                )
            )
        ).first()
        if row is None:
            raise NotFound(f"request {number}")
        return row

    async def _set_status(
        self,
        conn: AsyncConnection,
        current: Any,
        status: str,
        by: str,
        note: str,
        details: StatusDetails | None,
        now: datetime,
    ) -> int:
        # Only from the status just read: a concurrent change makes this one fail.
        moved = await conn.execute(
            update(requests)
            .where(requests.c.id == current.id, requests.c.status == current.status)
            .values(status=status, updated_at=now)
        )
        if moved.rowcount != 1:
            raise TransitionError(f"request {current.id} changed status meanwhile")
        history_id = new_id(
            await conn.execute(
                insert(status_history).values(
                    request_id=current.id, status=status, changed_at=now, changed_by=by, note=note
                )
            )
        )
        if details is not None:
            await conn.execute(
                insert(status_details).values(rows.status_details_values(history_id, details))
            )
        return history_id

    # -- notifications: what the bot owes customers, and what they want to be told ---------

    async def links_of(self, customer_id: int) -> list[tuple[str, str]]:
        """The chat users (channel, user_key) speaking for the customer, latest linked first."""
        async with self.engine.connect() as conn:
            found = await conn.execute(
                select(channel_links.c.channel, channel_links.c.user_key)
                .where(channel_links.c.customer_id == customer_id)
                .order_by(channel_links.c.linked_at.desc()))
            return [(r.channel, r.user_key) for r in found]

    async def enqueue_notifications(self, notices: Sequence[Notice]) -> int:
        """Schedules each notice unless its key is already stored; how many were added."""
        async with self.engine.begin() as conn:
            return sum([await queue.enqueue(conn, n) for n in notices])

    async def sync_notifications(self, kinds: Sequence[str],
                                 notices: Sequence[Notice]) -> tuple[int, int]:
        """Makes the pending notices of `kinds` exactly `notices`: the new ones added, those no
        longer wanted cancelled. Returns (added, cancelled)."""
        async with self.engine.begin() as conn:
            added = sum([await queue.enqueue(conn, n) for n in notices])
            cancelled = await queue.cancel_missing(conn, kinds, {n.key for n in notices})
        return added, cancelled

    async def claim_notifications(self, now: datetime | None = None,
                                  limit: int = 20) -> list[Notification]:
        """Due notices, claimed for this sender for `queue.CLAIM_FOR`."""
        async with self.engine.begin() as conn:
            return await queue.claim(conn, _utc(now), limit)

    async def start_delivery(self, notification_id: int, now: datetime | None = None) -> bool:
        """Marks a claimed notice as being delivered; False if the claim was lost."""
        return await self._move_claimed(notification_id, _utc(now), status=queue.SENDING)

    async def mark_sent(self, notification_id: int, now: datetime | None = None) -> None:
        now = _utc(now)
        async with self.engine.begin() as conn:
            await conn.execute(update(notifications).where(
                notifications.c.id == notification_id, notifications.c.status == queue.SENDING,
            ).values(status=queue.SENT, sent_at=now, claimed_until=None))

    async def mark_failed(self, notification_id: int, *, retry: bool,
                          now: datetime | None = None) -> bool:
        """After a failed delivery: tried again later (back-off) while tries remain and
        `retry`, else given up. True if it will be tried again."""
        now = _utc(now)
        async with self.engine.begin() as conn:
            row = (await conn.execute(select(notifications.c.attempts).where(
                notifications.c.id == notification_id))).first()
            attempts = (row.attempts if row else 0) + 1
            again = retry and attempts < queue.MAX_ATTEMPTS
            await conn.execute(update(notifications).where(
                notifications.c.id == notification_id,
                notifications.c.status.in_((queue.PENDING, queue.SENDING)),
            ).values(status=queue.PENDING if again else queue.FAILED, attempts=attempts,
                     next_try_at=now + queue.backoff(attempts), claimed_until=None))
        return again

    async def postpone_notification(self, notification_id: int, until: datetime,
                                    now: datetime | None = None) -> bool:
        """Puts a claimed notice back until `until` (quiet hours)."""
        return await self._move_claimed(notification_id, _utc(now), next_try_at=until,
                                         claimed_until=None)

    async def cancel_notification(self, notification_id: int,
                                  now: datetime | None = None) -> bool:
        """Cancels a claimed notice (the customer turned these off, or nowhere to send it)."""
        return await self._move_claimed(notification_id, _utc(now), status=queue.CANCELLED,
                                        claimed_until=None)

    async def _move_claimed(self, notification_id: int, now: datetime, **values: Any) -> bool:
        async with self.engine.begin() as conn:
            done = await conn.execute(update(notifications).where(
                queue.still_claimed(notification_id, now)).values(**values))
        return done.rowcount == 1

    async def notifications(self, *, customer_id: int | None = None,
                            status: str | None = None) -> list[Notification]:
        """Stored notices, by when they are due."""
        query = select(notifications).order_by(notifications.c.next_try_at, notifications.c.id)
        if customer_id is not None:
            query = query.where(notifications.c.customer_id == customer_id)
        if status is not None:
            query = query.where(notifications.c.status == status)
        async with self.engine.connect() as conn:
            return [queue.row_to_notification(r) for r in await conn.execute(query)]

    async def preferences(self, customer_id: int) -> Preferences:
        async with self.engine.connect() as conn:
            return await queue.preferences(conn, customer_id)

    async def set_preferences(self, customer_id: int, *, reminders: bool | None = None,
                              status_changes: bool | None = None,
                              now: datetime | None = None) -> Preferences:
        """Turns reminders and/or status-change messages on or off; None keeps the setting."""
        now = _utc(now)
        prefs = notification_preferences
        async with self.engine.begin() as conn:
            old = await queue.preferences(conn, customer_id)
            new = Preferences(old.reminders if reminders is None else reminders,
                              old.status_changes if status_changes is None else status_changes)
            values = {"reminders": new.reminders, "status_changes": new.status_changes,
                      "updated_at": now}
            done = await conn.execute(
                update(prefs).where(prefs.c.customer_id == customer_id).values(**values))
            if done.rowcount == 0:
                await conn.execute(insert(prefs).values(customer_id=customer_id, **values))
        return new

    async def _request_or_fail(self, number: str) -> Request:
        request = await self.get_request(number)
        if request is None:
            raise NotFound(f"request {number}")
        return request


# Statuses in which the customer may still send documents.
_TAKES_DOCUMENTS = frozenset(
    {
        RequestStatus.SENT,
        RequestStatus.IN_PROGRESS,
        RequestStatus.SUSPENDED,
        RequestStatus.AWAITING_AUTHORISATION,
    }
)


def _status_payload(number: str, status: str, service: str, note: str,
                    details: StatusDetails | None) -> dict[str, Any]:
    """What the status-change message shows, as JSON values."""
    d = details or StatusDetails()
    return {
        "number": number, "status": status, "service": service, "note": note,
        "missing": list(d.missing_documents),
        "deadline": d.deadline.isoformat() if d.deadline else None,
        "amount_paid": str(d.amount_paid) if d.amount_paid is not None else None,
        "paid_on": d.paid_on.isoformat() if d.paid_on else None,
        "reason": d.reason,
        "authorisation_code": d.authorisation_code,
        "valid_until": d.valid_until.isoformat() if d.valid_until else None,
    }


def _code_row(purpose: str, target: str) -> Any:
    return select(verification_codes).where(
        verification_codes.c.purpose == purpose, verification_codes.c.target == target
    )
