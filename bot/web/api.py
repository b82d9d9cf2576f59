"""/api/v1: the back office reads requests and moves them; each operator with their own
bearer token, checked (and failures rate-limited) before any request body is read."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict, deque
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Self

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from fastapi import Request as HttpRequest
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field
from starlette.types import Scope

from bot.runtime import Runtime
from dialogs.uploads import safe_filename
from portal.models import Request, RequestStatus, StatusDetails
from portal.statuses import TransitionError
from portal.store import NotFound

__all__ = ["PREFIX", "BackOffice", "MissingDocuments", "StatusChangeIn"]

log = logging.getLogger(__name__)
PREFIX = "/api/v1"
# Only for the OpenAPI document: the guard checks the token before FastAPI sees the request.
_bearer = HTTPBearer(auto_error=False, description="The operator's token (medbot operators add)")
# Failed authentications allowed per client address in a window; then 429 until it passes.
FAILURES_ALLOWED = 10
FAILURE_WINDOW = 60.0
_CLIENTS_TRACKED = 10_000


class StatusChangeIn(BaseModel):
    """A new status and what it must record (portal.statuses says which details it needs)."""

    status: RequestStatus
    note: str = Field("", max_length=2000)
    reason: str = Field("", max_length=2000)
    amount: Decimal | None = Field(None, ge=0, max_digits=12, decimal_places=2)
    paid_on: date | None = None
    missing: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=20)
    deadline: date | None = None
    auth_code: str | None = Field(None, min_length=1, max_length=32)
    valid_until: date | None = None

    def details(self) -> StatusDetails:
        return StatusDetails(
            missing_documents=tuple(self.missing), deadline=self.deadline,
            amount_paid=self.amount, paid_on=self.paid_on, reason=self.reason.strip(),
            authorisation_code=self.auth_code, valid_until=self.valid_until,
        )


class MissingDocuments(BaseModel):
    """Ask the customer for documents: the request is suspended until they arrive."""

    missing: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        min_length=1, max_length=20)
    deadline: date
    note: str = Field("", max_length=2000)


class Problem(BaseModel):
    detail: str


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Missing, wrong or revoked bearer token"},
    429: {"model": Problem, "description": "Too many failed authentications: wait"},
    404: {"model": Problem, "description": "No such request or document"},
}


class FailedLogins:
    """Failed authentications per client address in a sliding window (this process)."""

    def __init__(self, allowed: int = FAILURES_ALLOWED, window: float = FAILURE_WINDOW) -> None:
        self.allowed = allowed
        self.window = window
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def blocked_for(self, client: str, now: float) -> float:
        """Seconds until `client` may try again (0: now)."""
        failures = self._recent(client, now)
        if len(failures) < self.allowed:
            return 0.0
        return max(failures[0] + self.window - now, 1.0)

    def failed(self, client: str, now: float) -> None:
        self._recent(client, now).append(now)
        self._failures.move_to_end(client)
        while len(self._failures) > _CLIENTS_TRACKED:
            self._failures.popitem(last=False)

    def _recent(self, client: str, now: float) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures


class BackOffice:
    """The back-office API as a web feature of `medbot serve`: operators are in the store
    (`medbot operators add NAME`), the one calling is known by the token, and the records say
    who did what by that name."""

    def __init__(self, runtime: Runtime, failures: FailedLogins | None = None) -> None:
        self.runtime = runtime
        self.failures = failures or FailedLogins()
        # The bearer dependency only documents the scheme: `guard` has checked the token.
        self.router = APIRouter(prefix=PREFIX, dependencies=[Depends(_bearer)],
                                responses=_ERRORS, tags=["back office"])
        r = self.router
        r.add_api_route("/requests", self.list_requests, methods=["GET"],
                        response_model=list[Request])
        r.add_api_route("/requests/{number}", self.get_request, methods=["GET"],
                        response_model=Request)
        r.add_api_route("/requests/{number}/documents/{document_id}", self.document,
                        methods=["GET"], response_class=Response,
                        responses={200: {"content": {"application/octet-stream": {}}}})
        conflict = {409: {"model": Problem, "description": "Transition refused"}}
        r.add_api_route("/requests/{number}/status", self.set_status, methods=["POST"],
                        response_model=Request, responses=conflict)
        r.add_api_route("/requests/{number}/missing-documents", self.ask_documents,
                        methods=["POST"], response_model=Request, responses=conflict)
        r.add_api_route("/openapi.json", self.openapi, methods=["GET"], include_in_schema=False)

    @classmethod
    def from_runtime(cls, runtime: Runtime) -> Self:
        if runtime.settings.api_token is not None:
            log.warning("MEDBOT_API_TOKEN is no longer used: give each operator a token of "
                        "their own with `medbot operators add NAME`")
        return cls(runtime)

    def lifespan(self) -> AbstractAsyncContextManager[object]:
        return nullcontext()

    async def guard(self, scope: Scope) -> Response | None:
        """Judges an /api/v1 request by its Authorization header before anything reads its
        body: the operator's name into the request state, or 401/429."""
        if not str(scope.get("path", "")).startswith(PREFIX + "/") \
                and scope.get("path") != PREFIX:
            return None
        client = (scope.get("client") or ("?", 0))[0]
        now = time.monotonic()
        wait = self.failures.blocked_for(client, now)
        if wait:
            return JSONResponse({"detail": "too many failed authentications"}, 429,
                                headers={"Retry-After": str(int(wait) + 1)})
        operator = await self._operator(scope)
        if operator is None:
            self.failures.failed(client, now)
            log.warning("back-office call refused: missing, wrong or revoked token")
            return JSONResponse({"detail": "missing, wrong or revoked bearer token"}, 401,
                                headers={"WWW-Authenticate": "Bearer"})
        scope["state"]["operator"] = operator
        return None

    async def _operator(self, scope: Scope) -> str | None:
        header = next((v for k, v in scope.get("headers", ()) if k.lower() == b"authorization"),
                      b"")
        scheme, _, token = header.decode("latin-1").strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip() or len(token) > 200:
            return None
        return await self.runtime.store.operator_by_token(token.strip())

    async def openapi(self) -> dict[str, Any]:
        return get_openapi(title="medbot back office", version="1", routes=self.router.routes)

    async def list_requests(
        self,
        customer: Annotated[str | None, Query(max_length=16,
                                              description="Policyholder's codice fiscale")] = None,
        status: RequestStatus | None = None,
        since: date | None = None,
        until: date | None = None,
    ) -> list[Request]:
        """Requests, newest first: one customer's or everyone's, by status and day sent."""
        store = self.runtime.store
        if customer is not None:
            found = await store.customer_by_fiscal_code(customer)
            customers = [found] if found is not None else []
        else:
            customers = await store.customers()
        result: list[Request] = []
        for c in customers:
            result += await store.list_requests(
                c.id, status=status.value if status else None, since=since, until=until)
        return sorted(result, key=lambda r: (r.created_at, r.id), reverse=True)

    async def get_request(self, number: str) -> Request:
        """One request with its documents and its status history (who, when)."""
        found = await self.runtime.store.get_request(number)
        if found is None:
            raise HTTPException(404, f"request {number} not found")
        return found

    async def document(self, number: str, document_id: int) -> Response:
        """A document's file, as the customer sent it."""
        request = await self.get_request(number)
        doc = next((d for d in request.documents if d.id == document_id), None)
        if doc is None or not self.runtime.store.documents.exists(doc.sha256):
            raise HTTPException(404, f"document {document_id} not found")
        data = self.runtime.store.documents.read(doc.sha256)
        safe = "".join(ch for ch in safe_filename(doc.filename)
                       if ch.isascii() and (ch.isalnum() or ch in "._-")) or "documento"
        return Response(data, media_type=doc.mime_type,
                        headers={"Content-Disposition": f'attachment; filename="{safe}"',
                                 "X-Content-Type-Options": "nosniff"})

    async def set_status(self, number: str, change: StatusChangeIn,
                         http: HttpRequest) -> Request:
        """Moves the request as the portal allows (409 otherwise); the customer is told. The
        history records the operator whose token made the call."""
        return await self._change(number, change.status.value, http.state.operator,
                                  change.note, change.details())

    async def ask_documents(self, number: str, ask: MissingDocuments,
                            http: HttpRequest) -> Request:
        """Suspends the request until the listed documents arrive (by `deadline`)."""
        details = StatusDetails(missing_documents=tuple(ask.missing), deadline=ask.deadline)
        return await self._change(number, RequestStatus.SUSPENDED.value, http.state.operator,
                                  ask.note, details)

    async def _change(self, number: str, status: str, operator: str, note: str,
                      details: StatusDetails) -> Request:
        try:
            return await self.runtime.store.change_status(
                number, status, by=operator, note=note, details=details,
                now=self.runtime.clock.now())
        except NotFound:
            raise HTTPException(404, f"request {number} not found") from None
        except TransitionError as exc:
            raise HTTPException(409, str(exc)) from None
