"""What operations ask the server: is it alive (/healthz), may it take traffic (/readyz: the
database answers and carries every migration), and what has it done (/metrics)."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse

from bot.metrics import CONTENT_TYPE
from bot.runtime import Runtime

__all__ = ["add_operations"]

log = logging.getLogger(__name__)


def add_operations(router: FastAPI, runtime: Runtime) -> None:
    """/healthz, /readyz and /metrics on the app, outside any feature's OpenAPI document."""

    @router.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """The process answers: nothing else is asked, so a slow database never restarts it."""
        return {"status": "ok"}

    @router.get("/readyz", include_in_schema=False)
    async def readyz() -> JSONResponse:
        try:
            current = await runtime.store.schema_current()
        except Exception as error:  # unreachable, refused, timed out: not ready, said why
            log.warning("not ready: database unreachable (%s)", type(error).__name__)
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
        if not current:
            return JSONResponse({"status": "unavailable", "database": "ok",
                                 "migrations": "pending"}, 503)
        return JSONResponse({"status": "ok", "database": "ok", "migrations": "current"})

    @router.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        metrics = runtime.metrics
        try:
            metrics.whatsapp_inbox_depth.set(await runtime.store.whatsapp_waiting())
        except Exception as error:  # the other figures are still worth having
            metrics.error("metrics", error)
        return Response(metrics.render(), media_type=CONTENT_TYPE)
