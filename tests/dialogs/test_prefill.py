"""What an opening sentence answers, step by step, before any conversation."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs.prefill import prefill_answers
from nlu.intents import parse

TODAY = date(2026, 11, 24)
PEOPLE = ["Mario", "Anna", "Luca", "Marco"]


def typed(text: str, flow: str) -> dict[str, str]:
    return prefill_answers(parse(text, TODAY, PEOPLE), flow, text, TODAY)


@pytest.mark.parametrize(("text", "expected"), [
    ("rimborso visita dermatologica del 12 novembre 130 euro per Marco",
     {"beneficiary": "Marco", "service_query": "visita dermatologica", "year": "2026",
      "exp_date": "12/11/2026", "exp_amount": "130,00"}),
    ("rimborso della visita oculistica di Luca del 3 novembre, 120 euro e 50",
     {"exp_date": "03/11/2026", "exp_amount": "120,50"}),
    ("rimborso di 2 visite del 12 novembre", {"exp_date": "12/11/2026"}),
    ("vorrei il rimborso della visita dal dentista", {"service_query": "visita dal dentista"}),
])
def test_reimbursement(text: str, expected: dict[str, str]) -> None:
    found = typed(text, "rimborso")
    assert found.items() >= expected.items(), found
    if "exp_amount" not in expected:
        assert "exp_amount" not in found  # a number without a currency is no amount


@pytest.mark.parametrize(("text", "expected"), [
    ("ho prenotato una visita cardiologica al Centro Medico Sant'Agostino di Milano per il "
     "3 dicembre alle 10 per Luca",
     {"beneficiary": "Luca", "service_query": "visita cardiologica", "booked": "sì",
      "booked_town": "Milano", "booked_name": "Centro Medico Sant'Agostino",
      "appointment": "03/12/2026 ore 10:00", "category": "visite"}),
    ("Luca ha già prenotato una ecografia addome presso lo Studio Radiologico Bianchi a Roma "
     "il 10 dicembre alle 15:30",
     {"booked": "sì", "booked_town": "Roma", "booked_name": "Studio Radiologico Bianchi",
      "appointment": "10/12/2026 ore 15:30"}),
    ("devo prenotare una visita dermatologica per Anna a Torino",
     {"booked": "no", "search": "Torino"}),
    ("ho già prenotato l'intervento di cataratta per mio marito a Roma",
     {"booked": "sì", "category": "ricovero", "booked_town": "Roma"}),
])
def test_direct(text: str, expected: dict[str, str]) -> None:
    found = typed(text, "diretta")
    assert found.items() >= expected.items(), found


@pytest.mark.parametrize("text", [
    "vorrei una visita cardiologica per Luca",           # booked or not: not said
    "ho prenotato ma devo prenotare ancora l'esame",     # both: asked
])
def test_booked_only_when_said(text: str) -> None:
    assert "booked" not in typed(text, "diretta")


def test_an_appointment_only_when_booked() -> None:
    found = typed("vorrei prenotare una visita oculistica per il 10 dicembre a Milano", "diretta")
    assert found.get("booked") == "no" and "appointment" not in found
