"""Who may call the action server: Rasa, with the shared token, compared in constant time."""

from __future__ import annotations

import hmac
from collections.abc import Mapping

__all__ = ["supplied_token", "token_matches"]


def supplied_token(headers: Mapping[str, str], query: Mapping[str, str]) -> str | None:
    """The token of the call: `Authorization: Bearer T` (endpoints.yml `headers`), else the
    query parameter `token` (endpoints.yml `token`)."""
    authorization = headers.get("authorization")
    if authorization is not None:
        scheme, _, value = authorization.strip().partition(" ")
        return value.strip() if scheme.lower() == "bearer" else None
    return query.get("token")


def token_matches(expected: str, supplied: str | None) -> bool:
    if supplied is None:
        return False
    return hmac.compare_digest(expected.encode(), supplied.encode())
