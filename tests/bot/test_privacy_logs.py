"""Everything logged while customers link, write, send documents, fail and are served by the
back office holds none of their data: no codice fiscale, IBAN, phone number, email, name or
document text, in any message or traceback (scanned raw, before bot.logs would hide it)."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from bot.config import Settings
from bot.logs import _PATTERNS, configure_logging
from bot.runtime import Runtime
from bot.web import create_app
from bot.web.api import BackOffice
from bot.web.whatsapp import WhatsAppWebhook
from tests.auxil import files
from tests.auxil.fake_graph import FakeGraphApi, WaUser
from tests.auxil.runtime import demo_runtime
from tests.auxil.sms import RecordingSms
from tests.bot.whatsapp.conftest import config_for

HOUSEHOLD = json.loads((Path(__file__).parents[2] / "data/demo/household.json").read_text())
SECRET_TEXT = "Diagnosi riservata: ipertensione arteriosa"
IBAN = "IT60X0542811101000000123456"


def _customer_data() -> list[str]:
    values = []
    for person in HOUSEHOLD["persons"]:
        values += [person["fiscal_code"], f"{person['first_name']} {person['last_name']}",
                   person["email"], person["mobile"], person["iban"]]
    values = [v for v in values if v]
    values += [v.lstrip("+") for v in values if v.startswith("+")]  # as WhatsApp writes them
    return values + [SECRET_TEXT, "ipertensione"]


class Everything(logging.Handler):
    """Every record, as text, with its traceback: what any handler could write."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def logs() -> Iterator[Everything]:
    configure_logging(Settings())  # as `medbot serve` does (HTTP clients at warnings)
    handler = Everything()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)  # what medbot serve logs
    ours = [logging.getLogger(name) for name in ("bot", "dialogs", "nlu", "portal", "medbot")]
    before = [logger.level for logger in ours]
    for logger in ours:
        logger.setLevel(logging.DEBUG)  # and more, for medbot's own lines
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        for logger, was in zip(ours, before, strict=True):
            logger.setLevel(was)


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[Runtime, WhatsAppWebhook,
                                                          httpx.AsyncClient, RecordingSms]]:
    async with FakeGraphApi() as api, demo_runtime(tmp_path / "home") as runtime:
        sms = RecordingSms()
        whatsapp = WhatsAppWebhook(runtime, sms, config_for(api))
        whatsapp.api = api  # type: ignore[attr-defined]
        app = create_app(runtime, [whatsapp, BackOffice(runtime)])
        async with app.router.lifespan_context(app), httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://medbot.test") as client:
            yield runtime, whatsapp, client, sms


async def test_no_customer_data_in_any_log_line(logs: Everything, served: tuple) -> None:
    runtime, whatsapp, client, sms = served
    api = whatsapp.api

    # Linking from a number that is not Mario's mobile: codice fiscale, a wrong code, the code.
    mario = WaUser(client, api, whatsapp.inbox, "393339998877", "Mario Rossi")
    await mario.says("buongiorno")
    await mario.says(f"sono Mario Rossi, il mio codice fiscale è {HOUSEHOLD['persons'][0]['fiscal_code']}")
    await mario.says("000000")
    await mario.says(sms.last_code())
    # A whole reimbursement: IBAN and email typed, a photo, a PDF with medical text.
    await mario.taps("Rimborso")
    await mario.taps("2026")
    await mario.says("luca")
    await mario.says("ecografia addome completo")
    await mario.says("1")
    await mario.taps("Luca Rossi")
    await mario.says(IBAN)
    await mario.taps("Sì, continua")
    await mario.sends_image(files.jpeg("Fattura 7"))
    await mario.says("10/11/2026")
    await mario.says("120,50")
    await mario.says("FT 12/2026")
    await mario.taps("Continua")
    await mario.sends_document(files.pdf(title=SECRET_TEXT), "referto ipertensione.pdf")
    # Odd things: a position off the map, a broken file, a PDF with a script.
    await mario.send(mario.message("location", {"latitude": "nan", "longitude": "inf"}))
    await mario.sends_document(b"%PDF-1.7 " + SECRET_TEXT.encode(), "rotto.pdf")
    await mario.sends_document(files.pdf_with_javascript(), "script.pdf")
    # A turn that fails in the database, with the customer's data in its parameters.
    async with runtime.store.engine.begin() as conn:
        await conn.execute(text("ALTER TABLE conversations RENAME TO conversations_away"))
    await mario.says(f"il mio IBAN è {IBAN} e la mia email mario.rossi@example.it")
    async with runtime.store.engine.begin() as conn:
        await conn.execute(text("ALTER TABLE conversations_away RENAME TO conversations"))
    # The back office reads and moves requests, downloads a document, fails to authenticate.
    token = await runtime.store.add_operator("giulia")
    auth = {"Authorization": f"Bearer {token}"}
    found = (await client.get("/api/v1/requests", headers=auth,
                              params={"customer": HOUSEHOLD["persons"][0]["fiscal_code"]})).json()
    detail = (await client.get(f"/api/v1/requests/{found[0]['number']}", headers=auth)).json()
    if detail["documents"]:
        await client.get(f"/api/v1/requests/{detail['number']}/documents/"
                         f"{detail['documents'][0]['id']}", headers=auth)
    await client.post(f"/api/v1/requests/{detail['number']}/status", headers=auth,
                      json={"status": "in_lavorazione", "note": SECRET_TEXT})
    await client.get("/api/v1/requests", headers={"Authorization": "Bearer mbo_wrong"})

    everything = "\n".join(logs.lines)
    for seen in ("linked to a customer", "turn failed", "back-office call refused"):
        assert seen in everything, everything  # the scan saw the service at work
    leaks = [value for value in _customer_data() if value.casefold() in everything.casefold()]
    shapes = [m.group(0) for pattern in _PATTERNS for m in pattern.finditer(everything)]
    assert leaks == [] and shapes == [], "\n".join(
        line for line in logs.lines if any(v.casefold() in line.casefold() for v in leaks)
        or any(re.search(re.escape(s), line) for s in shapes))
