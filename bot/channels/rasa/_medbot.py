"""What the actions share: the medbot Runtime, the archive's services, an HTTP client."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from bot.channels.rasa._config import RasaSettings
from bot.channels.rasa._fetch import AttachmentPolicy
from bot.config import Settings
from bot.runtime import Runtime
from bot.services import PortalServices
from bot.sms import sms_sender
from nlu.catalogue import load_catalogue

__all__ = ["Medbot"]


@dataclass(slots=True)
class Medbot:
    """Opened when the action server starts, closed when it stops."""

    settings: Settings
    rasa: RasaSettings
    _runtime: Runtime | None = None
    _services: PortalServices | None = None
    _http: httpx.AsyncClient | None = field(default=None)

    async def open(self) -> None:
        runtime = await Runtime.open(self.settings)
        runtime.receipts.warm_up()
        self._runtime = runtime
        self._services = PortalServices(load_catalogue(), runtime.store,
                                        sms_sender(self.settings), runtime.clock.now,
                                        runtime.receipts)
        # No redirects, no proxies from the environment: the address checked is the one used.
        self._http = httpx.AsyncClient(follow_redirects=False, trust_env=False)

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()
        if self._runtime is not None:
            await self._runtime.close()

    @property
    def attachments(self) -> AttachmentPolicy:
        return AttachmentPolicy(self.rasa.attachment_hosts, self.rasa.attachment_networks)

    @property
    def link_secret(self) -> str | None:
        secret = self.rasa.link_secret
        return secret.get_secret_value() if secret is not None else None

    @property
    def runtime(self) -> Runtime:
        if self._runtime is None:
            raise RuntimeError("the action server has not started")
        return self._runtime

    @property
    def services(self) -> PortalServices:
        if self._services is None:
            raise RuntimeError("the action server has not started")
        return self._services

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            raise RuntimeError("the action server has not started")
        return self._http
