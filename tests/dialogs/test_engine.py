"""The engine on its own: a made-up household, no store, no channel."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest

from dialogs.engine import Engine, TurnOutcome
from dialogs.events import Inbound, IncomingFile
from dialogs.flows import REIMBURSEMENT
from dialogs.services import ServiceMatch
from dialogs.state import State
from nlu.receipts import Receipt
from portal.estimate import Reimbursement
from portal.models import (
    CatalogueKind,
    DocumentKind,
    Guarantee,
    Household,
    Person,
    Policy,
    Relation,
    Request,
    SentExpense,
    StoredFile,
)
from tests.auxil import files

TODAY = date(2026, 11, 24)
SINGLE = Person(1, 1, Relation.HOLDER, "Giulia", "Bianchi", date(1980, 1, 1), "BNCGLI80A41H501X",
                email="giulia@example.it", iban="IT60X0542811101000000123456")
GUARANTEES = (
    Guarantee(10, 5, "A", "Diagnostica di base", CatalogueKind.OUTPATIENT, ("88.7*",), True, False),
    Guarantee(11, 5, "B", "Diagnostica per immagini", CatalogueKind.OUTPATIENT, ("88*",), True,
              False, (DocumentKind.PRESCRIPTION,)),
)
HOUSEHOLD = Household(SINGLE, (SINGLE,), (
    Policy(5, "700000001", "Base", 1, date(2026, 1, 1), date(2026, 12, 31), (1,), GUARANTEES),
))


class FakeServices:
    """A two-entry catalogue and an in-memory file store."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}

    def find_services(self, text: str, limit: int) -> list[ServiceMatch]:
        entries = [ServiceMatch("88.76.1", "Ecografia dell'addome completo", "ambulatoriale", 90),
                   ServiceMatch("89.52", "Elettrocardiogramma", "ambulatoriale", 80)]
        words = text.casefold().split()
        return [e for e in entries if any(w[:3] in e.name.casefold() for w in words)][:limit]

    def service_name(self, code: str, kind: str) -> str | None:
        return None

    async def store_file(self, data: bytes, mime_type: str, filename: str) -> StoredFile:
        digest = hashlib.sha256(data).hexdigest()
        self.files[digest] = data
        return StoredFile(digest, mime_type, len(data), filename)

    async def list_requests(self, customer_id: int) -> list[Request]:
        return []  # no requests yet

    async def reimbursements(self, customer_id: int) -> list[Reimbursement]:
        return []  # nothing used of the yearly limits yet

    async def read_receipt(self, data: bytes, media_type: str) -> Receipt | None:
        return None  # nothing readable: the fields are asked

    async def sent_expenses(self, customer_id: int, **found: object) -> list[SentExpense]:
        return []


class Driver:
    def __init__(self) -> None:
        self.engine = Engine([REIMBURSEMENT], support_contact="chiama il numero verde")
        self.state = State()
        self.services = FakeServices()
        self.last: TurnOutcome | None = None

    async def send(self, inbound: Inbound) -> TurnOutcome:
        self.last = await self.engine.handle(self.state, inbound, HOUSEHOLD, TODAY, self.services)
        self.state = self.last.state
        return self.last

    async def say(self, text: str) -> TurnOutcome:
        return await self.send(Inbound(text=text))

    async def tap(self, label: str) -> TurnOutcome:
        assert self.last is not None
        ids = [c.id for r in self.last.replies for c in r.choices if label in c.label]
        assert len(ids) == 1, [c.label for r in self.last.replies for c in r.choices]
        return await self.send(Inbound(choice=ids[0]))

    @property
    def text(self) -> str:
        assert self.last is not None
        return "\n".join(r.text for r in self.last.replies)


@pytest.fixture
def driver() -> Driver:
    return Driver()


async def test_single_beneficiary_is_implied_and_said(driver: Driver) -> None:
    await driver.say("rimborso")
    await driver.say("2026")
    assert "Giulia Bianchi, l'unica persona assicurata" in driver.text
    assert driver.state.asked == "service_query"


async def test_two_guarantees_of_one_policy_are_offered(driver: Driver) -> None:
    await driver.say("rimborso")
    await driver.say("2026")
    await driver.say("ecografia addome")
    await driver.tap("Ecografia dell'addome completo")
    assert driver.state.asked == "guarantee"
    assert "Base n. 700000001" in driver.text  # the only policy, said
    await driver.tap("Diagnostica per immagini")
    assert driver.state.asked == "contacts"
    assert driver.state.answers["guarantee"] == 11


async def test_the_engine_never_mutates_the_callers_state(driver: Driver) -> None:
    await driver.say("rimborso")
    before = driver.state.to_json()
    await driver.engine.handle(driver.state, Inbound(text="2026"), HOUSEHOLD, TODAY, driver.services)
    assert driver.state.to_json() == before


async def test_state_survives_json(driver: Driver) -> None:
    await driver.say("rimborso")
    await driver.say("2026")
    restored = State.from_json(driver.state.to_json())
    assert restored == driver.state
    assert State.from_json({"flow": None, "unknown_field": 1}) == State()


async def test_help_restart_and_human(driver: Driver) -> None:
    await driver.say("rimborso")
    await driver.say("aiuto")
    assert "anno" in driver.text and driver.state.asked == "year"
    await driver.say("operatore")
    assert driver.last is not None and driver.last.handoff is not None
    assert driver.last.handoff.reason == "human" and driver.state.asked == "year"
    assert "numero verde" in driver.last.handoff.reply("7").text
    await driver.say("2025")
    await driver.say("ricomincia")
    assert driver.state.pending == "restart"
    await driver.say("sì")
    assert driver.state.asked == "year" and "year" not in driver.state.answers


async def test_commands_with_no_request_open(driver: Driver) -> None:
    await driver.say("annulla")
    assert "Non c'è nessuna richiesta in corso" in driver.text
    await driver.say("indietro")
    assert driver.state.flow is None


async def test_file_with_no_request_open_starts_a_reimbursement(driver: Driver) -> None:
    await driver.send(Inbound(file=IncomingFile(files.jpeg(), "x.jpg")))
    # Kept as the receipt of a new reimbursement; what it could not tell is asked.
    assert driver.state.flow == "rimborso"
    assert "Ho ricevuto il documento di spesa" in driver.text
    assert len(driver.services.files) == 1
    assert driver.state.answers["exp_file"]["filename"] == "x.jpg"
    assert driver.state.asked == "year"


async def test_direct_services_are_not_offered_yet(driver: Driver) -> None:
    await driver.say("ciao")
    await driver.tap("Prestazione diretta")
    assert "Area Clienti" in driver.text
    assert driver.state.flow is None


async def test_an_unclear_answer_to_cancel_keeps_the_draft(driver: Driver) -> None:
    await driver.say("rimborso")
    await driver.say("2026")
    await driver.say("annulla")
    await driver.say("ecografia")
    assert driver.state.flow == "rimborso" and driver.state.answers["year"] == 2026
    assert "continuiamo" in driver.text


async def test_resume_shows_where_we_were(driver: Driver) -> None:
    await driver.say("rimborso")
    token = driver.state.token
    await driver.send(Inbound())
    assert "Riprendiamo" in driver.text and "anno" in driver.text
    assert driver.state.token == token  # the buttons already shown still work
