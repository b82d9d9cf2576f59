"""The action server's own settings (MEDBOT_RASA_*): who may call it, whom it trusts, what it fetches."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from pydantic import SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

__all__ = ["RasaSettings"]

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class RasaSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MEDBOT_RASA_", env_file=".env", extra="ignore")

    # The token Rasa sends with every action call (endpoints.yml: a header
    # `Authorization: Bearer TOKEN`, or `token: TOKEN`, sent as ?token=). Without one the
    # server does not start: nobody else may speak for a customer.
    actions_token: SecretStr | None = None
    # The secret shared with the assistant's channel to sign the customer in message metadata
    # (HMAC-SHA256 over sender id, codice fiscale and expiry); None: only the slot links.
    link_secret: SecretStr | None = None
    # Where attachments may be downloaded from: host or host:port, comma-separated
    # (without a port only the scheme's default port). Empty: attachments are refused.
    attachment_hosts: Annotated[list[str], NoDecode] = []
    # Non-public networks an attachment host may resolve to (CIDRs, comma-separated), e.g.
    # 10.0.0.0/8 for a file store inside the company; loopback and private are refused otherwise.
    attachment_networks: Annotated[list[Network], NoDecode] = []

    @field_validator("attachment_hosts", mode="before")
    @classmethod
    def _hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [h.strip().lower() for h in value.split(",") if h.strip()]
        return value

    @field_validator("attachment_networks", mode="before")
    @classmethod
    def _networks(cls, value: object) -> object:
        if isinstance(value, str):
            return [ipaddress.ip_network(n.strip(), strict=False)
                    for n in value.split(",") if n.strip()]
        return value
