"""The few Graph API calls the channel makes (httpx): send, mark read, media in and out."""

from __future__ import annotations

import logging
from typing import Any

import httpx

from bot.channels.whatsapp._config import WhatsAppConfig

__all__ = ["GraphApi", "GraphError", "Media", "TooBig"]

log = logging.getLogger(__name__)
TIMEOUT = httpx.Timeout(20.0, connect=5.0)


class GraphError(Exception):
    """A call failed; `retry` says whether the same call may work later."""

    def __init__(self, message: str, *, status: int | None = None, retry: bool = True) -> None:
        super().__init__(message)
        self.status = status
        self.retry = retry


class TooBig(Exception):
    """The media is larger than we take; `size` in bytes."""

    def __init__(self, size: int) -> None:
        super().__init__(f"{size} bytes")
        self.size = size


class Media:
    """A downloaded media file with the type WhatsApp declared for it."""

    def __init__(self, data: bytes, mime_type: str) -> None:
        self.data = data
        self.mime_type = mime_type


class GraphApi:
    """One HTTP client for the channel's lifetime; every request carries the bearer token.
    The token never reaches the log: httpx's own request log is kept at warnings."""

    def __init__(self, config: WhatsAppConfig, client: httpx.AsyncClient | None = None) -> None:
        self._base = config.api_url.rstrip("/")
        self._phone = config.phone_number_id
        self._client = client or httpx.AsyncClient(
            timeout=TIMEOUT, headers={"Authorization": f"Bearer {config.token}"})

    async def aclose(self) -> None:
        await self._client.aclose()

    async def send(self, to: str, message: dict[str, Any]) -> str:
        """Sends one message (`type` and its object) to `to`; the id WhatsApp gave it."""
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to,
                **message}
        answer = await self._json("POST", f"/{self._phone}/messages", json=body)
        messages = answer.get("messages") or [{}]
        return str(messages[0].get("id", ""))

    async def mark_read(self, message_id: str) -> None:
        await self._json("POST", f"/{self._phone}/messages", json={
            "messaging_product": "whatsapp", "status": "read", "message_id": message_id})

    async def upload(self, data: bytes, filename: str, mime_type: str) -> str:
        """Uploads a file to send; its media id."""
        answer = await self._json("POST", f"/{self._phone}/media",
                                  data={"messaging_product": "whatsapp", "type": mime_type},
                                  files={"file": (filename, data, mime_type)})
        return str(answer["id"])

    async def media(self, media_id: str, max_bytes: int) -> Media:
        """A received file: its URL from the media id, then the bytes (TooBig beyond
        `max_bytes`, checked on the declared size first, then while downloading)."""
        info = await self._json("GET", f"/{media_id}")
        declared = int(info.get("file_size") or 0)
        if declared > max_bytes:
            raise TooBig(declared)
        url = str(info.get("url") or "")
        if not url:
            raise GraphError("media without a URL", retry=False)
        data = bytearray()
        try:
            async with self._client.stream("GET", url) as response:
                if not response.is_success:
                    raise GraphError(f"media download answered {response.status_code}",
                                     status=response.status_code,
                                     retry=response.status_code >= 500)
                async for chunk in response.aiter_bytes():
                    data.extend(chunk)
                    if len(data) > max_bytes:
                        raise TooBig(len(data))
        except httpx.HTTPError as exc:
            raise GraphError(f"media download failed: {type(exc).__name__}") from exc
        return Media(bytes(data), str(info.get("mime_type") or ""))

    async def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = await self._client.request(method, self._base + path, **kwargs)
        except httpx.HTTPError as exc:
            raise GraphError(f"Graph API unreachable: {type(exc).__name__}") from exc
        if not response.is_success:
            code = _error_code(response)
            log.warning("Graph API %s answered HTTP %s (error %s)", path.split("/")[-1],
                        response.status_code, code)
            retry = response.status_code >= 500 or response.status_code == 429
            raise GraphError(f"Graph API answered {response.status_code}",
                             status=response.status_code, retry=retry)
        found = response.json()
        return found if isinstance(found, dict) else {}


def _error_code(response: httpx.Response) -> object:
    try:
        return response.json().get("error", {}).get("code")
    except ValueError:
        return None
