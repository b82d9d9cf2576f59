"""`medbot requests list|show`: readable Italian text and stable JSON."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli.db import db_group, open_store
from bot.cli.requests import requests_group


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MEDBOT_DATABASE_URL", raising=False)
    monkeypatch.setenv("MEDBOT_HOME", str(tmp_path / "var"))
    return tmp_path / "var"


@pytest.fixture
def demo(home: Path) -> Path:
    assert CliRunner().invoke(db_group, ["init", "--demo"]).exit_code == 0
    return home


def _run(*args: str) -> Result:
    return CliRunner().invoke(requests_group, list(args), catch_exceptions=False)


def test_list_human(demo: Path) -> None:
    result = _run("list")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "Mario Rossi (RSS••••••••••••J): 8 richieste"
    assert lines[1].split()[:3] == ["Numero", "Inviata", "il"]
    assert lines[2].startswith("26000112  20 novembre 2026")
    assert "Marco Rossi" in lines[2] and lines[2].endswith("Inviata")
    assert lines[-1].startswith("25000012  5 febbraio 2025") and lines[-1].endswith("Liquidata")
    # Columns are aligned: the status column starts at the same place on every row.
    assert len({line.rindex("  ") for line in lines[1:]}) == 1


def test_list_by_customer_and_unknown_customer(demo: Path) -> None:
    assert _run("list", "--customer", "rssmra75d12h501j").output == _run("list").output
    result = CliRunner().invoke(requests_group, ["list", "--customer", "RSSNNA78M55F205Z"])
    assert result.exit_code == 1 and "codice fiscale" in result.output


def test_list_json(demo: Path) -> None:
    data = json.loads(_run("list", "--json").output)
    assert [r["number"] for r in data][:2] == ["26000112", "26000087"]
    assert _run("list", "--json").output == _run("list", "--json").output


def test_show_human(demo: Path) -> None:
    output = _run("show", "26000058").output
    assert output.startswith("Richiesta 26000058\n")
    for expected in (
        "Stato                        In lavorazione",
        "Beneficiario                 Anna Rossi",
        "Polizza                      Salute Più n. 400123456",
        "IBAN                         IT•••••••••••••••••••••4321",
        "Inviata il                   2 aprile 2026, 10:25",
        "Importo    € 4.850,00",
        "Data       27 marzo 2026",
        "2. Cartella clinica: cartella_clinica_2026.pdf",
        "3 aprile 2026, 08:50  In lavorazione (operatore)",
    ):
        assert expected in output, expected


def test_identifiers_are_masked_unless_asked(demo: Path) -> None:
    """codice fiscale, IBAN, email and mobile in part only, by default, in text and JSON."""
    for args in (("show", "26000058"), ("show", "26000058", "--json"), ("list",),
                 ("list", "--json")):
        masked, whole = _run(*args).output, _run(*args, "--unmasked").output
        for secret in ("RSSMRA75D12H501J", "IT69E0306903200000087654321", "3471234567",
                       "mario.rossi@"):
            assert secret not in masked, (args, secret)
        assert "IT69E0306903200000087654321" in whole or "RSSMRA75D12H501J" in whole


def test_show_direct_request(demo: Path) -> None:
    output = _run("show", "25000158").output
    assert "Aurelia Hospital, Roma" in output
    assert "14 ottobre 2025, 08:00" in output
    assert "Autorizzata (operatore): Presa in carico autorizzata" in output


def test_show_json_has_every_field(demo: Path) -> None:
    data = json.loads(_run("show", "26000112", "--json").output)
    assert data["number"] == "26000112" and data["status"] == "inviata"
    assert data["created_at"] == "2026-11-20T21:41:00+00:00"
    assert data["documents"][0]["amount"] == "95.00"
    assert data["documents"][0]["expense_date"] == "2026-11-17"
    assert data["history"] == [
        {"at": "2026-11-20T21:41:00+00:00", "by": "cliente", "note": "", "status": "inviata"}
    ]
    for key in (
        "beneficiary_id",
        "payee_id",
        "iban",
        "email",
        "mobile",
        "notes",
        "facility_id",
        "appointment",
        "policy_id",
        "guarantee_id",
        "service_code",
        "submission_key",
    ):
        assert key in data


def test_show_unknown_and_empty_database(home: Path) -> None:
    result = CliRunner().invoke(requests_group, ["show", "12345678"])
    assert result.exit_code == 1 and "db init" in result.output
    CliRunner().invoke(db_group, ["init"])
    result = CliRunner().invoke(requests_group, ["show", "12345678"])
    assert result.exit_code == 1 and "non trovata" in result.output


def test_set_status_moves_the_request_and_queues_the_message(demo: Path) -> None:
    result = _run("set-status", "26000112", "sospesa", "--missing", "prescrizione,referto",
                  "--deadline", "2026-12-20", "--by", "giulia.bianchi")
    assert result.exit_code == 0, result.output
    assert "Inviata -> Sospesa (giulia.bianchi)" in result.output
    data = json.loads(_run("show", "26000112", "--json").output)
    assert data["status"] == "sospesa"
    assert data["history"][-1]["by"] == "giulia.bianchi"
    assert data["status_details"]["missing_documents"] == ["prescrizione", "referto"]
    assert data["status_details"]["deadline"] == "2026-12-20"

    async def queued() -> list[str]:
        store = await open_store()
        try:
            return [n.kind for n in await store.notifications()]
        finally:
            await store.close()

    assert asyncio.run(queued()) == ["status_changed"]


def test_set_status_refuses_what_the_portal_refuses(demo: Path) -> None:
    refused = CliRunner().invoke(requests_group, ["set-status", "26000112", "liquidata",
                                                  "--amount", "95"])
    assert refused.exit_code == 1 and "rifiutato" in refused.output
    incomplete = CliRunner().invoke(requests_group, ["set-status", "26000112", "sospesa"])
    assert incomplete.exit_code == 1 and "deadline" in incomplete.output
    unknown = CliRunner().invoke(requests_group, ["set-status", "12345678", "in_lavorazione"])
    assert unknown.exit_code == 1 and "non trovata" in unknown.output
    assert json.loads(_run("show", "26000112", "--json").output)["status"] == "inviata"
