"""/api/v1: the back office reads requests and moves them, with a bearer token."""

from __future__ import annotations

import hmac
from contextlib import AbstractAsyncContextManager, nullcontext
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Self

from fastapi import APIRouter, Depends, HTTPException, Query, Response
from fastapi.openapi.utils import get_openapi
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field

from bot.runtime import Runtime
from portal.models import Request, RequestStatus, StatusDetails
from portal.statuses import TransitionError
from portal.store import NotFound

__all__ = ["PREFIX", "BackOffice", "MissingDocuments", "StatusChangeIn"]

PREFIX = "/api/v1"
_bearer = HTTPBearer(auto_error=False)
Operator = Annotated[str, Field(min_length=1, max_length=64, description="Who makes the change")]


class StatusChangeIn(BaseModel):
    """A new status and what it must record (portal.statuses says which details it needs)."""

    status: RequestStatus
    operator: Operator
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
    operator: Operator
    note: str = Field("", max_length=2000)


class Problem(BaseModel):
    detail: str


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem, "description": "Missing or wrong bearer token"},
    404: {"model": Problem, "description": "No such request or document"},
}


class BackOffice:
    """The back-office API as a web feature of `medbot serve`."""

    def __init__(self, runtime: Runtime, token: str) -> None:
        if not token:
            raise ValueError("the back-office API needs MEDBOT_API_TOKEN")
        self.runtime = runtime
        self._token = token.encode()
        self.router = APIRouter(prefix=PREFIX, dependencies=[Depends(self._authorised)],
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
    def from_runtime(cls, runtime: Runtime) -> Self | None:
        """The API if MEDBOT_API_TOKEN is set, else None (not served)."""
        token = runtime.settings.api_token
        return cls(runtime, token.get_secret_value()) if token is not None else None

    def lifespan(self) -> AbstractAsyncContextManager[object]:
        return nullcontext()

    async def _authorised(
        self, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> None:
        given = credentials.credentials.encode("utf-8", "surrogateescape") if credentials else b""
        if not hmac.compare_digest(given, self._token):
            raise HTTPException(401, "missing or wrong bearer token",
                                headers={"WWW-Authenticate": "Bearer"})

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
        safe = "".join(ch for ch in doc.filename if ch.isalnum() or ch in "._-") or "document"
        return Response(data, media_type=doc.mime_type,
                        headers={"Content-Disposition": f'attachment; filename="{safe}"'})

    async def set_status(self, number: str, change: StatusChangeIn) -> Request:
        """Moves the request as the portal allows (409 otherwise); the customer is told."""
        return await self._change(number, change.status.value, change.operator, change.note,
                                  change.details())

    async def ask_documents(self, number: str, ask: MissingDocuments) -> Request:
        """Suspends the request until the listed documents arrive (by `deadline`)."""
        details = StatusDetails(missing_documents=tuple(ask.missing), deadline=ask.deadline)
        return await self._change(number, RequestStatus.SUSPENDED.value, ask.operator,
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
