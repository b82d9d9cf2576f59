"""Two `medbot serve` replicas on one PostgreSQL database: the same customer's Telegram updates
posted to both, each also delivered a second time to the other, are applied once each, in
Telegram's order, and the reimbursement they make is submitted once; the documents one
replica received are read back from the other. At the same time a WhatsApp user's messages,
posted the same way, are applied once each in the order accepted."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import select

from bot.config import Settings
from bot.runtime import Runtime
from portal.demo import load_demo
from portal.documents import new_key
from portal.schema import conversations, telegram_updates, whatsapp_inbox
from tests.auxil import files
from tests.auxil.fake_graph import APP_SECRET, PHONE_ID, TOKEN, VERIFY_TOKEN, FakeGraphApi, WaUser
from tests.auxil.fake_telegram import FakeBotApi, FakeUser
from tests.auxil.portal import POSTGRES_SKIP, fresh_postgres_url, postgres_available
from tests.auxil.runtime import MARIO, TODAY

pytestmark = pytest.mark.skipif(not postgres_available(),
                                reason=POSTGRES_SKIP)

SECRET = "replicas-secret"
HEADER = "X-Telegram-Bot-Api-Secret-Token"
USER = 7001
WA_USER = "393471234567"  # Mario's mobile, as WhatsApp writes it
WA_SCRIPT = ["rimborso", "2026", "luca", "ecografia addome completo", "indietro", "aiuto"]
IBAN = "IT60X0542811101000000123456"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def _replica(env: dict[str, str], home: Path) -> AsyncIterator[httpx.AsyncClient]:
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "--port", str(port),
        env={**env, "MEDBOT_HOME": str(home)}, stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            for _ in range(600):
                if process.returncode is not None:
                    raise AssertionError((await process.communicate())[1].decode())
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("replica did not start")
            yield client
    finally:
        if process.returncode is None:
            process.terminate()
        _, err = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, err.decode()
        assert "Traceback" not in err.decode(), err.decode()


def _script(api: FakeBotApi, user: FakeUser) -> list[dict[str, Any]]:
    """A whole reimbursement for Luca, typed (no button data to wait for), as webhook updates."""

    def text(words: str) -> dict[str, Any]:
        fields: dict[str, Any] = {"text": words}
        if words.startswith("/"):
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(words)}]
        return api.update_body({"message": user._message(**fields)})

    receipt = files.jpeg("Fattura 7")
    photo = [{**api.add_file(receipt[:64]), "width": 40, "height": 30},
             {**api.add_file(receipt), "width": 400, "height": 300}]
    prescription = {**api.add_file(files.pdf(title="Ricetta")), "file_name": "ricetta.pdf",
                    "mime_type": "application/pdf"}
    return [
        text("/start"), text("Rimborso"), text("2026"), text("luca"),
        text("ecografia addome completo"), text("1"), text("Luca Rossi"), text(IBAN),
        text("Sì, continua"),
        api.update_body({"message": user._message(photo=photo)}),
        text("10/11/2026"), text("120,50"), text("FT 12/2026"), text("Continua"),
        api.update_body({"message": user._message(document=prescription)}),
        text("Continua"), text("Nessuna nota"), text("Invia la richiesta"),
    ]


def _turns(metrics: str, channel: str) -> float:
    return sum(s.value for family in text_string_to_metric_families(metrics)
               for s in family.samples
               if s.name == "medbot_turns_total" and s.labels.get("channel") == channel)


async def test_two_replicas_apply_each_update_once_in_order(tmp_path: Path) -> None:
    url = fresh_postgres_url("replicas")
    assert url is not None
    key = new_key()
    settings = Settings(home=tmp_path / "setup", database_url=url, document_key=key,
                        document_storage="database", today=TODAY)
    runtime = await Runtime.open(settings)  # migrates the fresh database
    try:
        await load_demo(runtime.store)
        mario = await runtime.store.customer_by_fiscal_code(MARIO)
        assert mario is not None
        await runtime.store.link_user("telegram", str(USER), mario.id)
        await runtime.store.link_user("whatsapp", WA_USER, mario.id)
        before = {r.number for r in await runtime.store.list_requests(mario.id)}
    finally:
        await runtime.close()

    async with FakeBotApi() as api, FakeGraphApi() as graph, AsyncExitStack() as replicas:
        # Each replica with a home of its own: documents only meet in the database.
        env = {**os.environ, "MEDBOT_DATABASE_URL": url, "MEDBOT_DOCUMENT_KEY": key,
               "MEDBOT_DOCUMENT_STORAGE": "database",
               "MEDBOT_TODAY": TODAY.isoformat(), "MEDBOT_REMINDERS_EVERY": "0",
               "MEDBOT_TELEGRAM_TOKEN": api.token, "MEDBOT_TELEGRAM_API_URL": api.api_url,
               "MEDBOT_TELEGRAM_FILE_URL": api.file_url,
               "MEDBOT_TELEGRAM_WEBHOOK_SECRET": SECRET,
               "MEDBOT_WHATSAPP_TOKEN": TOKEN, "MEDBOT_WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
               "MEDBOT_WHATSAPP_APP_SECRET": APP_SECRET,
               "MEDBOT_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
               "MEDBOT_WHATSAPP_API_URL": graph.url}
        one = await replicas.enter_async_context(_replica(env, tmp_path / "a"))
        two = await replicas.enter_async_context(_replica(env, tmp_path / "b"))
        updates = _script(api, FakeUser(api, USER))
        wa_users = [WaUser(client, graph, None, WA_USER) for client in (one, two)]
        wa_bodies = [wa_users[0].update(wa_users[0].message("text", {"body": words}))
                     for words in WA_SCRIPT]
        # Posted in order, alternately, without waiting for the bot; each one delivered again
        # to the other replica (a retry through the balancer).
        for n, update in enumerate(updates):
            first, again = (one, two) if n % 2 == 0 else (two, one)
            for client in (first, again):
                answer = await client.post("/telegram/webhook", json=update,
                                           headers={HEADER: SECRET})
                assert answer.status_code == 200, answer.text
            if n < len(wa_bodies):
                for user in (wa_users[n % 2], wa_users[1 - n % 2]):
                    answer = await user.post(wa_bodies[n])
                    assert answer.status_code == 200, answer.text

        check = await Runtime.open(settings)
        try:
            async def handled() -> list[Any]:
                async with check.store.engine.connect() as conn:
                    return list(await conn.execute(
                        select(telegram_updates.c.update_id, telegram_updates.c.processed_at)
                        .order_by(telegram_updates.c.update_id)))

            async def wa_handled() -> list[Any]:
                async with check.store.engine.connect() as conn:
                    return list(await conn.execute(
                        select(whatsapp_inbox.c.message_id, whatsapp_inbox.c.processed_at)
                        .order_by(whatsapp_inbox.c.id)))

            for _ in range(1200):
                rows, wa_rows = await handled(), await wa_handled()
                if (len(rows) == len(updates) and all(r.processed_at for r in rows)
                        and len(wa_rows) == len(WA_SCRIPT)
                        and all(r.processed_at for r in wa_rows)):
                    break
                await asyncio.sleep(0.1)
            else:
                raise AssertionError(f"not all handled: {rows} {wa_rows}")
            # Each kept once, handled in Telegram's order.
            assert [r.update_id for r in rows] == [u["update_id"] for u in updates]
            times = [r.processed_at for r in rows]
            assert times == sorted(times)
            # Each applied once: one saved turn per update, counted by the two replicas.
            async with check.store.engine.connect() as conn:
                version = await conn.scalar(select(conversations.c.version).where(
                    conversations.c.channel == "telegram",
                    conversations.c.user_key == str(USER)))
            assert version == len(updates)
            metrics = [(await c.get("/metrics")).text for c in (one, two)]
            counted = [_turns(text, "telegram") for text in metrics]
            assert sum(counted) == len(updates), counted

            # WhatsApp: kept once each, handled in the order accepted, one turn each.
            assert [r.message_id for r in wa_rows] == [
                body["entry"][0]["changes"][0]["value"]["messages"][0]["id"]
                for body in wa_bodies]
            wa_times = [r.processed_at for r in wa_rows]
            assert wa_times == sorted(wa_times)
            async with check.store.engine.connect() as conn:
                wa_version = await conn.scalar(select(conversations.c.version).where(
                    conversations.c.channel == "whatsapp",
                    conversations.c.user_key == WA_USER))
            assert wa_version == len(WA_SCRIPT)
            assert sum(_turns(text, "whatsapp") for text in metrics) == len(WA_SCRIPT)

            # One request submitted, with what was typed in that order.
            after = await check.store.list_requests(mario.id)
            new = [r for r in after if r.number not in before]
            assert len(new) == 1, [r.number for r in new]
            request = await check.store.get_request(new[0].number)
            assert request is not None
            expense = next(d for d in request.documents if d.kind == "spesa")
            assert expense.amount == Decimal("120.50") and expense.number == "FT 12/2026"
            texts = [c.params["text"] for c in api.calls_of("sendMessage", USER)]
            assert sum("Richiesta inviata" in t for t in texts) == 1, texts[-3:]

            # The documents, whichever replica received them, read back from both.
            token = await check.store.add_operator("giulia")
            for client in (one, two):
                for document in request.documents:
                    got = await client.get(
                        f"/api/v1/requests/{request.number}/documents/{document.id}",
                        headers={"Authorization": f"Bearer {token}"})
                    assert got.status_code == 200, (document.kind, got.status_code)
        finally:
            await check.close()
