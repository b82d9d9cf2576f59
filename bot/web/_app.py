"""The ASGI app: operations' routes (health, readiness, metrics) plus the routes and start-up
of each configured feature."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import Protocol

from fastapi import APIRouter, FastAPI

from bot.runtime import Runtime
from bot.web._limits import MAX_BODY, BodyLimit, Guard, Guards
from bot.web._operations import add_operations

__all__ = ["WebFeature", "create_app", "default_features"]

log = logging.getLogger(__name__)


class WebFeature(Protocol):
    """Something the server hosts (Telegram webhooks; later WhatsApp, the back office): its
    routes, and what it starts before the first request and stops after the last."""

    router: APIRouter

    def lifespan(self) -> AbstractAsyncContextManager[object]: ...


def guards_of(features: Sequence[WebFeature]) -> list[Guard]:
    """The guards features offer (`guard`: who may call, judged before any body is read)."""
    return [guard for f in features if (guard := getattr(f, "guard", None)) is not None]


def default_features(runtime: Runtime) -> list[WebFeature]:
    """The features the settings turn on."""
    from bot.web._telegram import TelegramWebhook

    features: list[WebFeature] = []
    settings = runtime.settings
    if settings.telegram_token is not None:
        if settings.telegram_webhook_secret is None:
            log.warning("Telegram webhooks off: set MEDBOT_TELEGRAM_WEBHOOK_SECRET to take them")
        else:
            features.append(TelegramWebhook.from_runtime(runtime))
    if settings.whatsapp_token is not None:
        from bot.web.whatsapp import WhatsAppWebhook

        features.append(WhatsAppWebhook.from_runtime(runtime))
    return features


def create_app(runtime: Runtime, features: Sequence[WebFeature] | None = None) -> FastAPI:
    """The app `medbot serve` runs; `features` None means those the settings turn on."""
    chosen = default_features(runtime) if features is None else list(features)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            for feature in chosen:
                await stack.enter_async_context(feature.lifespan())
            yield

    app = FastAPI(title="medbot", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.runtime = runtime

    add_operations(app, runtime)
    for feature in chosen:
        app.include_router(feature.router)
    # Outermost first: bodies are limited while streaming, callers judged before reading them.
    app.add_middleware(Guards, guards=guards_of(chosen))
    app.add_middleware(BodyLimit, limit=MAX_BODY)
    return app
