"""Sending SMS: the SmsSender contract, the development console and an HTTP gateway."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Protocol

from bot.config import Settings

if TYPE_CHECKING:  # httpx is imported with the first SMS sent through a gateway
    import httpx

__all__ = ["ConsoleSms", "HttpSms", "SmsError", "SmsSender", "mask_phone", "sms_sender"]

log = logging.getLogger(__name__)
# The development console: the only log that ever shows a message's text (and so a code).
CONSOLE_LOG = logging.getLogger("medbot.sms.console")
TIMEOUT = 10.0


class SmsError(Exception):
    """The message could not be handed to the provider."""


class SmsSender(Protocol):
    async def send(self, to: str, text: str) -> None:
        """Sends `text` to `to` (E.164); raises SmsError if it can't."""
        ...


def mask_phone(number: str) -> str:
    """'+393471234567' -> '•••4567': enough to recognise one's own number, not to dial it."""
    return "•••" + number[-4:] if len(number) > 4 else "•••"


class ConsoleSms:
    """Development only: writes the whole message, code included, to the console log."""

    async def send(self, to: str, text: str) -> None:
        CONSOLE_LOG.info("SMS di sviluppo per %s: %s", to, text)


class HttpSms:
    """An HTTP gateway: POST {"to", "text"} as JSON with a bearer token; 2xx means accepted."""

    def __init__(self, url: str, token: str | None = None,
                 client: httpx.AsyncClient | None = None) -> None:
        self._url = url
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._client = client

    async def send(self, to: str, text: str) -> None:
        import httpx

        try:
            if self._client is not None:
                response = await self._post(self._client, to, text)
            else:
                async with httpx.AsyncClient(timeout=TIMEOUT) as client:
                    response = await self._post(client, to, text)
        except httpx.HTTPError as exc:
            log.warning("SMS to %s not sent: %s", mask_phone(to), type(exc).__name__)
            raise SmsError("the SMS gateway did not answer") from exc
        if not response.is_success:
            log.warning("SMS to %s refused by the gateway: HTTP %s", mask_phone(to),
                        response.status_code)
            raise SmsError(f"the SMS gateway answered {response.status_code}")
        log.info("SMS sent to %s", mask_phone(to))

    async def _post(self, client: httpx.AsyncClient, to: str, text: str) -> httpx.Response:
        return await client.post(self._url, json={"to": to, "text": text},
                                 headers=self._headers)


def sms_sender(settings: Settings) -> SmsSender:
    """The provider the settings choose (MEDBOT_SMS_PROVIDER)."""
    if settings.sms_provider == "http":
        if not settings.sms_url:
            raise ValueError("MEDBOT_SMS_PROVIDER=http needs MEDBOT_SMS_URL")
        token = settings.sms_token.get_secret_value() if settings.sms_token else None
        return HttpSms(settings.sms_url, token)
    return ConsoleSms()
