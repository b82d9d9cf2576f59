"""portal.demo and data/demo: the Rossi household is loaded once and is consistent."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
from datetime import date
from pathlib import Path

import pytest
from schwifty import IBAN
from sqlalchemy import func, select
from stdnum.it import codicefiscale

from portal.demo import DEMO_DIR, load_demo
from portal.models import CatalogueKind, DocumentKind, Household, Relation
from portal.schema import persons, requests
from portal.store import Store

CATALOGUE = Path(__file__).resolve().parents[2] / "data" / "catalogue"


def _codes(name: str) -> dict[str, str]:
    with (CATALOGUE / name).open(encoding="utf-8") as f:
        return {
            row["codice"]: row.get("descrizione_breve") or row["descrizione"]
            for row in csv.DictReader(f)
        }


OUTPATIENT = _codes("nomenclatore_ambulatoriale.csv")
HOSPITAL = _codes("icd9cm_interventi.csv")


def _catalogue(kind: CatalogueKind) -> dict[str, str]:
    return OUTPATIENT if kind is CatalogueKind.OUTPATIENT else HOSPITAL


@pytest.fixture
async def household(store: Store) -> Household:
    mario = await store.customer_by_fiscal_code("RSSMRA75D12H501J")
    assert mario is not None
    return await store.household(mario.id)


async def test_loads_once(store: Store) -> None:
    assert await load_demo(store) is False
    async with store.engine.connect() as conn:
        assert await conn.scalar(select(func.count()).select_from(persons)) == 4
        assert await conn.scalar(select(func.count()).select_from(requests)) == 8


async def test_people(household: Household) -> None:
    mario, anna, luca, marco = household.members
    assert (mario.full_name, mario.birth_date, mario.relation) == (
        "Mario Rossi", date(1975, 4, 12), Relation.HOLDER
    )  # fmt: skip
    assert (mario.mobile, mario.email) == ("+393471234567", "mario.rossi@example.it")
    assert mario.iban == "IT60X0542811101000000123456"
    assert (anna.relation, luca.relation, marco.relation) == (
        Relation.SPOUSE, Relation.CHILD, Relation.CHILD
    )  # fmt: skip
    assert anna.iban and anna.iban != mario.iban and anna.email != mario.email
    assert luca.iban is None and marco.iban is None
    today = date(2026, 11, 24)
    assert luca.is_adult(today) and not marco.is_adult(today)
    for person in household.members:
        assert codicefiscale.is_valid(person.fiscal_code)
        assert codicefiscale.get_birth_date(person.fiscal_code) == person.birth_date
        if person.iban:
            # validate_bban checks the Italian CIN as well as the IBAN check digits.
            IBAN(person.iban, validate_bban=True)


async def test_policies(household: Household) -> None:
    ids = {m.first_name: m.id for m in household.members}
    salute, famiglia = household.policies
    assert (salute.name, salute.number) == ("Salute Più", "400123456")
    assert (famiglia.name, famiglia.number) == ("Protezione Famiglia", "400987654")
    assert set(famiglia.insured_ids) == {ids["Mario"], ids["Anna"]}

    def guarantees(code: str, kind: CatalogueKind) -> set[tuple[str, bool, bool]]:
        return {
            (p.number, g.reimbursement, g.direct)
            for p in household.policies
            for g in p.guarantees
            if g.covers_code(code, kind)
        }

    assert guarantees("89.7B.8", CatalogueKind.OUTPATIENT) == {  # visita ortopedica
        ("400123456", True, True), ("400987654", True, False)
    }  # fmt: skip
    assert guarantees("88.94.D", CatalogueKind.OUTPATIENT) == {  # RM del ginocchio
        ("400123456", True, True), ("400987654", True, True)
    }  # fmt: skip
    assert guarantees("88.76.1", CatalogueKind.OUTPATIENT) == {("400123456", True, True)}  # eco
    assert guarantees("51.23", CatalogueKind.HOSPITAL) == {
        ("400123456", True, False), ("400123456", False, True)
    }  # fmt: skip
    checkup = next(g for g in salute.guarantees if g.code == "SP-CHK")
    assert (checkup.direct, checkup.reimbursement) == (True, False)


async def test_patterns_match_real_codes(household: Household) -> None:
    for policy in household.policies:
        for g in policy.guarantees:
            codes = _catalogue(g.catalogue_kind)
            for pattern in g.covers:
                single = dataclasses.replace(g, covers=(pattern,))
                assert any(single.covers_code(c, g.catalogue_kind) for c in codes), pattern


async def test_high_specialisation_is_rm_tc_pet_only(household: Household) -> None:
    alta = next(g for p in household.policies for g in p.guarantees if g.code == "PF-ALTA")
    covered = [c for c in OUTPATIENT if alta.covers_code(c, CatalogueKind.OUTPATIENT)]
    assert len(covered) > 100
    for code in covered:
        words = OUTPATIENT[code].replace("[", " ").replace("]", " ").split()
        assert {"RM", "TC", "PET"} & set(words) or "POSITRONI" in words, code


async def test_visits_cover_the_catalogue_visits(household: Household) -> None:
    visits = next(g for p in household.policies for g in p.guarantees if g.code == "SP-VIS")
    named_visits = [c for c, d in OUTPATIENT.items() if d.startswith(("PRIMA VISITA", "VISITA"))]
    for code in named_visits:
        assert visits.covers_code(code, CatalogueKind.OUTPATIENT), code
    hospital = next(g for p in household.policies for g in p.guarantees if g.code == "SP-RIC-R")
    assert all(hospital.covers_code(c, CatalogueKind.HOSPITAL) for c in HOSPITAL)
    assert hospital.required_documents == (DocumentKind.CLINICAL_RECORD,)
    assert visits.required_documents == ()


async def test_requests_are_consistent(store: Store, household: Household) -> None:
    found = await store.list_requests(household.customer.id)
    assert len({r.status for r in found}) >= 5
    assert {r.year for r in found} == {2025, 2026}
    assert len({r.beneficiary_id for r in found}) == 4
    policies = {p.id: p for p in household.policies}
    for r in found:
        policy = policies[r.policy_id]
        guarantee = next(g for g in policy.guarantees if g.id == r.guarantee_id)
        assert r.beneficiary_id in policy.insured_ids, r.number
        assert r.service_code in _catalogue(r.catalogue_kind), r.number
        assert guarantee.covers_code(r.service_code, r.catalogue_kind), r.number
        assert guarantee.reimbursement if r.type == "rimborso" else guarantee.direct
        assert r.number.startswith(str(r.created_at.year)[2:]), r.number
        assert r.history[0].status == "inviata" and r.history[-1].status == r.status
        assert r.created_at == r.history[0].at and r.updated_at == r.history[-1].at
        kinds = {d.kind for d in r.documents}
        if r.status != "sospesa":  # the suspended one is waiting for its prescription
            assert set(guarantee.required_documents) <= kinds, r.number
        for d in r.documents:
            assert hashlib.sha256(store.documents.read(d.sha256)).hexdigest() == d.sha256
            assert d.size == len(store.documents.read(d.sha256))
        if r.type == "rimborso":
            payee = household.member(r.payee_id or 0)
            assert r.iban == payee.iban, r.number
            beneficiary = household.member(r.beneficiary_id)
            if beneficiary.is_adult(r.created_at.date()) and payee.id != beneficiary.id:
                assert r.payee_authorised, r.number


def test_files_are_real_pdf_and_png() -> None:
    data = json.loads((DEMO_DIR / "household.json").read_text(encoding="utf-8"))
    names = {d["file"]: d["mime_type"] for r in data["requests"] for d in r["documents"]}
    for name, mime in names.items():
        content = (DEMO_DIR / "files" / name).read_bytes()
        if mime == "application/pdf":
            from pypdf import PdfReader

            assert content.startswith(b"%PDF-")
            assert (
                "demo medbot"
                in PdfReader(DEMO_DIR / "files" / name, strict=True).pages[0].extract_text()
            )
        else:
            assert mime == "image/png" and content.startswith(b"\x89PNG\r\n\x1a\n")
