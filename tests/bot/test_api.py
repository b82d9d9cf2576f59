"""/api/v1: the back office, each operator with a token of their own, moves requests as the
portal allows; the records say which operator did it, as the token tells."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.runtime import Runtime
from bot.web import create_app
from bot.web.api import BackOffice
from tests.auxil.runtime import demo_runtime

AUTH: dict[str, str] = {}  # Giulia's token, set for each test by `client`


@pytest.fixture
async def runtime(tmp_path: Path) -> AsyncIterator[Runtime]:
    async with demo_runtime(tmp_path / "home") as runtime:
        yield runtime


@pytest.fixture
async def client(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    token = await runtime.store.add_operator("giulia")
    AUTH.clear()
    AUTH["Authorization"] = f"Bearer {token}"
    app = create_app(runtime, [BackOffice(runtime)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": "Bearer mbo_wrong"},
                                     {"Authorization": "Basic giulia"}])
async def test_missing_or_wrong_token_refused(client: httpx.AsyncClient,
                                              headers: dict[str, str]) -> None:
    for path in ("/api/v1/requests", "/api/v1/requests/26000112", "/api/v1/openapi.json"):
        answer = await client.get(path, headers=headers)
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"] == "Bearer"
    answer = await client.post("/api/v1/requests/26000112/status", headers=headers,
                               json={"status": "in_lavorazione"})
    assert answer.status_code == 401


async def test_one_token_per_operator_named_and_revocable(client: httpx.AsyncClient,
                                                          runtime: Runtime) -> None:
    marco = await runtime.store.add_operator("marco")
    as_marco = {"Authorization": f"Bearer {marco}"}
    answer = await client.post("/api/v1/requests/26000112/status", headers=as_marco,
                               json={"status": "in_lavorazione", "operator": "qualcun altro"})
    assert answer.status_code == 200
    assert answer.json()["history"][-1]["by"] == "marco"  # the token's, never the body's
    assert await runtime.store.revoke_operator("marco")
    assert (await client.get("/api/v1/requests", headers=as_marco)).status_code == 401
    assert (await client.get("/api/v1/requests", headers=AUTH)).status_code == 200
    assert [(o.name, o.active) for o in await runtime.store.operators()] == [
        ("giulia", True), ("marco", False)]


async def test_failed_authentication_is_rate_limited(client: httpx.AsyncClient) -> None:
    codes = [(await client.get("/api/v1/requests",
                               headers={"Authorization": f"Bearer mbo_guess{n}"})).status_code
             for n in range(12)]
    assert codes == [401] * 10 + [429, 429]
    blocked = await client.get("/api/v1/requests", headers=AUTH)  # from the same address
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0


async def test_the_token_is_checked_before_the_body_is_read(client: httpx.AsyncClient) -> None:
    pulled = 0

    async def body() -> AsyncIterator[bytes]:
        nonlocal pulled
        for _ in range(100):
            pulled += 1
            yield b"x" * 65536

    refused = await client.post("/api/v1/requests/26000112/status", content=body(),
                                headers={"Authorization": "Bearer mbo_wrong"})
    assert refused.status_code == 401 and pulled <= 1
    pulled = 0
    too_big = await client.post("/api/v1/requests/26000112/status", content=body(),
                                headers=AUTH)
    assert too_big.status_code == 413 and pulled <= 18


async def test_list_and_filter(client: httpx.AsyncClient) -> None:
    everything = (await client.get("/api/v1/requests", headers=AUTH)).json()
    assert everything[0]["number"] == "26000112"
    sent = (await client.get("/api/v1/requests", headers=AUTH,
                             params={"status": "inviata", "customer": "RSSMRA75D12H501J"})).json()
    assert sent and {r["status"] for r in sent} == {"inviata"}
    since = (await client.get("/api/v1/requests", headers=AUTH,
                              params={"since": "2026-11-01"})).json()
    assert all(r["created_at"] >= "2026-10-31" for r in since) and len(since) < len(everything)
    nobody = await client.get("/api/v1/requests", headers=AUTH,
                              params={"customer": "RSSNNA78M55F205Z"})
    assert nobody.json() == []
    bad = await client.get("/api/v1/requests", headers=AUTH, params={"status": "boh"})
    assert bad.status_code == 422


async def test_read_one_with_history_and_documents(client: httpx.AsyncClient) -> None:
    request = (await client.get("/api/v1/requests/26000058", headers=AUTH)).json()
    assert request["history"][-1]["by"] == "operatore"
    doc = request["documents"][0]
    file = await client.get(f"/api/v1/requests/26000058/documents/{doc['id']}", headers=AUTH)
    assert file.status_code == 200 and file.headers["content-type"].startswith(doc["mime_type"])
    assert len(file.content) == doc["size"]
    assert (await client.get("/api/v1/requests/26000058/documents/999999",
                             headers=AUTH)).status_code == 404
    assert (await client.get("/api/v1/requests/12345678", headers=AUTH)).status_code == 404


async def test_status_change_recorded_with_who_and_told(client: httpx.AsyncClient,
                                                        runtime: Runtime) -> None:
    answer = await client.post("/api/v1/requests/26000112/status", headers=AUTH,
                               json={"status": "in_lavorazione", "operator": "qualcun altro"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "in_lavorazione"
    assert answer.json()["history"][-1]["by"] == "giulia"
    queued = await runtime.store.notifications()
    assert [(n.kind, n.payload["status"]) for n in queued] == [("status_changed", "in_lavorazione")]


async def test_illegal_transitions_refused(client: httpx.AsyncClient) -> None:
    illegal = await client.post("/api/v1/requests/26000112/status", headers=AUTH, json={
        "status": "liquidata", "amount": "95.00", "paid_on": "2026-11-24"})
    assert illegal.status_code == 409 and "cannot go from 'inviata'" in illegal.json()["detail"]
    incomplete = await client.post("/api/v1/requests/26000112/status", headers=AUTH,
                                   json={"status": "sospesa"})
    assert incomplete.status_code == 409 and "deadline" in incomplete.json()["detail"]
    wrong_type = await client.post("/api/v1/requests/26000112/status", headers=AUTH,
                                   json={"status": "autorizzata",
                                         "auth_code": "A1"})
    assert wrong_type.status_code == 409
    unknown = await client.post("/api/v1/requests/12345678/status", headers=AUTH,
                                json={"status": "in_lavorazione"})
    assert unknown.status_code == 404
    nobody = await client.post("/api/v1/requests/26000112/status", headers=AUTH,
                               json={"status": "boh"})
    assert nobody.status_code == 422
    request = (await client.get("/api/v1/requests/26000112", headers=AUTH)).json()
    assert request["status"] == "inviata"


async def test_ask_for_missing_documents(client: httpx.AsyncClient) -> None:
    answer = await client.post("/api/v1/requests/26000112/missing-documents", headers=AUTH,
                               json={"missing": ["prescrizione", "referto"],
                                     "deadline": "2026-12-20"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["status"] == "sospesa"
    assert body["status_details"]["missing_documents"] == ["prescrizione", "referto"]


async def test_openapi_document(client: httpx.AsyncClient) -> None:
    doc = (await client.get("/api/v1/openapi.json", headers=AUTH)).json()
    assert set(doc["paths"]) == {
        "/api/v1/requests", "/api/v1/requests/{number}",
        "/api/v1/requests/{number}/documents/{document_id}",
        "/api/v1/requests/{number}/status", "/api/v1/requests/{number}/missing-documents"}
