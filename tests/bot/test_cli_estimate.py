"""`medbot estimate` for scripts, and `medbot requests set-status ... --amount` with the
payment's breakdown that "perché mi avete dato meno?" is answered from."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli.db import db_group, open_store
from bot.cli.estimate import estimate_command
from bot.cli.requests import requests_group


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("MEDBOT_DATABASE_URL", raising=False)
    monkeypatch.setenv("MEDBOT_HOME", str(tmp_path / "var"))
    monkeypatch.setenv("MEDBOT_TODAY", "2026-11-24")
    assert CliRunner().invoke(db_group, ["init", "--demo"]).exit_code == 0
    return tmp_path / "var"


def _estimate(*args: str) -> str:
    result = CliRunner().invoke(estimate_command, ["--customer", "RSSMRA75D12H501J", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_two_policies_two_estimates(demo: Path) -> None:
    output = _estimate("--service", "visita cardiologica", "--amount", "120")
    assert "Prima visita cardiologica" in output and "(Mario)" in output
    assert "Stima: € 120,00, tutto l'importo" in output
    assert "Stima: € 95,00 = € 120,00 − franchigia € 25,00" in output
    assert "È una stima" in output


def test_for_a_person_with_scoperto_and_its_minimum(demo: Path) -> None:
    output = _estimate("--service", "risonanza del ginocchio", "--amount", "300", "--person",
                       "anna")
    assert "scoperto 10 % (minimo € 25,00 → € 30,00)" in output
    assert "Stima: € 240,00 = € 300,00 − scoperto 20 % (minimo € 50,00 → € 60,00)" in output


def test_session_cap_and_limits(demo: Path) -> None:
    output = _estimate("--service", "fisioterapia", "--amount", "50", "--person", "Luca")
    assert "€ 10,00 oltre € 40,00 a seduta" in output
    assert "sedute di fisioterapia ancora disponibili: 10 su 10" in output


def test_refusals(demo: Path) -> None:
    wrong = CliRunner().invoke(estimate_command, ["--customer", "RSSNNA78M55F205Z", "--service",
                                                  "visita", "--amount", "10"])
    assert wrong.exit_code == 1 and "codice fiscale" in wrong.output
    nobody = CliRunner().invoke(estimate_command, ["--customer", "RSSMRA75D12H501J",
                                                   "--service", "visita", "--amount", "10",
                                                   "--person", "Giulia"])
    assert nobody.exit_code == 1 and "Giulia" in nobody.output
    negative = CliRunner().invoke(estimate_command, ["--customer", "RSSMRA75D12H501J",
                                                     "--service", "visita", "--amount", "-5"])
    assert negative.exit_code == 2
    unknown = _estimate("--service", "zzzz qqqq", "--amount", "10")
    assert "Non so con certezza" in unknown


def test_set_status_records_the_breakdown(demo: Path) -> None:
    run = CliRunner()
    assert run.invoke(requests_group, ["set-status", "26000021", "in_lavorazione"]).exit_code == 0
    wrong = run.invoke(requests_group, ["set-status", "26000021", "liquidata", "--amount", "35",
                                        "--scoperto", "20"])
    assert wrong.exit_code == 1 and "non tornano" in wrong.output
    done = run.invoke(requests_group, ["set-status", "26000021", "liquidata", "--amount", "35",
                                       "--scoperto", "25"])
    assert done.exit_code == 0, done.output

    async def details() -> object:
        store = await open_store()
        try:
            request = await store.get_request("26000021")
            assert request is not None
            return request.status_details
        finally:
            await store.close()

    found = asyncio.run(details())
    assert found.amount_claimed == Decimal("60.00")  # type: ignore[attr-defined]
    assert found.scoperto == Decimal("25")  # type: ignore[attr-defined]
